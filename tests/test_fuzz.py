"""Fuzzing: whatever the loader or a parser is given, only hrtrust's own errors come out.

Arbitrary bytes and arbitrary valid-looking TOML (built from the real field names, then
mangled) go to the loader for every document class; arbitrary strings, and strings built from
the words people type, go to the date, time, duration, cadence, week and rule parsers. A
``HrtrustError`` (which the CLI turns into one line and an exit code) is fine; any other
exception would be a traceback for the user, and fails the test.

``HRTRUST_RELIABILITY=full`` runs 20 times as many examples.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import record
from hrtrust.domain import dates, recurrence
from hrtrust.errors import DataFileError, HrtrustError
from hrtrust.models import (
    ActivitiesFile,
    Config,
    ContactsFile,
    Document,
    FeedbackFile,
    LogFile,
    PromisesFile,
)
from hrtrust.storage.store import Store
from hrtrust.storage.toml_format import dumps, has_comments, parse_document

FULL = os.environ.get("HRTRUST_RELIABILITY") == "full"
EXAMPLES = 2000 if FULL else 100
TOML_EXAMPLES = 3000 if FULL else 80  # generating nested documents is the slow part
TODAY = dt.date(2026, 11, 23)
DOCS: list[type[Document]] = [
    Config,
    ContactsFile,
    ActivitiesFile,
    PromisesFile,
    FeedbackFile,
    LogFile,
]
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
COUNTS: dict[str, int] = {}
OTHER_ERRORS: list[str] = []  # exceptions that were not hrtrust's own (each also fails its test)


def count(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


def only_our_errors(call: Callable[[], Any]) -> None:
    """Run ``call``: it may return or raise an HrtrustError, nothing else."""
    try:
        call()
    except HrtrustError as exc:
        assert exc.message and "\n" not in exc.message, exc.message
    except Exception as exc:
        OTHER_ERRORS.append(type(exc).__name__)
        raise


# -- the loader --------------------------------------------------------------------------------

FIELDS = sorted(
    {name for cls in DOCS for name in cls.model_fields}
    | {
        "contact", "entry", "promise", "activity", "feedback", "pulse", "department", "kind",
        "id", "name", "date", "with", "notes", "learned", "text", "due", "made", "status",
        "direction", "person", "rule", "start", "until", "skip", "birthday", "hired", "tags",
        "every", "score", "dept", "deferrals", "from", "to", "on", "actions", "closed",
        "timezone", "week", "cadence", "smtp", "port", "host",
    }
)  # fmt: skip

scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.text(max_size=20),
    st.sampled_from(["c1", "p1", "a1", "2026-11-23.1", "open", "done", "owe", "12-03", "2w"]),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.booleans(),
    st.floats(allow_nan=True),
)
keys = st.one_of(st.sampled_from(FIELDS), st.text(min_size=1, max_size=8))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(keys, inner, max_size=5),
        st.lists(st.dictionaries(keys, inner, min_size=1, max_size=5), min_size=1, max_size=3),
    ),
    max_leaves=12,
)
documents = st.dictionaries(keys, values, max_size=8)


@st.composite
def toml_texts(draw: st.DrawFn) -> str:
    """Valid TOML from real field names, sometimes mangled by a cut, a splice or a swap."""
    text = tomli_w.dumps(draw(documents))
    how = draw(st.sampled_from(["as is", "cut", "splice", "swap"]))
    if how == "as is" or not text:
        return text
    i = draw(st.integers(0, len(text)))
    j = draw(st.integers(i, len(text)))
    if how == "cut":
        return text[:i] + text[j:]
    if how == "splice":
        return (
            text[:i]
            + draw(st.sampled_from(['"', "[", "]]", "=", "\n", "#", "'''", "\\"]))
            + text[i:]
        )
    return text[j:] + text[:i]


@settings(SETTINGS, max_examples=TOML_EXAMPLES)
@given(cls=st.sampled_from(DOCS), text=toml_texts())
def test_loader_takes_any_valid_looking_toml(cls: type[Document], text: str) -> None:
    count("loader: valid-looking TOML")

    def load() -> None:
        doc = parse_document(cls, text, "fuzz.toml")
        again = parse_document(cls, dumps(doc), "fuzz.toml")  # what we write, we can read
        assert dumps(again) == dumps(doc)

    only_our_errors(load)


@settings(SETTINGS, max_examples=EXAMPLES * 2)
@given(cls=st.sampled_from(DOCS), data=st.binary(max_size=300))
def test_loader_takes_any_bytes(cls: type[Document], data: bytes, tmp_path: Path) -> None:
    count("loader: arbitrary bytes")
    (tmp_path / "contacts.toml").write_bytes(data)
    store = Store(tmp_path)
    only_our_errors(lambda: store.read(cls, "contacts.toml"))


@SETTINGS
@given(text=st.text(max_size=200))
def test_loader_takes_any_text(text: str) -> None:
    count("loader: arbitrary text")
    for cls in DOCS:
        only_our_errors(lambda cls=cls: parse_document(cls, text, "fuzz.toml"))


def test_deeply_nested_toml_is_a_data_error() -> None:
    text = "x = " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(DataFileError) as info:
        parse_document(ContactsFile, text, "deep.toml")
    assert info.value.message == "deep.toml: nested too deeply to read"


@settings(SETTINGS, max_examples=TOML_EXAMPLES // 2)
@given(doc=documents)
def test_has_comments_is_false_for_anything_tomli_w_writes(doc: dict[str, Any]) -> None:
    """tomli_w never writes a comment, whatever `#` and quotes the strings hold."""
    count("has_comments")
    text = tomli_w.dumps(doc)
    assert tomllib.loads(text) is not None
    assert has_comments(text) is False
    assert has_comments(text + "# a comment\n") is True


# -- the parsers --------------------------------------------------------------------------------

WORDS = (
    "today tomorrow yesterday next last this in a ago days day weeks week months month years "
    "year mon tue wed thu fri sat sun monday friday thurs end of eow eom eoy dec december 3rd "
    "31 29 feb 2026 2027 9999 0001 + - 1 2 3 0 -1 999999999999 every on first second last day "
    "weekly daily monthly quarterly yearly biweekly fortnightly weekdays the 15th and , "
    "FREQ=WEEKLY FREQ=MONTHLY FREQ=DAILY FREQ=SECONDLY ;BYDAY=TH ;BYDAY=1TH ;BYDAY=-1FR "
    ";INTERVAL=2 ;INTERVAL=0 ;COUNT=3 ;UNTIL=20270101 ;BYMONTHDAY=31 ;BYSETPOS=-1 RRULE: "
    "DTSTART=20260101 ;BYHOUR=9 h m min hours minutes 1h30 90m 2h 09:30 9am 12:00pm 25:00 "
    "2026-W49 2026-W53 2026-W00 W 2026-12-01 2026-02-29 2028-02-29 +3d 2w 1m 1y 6w +1m"
).split()
typed = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map("".join),
)

PARSERS: dict[str, Callable[[str], Any]] = {
    "parse_date": lambda t: dates.parse_date(t, TODAY),
    "parse_time": dates.parse_time,
    "parse_duration": dates.parse_duration,
    "parse_cadence": lambda t: (
        dates.cadence_days(c := dates.parse_cadence(t)),
        dates.describe_cadence(c),
        TODAY + dates.cadence_delta(c),
    ),
    "parse_weekday": dates.parse_weekday,
    "parse_iso_week": dates.parse_iso_week,
    "rules": lambda t: (
        recurrence.describe_rule(r := recurrence.to_rrule(t)),
        recurrence.occurrences(
            r,
            start=TODAY,
            at="09:30",
            tz=dt.UTC,
            window_start=TODAY,
            window_end=TODAY + dt.timedelta(days=60),
        ),
        recurrence.next_occurrence(r, start=TODAY, at=None, tz=dt.UTC, after=TODAY),
    ),
}


@pytest.mark.parametrize("name", sorted(PARSERS))
@SETTINGS
@given(text=typed)
def test_parsers_raise_only_our_errors(name: str, text: str) -> None:
    count(f"parser: {name}")
    only_our_errors(lambda: PARSERS[name](text))


# -- the command line ---------------------------------------------------------------------------
#
# Whatever is typed, set in the environment or written into config.toml, `hrtrust` ends with
# an exit code from the README's table (never 1, "internal error") and, when it fails, no
# data file changed. Each example runs in its own copy of the demo home.

CLI_EXAMPLES = 1500 if FULL else 60
DOCUMENTED_EXITS = {0, 2, 3, 4, 5, 6, 7, 8, 9}
COMMAND_PATHS = [
    ["contact", "list"], ["contact", "show"], ["contact", "add"], ["contact", "edit"],
    ["contact", "remove"], ["activity", "list"], ["activity", "add"], ["activity", "edit"],
    ["activity", "skip"], ["log"], ["log", "list"], ["promise", "list"], ["promise", "add"],
    ["promise", "done"], ["promise", "defer"], ["overdue"], ["plan", "week"], ["digest"],
    ["brief"], ["report", "coverage"], ["report", "pulse"], ["report", "promises"],
    ["feedback", "add"], ["feedback", "list"], ["pulse", "add"], ["export", "json"],
    ["export", "csv"], ["export", "ics"], ["forget"], ["doctor"], ["init"],
]  # fmt: skip
CLI_WORDS = WORDS + (
    "maria c1 c2 a1 p1 f1 Sales Engineering --json --dept --tag --every --email --kind --rule "
    "--at --duration --with --note --learned --due --date --score --scale --week --next "
    "--format markdown html text json --include-private --yes --weeks --fix --today "
    "--include-private --dry-run ally manager 王小明 @x.com a@b.c \x1b[2J \r\n nan inf -1 "
    "0 99999999999999999999"
).split(" ")
# Never handed out: writing files where the fuzzer stands, or mailing.
UNSAFE = ("-o", "--output", "--mail-to", "--home")
cli_args = st.lists(
    st.one_of(st.sampled_from(CLI_WORDS), st.text(max_size=12)),
    max_size=6,
).map(lambda args: [a for a in args if not a.startswith(UNSAFE) and "\x00" not in a])


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from hrtrust.cli.app import app

    home = tmp_path_factory.mktemp("fuzz-template") / "home"
    result = CliRunner().invoke(
        app, ["--home", str(home), "--today", "2026-11-23", "init", "--demo"]
    )
    assert result.exit_code == 0, result.output
    return home


def _data(home: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(home)): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file() and p.name != ".lock" and ".cache" not in p.parts
    }


def _run_cli(
    template: Path,
    where: Path,
    args: list[str],
    env: dict[str, str] | None = None,
    config: str | None = None,
) -> None:
    """Run hrtrust on a fresh copy of ``template``; check the exit code and, on failure, that
    no data file changed."""
    import shutil

    from typer.testing import CliRunner

    from hrtrust.cli.app import app

    home = where / f"h{secrets_token()}"
    shutil.copytree(template, home)
    if config is not None:
        (home / "config.toml").write_text(config, encoding="utf-8")
    before = _data(home)
    full_env = {"HRTRUST_HOME": str(home), "NO_COLOR": "1", **(env or {})}
    result = CliRunner().invoke(app, ["--today", "2026-11-23", *args], env=full_env, input="")
    assert result.exit_code in DOCUMENTED_EXITS, (args, env, result.stderr, result.exception)
    assert "internal error" not in result.stderr, (args, env, result.stderr)
    if result.exit_code not in (0, 9):
        assert _data(home) == before, (args, env)
    shutil.rmtree(home, ignore_errors=True)


def secrets_token() -> str:
    import secrets

    return secrets.token_hex(4)


@settings(SETTINGS, max_examples=CLI_EXAMPLES)
@given(path=st.sampled_from(COMMAND_PATHS), args=cli_args)
def test_cli_takes_any_arguments(
    path: list[str],
    args: list[str],
    demo_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    count("command line: arguments")
    monkeypatch.chdir(tmp_path)
    _run_cli(demo_template, tmp_path, [*path, *args])


env_values = st.one_of(st.text(max_size=16), st.sampled_from(["", "/", "..", "-1", "UTC", "a/b"]))


@settings(SETTINGS, max_examples=CLI_EXAMPLES)
@given(
    path=st.sampled_from([["plan", "week"], ["contact", "list"], ["digest"], ["doctor"],
                          ["log", "check-in", "--with", "maria"]]),
    env=st.dictionaries(
        st.sampled_from(["TZ", "COLUMNS", "LANG", "LC_ALL", "NO_COLOR", "TERM",
                         "HRTRUST_SMTP_PASSWORD", "XDG_DATA_HOME"]),
        env_values.filter(lambda v: "\x00" not in v),
        max_size=4,
    ),
)  # fmt: skip
def test_cli_takes_any_environment(
    path: list[str],
    env: dict[str, str],
    demo_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    count("command line: environment")
    monkeypatch.chdir(tmp_path)
    _run_cli(demo_template, tmp_path, path, env=env)


config_values = st.one_of(
    st.text(max_size=12), st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(), st.booleans(), st.lists(st.text(max_size=6), max_size=3),
    st.sampled_from(["", "Mars/Olympus", "UTC", "../../etc/passwd", "2w", "0d", "-1w", "9999y"]),
)  # fmt: skip
CONFIG_KEYS = ["timezone", "week", "reach_out_per_week", "max_per_day", "cadence.ally",
               "cadence.default", "department.0.window", "department.0.name",
               "department.0.headcount", "smtp.port", "smtp.host"]  # fmt: skip


@settings(SETTINGS, max_examples=CLI_EXAMPLES)
@given(
    path=st.sampled_from([["plan", "week"], ["digest"], ["doctor"], ["report", "coverage"],
                          ["export", "ics"], ["contact", "add", "Zed"]]),
    changes=st.dictionaries(st.sampled_from(CONFIG_KEYS), config_values, min_size=1, max_size=3),
)  # fmt: skip
def test_cli_takes_any_config_values(
    path: list[str],
    changes: dict[str, Any],
    demo_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    count("command line: config values")
    monkeypatch.chdir(tmp_path)
    config = tomllib.loads((demo_template / "config.toml").read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        node: Any = config
        *parents, last = dotted.split(".")
        for part in parents:
            if isinstance(node, list):
                node = node[int(part)] if node else {}
            else:
                node = node.setdefault(part, {})
        if isinstance(node, dict):
            node[last] = value
    _run_cli(demo_template, tmp_path, path, config=tomli_w.dumps(config))


def test_zz_figures() -> None:
    """Runs last in this module: every fuzz target ran, and the figures are what was seen."""
    ran = {name.split(": ")[-1] for name in COUNTS}
    assert set(PARSERS) <= ran, sorted(set(PARSERS) - ran)
    assert all(n > 0 for n in COUNTS.values())
    cli = sum(v for k, v in COUNTS.items() if k.startswith("command line"))
    record(
        "fuzz",
        examples=sum(COUNTS.values()) - cli,
        cli_examples=cli,
        other_errors=len(OTHER_ERRORS),
    )
    assert OTHER_ERRORS == []
