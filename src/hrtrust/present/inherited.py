"""A person's history from a handover, as a line of the brief: ``before handover (from Alice
Wu, Nov 20, 2026): 12 touches, …``."""

from __future__ import annotations

from collections.abc import Sequence

from hrtrust.domain.inherited import Inherited
from hrtrust.locale import _, ngettext
from hrtrust.present.common import english, full_date, kind_text, listed, one_line, plural


def inherited_lines(history: Sequence[Inherited]) -> list[str]:
    """``before handover (from Alice Wu, Nov 20, 2026): 12 touches, Sep 1, 2025 – Nov 2, 2026
    (7 department meetings, 5 coffee chats; the last: coffee chat)``."""
    out = []
    for h in history:
        last, first = h.last, h.first
        if last is None or first is None:
            out.append(
                one_line(
                    _("before handover (from {giver}, {day}): no touches").format(
                        giver=h.giver, day=full_date(h.given)
                    )
                )
            )
            continue
        kinds = sorted(h.touches.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        by_kind = listed([_kind_count(k, len(d)) for k, d in kinds])
        out.append(
            one_line(
                ngettext(
                    "before handover (from {giver}, {day}): {n} touch, {first} – {last} "
                    "({kinds}; the last: {kind})",
                    "before handover (from {giver}, {day}): {n} touches, {first} – {last} "
                    "({kinds}; the last: {kind})",
                    h.count,
                ).format(
                    giver=h.giver,
                    day=full_date(h.given),
                    n=h.count,
                    first=full_date(first),
                    last=full_date(last[0]),
                    kinds=by_kind,
                    kind=kind_text(last[1]),
                )
            )
        )
    return out


def _kind_count(kind: str, n: int) -> str:
    """``7 department meetings`` (``部門會議7次``): a count of touches of one kind (English
    makes the plural of any kind's name; the catalogue says it for the others)."""
    if english():
        return plural(n, kind.replace("-", " "))
    return _("{n} {kind}").format(n=n, kind=kind_text(kind))
