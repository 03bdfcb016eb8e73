"""`hrtrust digest --post-to NAME`: the digest posted to Teams, Slack, Google Chat, ntfy or a
webhook, checked by a local HTTP server on 127.0.0.1 that validates each kind's payload against
the service's documented shape and limits, and answers as a busy, broken or slow service would.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from test_digest import DIGEST_DAY, SENTINELS, week_template_in

HRTRUST = Path(sys.executable).parent / "hrtrust"
KINDS = ("teams", "slack", "google-chat", "ntfy", "webhook")
# The URL's secret parts: none of them may appear in any output, error, trace or file.
TOKEN = "tok-7Qe2ZpX9secretpath"
SIG = "sig-Hk4bW81secretquery"
POINTER = "see the full digest: `hrtrust digest --week 2026-W49`"


def env_var(kind: str) -> str:
    return f"HRTRUST_{kind.upper().replace('-', '_')}_URL"


# -- a webhook service on 127.0.0.1 -------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"
    delay: float = 0.0


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Hook(ThreadingHTTPServer):
    """Answers each POST with the next scripted reply (200 once the script is used up)."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), HookHandler)
        self.script: list[Reply] = []
        self.received: list[Received] = []

    @property
    def netloc(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    @property
    def url(self) -> str:
        return f"http://{self.netloc}/hooks/{TOKEN}?sig={SIG}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and left: nothing to report


class HookHandler(BaseHTTPRequestHandler):
    server: Hook

    def do_POST(self) -> None:  # noqa: N802  (http.server's name)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.server.received.append(Received(self.path, dict(self.headers.items()), body))
        reply = self.server.script.pop(0) if self.server.script else Reply()
        if reply.delay:
            time.sleep(reply.delay)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def hook() -> Iterator[Hook]:
    server = Hook()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


# -- data -----------------------------------------------------------------------------------------


def add_destinations(home: Path) -> None:
    """Every kind of destination, each reading its URL from its own variable."""
    with (home / "config.toml").open("a", encoding="utf-8") as fh:
        for kind in KINDS:
            fh.write(f'\n[[delivery]]\nname = "{kind}"\nkind = "{kind}"\n')
            fh.write(f'url_env = "{env_var(kind)}"\n')


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return week_template_in(tmp_path_factory)


@pytest.fixture
def week(home: Path, template: Path) -> Path:
    """The hand-built week of test_digest (CJK names, private sentinels), with destinations."""
    shutil.copytree(template, home, symlinks=True)
    add_destinations(home)
    return home


def post(cli: Cli, *args: str, url: str | None = None, kind: str = "teams") -> Any:
    env = {env_var(kind): url} if url is not None else None
    return cli("digest", "--post-to", kind, *args, today=DIGEST_DAY, env=env)


# -- the services' documented shapes --------------------------------------------------------------

_SIZES = {"Default", "Small", "Medium", "Large", "ExtraLarge"}
_WEIGHTS = {"Default", "Lighter", "Bolder"}
_COLORS = {"Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"}
_SPACING = {"None", "Small", "Default", "Medium", "Large", "ExtraLarge", "Padding"}
_TEXT_BLOCK = {"type", "text", "wrap", "size", "weight", "color", "isSubtle", "spacing",
               "separator", "style", "maxLines", "horizontalAlignment", "id"}  # fmt: skip


def check_element(e: dict[str, Any]) -> None:
    """An Adaptive Card 1.5 element of the types hrtrust uses, with its required fields."""
    kind = e.get("type")
    assert kind in ("TextBlock", "FactSet", "Container"), kind
    for key, allowed in (("spacing", _SPACING), ("separator", {True, False})):
        assert e.get(key, next(iter(allowed))) in allowed, (key, e)
    if kind == "TextBlock":
        assert set(e) <= _TEXT_BLOCK, set(e) - _TEXT_BLOCK
        assert isinstance(e["text"], str) and e["text"], e
        assert e.get("size", "Default") in _SIZES
        assert e.get("weight", "Default") in _WEIGHTS
        assert e.get("color", "Default") in _COLORS
        assert e.get("style", "default") in ("default", "heading")
        assert isinstance(e.get("wrap", True), bool) and isinstance(e.get("isSubtle", False), bool)
    elif kind == "FactSet":
        assert set(e) <= {"type", "facts", "spacing", "separator", "id"}
        assert isinstance(e["facts"], list) and e["facts"]
        for fact in e["facts"]:
            assert set(fact) == {"title", "value"}, fact
            assert isinstance(fact["title"], str) and isinstance(fact["value"], str)
            assert fact["value"], fact
    else:
        assert set(e) <= {"type", "items", "spacing", "separator", "style", "id"}
        assert isinstance(e["items"], list) and e["items"]
        for item in e["items"]:
            check_element(item)


def check_teams(body: bytes) -> dict[str, Any]:
    """The Workflows webhook's envelope around one Adaptive Card, under Teams' 28 KB."""
    assert len(body) <= 28 * 1024
    msg = json.loads(body)
    assert set(msg) == {"type", "attachments"} and msg["type"] == "message"
    [attachment] = msg["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert set(card) <= {"type", "version", "$schema", "body", "msteams"}
    assert isinstance(card["body"], list) and card["body"]
    for element in card["body"]:
        check_element(element)
    return card


def check_slack(body: bytes) -> dict[str, Any]:
    """Block Kit for an incoming webhook: at most 50 blocks, a section's text at most 3,000
    characters, a header's at most 150 (plain text), a context at most 10 elements."""
    msg = json.loads(body)
    assert set(msg) == {"text", "blocks"} and isinstance(msg["text"], str) and msg["text"]
    blocks = msg["blocks"]
    assert 0 < len(blocks) <= 50
    for b in blocks:
        assert b["type"] in ("header", "section", "context", "divider"), b
        if b["type"] == "header":
            assert b["text"]["type"] == "plain_text"
            assert 0 < len(b["text"]["text"]) <= 150
        elif b["type"] == "section":
            assert set(b) == {"type", "text"} and b["text"]["type"] == "mrkdwn"
            assert 0 < len(b["text"]["text"]) <= 3000
        elif b["type"] == "context":
            assert 0 < len(b["elements"]) <= 10
            for el in b["elements"]:
                assert el["type"] in ("mrkdwn", "plain_text") and 0 < len(el["text"]) <= 3000
        else:
            assert b == {"type": "divider"}
    return msg


def check_google_chat(body: bytes) -> dict[str, Any]:
    """A cardsV2 message: at most 32,000 bytes and 100 widgets, text in Chat's little HTML."""
    assert len(body) <= 32_000
    msg = json.loads(body)
    [entry] = msg["cardsV2"]
    assert set(entry) == {"cardId", "card"} and entry["cardId"]
    card = entry["card"]
    assert isinstance(card["header"]["title"], str) and card["header"]["title"]
    widgets = [w for s in card["sections"] for w in s["widgets"]]
    assert 0 < len(widgets) <= 100
    for s in card["sections"]:
        assert s["widgets"] and isinstance(s.get("header", ""), str)
    for w in widgets:
        [(kind, value)] = w.items()
        assert kind in ("textParagraph", "decoratedText"), kind
        assert isinstance(value["text"], str) and value["text"]
        bare = value["text"]
        for tag in ("<b>", "</b>", "<br>", "</font>"):
            bare = bare.replace(tag, "")
        while '<font color="#' in bare:
            start = bare.index('<font color="#')
            bare = bare[:start] + bare[start + len('<font color="#123456">') :]
        assert "<" not in bare and ">" not in bare, value["text"]  # what people typed: escaped
    return msg


def check_ntfy(received: Received) -> str:
    """ntfy: Markdown of at most 4,096 bytes, a title, a priority, Markdown on."""
    assert len(received.body) <= 4096
    assert received.headers["Markdown"] == "yes"
    assert received.headers["Priority"] in ("min", "low", "default", "high", "urgent")
    assert received.headers["Title"].startswith(("hrtrust ", "=?UTF-8?B?"))
    return received.body.decode("utf-8")


def checked(kind: str, received: Received) -> str:
    """The payload validated as its kind, then as text to search."""
    assert received.headers["Content-Type"].endswith("charset=utf-8")
    text = received.body.decode("utf-8")  # strict: UTF-8 (CJK intact), never \\u escapes
    if kind == "teams":
        check_teams(received.body)
    elif kind == "slack":
        check_slack(received.body)
    elif kind == "google-chat":
        check_google_chat(received.body)
    elif kind == "ntfy":
        check_ntfy(received)
    else:
        assert received.headers["Content-Type"] == "application/json; charset=utf-8"
        json.loads(received.body)
    return text


# -- each kind ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_posts_its_documented_payload(
    cli: Cli, week: Path, hook: Hook, kind: str
) -> None:
    result = post(cli, url=hook.url, kind=kind)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")  # cron: silence
    [received] = hook.received
    assert received.path == f"/hooks/{TOKEN}?sig={SIG}"
    text = checked(kind, received)
    assert "林美玲" in text and "王小明" in text  # CJK names arrive intact
    assert "\\u" not in text
    for sentinel in SENTINELS:  # no note, learned fact or log note
        assert sentinel not in text
    assert "User-Agent" in received.headers and "hrtrust/" in received.headers["User-Agent"]


def test_teams_card_reads_as_the_digest(cli: Cli, week: Path, hook: Hook) -> None:
    assert post(cli, url=hook.url).exit_code == 0
    card = check_teams(hook.received[0].body)
    texts = json.dumps(card, ensure_ascii=False)
    body = card["body"]
    assert body[0]["text"] == "hrtrust digest — week 2026-W49"
    glance = body[4]["items"]
    assert glance[0]["text"] == "At a glance"
    facts = glance[1]["facts"]
    assert {"title": "Promises", "value": "kept on time 1 · kept late 1 · broken 1"} in facts
    assert {"title": "Keeping rate", "value": "33% kept on time (1 of 3)"} in facts
    assert "Coverage gaps" in texts and "This week" in texts


def test_webhook_gets_the_json_digest(cli: Cli, week: Path, hook: Hook) -> None:
    assert post(cli, url=hook.url, kind="webhook").exit_code == 0
    sent = json.loads(hook.received[0].body)
    shown = cli("digest", "--format", "json", today=DIGEST_DAY)
    assert sent == json.loads(shown.stdout)
    assert sent["includes_private"] is False


def test_ntfy_title_is_rfc2047_when_not_ascii(cli: Cli, week: Path, hook: Hook) -> None:
    from hrtrust.interop.delivery import _header_text

    assert _header_text("hrtrust 2026-W49") == "hrtrust 2026-W49"
    encoded = _header_text("週報 — W49")
    assert encoded.startswith("=?UTF-8?B?") and encoded.isascii()
    assert post(cli, url=hook.url, kind="ntfy").exit_code == 0
    headers = hook.received[0].headers
    assert headers["Title"] == "hrtrust 2026-W49: 1 promise overdue, 33% kept on time"
    assert headers["Priority"] == "high"  # a promise is overdue


def test_dry_run_prints_what_would_be_sent_and_sends_nothing(
    cli: Cli, week: Path, hook: Hook
) -> None:
    for kind in KINDS:
        dry = cli("digest", "--post-to", kind, "--dry-run", today=DIGEST_DAY)  # no URL needed
        assert dry.exit_code == 0, dry.stderr
        assert dry.stderr == ""
        assert hook.received == []
        assert post(cli, url=hook.url, kind=kind).exit_code == 0
        sent = hook.received.pop()
        shown = json.loads(dry.stdout)
        if kind == "ntfy":
            assert shown["body"].encode("utf-8") == sent.body
            assert shown["headers"]["Priority"] == sent.headers["Priority"]
        else:
            assert shown == json.loads(sent.body)
        assert dry.stdout.startswith(("{\n  ", "[\n  "))  # pretty


# -- a busy, broken, slow service -----------------------------------------------------------------


def test_429_then_success_waits_as_retry_after_asks(cli: Cli, week: Path, hook: Hook) -> None:
    hook.script = [Reply(429, {"Retry-After": "1"}, b"slow down")]
    start = time.monotonic()
    result = post(cli, url=hook.url)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert time.monotonic() - start >= 1.0
    assert len(hook.received) == 2
    assert hook.received[0].body == hook.received[1].body


def test_500_until_failure_exits_7_with_one_line(cli: Cli, week: Path, hook: Hook) -> None:
    hook.script = [Reply(500, {"Retry-After": "0"}, b"boom")] * 5
    result = post(cli, url=hook.url)
    assert result.exit_code == 7
    assert result.stdout == ""
    assert result.stderr == (
        "hrtrust: error: could not post the digest to teams: the service answered 500 "
        "Internal Server Error, 3 times (the URL is in $HRTRUST_TEAMS_URL)\n"
    )
    assert len(hook.received) == 3  # bounded


def test_a_wait_longer_than_the_cap_is_not_waited(cli: Cli, week: Path, hook: Hook) -> None:
    hook.script = [Reply(503, {"Retry-After": "3600"})]
    start = time.monotonic()
    result = post(cli, url=hook.url)
    assert time.monotonic() - start < 5
    assert result.exit_code == 7
    assert "asked to wait 3600 s, longer than hrtrust waits (60 s in all)" in result.stderr
    assert len(hook.received) == 1


def test_backoff_without_retry_after_and_retry_after_as_a_date(hook: Hook) -> None:
    from email.utils import format_datetime

    from hrtrust.interop import delivery
    from hrtrust.models import Delivery

    dest = Delivery(name="teams", kind="teams", url_env="HRTRUST_TEAMS_URL")
    p = delivery.Payload("teams", b"{}", {"Content-Type": delivery.JSON_TYPE}, {})
    waits: list[float] = []
    hook.script = [Reply(502), Reply(503)]
    delivery.post(p, hook.url, dest, sleep=waits.append)
    assert waits == [1.0, 2.0] and len(hook.received) == 3
    later = format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), usegmt=True)
    assert 25 <= delivery._retry_after(later, default=1.0) <= 30
    assert delivery._retry_after("not a date", default=4.0) == 4.0


def test_a_timeout_fails_at_once_and_is_not_tried_again(
    cli: Cli, week: Path, hook: Hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrtrust.interop import delivery

    monkeypatch.setattr(delivery, "TIMEOUT", 0.5)
    hook.script = [Reply(200, delay=2.0)]
    start = time.monotonic()
    result = post(cli, url=hook.url)
    assert time.monotonic() - start < 2.0
    assert result.exit_code == 7
    assert result.stderr == (
        "hrtrust: error: could not post the digest to teams: no answer within 0.5 s (not tried "
        "again: it may have arrived) (the URL is in $HRTRUST_TEAMS_URL)\n"
    )
    assert len(hook.received) == 1


def test_a_refusal_is_not_retried_and_its_reason_hides_the_url(
    cli: Cli, week: Path, hook: Hook
) -> None:
    hook.script = [Reply(400, body=f"invalid_blocks at /hooks/{TOKEN} ({SIG})".encode())]
    result = post(cli, url=hook.url, kind="slack")
    assert result.exit_code == 7
    assert "the service refused it: 400 Bad Request (invalid_blocks at" in result.stderr
    assert TOKEN not in result.stderr and SIG not in result.stderr
    assert len(hook.received) == 1


def test_a_redirect_is_not_followed(cli: Cli, week: Path, hook: Hook) -> None:
    hook.script = [Reply(302, {"Location": "http://example.com/elsewhere"})]
    result = post(cli, url=hook.url)
    assert result.exit_code == 7
    assert "the service refused it: 302 Found" in result.stderr
    assert len(hook.received) == 1


def test_nothing_listening_is_a_clear_failure(cli: Cli, week: Path) -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), HookHandler) as closed:
        port = closed.server_address[1]
    result = post(cli, url=f"http://127.0.0.1:{port}/hooks/{TOKEN}")
    assert result.exit_code == 7
    assert "cannot connect (Connection refused)" in result.stderr
    assert TOKEN not in result.stderr and str(port) not in result.stderr


# -- an oversized digest --------------------------------------------------------------------------

LONG = "請把新版人資訓練手冊寄給全體同仁並確認每個人都已收到且了解其中的重點與流程"  # 37 chars


def long_text(n: int) -> str:
    """A promise of ~250 CJK characters (750 bytes) with a marker at each end."""
    return f"始{n:02d} " + LONG * 6 + f" 終{n:02d}"


def build_busy_week(home: Path) -> None:
    """W48 reviewed on Mon Nov 30: 20 promises kept late, 15 still overdue, 15 due this week,
    each ~750 bytes of Chinese: far more than any chat service takes in one message."""
    cli = Cli()
    day = dt.date.fromisoformat

    def ok(*args: str, today: str) -> None:
        result = cli(*args, today=day(today))
        assert result.exit_code == 0, (args, result.stderr)

    ok("init", "--timezone", "Asia/Taipei", today="2026-11-01")
    for n in range(10):
        ok("contact", "add", f"員工{n:02d}", "--dept", "Sales", today="2026-11-01")
    for n in range(50):
        due = "2026-11-20" if n < 35 else f"2026-12-0{1 + n % 4}"
        ok("promise", "add", long_text(n), "--to", f"員工{n % 10:02d}", "--due", due,
           today="2026-11-16")  # fmt: skip
    for n in range(20):
        ok("promise", "done", f"p{n + 1}", today=f"2026-11-2{4 + n % 4}")
    add_destinations(home)


@pytest.fixture(scope="module")
def busy_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("busy") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HRTRUST_HOME", str(folder))
        build_busy_week(folder)
    return folder


@pytest.fixture
def busy(home: Path, busy_template: Path) -> Path:
    shutil.copytree(busy_template, home, symlinks=True)
    return home


@pytest.mark.parametrize("kind", ["teams", "slack", "google-chat", "ntfy"])
def test_an_oversized_digest_is_shortened_whole_items_at_a_time(
    cli: Cli, busy: Path, hook: Hook, kind: str
) -> None:
    from hrtrust.interop import delivery

    full = cli("digest", "--format", "markdown", today=DIGEST_DAY).stdout
    assert len(full.encode("utf-8")) > 32_000  # more than any of them takes
    result = post(cli, url=hook.url, kind=kind)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    [received] = hook.received
    text = checked(kind, received)  # within the service's limits
    if kind == "slack":  # split: a list too long for one section goes on in the next
        assert "(continued)" in text
    else:  # shortened, saying where the rest is
        assert POINTER.replace("`", "\\`" if kind == "ntfy" else "`") in text
    shown = [n for n in range(50) if f"始{n:02d}" in text]
    assert shown  # some promises are there...
    for n in shown:  # ...each of them whole: never cut mid-item
        assert long_text(n) in text, n
    assert all(f"終{n:02d}" not in text for n in range(50) if n not in shown)
    assert "hrtrust digest — week 2026-W49" in text or kind == "ntfy"
    assert "Keeping rate" in text  # the headline figures are the last to go
    assert "Coverage gaps" in text  # every part keeps its blocks
    p = delivery.payload(kind, _digest_of(busy))
    assert p.body == received.body  # what --dry-run shows is what was sent


def _digest_of(home: Path) -> Any:
    """The digest of W49 as the command builds it (for the payload, compared byte for byte)."""
    from hrtrust.cli import load
    from hrtrust.domain.digest import build
    from hrtrust.storage.store import Store

    monday = DIGEST_DAY
    return build(load.digest_input(Store(home), monday, DIGEST_DAY), DIGEST_DAY, monday)


# -- the URL is a secret ----------------------------------------------------------------------


def cron_env(home: Path, **extra: str) -> dict[str, str]:
    """What cron gives a job (HOME, PATH, LOGNAME, SHELL), and the URL's variable."""
    return {"HOME": str(home.parent), "PATH": "/usr/bin:/bin", "LOGNAME": "u",
            "SHELL": "/bin/sh", "HRTRUST_HOME": str(home), **extra}  # fmt: skip


def run(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(HRTRUST), "--today", DIGEST_DAY.isoformat(), *args],
        env=cron_env(home, **env),
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def secrets_of(hook: Hook) -> list[bytes]:
    return [s.encode() for s in (hook.url, TOKEN, SIG, hook.netloc, f"/hooks/{TOKEN}")]


def test_the_teams_cron_line_posts_silently(week: Path, hook: Hook) -> None:
    proc = run(week, "digest", "--post-to", "teams", HRTRUST_TEAMS_URL=hook.url)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    check_teams(hook.received[0].body)


def test_the_url_never_appears_in_output_errors_traces_or_files(week: Path, hook: Hook) -> None:
    url = hook.url
    outputs: list[bytes] = []
    for args in (
        ["digest", "--post-to", "teams"],  # posted
        ["--debug", "digest", "--post-to", "slack"],  # posted, with --debug
        ["digest", "--post-to", "ntfy", "--dry-run"],
        ["config", "show"],
        ["config", "show", "--json"],
        ["doctor"],
    ):
        proc = run(week, *args, **{env_var(k): url for k in KINDS})
        outputs += [proc.stdout, proc.stderr]
    hook.script = [Reply(500, {"Retry-After": "0"}, f"no /hooks/{TOKEN}".encode())] * 3
    failed = run(week, "--debug", "digest", "--post-to", "teams", HRTRUST_TEAMS_URL=url)
    assert failed.returncode == 1  # --debug lets the error out, as a traceback
    assert b"Traceback" in failed.stderr
    assert b"DeliveryError" in failed.stderr
    outputs += [failed.stdout, failed.stderr]
    hook.script = [Reply(404, body=url.encode())]
    refused = run(week, "digest", "--post-to", "google-chat", HRTRUST_GOOGLE_CHAT_URL=url)
    assert refused.returncode == 7 and len(refused.stderr.splitlines()) == 1
    outputs += [refused.stdout, refused.stderr]
    files = [p.read_bytes() for p in week.rglob("*") if p.is_file()]
    for secret in secrets_of(hook):  # no part of the URL, anywhere
        for blob in [*outputs, *files]:
            assert secret not in blob, secret


def test_a_url_is_never_stored_in_config_toml(cli: Cli, week: Path) -> None:
    result = cli("config", "set", "delivery.teams.url-env", f"https://example.com/{TOKEN}")
    assert result.exit_code == 2
    assert "takes the name of an environment variable, not the URL itself" in result.stderr
    assert TOKEN not in result.stdout + result.stderr
    result = cli("config", "set", "delivery.teams.url", f"https://example.com/{TOKEN}")
    assert result.exit_code == 2 and TOKEN not in result.stderr
    assert TOKEN not in (week / "config.toml").read_text(encoding="utf-8")
    with (week / "config.toml").open("a", encoding="utf-8") as fh:  # by hand: refused
        fh.write(f'\n[[delivery]]\nname = "chat"\nkind = "slack"\nurl = "https://x/{TOKEN}"\n')
    result = cli("digest", "--post-to", "chat", today=DIGEST_DAY)
    assert result.exit_code == 5
    assert "a delivery URL is never read from config.toml" in result.stderr
    assert TOKEN not in result.stderr


# -- config and usage ---------------------------------------------------------------------------


def test_config_set_adds_shows_and_removes_a_destination(cli: Cli, empty: Path) -> None:
    assert cli("config", "set", "delivery.Team-Chat.kind", "Teams").stdout == (
        "delivery.team-chat.kind = teams\n"
    )
    assert cli("config", "set", "delivery.team-chat.url_env", "HR_TEAMS").stdout == (
        "delivery.team-chat.url-env = HR_TEAMS\n"
    )
    shown = json.loads(cli("config", "show", "--json").stdout)
    assert shown["delivery"] == {"team-chat": {"kind": "teams", "url-env": "HR_TEAMS"}}
    assert "delivery.team-chat.url-env" in cli("config", "show").stdout
    toml = (empty / "config.toml").read_text(encoding="utf-8")
    assert '[[delivery]]\nname = "team-chat"\nkind = "teams"\nurl_env = "HR_TEAMS"' in toml
    bad = cli("config", "set", "delivery.team-chat.kind", "temas")
    assert bad.exit_code == 2 and "did you mean teams?" in bad.stderr
    assert cli("config", "set", "delivery.team-chat.kind", "none").exit_code == 0
    assert "delivery" not in json.loads(cli("config", "show", "--json").stdout)


@pytest.mark.parametrize(
    ("args", "env", "code", "message"),
    [
        (["--post-to", "teams", "--include-private"], {}, 2,
         "--include-private cannot go with --post-to"),
        (["--dry-run"], {}, 2, "--dry-run goes with --post-to"),
        (["--post-to", "teams", "--dry-run", "--format", "json"], {}, 2,
         "--dry-run only prints the payload"),
        (["--post-to", "temas"], {}, 2, "no destination 'temas' to post to"),
        (["--post-to", "teams"], {}, 2,
         "the environment variable HRTRUST_TEAMS_URL (the URL of delivery teams) is empty"),
        (["--post-to", "teams"], {"HRTRUST_TEAMS_URL": f"http://example.com/{TOKEN}"}, 2,
         "is http://: the digest and the URL's secret would cross the network in clear"),
        (["--post-to", "teams"], {"HRTRUST_TEAMS_URL": f"ftp://example.com/{TOKEN}"}, 2,
         "is not an https:// URL"),
        (["--post-to", "teams"], {"HRTRUST_TEAMS_URL": f"https://u:{TOKEN}@example.com/"}, 2,
         "has a user name or password before the host"),
        (["--post-to", "teams"], {"HRTRUST_TEAMS_URL": f"https://example.com/{TOKEN} x"}, 2,
         "holds a space, a control or a non-ASCII character"),
    ],
)  # fmt: skip
def test_bad_usage_says_why_and_never_the_url(
    cli: Cli, week: Path, args: list[str], env: dict[str, str], code: int, message: str
) -> None:
    result = cli("digest", *args, today=DIGEST_DAY, env={"HRTRUST_TEAMS_URL": "", **env})
    assert result.exit_code == code
    assert message in result.stderr
    assert result.stdout == ""
    assert TOKEN not in result.stderr


def test_loopback_may_use_http(hook: Hook) -> None:
    from hrtrust.interop.delivery import url_of
    from hrtrust.models import Delivery

    dest = Delivery(name="x", kind="webhook", url_env="U")
    for url in ("http://127.0.0.1:9/x", "http://[::1]:9/x", "http://localhost/x", hook.url):
        assert url_of(dest, {"U": url}) == url
    assert url_of(dest, {"U": " https://example.com/x\n"}) == "https://example.com/x"


def test_a_plain_digest_does_not_load_the_http_client(cli: Cli, demo: Path, tmp_path: Path) -> None:
    from test_imports import modules

    assert cli("digest").exit_code == 0
    seen = modules(demo, tmp_path, "digest")
    assert "hrtrust.present.digest" in seen
    assert sorted(seen & {"urllib.request", "http.client", "hrtrust.interop.delivery"}) == []
    assert os.environ.get("HRTRUST_HOME") == str(demo)
