"""Posting the digest where people read it (``hrtrust digest --post-to NAME``).

Each kind of destination gets what its service renders well, within that service's limits:

- ``teams``: an Adaptive Card (version 1.5) in the envelope a Teams Workflows webhook takes
  ("When a Teams webhook request is received"); Teams refuses a message over about 28 KB.
- ``slack``: Block Kit for an incoming webhook: a header, context lines and sections (at most
  50 blocks, 3,000 characters in a section's text, 150 in a header).
- ``google-chat``: a ``cardsV2`` card for a space's webhook (at most 32,000 bytes and 100
  widgets).
- ``ntfy``: Markdown with ``Title``, ``Priority`` and ``Markdown`` headers (a message body of at
  most 4,096 bytes; ntfy would turn a longer one into an attachment).
- ``webhook``: the digest's JSON, the same data as ``hrtrust digest --format json``.

A digest too long for its service is shortened item by item, never in the middle of one: the
longest lists lose their last rows first (the headline figures last of all), and each list that
lost some says how many, and where the full digest is (``hrtrust digest --week ...``). Every
payload is made from :func:`hrtrust.present.digest.outline` without private text: personal
notes and learned facts never leave the machine.

The URL is a secret (whoever has it can post to the channel), so it is read from the
environment variable that ``delivery.NAME.url-env`` names, at send time, and never appears in
a message, an error or a ``--debug`` trace: errors name the destination and the variable.
Only ``https://`` is allowed, or ``http://`` to this machine (localhost, 127.0.0.1, ::1).

Why urllib.request and no third-party HTTP client: each run sends one small POST with a
timeout, a few bounded retries and no redirects. The standard library does all of that,
verifies TLS certificates by default and honours ``https_proxy`` (corporate networks); a
client library would add a dependency to install and audit for one request a week.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, TypeVar

from hrtrust import __version__
from hrtrust.domain.digest import Digest
from hrtrust.errors import DeliveryError, UsageError
from hrtrust.locale import _, ngettext
from hrtrust.models import DELIVERY_KINDS, Delivery
from hrtrust.present.common import json_safe, one_line
from hrtrust.present.digest import (
    Block,
    Outline,
    Part,
    Row,
    md,
    outline,
    subject,
    to_json_data,
)

# Seconds one try may take, tries in all, and seconds waited between tries in all: a cron job
# gives up within about a minute and a half, and never hammers a service that is busy.
TIMEOUT = 10.0
TRIES = 3
MAX_WAIT = 60.0

TEAMS_MAX_BYTES = 27_000  # Teams refuses a message over ~28 KB; a margin for its envelope
SLACK_MAX_BLOCKS = 50
SLACK_SECTION_CHARS = 3000
SLACK_HEADER_CHARS = 150
GCHAT_MAX_BYTES = 32_000
GCHAT_MAX_WIDGETS = 100
NTFY_MAX_BYTES = 4096

# An item is never cut where it would be split, but one absurdly long text (a promise pasted
# with a whole mail in it) is clipped, visibly, so that every item fits in any service.
ITEM_CHARS = 300
ITEM_LINES = 6  # an item's own line, then at most this many sub-lines

JSON_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Payload:
    """What is posted: the body, its headers, and what ``--dry-run`` prints for it."""

    kind: str
    body: bytes
    headers: dict[str, str]
    preview: Any  # the JSON value sent (ntfy: its headers and Markdown body)


# -- the destination ---------------------------------------------------------------------------


def destination(deliveries: Sequence[Delivery], name: str, where: str) -> Delivery:
    """The ``[[delivery]]`` called ``name``, with a known kind and a variable for its URL."""
    from hrtrust.domain.settings import suggested_env

    key = name.strip().lower()
    found = next((d for d in deliveries if d.name == key), None)
    if found is None:
        import difflib

        names = sorted(d.name for d in deliveries)
        near = difflib.get_close_matches(key, names, n=1)
        if names:
            hint = _("destinations: {names}").format(names=", ".join(names))
        else:
            hint = _(
                "hrtrust config set delivery.{name}.kind teams (or slack, google-chat, ntfy, "
                "webhook) and delivery.{name}.url-env {env}"
            ).format(name=key, env=suggested_env(key))
        if near:
            hint = _("did you mean {name}? {hint}").format(name=near[0], hint=hint)
        raise UsageError(
            _("{where}: no destination {name} to post to").format(where=where, name=repr(name)),
            hint=hint,
        )
    if found.kind not in DELIVERY_KINDS:
        if found.kind:
            problem = _("{where}: delivery {name} has an unknown kind {kind}").format(
                where=where, name=found.name, kind=repr(found.kind)
            )
        else:
            problem = _("{where}: delivery {name} has no kind").format(where=where, name=found.name)
        raise UsageError(
            problem,
            hint=f"hrtrust config set delivery.{found.name}.kind " + "|".join(DELIVERY_KINDS),
        )
    if not found.url_env:
        raise UsageError(
            _(
                "{where}: delivery {name} does not say which environment variable holds its URL"
            ).format(where=where, name=found.name),
            hint=f"hrtrust config set delivery.{found.name}.url-env {suggested_env(found.name)}",
        )
    return found


def url_of(dest: Delivery, environ: Mapping[str, str]) -> str:
    """The destination's URL, from its environment variable, checked; errors never quote it."""
    var = dest.url_env or ""
    url = environ.get(var, "").strip()
    if not url:
        raise UsageError(
            _(
                "the environment variable {var} (the URL of delivery {name}) is empty or unset"
            ).format(var=var, name=dest.name),
            hint=_(
                "export {var}='https://...' in the shell, or put it before the command in the "
                "crontab line"
            ).format(var=var),
        )
    if any(ord(c) <= 0x20 or ord(c) >= 0x7F for c in url):
        raise UsageError(
            _("the URL in {var} holds a space, a control or a non-ASCII character").format(var=var),
            hint=_("copy the URL again from the service (percent-encode anything else)"),
        )
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError:
        raise UsageError(
            _("the URL in {var} has a host or port that cannot be read").format(var=var),
            hint=_("copy the URL again from the service"),
        ) from None
    if not host or parts.scheme.lower() not in ("https", "http"):
        raise UsageError(
            _("the value of {var} is not an https:// URL").format(var=var),
            hint=_("copy the URL from the service"),
        )
    if parts.username is not None or parts.password is not None:
        raise UsageError(
            _("the URL in {var} has a user name or password before the host").format(var=var),
            hint=_("use the URL the service gives, with its token in the path or query"),
        )
    if parts.scheme.lower() == "http" and not _loopback(host):
        raise UsageError(
            _(
                "the URL in {var} is http://: the digest and the URL's secret would cross the "
                "network in clear"
            ).format(var=var),
            hint=_(
                "use https:// (http:// is allowed only to this machine: localhost, 127.0.0.1, ::1)"
            ),
        )
    return url


def _loopback(host: str) -> bool:
    from hrtrust.interop.mail import is_loopback  # one definition of "this machine"

    return is_loopback(host)


# -- the payloads ------------------------------------------------------------------------------


def payload(kind: str, d: Digest) -> Payload:
    """The digest as ``kind`` posts it, within the service's limits, with no private text."""
    if kind == "webhook":
        data = to_json_data(d, private=False)
        return Payload(kind, _json_bytes(data), {"Content-Type": JSON_TYPE}, data)
    more = f"hrtrust digest --week {d.plan.label}"
    o = _clipped(outline(d, private=False))  # never private: the default, and the only way
    if kind == "teams":
        card = _fit(o, _teams, lambda p: len(_json_bytes(p)) <= TEAMS_MAX_BYTES, more)
        return Payload(kind, _json_bytes(card), {"Content-Type": JSON_TYPE}, card)
    if kind == "slack":
        msg = _fit(o, lambda x: _slack(x, subject(d)), _slack_fits, more)
        return Payload(kind, _json_bytes(msg), {"Content-Type": JSON_TYPE}, msg)
    if kind == "google-chat":
        msg = _fit(o, _google_chat, _google_chat_fits, more)
        return Payload(kind, _json_bytes(msg), {"Content-Type": JSON_TYPE}, msg)
    if kind == "ntfy":
        text = _fit(o, _ntfy, lambda t: len(t.encode("utf-8")) <= NTFY_MAX_BYTES, more)
        shown = {
            "Title": subject(d),
            "Priority": "high" if d.plan.owe else "default",
            "Markdown": "yes",
        }
        headers = {
            "Content-Type": "text/plain; charset=utf-8",
            **shown,
            "Title": _header_text(shown["Title"]),
        }
        return Payload(kind, text.encode("utf-8"), headers, {"headers": shown, "body": text})
    raise UsageError(
        _("unknown destination kind {kind}").format(kind=repr(kind)),
        hint=_("kinds: {kinds}").format(kinds=", ".join(DELIVERY_KINDS)),
    )


def preview_text(p: Payload) -> str:
    """What ``--dry-run`` prints: the payload as indented JSON (controls escaped)."""
    return json_safe(json.dumps(p.preview, ensure_ascii=False, indent=2)) + "\n"


def _json_bytes(value: Any) -> bytes:
    # UTF-8, not \u escapes: CJK names stay readable in the service's logs, and the
    # Content-Type says the charset.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _header_text(text: str) -> str:
    """A header value http.client can send: ASCII as is, else RFC 2047 (which ntfy reads)."""
    if text.isascii():
        return text
    return "=?UTF-8?B?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


# -- shortening, never mid-item ----------------------------------------------------------------

T = TypeVar("T")
Key = tuple[int, int]  # (part, block)


def _pointer(row: Row) -> bool:
    """A row saying where the rest of a list is (``and 10 more — see `hrtrust overdue```)."""
    return row.pointer


def _clip(text: str) -> str:
    text = one_line(text)
    return text if len(text) <= ITEM_CHARS else text[: ITEM_CHARS - 1].rstrip() + "…"


def _clipped(o: Outline) -> Outline:
    """Every text on one line and at most ITEM_CHARS long, every item at most ITEM_LINES
    sub-lines: the size of one item is bounded, so any service can take any single item."""

    def row(r: Row) -> Row:
        more = [(_clip(text), tone) for text, tone in r.more[:ITEM_LINES]]
        if len(r.more) > ITEM_LINES:
            more.append((_("and {n} more").format(n=len(r.more) - ITEM_LINES), "dim"))
        return Row(_clip(r.label), _clip(r.text), r.tone, more, r.pointer)

    return Outline(
        _clip(o.title),
        _clip(o.subtitle),
        [
            Part(
                _clip(p.title),
                _clip(p.subtitle),
                [Block(_clip(b.title), [row(r) for r in b.rows], _clip(b.empty)) for b in p.blocks],
            )
            for p in o.parts
        ],
        o.lang,
    )


def _fit(o: Outline, build: Callable[[Outline], T], fits: Callable[[T], bool], more: str) -> T:
    """``build(o)``, shortened until ``fits``: the block with the most items left loses its
    last one (the review's before the plan's, the headline figures last), and says how many it
    lost and where they are; when only titles are left, the last blocks go whole."""
    got = build(o)
    if fits(got):
        return got
    kept: dict[Key, int] = {
        (pi, bi): sum(not _pointer(r) for r in b.rows)
        for pi, p in enumerate(o.parts)
        for bi, b in enumerate(p.blocks)
    }
    first = min(kept, default=None)  # "At a glance": the figures go last

    def weight(k: Key) -> tuple[int, int, int]:
        return (0 if k == first else kept[k], -k[0], -k[1])

    while any(kept.values()):
        key = max((k for k in kept if kept[k] > 0), key=weight)
        kept[key] -= 1
        got = build(_trimmed(o, kept, 0, more))
        if fits(got):
            return got
    for cut in range(1, len(kept) + 1):
        got = build(_trimmed(o, kept, cut, more))
        if fits(got):
            return got
    raise AssertionError("a digest with no blocks fits every service")  # pragma: no cover


def _trimmed(o: Outline, kept: Mapping[Key, int], cut: int, more: str) -> Outline:
    """``o`` with each block's first ``kept`` items (its pointer rows stay), a row saying how
    many more there are where the first one was, and the last ``cut`` blocks left out."""
    keys = [(pi, bi) for pi, p in enumerate(o.parts) for bi, _block in enumerate(p.blocks)]
    gone = set(keys[len(keys) - cut :]) if cut else set()
    parts = []
    for pi, p in enumerate(o.parts):
        blocks = []
        for bi, b in enumerate(p.blocks):
            if (pi, bi) in gone:
                continue
            n = kept[(pi, bi)]
            left = sum(not _pointer(r) for r in b.rows) - n
            rows: list[Row] = []
            seen = 0
            for r in b.rows:
                if _pointer(r):
                    rows.append(r)
                    continue
                if seen < n:
                    rows.append(r)
                elif seen == n:  # where the first left out was: how many, and where
                    text = _("and {n} more — see the full digest: `{command}`").format(
                        n=left, command=more
                    )
                    rows.append(Row("", text, "dim", pointer=True))
                seen += 1
            blocks.append(Block(b.title, rows, b.empty))
        parts.append(Part(p.title, p.subtitle, blocks))
    if cut:
        text = ngettext(
            "{n} more section — see the full digest: `{command}`",
            "{n} more sections — see the full digest: `{command}`",
            cut,
        ).format(n=cut, command=more)
        note = Row("", text, "dim", pointer=True)
        last = parts[-1]
        parts[-1] = Part(last.title, last.subtitle, [*last.blocks, Block(_("More"), [note])])
    return Outline(o.title, o.subtitle, parts, o.lang)


# -- Microsoft Teams: an Adaptive Card in a Workflows message ----------------------------------

_TEAMS_COLOR = {"bad": "Attention", "warn": "Warning", "good": "Good"}


def _text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _teams(o: Outline) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        _text_block(o.title, size="Large", weight="Bolder", style="heading"),
        _text_block(o.subtitle, isSubtle=True, spacing="None"),
    ]
    for part in o.parts:
        body.append(
            _text_block(part.title, size="Medium", weight="Bolder", separator=True, spacing="Large")
        )
        body.append(_text_block(part.subtitle, isSubtle=True, spacing="None"))
        for block in part.blocks:
            items: list[dict[str, Any]] = [_text_block(block.title, weight="Bolder")]
            facts: list[dict[str, str]] = []
            for row in block.rows:
                if row.label:  # a label and its text; sub-lines under the text
                    facts.append({"title": row.label, "value": row.text})
                    facts += [{"title": "", "value": text} for text, _tone in row.more]
                    continue
                if facts:
                    items.append({"type": "FactSet", "facts": facts})
                    facts = []
                style: dict[str, Any] = {"spacing": "Small"}
                if row.tone in _TEAMS_COLOR:
                    style["color"] = _TEAMS_COLOR[row.tone]
                if row.tone == "dim":
                    style["isSubtle"] = True
                items.append(_text_block(row.text, **style))
                items += [
                    _text_block(text, isSubtle=True, spacing="None") for text, _tone in row.more
                ]
            if facts:
                items.append({"type": "FactSet", "facts": facts})
            if not block.rows and block.empty:
                items.append(_text_block(block.empty, isSubtle=True, spacing="Small"))
            body.append({"type": "Container", "items": items, "spacing": "Medium"})
    card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": body,
        "msteams": {"width": "Full"},
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


# -- Slack: Block Kit --------------------------------------------------------------------------


def _slack_escape(text: str) -> str:
    """Slack's three escapes: a name like ``<!channel>`` shows as typed and pings no one."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_header(text: str) -> dict[str, Any]:
    if len(text) > SLACK_HEADER_CHARS:
        text = text[: SLACK_HEADER_CHARS - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": False}}


def _slack_context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _slack_escape(text)}]}


def _slack(o: Outline, fallback: str) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [_slack_header(o.title), _slack_context(o.subtitle)]
    for part in o.parts:
        blocks += [
            {"type": "divider"},
            _slack_header(part.title),
            _slack_context(part.subtitle),
        ]
        for block in part.blocks:
            title = f"*{_slack_escape(block.title)}*"
            items = []
            for row in block.rows:
                label = f"*{_slack_escape(row.label)}*  " if row.label else ""
                lines = [f"• {label}{_slack_escape(row.text)}"]
                lines += [f"      ◦ {_slack_escape(text)}" for text, _tone in row.more]
                items.append("\n".join(lines))
            if not block.rows and block.empty:
                items.append(f"_{_slack_escape(block.empty)}_")
            # One section per block, split between items when it would pass Slack's limit.
            text = title
            for item in items:
                if len(text) + 1 + len(item) > SLACK_SECTION_CHARS:
                    blocks.append(_slack_section(text))
                    text = _("{title} (continued)").format(title=title)
                text += "\n" + item
            blocks.append(_slack_section(text))
    # ``text`` is what a notification shows: the headline figures, no names.
    return {"text": _slack_escape(fallback), "blocks": blocks}


def _slack_section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _slack_fits(msg: dict[str, Any]) -> bool:
    blocks = msg["blocks"]
    return len(blocks) <= SLACK_MAX_BLOCKS and all(
        len(b["text"]["text"]) <= SLACK_SECTION_CHARS for b in blocks if b["type"] == "section"
    )


# -- Google Chat: a cardsV2 card ---------------------------------------------------------------

_GCHAT_COLOR = {"bad": "#b00020", "warn": "#8a5a00", "good": "#1b7f3b", "dim": "#666666"}


def _gchat_text(text: str, tone: str) -> str:
    """Google Chat's card text is a little HTML: escape what people typed, colour by tone."""
    shown = html.escape(text, quote=False)
    color = _GCHAT_COLOR.get(tone)
    return f'<font color="{color}">{shown}</font>' if color else shown


def _google_chat(o: Outline) -> dict[str, Any]:
    sections: list[dict[str, Any]] = []
    for part in o.parts:
        heading = f"<b>{html.escape(part.title, quote=False)}</b>"
        sections.append(
            {
                "header": heading,
                "widgets": [{"textParagraph": {"text": _gchat_text(part.subtitle, "dim")}}],
            }
        )
        for block in part.blocks:
            widgets: list[dict[str, Any]] = []
            for row in block.rows:
                text = "<br>".join(
                    [_gchat_text(row.text, row.tone)]
                    + [_gchat_text(t, tone or "dim") for t, tone in row.more]
                )
                if row.label:
                    widgets.append(
                        {
                            "decoratedText": {
                                "topLabel": html.escape(row.label, quote=False),
                                "text": text,
                                "wrapText": True,
                            }
                        }
                    )
                else:
                    widgets.append({"textParagraph": {"text": text}})
            if not widgets:
                widgets.append({"textParagraph": {"text": _gchat_text(block.empty or "—", "dim")}})
            sections.append({"header": html.escape(block.title, quote=False), "widgets": widgets})
    card = {
        "header": {"title": o.title, "subtitle": o.subtitle},
        "sections": sections,
    }
    return {"cardsV2": [{"cardId": "hrtrust-digest", "card": card}]}


def _google_chat_fits(msg: dict[str, Any]) -> bool:
    card = msg["cardsV2"][0]["card"]
    widgets = sum(len(s["widgets"]) for s in card["sections"])
    return widgets <= GCHAT_MAX_WIDGETS and len(_json_bytes(msg)) <= GCHAT_MAX_BYTES


# -- ntfy: Markdown ----------------------------------------------------------------------------


def _ntfy(o: Outline) -> str:
    """The body: Markdown, escaped as the Markdown digest is (the title goes in a header)."""
    lines = [f"_{md(o.subtitle)}_"]
    for part in o.parts:
        lines += ["", f"## {md(part.title)}", f"_{md(part.subtitle)}_"]
        for block in part.blocks:
            lines += ["", f"**{md(block.title)}**"]
            for row in block.rows:
                label = f"**{md(row.label)}** " if row.label else ""
                lines.append(f"- {label}{md(row.text)}")
                lines += [f"  - {md(text)}" for text, _tone in row.more]
            if not block.rows and block.empty:
                lines.append(f"- _{md(block.empty)}_")
    return "\n".join(lines) + "\n"


# -- sending -----------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A webhook answers where it is: a redirect is refused, so the digest (and the URL's
    token) never goes to another address, or over http."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def post(
    p: Payload, url: str, dest: Delivery, *, sleep: Callable[[float], None] = time.sleep
) -> None:
    """POST ``p`` to ``url``: one try, and up to TRIES in all while the service answers 429
    or 5xx, waiting as its Retry-After asks (MAX_WAIT seconds in all). A timeout is not tried
    again: the digest may have arrived, and a second try could post it twice.

    Every failure is a :class:`DeliveryError` naming the destination and its variable, never
    the URL (nor any part of it) nor what the service said about it."""
    what = _("could not post the digest to {name}").format(name=dest.name)
    where = _("(the URL is in ${var})").format(var=dest.url_env)
    host = urllib.parse.urlsplit(url).hostname or ""
    handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
    if _loopback(host):  # http:// to this machine goes straight there, never to a proxy
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)
    headers = {"User-Agent": f"hrtrust/{__version__}", **p.headers}
    waited = 0.0
    for attempt in range(1, TRIES + 1):
        request = urllib.request.Request(url, data=p.body, headers=headers, method="POST")
        try:
            with opener.open(request, timeout=TIMEOUT) as response:
                response.read(65536)
            return
        except urllib.error.HTTPError as exc:
            status = exc.code
            retry_after = exc.headers.get("Retry-After") if exc.headers else None
            detail = _detail(exc, url)
            exc.close()
        except (OSError, ValueError) as exc:  # URLError, a timeout, TLS: no answer
            raise DeliveryError(_failed(what, _failure(exc), where)) from None
        except http.client.HTTPException as exc:  # an answer that is not HTTP
            why = _("the answer was not HTTP ({error})").format(error=type(exc).__name__)
            raise DeliveryError(_failed(what, why, where)) from None
        said = f"{status} {_phrase(status)}".strip()
        if status != 429 and not 500 <= status <= 599:
            if detail:
                why = _("the service refused it: {status} ({detail})").format(
                    status=said, detail=detail
                )
            else:
                why = _("the service refused it: {status}").format(status=said)
            raise DeliveryError(_failed(what, why, where))
        if attempt == TRIES:
            why = _("the service answered {status}, {n} times").format(status=said, n=TRIES)
            raise DeliveryError(_failed(what, why, where))
        wait = _retry_after(retry_after, default=float(2 ** (attempt - 1)))
        if waited + wait > MAX_WAIT:
            why = _(
                "the service answered {status} and asked to wait {wait} s, longer than "
                "hrtrust waits ({most} s in all)"
            ).format(status=said, wait=f"{wait:.0f}", most=f"{MAX_WAIT:.0f}")
            raise DeliveryError(_failed(what, why, where))
        sleep(wait)
        waited += wait
    raise AssertionError("unreachable")  # pragma: no cover


def _failed(what: str, why: str, where: str) -> str:
    """``could not post the digest to teams: <why> (the URL is in $VAR)``."""
    return _("{what}: {why} {where}").format(what=what, why=why, where=where)


def _phrase(status: int) -> str:
    """The standard reason for a status (the service's own text is not repeated)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _retry_after(value: str | None, *, default: float) -> float:
    """Seconds to wait: Retry-After as seconds or an HTTP date, else ``default``."""
    if value is None:
        return default
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _failure(exc: BaseException) -> str:
    """Why a request got no answer, in words that hold no part of the URL (an error's own
    text is used only where it is the system's: ``Connection refused``)."""
    import ssl

    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return _("no answer within {n} s (not tried again: it may have arrived)").format(
            n=f"{TIMEOUT:g}"
        )
    if isinstance(reason, ssl.SSLCertVerificationError):
        return _("the service's TLS certificate could not be verified")
    if isinstance(reason, ssl.SSLError):
        error = getattr(reason, "reason", None) or type(reason).__name__
        return _("TLS failed ({error})").format(error=error)
    if isinstance(reason, OSError) and reason.strerror:
        return _("cannot connect ({error})").format(error=reason.strerror)
    if isinstance(reason, BaseException):
        return _("cannot connect ({error})").format(error=type(reason).__name__)
    return _("cannot connect")


def _detail(exc: urllib.error.HTTPError, url: str) -> str:
    """The start of what the service said about a refusal (Slack: ``invalid_blocks``), on one
    line, with every piece of the URL that could carry its token taken out."""
    try:
        raw = exc.read(512)
    except (OSError, ValueError):
        return ""
    text = one_line(raw.decode("utf-8", "replace")).strip()
    for secret in _url_pieces(url):
        text = text.replace(secret, "…")
    return text[:120]


def _url_pieces(url: str) -> list[str]:
    """The host, the path's segments and the query's values: anything that may be a token."""
    parts = urllib.parse.urlsplit(url)
    pieces = [url, parts.netloc, parts.hostname or "", parts.path, parts.query]
    pieces += parts.path.split("/")
    for _key, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
        pieces.append(value)
    pieces += [urllib.parse.unquote(p) for p in pieces]
    return sorted({p for p in pieces if len(p) >= 4}, key=len, reverse=True)
