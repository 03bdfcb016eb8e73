"""The catalogue of relationship work the seed articles recommend, with default cadences.

Users add their own kinds in ``config.toml`` (``[[kind]]``); a user kind with the same name
overrides the built-in one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from hrtrust.errors import AmbiguousError, UsageError
from hrtrust.locale import N_, _
from hrtrust.models import Config, Kind

BUILTIN_KINDS: tuple[Kind, ...] = (
    Kind.model_construct(  # trusted: checked by tests/test_record.py, not on every import
        name="department-meeting",
        label=N_("Department meeting"),
        cadence="weekly",
        about=N_("Attend a client department's routine meeting; listen, learn the business."),
    ),
    Kind.model_construct(
        name="management-meeting",
        label=N_("Management meeting"),
        cadence="weekly",
        about=N_("Sit in on the department's management meeting."),
    ),
    Kind.model_construct(
        name="coffee-chat",
        label=N_("Coffee chat"),
        cadence=None,
        about=N_("Informal one-to-one over coffee; ask about them, not only work."),
    ),
    Kind.model_construct(
        name="one-on-one",
        label=N_("One-on-one"),
        cadence=None,
        about=N_("A scheduled one-to-one with a manager or employee."),
    ),
    Kind.model_construct(
        name="check-in",
        label=N_("Check-in"),
        cadence=None,
        about=N_("A short proactive 'how is it going?' before there is a problem."),
    ),
    Kind.model_construct(
        name="site-visit",
        label=N_("Site visit"),
        cadence="monthly",
        about=N_(
            "Walk the floor at a plant or regional office (走動管理): be seen, listen, hold "
            "office hours; the night shift too."
        ),
    ),
    Kind.model_construct(
        name="ally-meeting",
        label=N_("HR ally meeting"),
        cadence="monthly",
        about=N_("Meet the department's HR ally (人資之友) and act on what they bring."),
    ),
    Kind.model_construct(
        name="lunch-and-learn",
        label=N_("Lunch & learn"),
        cadence="monthly",
        about=N_("Host a lunchtime session on a topic employees asked about."),
    ),
    Kind.model_construct(
        name="peer-lunch",
        label=N_("Peer lunch"),
        cadence="monthly",
        about=N_("Lunch with peers in other functions."),
    ),
    Kind.model_construct(
        name="hr-ops-sync",
        label=N_("HR operations sync"),
        cadence="every 2 weeks",
        about=N_("Bi-weekly sync with HR operations on the clients' needs."),
    ),
    Kind.model_construct(
        name="manager-training",
        label=N_("Training from line managers"),
        cadence="monthly",
        about=N_("Line managers teach HR their business."),
    ),
    Kind.model_construct(
        name="open-forum",
        label=N_("Open forum / Q&A"),
        cadence="quarterly",
        about=N_("An open session where anyone can ask HR anything."),
    ),
    Kind.model_construct(
        name="newsletter",
        label=N_("Newsletter"),
        cadence="quarterly",
        touch=False,
        about=N_("'You said, we did': close the loop on feedback in writing."),
    ),
    Kind.model_construct(
        name="pulse-survey",
        label=N_("Trust pulse survey"),
        cadence="quarterly",
        touch=False,
        about=N_("A short trust audit; watch the trend per department."),
    ),
    Kind.model_construct(
        name="meeting",
        label=N_("Meeting"),
        cadence=None,
        about=N_(
            "Any other meeting with them (what `import calendar` logs when the title names "
            "no kind)."
        ),
    ),
    Kind.model_construct(
        name="recognition",
        label=N_("Recognition"),
        cadence=None,
        about=N_("Give credit in public; celebrate an achievement or anniversary."),
    ),
)


BUILTIN_LABELS: dict[str, str] = {k.name: k.label for k in BUILTIN_KINDS}


def label_for(kind: Kind | str) -> str:
    """A kind's display label in the language of the run: a built-in kind's from the catalogue
    (咖啡聊天), a user's kind's as they wrote it; an unknown kind id as it is."""
    if isinstance(kind, str):
        label = BUILTIN_LABELS.get(kind)
        return _(label) if label else kind
    return _(kind.label) if kind.label else kind.name


def kinds(config: Config) -> dict[str, Kind]:
    """Every kind by name: the built-in catalogue, overridden and extended by the config."""
    out = {k.name: k for k in BUILTIN_KINDS}
    for kind in config.kind:
        out[kind.name] = kind
    return out


ALIASES = {
    "1:1": "one-on-one",
    "1on1": "one-on-one",
    "1-1": "one-on-one",
    "l&l": "lunch-and-learn",
    "lnl": "lunch-and-learn",
    "coffee": "coffee-chat",
    "checkin": "check-in",
    "q&a": "open-forum",
    "forum": "open-forum",
    "staff-meeting": "department-meeting",
}


def _by_label(table: Iterable[Kind], raw: str) -> Kind | None:
    """The kind whose label is ``raw`` (lower-cased), as written or as shown in the language
    of the run (咖啡聊天), spaces forgiven; None when no label is."""
    wanted = "".join(raw.split())
    for k in table:
        if k.label and wanted in {"".join(k.label.lower().split()), "".join(label_for(k).split())}:
            return k
    return None


def resolve_kind(text: str, config: Config) -> Kind:
    """The kind named ``text``: a name, an alias (``1:1``, ``l&l``), its label (``Coffee chat``,
    or 咖啡聊天 when the run speaks Chinese) or a unique prefix of the name or of a word in it
    (``lunch`` would be lunch-and-learn or peer-lunch: an error listing both), in any case,
    with spaces and ``&`` forgiven; otherwise a did-you-mean.
    """
    table = kinds(config)
    raw = text.strip().lower()
    if raw in ALIASES and ALIASES[raw] in table:
        return table[ALIASES[raw]]
    key = raw.replace("&", "and").replace(" ", "-").replace("_", "-")
    if key in table:
        return table[key]
    by_label = _by_label(table.values(), raw)
    if by_label is not None:
        return by_label
    prefixed = [
        name
        for name in table
        if key and (name.startswith(key) or any(w.startswith(key) for w in name.split("-")))
    ]
    if len(prefixed) == 1:
        return table[prefixed[0]]
    if prefixed:
        raise AmbiguousError(
            f"kind {text!r} could be {len(prefixed)} kinds",
            hint=f"use one of: {', '.join(sorted(prefixed))}",
        )
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, name).ratio(), name) for name in table),
        reverse=True,
    )
    best = scored[0][0] if scored else 0.0
    close = [name for score, name in scored if score >= max(0.5, best - 0.1)][:3]
    hint = (
        f"did you mean {' or '.join(close)}?"
        if close
        else "see `hrtrust activity kinds` for the catalogue, or add a [[kind]] to config.toml"
    )
    raise UsageError(f"unknown kind {text!r}", hint=hint)
