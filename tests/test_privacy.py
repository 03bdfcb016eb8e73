"""Privacy: personal notes, learned facts and log notes never leave the data home unless asked.

Every person gets a sentinel in their notes and a learned fact, every log entry a sentinel note
and fact. Then every command found by walking the Typer command tree runs, in each of its output
forms (text, ``--json``, every ``--format``, ``--output FILE``), and no sentinel may appear on
stdout, stderr or in a written file. Only the three terminal views that exist to show them
(`contact show`, `brief`, `log list`, and the hooks of `plan week`, without --json: "your own
screen") may show them, and
``--include-private`` must bring them into the JSON and exports that document it.

A command added later is covered automatically; one whose arguments this test cannot supply is
skipped with the argument's name in the reason (listed by ``pytest -ra``).
"""

from __future__ import annotations

import enum
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing

from conftest import TODAY, Cli, record
from hrtrust.cli.app import app
from hrtrust.models import ContactsFile, Fact, LogFile, Topic
from hrtrust.present.common import plural
from hrtrust.storage.store import Store
from hrtrust.storage.toml_format import dumps

ROOT = Path(__file__).resolve().parents[1]
NOTE = "SENTINEL-NOTE-q7x"
FACT = "SENTINEL-FACT-q7x"
LOG = "SENTINEL-LOG-q7x"
MARK = "SENTINEL-"
HRTRUST = str(Path(sys.executable).parent / "hrtrust")

# Terminal views that show personal notes on purpose: a person's card, the pre-meeting brief,
# the log, and the plan's conversation hooks ("ask about: ..."). Their JSON does not.
PERSONAL_TEXT_VIEWS = {
    ("contact", "show"),
    ("brief",),
    ("log", "list"),
    ("log", "show"),
    ("topic", "list"),
}
# Commands expected to refuse on this home (and the exit code): their errors are checked too.
# (`key rotate` and `key export-public` need an encrypted home, `purge` a retention limit.)
EXPECTED_FAILURES = {
    ("init",): 2,
    ("import", "json"): 2,
    ("key", "export-public"): 2,
    ("key", "rotate"): 2,
    ("purge",): 2,
    ("dept", "remove"): 2,  # in use
    ("contact", "unarchive"): 2,  # not archived
}

# Values for required arguments and options, by parameter name (or command + name).
VALUES: dict[str, str] = {
    "name": "New Person",
    "ref": "maria",
    "activity ref": "a1",
    "title": "Ops sync",
    "date": "2026-12-01",
    "kind": "check-in",
    "entry_id": "2026-11-02.1",
    "text": "a new item",
    "due": "fri",
    "promise defer due": "+2w",
    "until": "+3m",
    "promise_id": "p1",
    "feedback_id": "f1",
    "feedback reopen feedback_id": "f4",
    "pulse_id": "s1",
    "dept": "Engineering",
    "dept name": "Engineering",  # dept remove: refused, it is in use
    "old": "Sales",
    "new": "Sales Team",
    "score": "4",
    "config set key": "country",
    "config set value": "TW",
    "import contacts file": str(ROOT / "examples" / "contacts.csv"),
    "import calendar file": str(ROOT / "tests" / "data" / "google.ics"),
    "topic_id": "t1",
}
# Options a command needs to do its job (not marked required: it would prompt or refuse).
EXTRA: dict[tuple[str, ...], list[str]] = {
    ("activity", "add"): ["--kind", "hr-ops-sync", "--rule", "weekly on tue"],
    ("log", "add"): ["--with", "maria"],
    ("promise", "add"): ["--to", "maria"],
    ("feedback", "add"): ["--from", "maria"],
    ("forget",): ["--yes"],
    ("pulse", "edit"): ["--score", "3.5"],
}


def walk(cmd: Any, path: tuple[str, ...], ctx: Any) -> Iterator[tuple[tuple[str, ...], Any]]:
    if hasattr(cmd, "list_commands"):
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            yield from walk(sub, (*path, name), sub.context_class(sub, parent=ctx, info_name=name))
    else:
        yield path, cmd


ROOT_COMMAND = typer.main.get_command(app)
COMMANDS = dict(walk(ROOT_COMMAND, (), ROOT_COMMAND.context_class(ROOT_COMMAND)))


def seed(home: Path) -> None:
    """Sentinels in every private field of every person and every log entry."""
    store = Store(home)
    contacts = store.contacts()
    for c in contacts.contact:
        c.notes = f"{NOTE} {c.id}"
        c.learned = [*c.learned, Fact(date=TODAY, text=f"{FACT} {c.id}")]
        c.topics = [Topic(id=f"t{c.id[1:]}", text=f"{FACT} to raise {c.id}", added=TODAY)]
    files = {"contacts.toml": dumps(contacts)}
    for rel in store.log_months():
        log = store.read(LogFile, rel)
        for e in log.entry:
            e.note = f"{LOG} {e.id}"
            e.learned = [*e.learned, f"{FACT} in {e.id}"]
        files[rel] = dumps(log)
    store.write_files(files)
    assert ContactsFile  # the seeded files still validate:
    assert all(c.notes for c in Store(home).contacts().contact)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("seeded") / "home"
    assert Cli()("--home", str(base), "init", "--demo").exit_code == 0
    seed(base)
    return base


def value_for(path: tuple[str, ...], name: str, export: Path) -> str | None:
    if path == ("import", "json") and name == "file":
        return str(export)
    for key in (f"{' '.join(path)} {name}", f"{path[0]} {name}", name):
        if key in VALUES:
            return VALUES[key]
    return None


def variants(path: tuple[str, ...], cmd: Any, out: Path) -> list[list[str]]:
    """The output forms of a command: as is, --json, every --format, --output FILE."""
    forms: list[list[str]] = [[]]
    for param in cmd.params:
        if param.param_type_name != "option":
            continue
        if "--json" in param.opts:
            forms.append(["--json"])
        if "--format" in param.opts:
            forms += [["--format", choice] for choice in choices(param)]
        if "--output" in param.opts:
            forms.append(["--output", str(out)])
        if "--mail-to" in param.opts:
            forms.append(["--mail-to", "me@example.org"])  # to a fake SMTP server, below
    return forms


def choices(param: Any) -> list[str]:
    """The values a choice option takes (Typer builds it from an Enum)."""
    kind = getattr(param, "type", None)
    if kind is not None and hasattr(kind, "choices"):
        return [str(c) for c in kind.choices]
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(m.value) for m in annotation]
    raise AssertionError(f"cannot list the choices of {param.opts}")


def build_args(path: tuple[str, ...], cmd: Any, export: Path) -> list[str] | str:
    """The command line, or the name of an argument this test cannot supply."""
    args: list[str] = []
    options: list[str] = []
    for param in cmd.params:
        if not param.required:
            continue
        value = value_for(path, param.name, export)
        if value is None:
            return param.name
        if param.param_type_name == "argument":
            args.append(value)
        else:
            options += [param.opts[0], value]
    return [*path, *args, *options, *EXTRA.get(path, [])]


def leaks(text: str) -> list[str]:
    return sorted({line.strip() for line in text.splitlines() if MARK in line})


@pytest.fixture(scope="module")
def export_file(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "export.json"
    result = Cli()("--home", str(seeded), "export", "json", "--output", str(path))
    assert result.exit_code == 0, result.output
    return path


RUNS: dict[str, int] = {"commands": 0, "outputs": 0}


class FakeSMTP:
    """Stands in for smtplib.SMTP: keeps what would have been sent."""

    sent: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def send_message(self, msg: Any) -> None:
        FakeSMTP.sent.append(msg.as_string())


SMTP_CONFIG = (
    '\n[smtp]\nhost = "localhost"\nport = 2525\nstarttls = false\nsender = "hr@example.org"\n'
)


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=[" ".join(p) for p in sorted(COMMANDS)])
def test_no_private_text_in_any_output(
    path: tuple[str, ...],
    seeded: Path,
    export_file: Path,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cmd = COMMANDS[path]
    line = build_args(path, cmd, export_file)
    if isinstance(line, str):
        pytest.skip(
            f"`hrtrust {' '.join(path)}` needs {line.upper()}, which this test cannot supply"
        )
    cli = Cli()
    RUNS["commands"] += 1
    for form in variants(path, cmd, tmp_path / "out.file"):
        if home.exists():
            shutil.rmtree(home)
        shutil.copytree(seeded, home)
        (tmp_path / "out.file").unlink(missing_ok=True)
        FakeSMTP.sent = []
        if "--mail-to" in form:
            with (home / "config.toml").open("a", encoding="utf-8") as fh:
                fh.write(SMTP_CONFIG)
            import smtplib

            monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
        result = cli(*line, *form)
        if "--mail-to" in form:
            assert len(FakeSMTP.sent) == 1 and "this week" in FakeSMTP.sent[0].lower()
            assert leaks(FakeSMTP.sent[0]) == []
        RUNS["outputs"] += 1
        expected = EXPECTED_FAILURES.get(path, 0)
        assert result.exit_code == expected, (line, form, result.output)
        written = (
            (tmp_path / "out.file").read_text(encoding="utf-8", errors="replace")
            if (tmp_path / "out.file").exists()
            else ""
        )
        assert leaks(result.stderr) == [], (line, form)
        assert leaks(written) == [], (line, form)
        if path in PERSONAL_TEXT_VIEWS and "--json" not in form:
            continue
        assert leaks(result.stdout) == [], (line, form)


def test_personal_terminal_views_do_show_them(cli: Cli, seeded: Path, home: Path) -> None:
    """The exceptions above are real: these views exist to show the notes."""
    shutil.copytree(seeded, home)
    assert NOTE in cli("contact", "show", "maria").stdout
    assert FACT in cli("brief", "maria").stdout
    assert LOG in cli("log", "list").stdout
    # plan week shows "ask about" hooks on a terminal; piped (CliRunner) only when asked
    assert FACT not in cli("plan", "week").stdout
    assert f"ask about: {FACT}" in cli("plan", "week", "--include-private").stdout


@pytest.mark.parametrize(
    ("args", "present"),
    [
        (("contact", "show", "maria", "--json", "--include-private"), [NOTE, FACT]),
        (("log", "list", "--json", "--include-private"), [LOG, FACT]),
        (("brief", "maria", "--json", "--include-private"), [NOTE, FACT, LOG]),
        (("export", "json", "--include-private"), [NOTE, FACT, LOG]),
        (("export", "csv", "--include-private"), [NOTE]),
        (("digest", "--include-private"), [NOTE, FACT, LOG]),
        (("digest", "--format", "json", "--include-private"), [NOTE, FACT, LOG]),
        (("plan", "week", "--json", "--include-private"), [FACT]),  # the hooks
        (("export", "ics", "--include-private"), [FACT]),  # the hooks, in the to-dos
    ],
)
def test_include_private_brings_them_in(
    cli: Cli, seeded: Path, home: Path, args: tuple[str, ...], present: list[str]
) -> None:
    shutil.copytree(seeded, home)
    result = cli(*args)
    assert result.exit_code == 0, result.output
    for sentinel in present:
        assert sentinel in result.stdout, (args, sentinel)


@pytest.mark.parametrize(
    "bad",
    [
        f'notes = ["{NOTE}"]',  # wrong type
        f'learned = "{FACT}"',  # wrong type
        f'birthday = "{NOTE}"',  # a validator's message
        f'notes = "{NOTE}',  # a TOML syntax error on the private line
        f"notes = {NOTE}",  # a bare word
    ],
)
def test_error_messages_do_not_quote_private_text(cli: Cli, empty: Path, bad: str) -> None:
    (empty / "contacts.toml").write_text(
        f'schema_version = 1\nnext_id = 2\n\n[[contact]]\nid = "c1"\nname = "Ann"\n{bad}\n',
        encoding="utf-8",
    )
    for args in (("contact", "list"), ("contact", "show", "ann"), ("plan", "week")):
        result = cli(*args)
        assert result.exit_code == 5, (bad, result.output)
        assert result.stderr.startswith(f"hrtrust: error: {empty / 'contacts.toml'}:7")
        assert leaks(result.stderr + result.stdout) == [], bad


def test_an_internal_error_does_not_echo_data(
    cli: Cli, seeded: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(seeded, home)
    import hrtrust.cli.plan

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"something about {NOTE}")

    monkeypatch.setattr(hrtrust.cli.plan, "plan_week", boom)
    result = cli("plan", "week")
    assert result.exit_code == 1
    assert result.stderr == (
        "hrtrust: internal error (ValueError); rerun with --debug for the traceback\n"
    )


def test_cron_mode_digest_in_a_real_process(seeded: Path, home: Path, tmp_path: Path) -> None:
    """The way cron runs it: no terminal, output piped or to a file."""
    shutil.copytree(seeded, home)
    env = {**os.environ, "HRTRUST_HOME": str(home)}
    env.pop("NO_COLOR", None)
    outputs = []
    for args in (
        ["digest"],
        ["digest", "--format", "html"],
        ["digest", "--output", str(tmp_path / "digest.txt")],
        ["export", "ics"],
        ["overdue"],
    ):
        run = subprocess.run(
            [HRTRUST, "--today", TODAY.isoformat(), *args],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        outputs.append(run.stdout + run.stderr)
    outputs.append((tmp_path / "digest.txt").read_text(encoding="utf-8"))
    assert len(outputs[0]) > 500  # a real digest was written
    assert [leaks(o) for o in outputs] == [[]] * len(outputs)


def test_zz_every_registered_command_was_walked() -> None:
    """Runs last in this module: the walk found the whole command surface."""
    names = {" ".join(p) for p in COMMANDS}
    for must in ("plan week", "overdue", "digest", "export ics", "report coverage", "doctor"):
        assert must in names
    skipped = sorted(
        " ".join(p) for p in COMMANDS if isinstance(build_args(p, COMMANDS[p], Path("x")), str)
    )
    record(
        "privacy",
        commands=len(COMMANDS),
        outputs=RUNS["outputs"],
        leaks=0,
        skipped=skipped,
        sentinels=3,
    )


# -- forget ---------------------------------------------------------------------------------


def every_file_text(home: Path) -> dict[str, str]:
    return {
        str(p.relative_to(home)): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(home.rglob("*"))
        if p.is_file()
    }


def test_forget_erases_a_person_from_every_file_and_counts(
    cli: Cli, seeded: Path, home: Path
) -> None:
    shutil.copytree(seeded, home)
    assert cli("plan", "week").exit_code == 0  # the derived cache now knows Maria too
    assert any(cache_mentions_c1(home))
    store = Store(home)
    entries = list(store.iter_log())
    alone = sum(1 for e in entries if e.with_ == ["c1"])
    shared = sum(1 for e in entries if "c1" in e.with_ and e.with_ != ["c1"])
    promises = sum(1 for p in store.promises().promise if p.person == "c1")
    activities = sum(1 for a in store.activities().activity if "c1" in a.with_)
    feedback = sum(1 for f in store.feedback().feedback if f.person == "c1")
    assert alone and shared and promises and activities  # Maria is everywhere in the demo

    result = cli("forget", "maria", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Forgot Maria Chen (c1): contact removed; {plural(alone, 'log entry', 'log entries')} "
        f"deleted, {shared} edited; {plural(promises, 'promise')}, "
        f"{plural(feedback, 'feedback item')} deleted; removed from "
        f"{plural(activities, 'activity', 'activities')}.\n"
        "Replaced their name with [forgotten] in: contact c2 (manager); contact c4 (manager); "
        "contact c6 (manager); feedback f2 (action).\n"
    )
    for rel, text in every_file_text(home).items():
        for trace in ('"c1"', f'{NOTE} c1"', f'{FACT} c1"'):
            assert trace not in text, (rel, trace)
    assert not any(cache_mentions_c1(home))
    assert cli("doctor").exit_code == 0  # nothing left pointing at her


def cache_mentions_c1(home: Path) -> list[str]:
    """Cache files holding the id "c1" (as JSON text or as a marshal string)."""
    marshalled = re.compile(rb'"c1"|[\x5a\x7a\xda\xfa]\x02c1')
    folder = home / ".cache"
    files = sorted(folder.iterdir()) if folder.is_dir() else []
    return [p.name for p in files if marshalled.search(p.read_bytes())]


def test_forget_leaves_no_mention_of_the_name(cli: Cli, seeded: Path, home: Path) -> None:
    shutil.copytree(seeded, home)
    assert cli("forget", "maria", "--yes").exit_code == 0
    assert [rel for rel, text in every_file_text(home).items() if "Maria Chen" in text] == []


def test_forget_keeps_no_backup_and_removes_backups_that_mention_them(
    cli: Cli, seeded: Path, home: Path
) -> None:
    """A commented contacts file gets a .bak on rewrite; forgetting someone must not."""
    shutil.copytree(seeded, home)
    contacts = home / "contacts.toml"
    contacts.write_text("# by hand\n" + contacts.read_text(encoding="utf-8"), "utf-8")
    assert cli("contact", "edit", "c2", "--role", "Lead").exit_code == 0
    assert (home / "contacts.toml.bak").exists()  # the comments were saved, Maria with them
    contacts.write_text("# again\n" + contacts.read_text(encoding="utf-8"), "utf-8")
    result = cli("forget", "maria", "--yes")
    assert result.exit_code == 0
    assert result.stderr.endswith("no backup was kept, because forget erases\n")
    assert not (home / "contacts.toml.bak").exists()
    for rel, text in every_file_text(home).items():
        assert f'{NOTE} c1"' not in text, rel
