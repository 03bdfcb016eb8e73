"""Hand edits: a file with comments, unknown keys and odd formatting goes through every command
that rewrites it. Unknown keys survive. Comments cannot (files are regenerated from the data),
so the file as it was is kept in ``NAME.bak`` (0600) and a one-line warning names it.
"""

from __future__ import annotations

import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, raw_toml, record
from hrtrust.storage.toml_format import has_comments

ROOT = Path(__file__).resolve().parents[1]

# An age public key to hand departments over to (`handover` only seals to it).
HANDOVER_TO = "age1ng4kmkpz4hsah8wy9at8sfxkdat99rfn0qzmthtf9stuecc6ngrqkjke8k"

# file: the commands (on the demo data) that rewrite it
REWRITERS: dict[str, list[tuple[str, ...]]] = {
    "contacts.toml": [
        ("contact", "add", "New Person", "--dept", "Sales"),
        ("contact", "edit", "maria", "--role", "Plant director", "--tag", "mentor"),
        ("contact", "remove", "c24"),
        ("contact", "pause", "maria", "--until", "+3m", "--reason", "parental leave"),
        ("contact", "archive", "c24"),
        ("contact", "unarchive", "c24"),
        ("forget", "c24", "--yes"),
        ("log", "coffee-chat", "--with", "maria", "--learned", "training for a marathon"),
        ("import", "contacts", str(ROOT / "examples" / "contacts.csv")),
        ("import", "contacts", str(ROOT / "examples" / "contacts.csv"), "--full"),
        ("topic", "add", "maria", "the Q1 reorg"),
        ("topic", "done", "t1"),
        ("topic", "remove", "t1"),
        ("log", "coffee-chat", "--with", "david", "--covered", "t1"),
        ("key", "init"),
        ("key", "rotate"),
        ("purge", "--yes"),
        ("handover", "Sales", "--to", HANDOVER_TO, "--output", "{tmp}/sales.age", "--archive"),
        ("import", "handover", "{tmp}/sales.age"),
    ],
    "activities.toml": [
        ("activity", "add", "Ops sync", "--kind", "hr-ops-sync", "--rule", "every 2 weeks on thu"),
        ("activity", "edit", "a1", "--title", "Engineering staff meeting"),
        ("activity", "skip", "a1", "2026-12-01"),
        ("activity", "remove", "a6"),
    ],
    "promises.toml": [
        ("promise", "add", "send the deck", "--to", "maria", "--due", "fri"),
        ("promise", "done", "p1"),
        ("promise", "defer", "p10", "--due", "+1w", "--reason", "waiting on legal"),
        ("promise", "cancel", "p4", "--reason", "no longer needed"),
        ("log", "check-in", "--with", "maria", "--promise", "call back", "--due", "fri"),
        ("handover", "Engineering", "--to", HANDOVER_TO, "--output", "{tmp}/e.age", "--archive"),
    ],
    "feedback.toml": [
        ("feedback", "add", "parking is full by 9", "--from", "maria"),
        ("feedback", "act", "f1", "asked facilities for more spaces"),
        ("feedback", "close", "f1"),
        ("pulse", "add", "--dept", "Engineering", "--score", "4.1"),
        ("feedback", "reopen", "f4"),
        ("pulse", "edit", "s1", "--score", "3.5"),
        ("pulse", "remove", "s2"),
    ],
    "config.toml": [
        ("dept", "add", "Legal", "--internal"),
        ("dept", "rename", "Sales", "Sales Team"),
        ("dept", "remove", "Old Plant"),
        ("config", "set", "country", "JP"),
        ("config", "set", "cadence.manager", "4w"),
    ],
    "log/2026-11.toml": [
        ("log", "check-in", "--with", "maria", "--note", "quick hello"),
        ("log", "edit", "2026-11-02.1", "--note", "corrected note"),
        ("log", "delete", "2026-11-02.1"),
        ("import", "calendar", str(ROOT / "tests" / "data" / "apple-demo.ics")),
    ],
}


def handover_pack(cli: Cli, home: Path) -> None:
    """A pack of Sales sealed to this home's own new key, for `import handover` to merge back
    (its people match by e-mail: each gains the handover record)."""
    assert cli("key", "init").exit_code == 0
    key = cli("key", "export-public").stdout.strip()
    pack = str(home.parent / "sales.age")
    assert cli("handover", "Sales", "--to", key, "--output", pack).exit_code == 0


# What a command needs done first (before the file is edited by hand).
PREPARE: dict[tuple[str, str], tuple[str, ...] | Callable[[Cli, Path], None]] = {
    ("contact", "unarchive"): ("contact", "archive", "c24"),
    ("dept", "remove"): ("dept", "add", "Old Plant"),
    ("key", "rotate"): ("key", "init"),
    ("import", "handover"): handover_pack,
}


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("base") / "demo"
    result = Cli()("--home", str(base), "init", "--demo")
    assert result.exit_code == 0, result.output
    return base


def hand_edit(text: str) -> str:
    """Comments, an unknown key at the top and in every record, odd spacing and quoting."""
    first, _, rest = text.partition("\n")
    out = ["# Edited by hand; this comment matters to me", first]
    out.append("hand_note   =   'kept'   # an inline comment")
    for line in rest.splitlines():
        if line.startswith("id = "):
            line = "id=" + line.removeprefix("id = ") + "    # odd spacing"
        out.append(line)
        if line.startswith("[["):
            out.append("x_custom = 'kept \"#\" not a comment'")
    return "\n".join(out) + "\n\n\n"


def records(data: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every table inside an array of tables, named by its path (``contact[c3].learned[0]``)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                for i, item in enumerate(value):
                    label = f"{path}{key}[{item.get('id', i)}]"
                    yield label, item
                    yield from records(item, label + ".")


def test_hand_edit_helper_makes_valid_commented_toml(demo_copy: Path) -> None:
    text = hand_edit((demo_copy / "contacts.toml").read_text(encoding="utf-8"))
    assert has_comments(text)
    data = raw_toml_text(text)
    assert data["hand_note"] == "kept"
    assert all(r["x_custom"] == 'kept "#" not a comment' for _, r in records(data))


def raw_toml_text(text: str) -> dict[str, Any]:
    import tomllib

    return tomllib.loads(text)


CASES = [(rel, args) for rel, commands in REWRITERS.items() for args in commands]

# What a command needs first (done before the hand edit), and why an erasing command keeps
# no backup of a file whose old text it means to be gone.
ERASING = {
    "forget": "forget erases",
    "purge": "purge erases",
    "key init": "the notes in it are now encrypted",
    "key rotate": "it was encrypted to the old key",
}


@pytest.mark.parametrize(("rel", "args"), CASES, ids=[f"{r}:{' '.join(a[:2])}" for r, a in CASES])
def test_rewrite_keeps_unknown_keys_and_backs_up_comments(
    cli: Cli, demo_copy: Path, home: Path, rel: str, args: tuple[str, ...]
) -> None:
    shutil.copytree(demo_copy, home)
    args = tuple(a.replace("{tmp}", str(home.parent)) for a in args)  # beside the home
    step = PREPARE.get((args[0], args[1]))
    if callable(step):
        step(cli, home)
    elif step is not None:
        assert cli(*step).exit_code == 0
    if args[0] == "purge":
        config = home / "config.toml"
        config.write_text('retention = "1m"\n' + config.read_text(encoding="utf-8"), "utf-8")
    path = home / rel
    edited = hand_edit(path.read_text(encoding="utf-8"))
    path.write_text(edited, encoding="utf-8")
    old = dict(records(raw_toml_text(edited)))

    result = cli(*args)
    assert result.exit_code == 0, result.output
    backup = path.with_name(path.name + ".bak")
    why = ERASING.get(args[0]) or ERASING.get(" ".join(args[:2]))
    if why:  # erasure keeps no backup, but says the comments went
        assert result.stderr == (
            f"hrtrust: warning: {path} had comments, which hrtrust cannot keep when it "
            f"rewrites a file; no backup was kept, because {why}\n"
        )
        assert not backup.exists()
        return
    assert result.stderr == (
        f"hrtrust: warning: {path} had comments, which hrtrust cannot keep when it rewrites a "
        f"file; the file as it was is saved in {backup}\n"
    )
    assert backup.read_text(encoding="utf-8") == edited
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600

    new_data = raw_toml(path)
    new = dict(records(new_data))
    kept = [label for label in old if label in new]
    lost = [label for label in kept if new[label].get("x_custom") != 'kept "#" not a comment']
    record(
        "hand-edits",
        command=" ".join(args[:2]),
        file=rel,
        keys_checked=len(kept) + 1,
        keys_lost=len(lost) + (new_data.get("hand_note") != "kept"),
        backed_up=backup.read_text(encoding="utf-8") == edited,
    )
    assert new_data["hand_note"] == "kept"
    assert len(kept) >= len(old) - 3  # the command removed at most a record or two
    assert lost == []
    assert not has_comments(path.read_text(encoding="utf-8"))

    # The next rewrite has no comments to lose: no warning, and the backup stays as it was.
    again = cli("contact", "add", "Another Person") if rel == "contacts.toml" else None
    if again is not None:
        assert again.exit_code == 0
        assert again.stderr == ""
        assert backup.read_text(encoding="utf-8") == edited


def test_no_comments_no_backup_no_warning(cli: Cli, demo: Path) -> None:
    result = cli("contact", "edit", "maria", "--role", "Director")
    assert (result.exit_code, result.stderr) == (0, "")
    assert not (demo / "contacts.toml.bak").exists()


def test_reading_a_commented_file_writes_nothing(cli: Cli, demo: Path) -> None:
    path = demo / "contacts.toml"
    text = "# mine\n" + path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    for args in (("contact", "list"), ("plan", "week"), ("contact", "show", "maria")):
        result = cli(*args)
        assert (result.exit_code, result.stderr) == (0, "")
    assert path.read_text(encoding="utf-8") == text
    assert not (demo / "contacts.toml.bak").exists()


# Commands that never rewrite a data file (they read, or write only outside the home), and
# the two that write only into a new or empty home, where no hand edit can be.
READ_ONLY = {
    "activity kinds", "activity list", "activity show", "brief", "contact list", "contact show",
    "dept list",
    "digest", "doctor", "export csv", "export ics", "export json", "feedback list",
    "log list", "log show", "pulse list", "backup", "overdue", "plan week", "promise list",
    "report balance", "report coverage", "report feedback", "report promises", "report pulse",
    "report health",
    "init", "import json", "config show", "topic list", "key export-public",
}  # fmt: skip


def test_every_rewriting_command_is_covered() -> None:
    """A new command that rewrites a data file must join REWRITERS (or READ_ONLY, if it
    does not write): the hand-edit guarantee then covers it too."""
    from test_docs import leaf_commands

    covered = {
        "log add" if args[0] == "log" and args[1] not in ("edit", "delete", "list") else
        " ".join(args[:1] if args[0] in ("forget", "purge", "handover") else args[:2])
        for commands in REWRITERS.values()
        for args in commands
    }  # fmt: skip
    assert sorted(leaf_commands() - covered - READ_ONLY) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a = 1 # note\n", True),
        ("# top\na = 1\n", True),
        ('a = "# not a comment"\n', False),
        ("a = '# literal, not a comment'\n", False),
        ('a = """\n# inside a multi-line string\n"""\n', False),
        ("a = '''\n# inside a literal block\n'''\n", False),
        ('a = "escaped \\" # still inside"\n', False),
        ('a = "x" # after a string\n', True),
        ('a = """two quotes at the end""""\nb = 1 # yes\n', True),
        ('"key # odd" = 1\n', False),
        ("[[contact]]\nid = 'c1'\n", False),
    ],
)
def test_has_comments(text: str, expected: bool) -> None:
    assert has_comments(text) is expected
