"""Encryption at rest: private fields sealed with age to a public key; the identity outside the
home; cron and the everyday commands never need it."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import TODAY, raw_toml

HRTRUST = Path(sys.executable).parent / "hrtrust"
ARMOR = "-----BEGIN AGE ENCRYPTED FILE-----"
NOTE = "SENTINEL-NOTE-k3"
FACT = "SENTINEL-FACT-k3"
LOG = "SENTINEL-LOG-k3"
LOGFACT = "SENTINEL-LOGFACT-k3"
FEEDBACK = "SENTINEL-FEEDBACK-k3"
TOPIC = "SENTINEL-TOPIC-k3"
PAUSED = "SENTINEL-PAUSED-k3"
LATER = "SENTINEL-LATER-k3"
SENTINEL = b"SENTINEL-"


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)


def identity(tmp_path: Path) -> Path:
    return tmp_path / "keys" / "identity.txt"  # what conftest puts in $HRTRUST_IDENTITY


def leaked(home: Path) -> list[str]:
    """Every file under the home (caches, backups, the journal included) holding a sentinel."""
    return sorted(
        str(p.relative_to(home))
        for p in home.rglob("*")
        if p.is_file() and SENTINEL in p.read_bytes()
    )


@pytest.fixture
def secrets(cli: Any, demo: Path) -> Path:
    """The demo home with a sentinel in every kind of private field, a backup of a hand-edited
    file and the caches, all in clear."""
    ok(cli("contact", "edit", "maria", "--note", NOTE))
    ok(cli("log", "coffee-chat", "--with", "maria", "--note", LOG, "--learned", FACT))
    ok(cli("log", "check-in", "--with", "david", "--learned", LOGFACT))
    ok(cli("feedback", "add", FEEDBACK, "--from", "maria", "--private"))
    ok(cli("topic", "add", "maria", TOPIC))
    ok(cli("contact", "pause", "kevin", "--until", "2027-03-01", "--reason", PAUSED))
    contacts = demo / "contacts.toml"
    contacts.write_text("# a hand comment\n" + contacts.read_text(encoding="utf-8"), "utf-8")
    ok(cli("contact", "edit", "david", "--role", "VP"))  # keeps contacts.toml.bak, in clear
    ok(cli("contact", "list"))
    assert "contacts.toml.bak" in leaked(demo)
    return demo


def test_key_init_leaves_no_sentinel_in_any_byte_of_the_home(
    cli: Any, secrets: Path, tmp_path: Path
) -> None:
    result = cli("key", "init")
    out = ok(result)
    recipient = raw_toml(secrets / "config.toml")["encryption"]["recipient"]
    assert out.splitlines()[0] == f"Created identity at {identity(tmp_path)}."
    assert out.splitlines()[1].startswith("Encrypted ") and f"to {recipient}." in out
    assert f"Removed {secrets / 'contacts.toml.bak'} (it held notes in clear)." in out
    assert result.stderr == ""
    assert leaked(secrets) == []
    assert all(b"AGE-SECRET-KEY" not in p.read_bytes() for p in secrets.rglob("*") if p.is_file())
    # The identity: outside the home, 0600, its folder 0700; config.toml holds the public key.
    key = identity(tmp_path)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert f"# public key: {recipient}" in key.read_text()
    assert recipient.startswith("age1")
    # One armored string per field: the TOML stays TOML, a field a line.
    maria = raw_toml(secrets / "contacts.toml")["contact"][0]
    assert maria["notes"].startswith(ARMOR) and maria["notes"].rstrip().endswith("-----")
    assert maria["topics"] and all(t["text"].startswith(ARMOR) for t in maria["topics"])
    assert [line for line in (secrets / "contacts.toml").read_text().splitlines() if ARMOR in line]
    # New writes are sealed too, with the public key only.
    os.unlink(key)
    ok(cli("log", "coffee-chat", "--with", "maria", "--note", LATER, "--learned", LATER, "--again"))
    ok(cli("contact", "edit", "david", "--note", LATER))
    ok(cli("topic", "add", "david", LATER))
    ok(cli("feedback", "add", LATER, "--dept", "Engineering", "--private"))
    assert leaked(secrets) == []
    feedback = raw_toml(secrets / "feedback.toml")["feedback"]
    assert feedback[-1]["text"].startswith(ARMOR) and feedback[-1]["private"] is True
    # Feedback not marked private stays readable.
    assert not any(f["text"].startswith(ARMOR) for f in feedback if not f.get("private"))


def test_reading_opens_with_the_identity_and_says_locked_without_it(
    cli: Any, secrets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("key", "init"))
    result = cli("brief", "maria")
    assert result.exit_code == 0 and result.stderr == ""
    assert NOTE in result.stdout and FACT in result.stdout and LOG[:20] in result.stdout
    data = ok(cli("contact", "show", "maria", "--json", "--include-private"))
    assert NOTE in data and FACT in data
    assert PAUSED in ok(cli("contact", "show", "kevin"))
    assert FEEDBACK in ok(cli("feedback", "list"))
    assert LOG in ok(cli("export", "json", "--include-private"))

    missing = tmp_path / "nowhere" / "identity.txt"
    monkeypatch.setenv("HRTRUST_IDENTITY", str(missing))
    for args in (
        ("brief", "maria"),
        ("contact", "show", "maria"),
        ("contact", "show", "kevin"),
        ("log", "list", "--with", "maria"),
        ("export", "json", "--include-private"),
        ("feedback", "list"),
    ):
        result = cli(*args)
        assert result.exit_code == 0, args
        assert result.stderr == f"hrtrust: warning: notes are locked (no identity at {missing})\n"
        assert "SENTINEL" not in result.stdout, args
        assert "(locked)" in result.stdout, args
    # Without --include-private nothing needs opening: no warning at all.
    result = cli("contact", "show", "maria", "--json")
    assert result.exit_code == 0 and result.stderr == ""


def test_passphrase_protected_identity(
    cli: Any, secrets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HRTRUST_PASSPHRASE", "correct horse")
    out = ok(cli("key", "init", "--passphrase"))
    key = identity(tmp_path)
    assert out.splitlines()[0] == f"Created identity at {key} (passphrase-protected)."
    assert key.read_text().startswith(ARMOR)  # the secret key itself is sealed
    assert NOTE in ok(cli("brief", "maria"))

    monkeypatch.setenv("HRTRUST_PASSPHRASE", "wrong horse")
    result = cli("brief", "maria")
    assert result.exit_code == 10
    assert result.stdout == ""
    assert result.stderr == f"hrtrust: error: wrong passphrase for the identity at {key}\n"

    monkeypatch.delenv("HRTRUST_PASSPHRASE")  # and no terminal to ask on
    result = cli("brief", "maria")
    assert result.exit_code == 0
    assert result.stderr == (
        f"hrtrust: warning: notes are locked (the identity at {key} is protected by a "
        "passphrase: run on a terminal or set $HRTRUST_PASSPHRASE)\n"
    )


def test_missing_identity_is_one_line_where_it_is_needed(
    cli: Any, secrets: Path, tmp_path: Path
) -> None:
    ok(cli("key", "init"))
    os.unlink(identity(tmp_path))
    result = cli("key", "rotate")
    assert result.exit_code == 10
    assert result.stderr == f"hrtrust: error: no identity at {identity(tmp_path)}\n"


def test_key_init_refuses_an_encrypted_home(cli: Any, secrets: Path) -> None:
    ok(cli("key", "init"))
    before = (secrets / "config.toml").read_bytes()
    recipient = raw_toml(secrets / "config.toml")["encryption"]["recipient"]
    result = cli("key", "init")
    assert result.exit_code == 2
    assert result.stderr == (
        f"hrtrust: error: this data home is already encrypted (to {recipient})\n"
        "hint: `hrtrust key rotate` replaces the key\n"
    )
    assert (secrets / "config.toml").read_bytes() == before


def test_key_init_reuses_an_existing_identity(cli: Any, secrets: Path, tmp_path: Path) -> None:
    ok(cli("key", "init"))
    first = raw_toml(secrets / "config.toml")["encryption"]["recipient"]
    other = tmp_path / "other"
    ok(cli("--home", str(other), "init"))
    out = ok(cli("--home", str(other), "key", "init"))
    assert out.splitlines()[0] == f"Using the existing identity at {identity(tmp_path)}."
    assert raw_toml(other / "config.toml")["encryption"]["recipient"] == first


def test_rotate_and_export_public(cli: Any, secrets: Path, tmp_path: Path) -> None:
    result = cli("key", "export-public")
    assert result.exit_code == 2
    assert result.stderr.startswith("hrtrust: error: this data home is not encrypted\n")
    ok(cli("key", "init"))
    old = raw_toml(secrets / "config.toml")["encryption"]["recipient"]
    assert ok(cli("key", "export-public")) == f"{old}\n"
    saved = tmp_path / "old-identity.txt"
    saved.write_bytes(identity(tmp_path).read_bytes())
    out = ok(cli("key", "rotate"))
    new = raw_toml(secrets / "config.toml")["encryption"]["recipient"]
    assert new != old and new.startswith("age1")
    retired = identity(tmp_path).with_name(f"identity.txt.retired-{old[4:16]}")
    assert out == (
        f"New identity at {identity(tmp_path)}.\n"
        f"Re-encrypted {out.split()[5]} private fields to {new}.\n"
        f"The old key is kept at {retired}: backups made before now, and other homes that "
        "share this identity, need it. Delete it when nothing does.\n"
    )
    assert retired.read_bytes() == saved.read_bytes()  # kept aside, not used to read
    assert ok(cli("key", "export-public")) == f"{new}\n"
    assert not identity(tmp_path).with_name("identity.txt.new").exists()
    assert leaked(secrets) == []
    assert NOTE in ok(cli("brief", "maria"))
    # The old key opens nothing any more.
    result = cli("brief", "maria", env={"HRTRUST_IDENTITY": str(saved)})
    assert result.exit_code == 10
    assert result.stderr == (
        f"hrtrust: error: the identity at {saved} does not open this home's notes "
        "(it is not the key they were sealed to)\n"
    )


def test_doctor_reports_and_seals_clear_text_in_an_encrypted_home(
    cli: Any, secrets: Path, tmp_path: Path
) -> None:
    ok(cli("key", "init"))
    os.unlink(identity(tmp_path))  # --fix needs the public key only
    path = secrets / "contacts.toml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("notes = "))
    lines[at] = f'notes = "{NOTE} by hand"\n'
    path.write_text("".join(lines), encoding="utf-8")
    result = cli("doctor")
    assert result.exit_code == 9
    assert (
        "problem: contacts.toml: 1 private field is stored in clear text in an encrypted home "
        "[--fix: encrypt (needs only the public key)]"
    ) in result.stdout.splitlines()
    out = ok(cli("doctor", "--fix"))
    assert "Fixed: encrypted 1 private field left in clear" in out.splitlines()
    assert leaked(secrets) == []


def test_log_show_opens_the_entry_or_says_locked(
    cli: Any, secrets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("key", "init"))
    rows = json.loads(ok(cli("log", "list", "--with", "maria", "--json", "--include-private")))
    entry_id = next(r["id"] for r in rows if r.get("note") == LOG)
    result = cli("log", "show", entry_id)
    assert result.exit_code == 0 and result.stderr == ""
    assert LOG in result.stdout and FACT in result.stdout
    shown = json.loads(ok(cli("log", "show", entry_id, "--json", "--include-private")))
    assert (shown["note"], shown["learned"]) == (LOG, [FACT])

    missing = tmp_path / "nowhere" / "identity.txt"
    monkeypatch.setenv("HRTRUST_IDENTITY", str(missing))
    result = cli("log", "show", entry_id)
    assert result.exit_code == 0
    assert result.stderr == f"hrtrust: warning: notes are locked (no identity at {missing})\n"
    assert "SENTINEL" not in result.stdout and "(locked)" in result.stdout
    result = cli("log", "show", entry_id, "--json")  # nothing private shown: nothing to open
    assert result.exit_code == 0 and result.stderr == ""
    assert "note" not in json.loads(result.stdout) and "SENTINEL" not in result.stdout


def test_backup_copies_encrypted_text_as_stored_and_restores_it(
    cli: Any, secrets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("key", "init"))
    key = identity(tmp_path)
    # A backup never decrypts, so it needs no identity (cron can run it) and holds no clear text.
    monkeypatch.setenv("HRTRUST_IDENTITY", str(tmp_path / "none.txt"))
    target = tmp_path / "backup.json"
    result = cli("backup", "--output", str(target))
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.splitlines()[0].endswith(
        "log entries, personal notes included (still encrypted))."
    )
    data = target.read_bytes()
    assert SENTINEL not in data and b"(locked)" not in data
    assert data.count(ARMOR.encode()) == sum(
        p.read_bytes().count(ARMOR.encode())
        for p in secrets.rglob("*.toml")
        if ".cache" not in p.parts
    )
    # Restored into an empty home, the notes are still encrypted and open with the same key.
    restored = tmp_path / "restored"
    ok(cli("--home", str(restored), "init"))
    ok(cli("--home", str(restored), "import", "json", str(target)))
    assert leaked(restored) == []
    monkeypatch.setenv("HRTRUST_IDENTITY", str(key))
    result = cli("--home", str(restored), "brief", "maria")
    assert result.exit_code == 0 and result.stderr == ""
    assert NOTE in result.stdout and FACT in result.stdout and TOPIC in result.stdout
    assert "All well" in ok(cli("--home", str(restored), "doctor"))


DATA = Path(__file__).parent / "data"


def holding(home: Path, needle: bytes) -> list[str]:
    return sorted(
        str(p.relative_to(home))
        for p in home.rglob("*")
        if p.is_file() and needle in p.read_bytes()
    )


def test_import_calendar_seals_the_notes_it_logs_with_the_public_key_only(
    cli: Any, empty: Path, tmp_path: Path
) -> None:
    for args in (
        ("Maria Chen", "--email", "maria.chen@example.com", "--dept", "Engineering"),
        ("王小明", "--email", "xiaoming.wang@example.com", "--dept", "Engineering"),
    ):
        ok(cli("contact", "add", *args))
    ok(cli("key", "init"))
    os.unlink(identity(tmp_path))
    outlook = str(DATA / "outlook.ics")
    first = ok(cli("import", "calendar", outlook, "--me", "ann.lee@example.com"))
    assert "Coffee with Maria" in first  # the report is the user's own terminal
    notes = [
        e["note"]
        for p in sorted((empty / "log").glob("*.toml"))
        for e in raw_toml(p).get("entry", [])
    ]
    assert len(notes) == 4 and all(n.startswith(ARMOR) for n in notes)
    assert holding(empty, b"Coffee with Maria") == [] and holding(empty, b"1:1 Maria") == []
    # Imported twice, nothing new: the calendar's ids are in clear, the titles are not needed.
    again = ok(cli("import", "calendar", outlook, "--me", "ann.lee@example.com"))
    assert ": 0 to log" in again.splitlines()[0]


def test_import_contacts_seals_notes_and_compares_them_opened(
    cli: Any, empty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("key", "init"))
    csv = tmp_path / "roster.csv"
    csv.write_text(
        "Name,Work Email,Department,Notes\n"
        f"Maria Chen,maria@x.example,Engineering,{NOTE}\n"
        f"Lee Wang,lee@x.example,Sales,{FACT}\n",
        encoding="utf-8",
    )
    ok(cli("import", "contacts", str(csv), "--full"))
    assert leaked(empty) == []
    stored = (empty / "contacts.toml").read_bytes()
    assert stored.count(ARMOR.encode()) == 2
    # With the identity the stored notes are compared opened: the same file changes nothing.
    out = ok(cli("import", "contacts", str(csv), "--full"))
    assert (
        out.splitlines()[0] == "roster.csv: 2 rows: 0 created, 0 updated, 2 unchanged, 0 rejected."
    )
    assert (empty / "contacts.toml").read_bytes() == stored
    # Without it they cannot be compared: the file's notes replace them, sealed, and it says so.
    missing = tmp_path / "none.txt"
    monkeypatch.setenv("HRTRUST_IDENTITY", str(missing))
    result = cli("import", "contacts", str(csv))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "roster.csv: 2 rows: 0 created, 2 updated, 0 unchanged, 0 rejected."
    )
    assert result.stderr == (
        f"hrtrust: warning: notes are locked (no identity at {missing}): the file's notes "
        "replace them\n"
    )
    assert leaked(empty) == []


def test_log_note_is_sealed_on_the_append_path_and_no_cache_holds_opened_text(
    cli: Any, secrets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrtrust.storage.cache import RECORDS_CACHE_MIN, records_name

    ok(cli("key", "init"))
    key = identity(tmp_path)
    monkeypatch.setenv("HRTRUST_IDENTITY", str(tmp_path / "none.txt"))  # the public key only
    month = secrets / "log" / "2026-11.toml"
    ok(cli("log", "list", "--json"))  # the month validated, as the next log finds it
    before = month.read_bytes()
    assert len(before) > RECORDS_CACHE_MIN
    ok(cli("log", "check-in", "--with", "priya", "--note", LATER))
    after = month.read_bytes()
    assert after.startswith(before)  # one [[entry]] appended, the month not rewritten
    assert leaked(secrets) == []
    added = raw_toml(month)["entry"][-1]
    assert added["note"].startswith(ARMOR) and added["with"] == ["c4"]
    # The validated records kept of the appended month hold the sealed text too: the next
    # log appends from them, and still nothing is in clear.
    ok(cli("log", "one-on-one", "--with", "david", "--note", LATER, "--keep"))
    assert month.read_bytes().startswith(after) and leaked(secrets) == []
    last = raw_toml(month)["entry"][-1]
    assert last["note"].startswith(ARMOR) and last["keep"] is True
    # Reading with the identity opens text for the output only: no cache keeps it opened.
    monkeypatch.setenv("HRTRUST_IDENTITY", str(key))
    assert LATER in ok(cli("log", "show", last["id"]))
    assert LATER in ok(cli("log", "list", "--search", "SENTINEL-LATER"))
    assert NOTE in ok(cli("contact", "show", "maria", "--include-private"))
    assert NOTE in ok(cli("brief", "maria"))
    for args in (
        ("contact", "show", "david", "--include-private", "--json"),
        ("feedback", "list"),
        ("topic", "list"),
        ("export", "json", "--include-private"),
        ("digest", "--include-private"),
        ("doctor",),
    ):
        ok(cli(*args))
    assert leaked(secrets) == []
    for rel in ("contacts.toml", "log/2026-11.toml"):  # the validated records, as stored
        kept = (secrets / ".cache" / records_name(rel)).read_bytes()
        assert ARMOR.encode() in kept and SENTINEL not in kept
    assert "All well" in ok(cli("doctor"))


def test_a_week_read_from_a_months_fresh_records_is_opened_or_masked_never_armored(
    cli: Any, secrets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrtrust.storage.cache import RECORDS_CACHE_MIN

    ok(cli("key", "init"))
    key = identity(tmp_path)
    ok(cli("log", "check-in", "--with", "priya", "--date", "2026-11-18", "--note", LATER))
    month = secrets / "log" / "2026-11.toml"
    assert len(month.read_bytes()) > RECORDS_CACHE_MIN
    ok(cli("log", "list", "--json"))  # validated: the week is rebuilt from its records
    # The digest's review week (Nov 16-22) comes from those records, which hold sealed text:
    # each entry is opened with the identity, masked without it, never shown armored.
    out = ok(cli("digest", "--include-private"))
    assert f"note: {LATER}" in out and ARMOR not in out
    found = ok(cli("log", "list", "--since", "2026-11-16", "--until", "2026-11-22", "-s", LATER))
    assert LATER in found and "Priya" in found
    monkeypatch.setenv("HRTRUST_IDENTITY", str(tmp_path / "none.txt"))
    result = cli("digest", "--include-private")
    assert result.exit_code == 0
    assert "note: (locked)" in result.stdout
    assert ARMOR not in result.stdout and "SENTINEL" not in result.stdout
    assert result.stderr == (
        f"hrtrust: warning: notes are locked (no identity at {tmp_path / 'none.txt'})\n"
    )
    monkeypatch.setenv("HRTRUST_IDENTITY", str(key))
    assert leaked(secrets) == []


def test_talking_points_are_sealed_opened_and_checked_like_notes(
    cli: Any, secrets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("key", "init"))
    # Opened with the identity wherever their text is shown.
    listed = ok(cli("topic", "list", "maria"))
    assert listed == f"t2   Maria Chen: {TOPIC}  (since Mon Nov 23)\n"
    assert TOPIC in ok(cli("brief", "maria"))
    assert TOPIC in ok(cli("contact", "show", "maria"))
    rows = json.loads(ok(cli("topic", "list", "maria", "--json", "--include-private")))
    assert rows[0]["text"] == TOPIC
    # Added and closed with the public key only; the plan counts them, never opens them.
    os.unlink(identity(tmp_path))
    ok(cli("topic", "add", "david", LATER))
    ok(cli("log", "one-on-one", "--with", "maria", "--covered", "t2"))
    assert leaked(secrets) == []
    plan = json.loads(ok(cli("plan", "week", "--json", "--include-private")))
    assert plan["to_raise"]["c3"] == ["2 encrypted topics (see `hrtrust brief`)"]
    result = cli("topic", "list", "--all")
    assert result.exit_code == 0
    assert result.stderr == (
        f"hrtrust: warning: notes are locked (no identity at {identity(tmp_path)})\n"
    )
    assert "SENTINEL" not in result.stdout
    assert "t2   Maria Chen: (locked)  (since Mon Nov 23)  (done Mon Nov 23 in 2026-11-23" in (
        result.stdout
    )
    # The JSON leaves the text out unless asked: nothing to open, no warning.
    result = cli("topic", "list", "--json")
    assert result.exit_code == 0 and result.stderr == ""
    # A talking point typed in clear by hand is a leak doctor finds and --fix seals.
    path = secrets / "contacts.toml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("[[contact.topics]]\n") + 2
    assert lines[at].startswith('text = "-----BEGIN AGE')
    lines[at] = f'text = "{TOPIC} by hand"\n'
    path.write_text("".join(lines), encoding="utf-8")
    result = cli("doctor")
    assert result.exit_code == 9
    assert (
        "problem: contacts.toml: 1 private field is stored in clear text in an encrypted home "
        "[--fix: encrypt (needs only the public key)]"
    ) in result.stdout.splitlines()
    assert "Fixed: encrypted 1 private field left in clear" in ok(cli("doctor", "--fix"))
    assert leaked(secrets) == []


def test_forget_and_purge_need_no_identity(cli: Any, secrets: Path, tmp_path: Path) -> None:
    ok(cli("key", "init"))
    os.unlink(identity(tmp_path))
    out = ok(cli("forget", "maria", "--yes"))
    assert out.startswith("Forgot Maria Chen (c1)")
    config = secrets / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "schema_version = 1\n", 'schema_version = 1\nretention = "1m"\n', 1
        ),
        encoding="utf-8",
    )
    result = cli("purge", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("Removed the personal text of ")


def bare_env(home: Path, user_home: Path) -> dict[str, str]:
    """What cron gives a job, and the data home: no identity variable, no passphrase, no TERM."""
    return {"HOME": str(user_home), "PATH": "/usr/bin:/bin", "HRTRUST_HOME": str(home)}


CRON_COMMANDS = [
    ["digest"],
    ["digest", "--format", "html"],
    ["digest", "--format", "json"],
    ["plan", "week"],
    ["overdue"],
    ["report", "coverage"],
    ["report", "balance"],
    ["report", "promises"],
    ["report", "feedback"],
    ["report", "pulse"],
    ["export", "ics"],
]


def test_cron_commands_run_bare_without_the_identity_and_never_load_pyrage(
    cli: Any, secrets: Path, tmp_path: Path
) -> None:
    # The identity sits where a bare HOME would find it, and needs a passphrase nobody can
    # type under cron: none of these commands may read it, ask for it, or fail for it.
    user_home = tmp_path / "user"
    key = user_home / ".config" / "hrtrust" / "identity.txt"
    result = cli(
        "key",
        "init",
        "--passphrase",
        env={"HRTRUST_IDENTITY": str(key), "HRTRUST_PASSPHRASE": "pw"},
    )
    assert result.exit_code == 0, result.output
    for args in CRON_COMMANDS:
        proc = subprocess.run(
            [str(HRTRUST), "--today", TODAY.isoformat(), *args],
            env=bare_env(secrets, user_home),
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 0, (args, proc.stderr)
        assert proc.stderr == b"", args
        assert SENTINEL not in proc.stdout, args
    assert leaked(secrets) == []  # the caches and indexes those runs kept hold no clear text
    code = (
        "import sys\nfrom hrtrust.cli.app import main\n"
        "for args in (['plan', 'week'], ['overdue'], ['digest']):\n"
        f"    sys.argv = ['hrtrust', '--today', '{TODAY.isoformat()}', *args]\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "print('pyrage loaded' if 'pyrage' in sys.modules else 'pyrage not loaded')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=bare_env(secrets, user_home),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.stdout.splitlines()[-1] == "pyrage not loaded", proc.stderr


def test_plan_skips_locked_facts_as_conversation_hooks(cli: Any, secrets: Path) -> None:
    ok(cli("key", "init"))
    out = ok(cli("plan", "week"))
    assert "ask about: (locked)" not in out and "(locked)" not in out


def sealed_fields(home: Path) -> dict[tuple[str, int], str]:
    """Every encrypted text forget searches (notes, facts, log notes, feedback), keyed by the
    place forget's report names ("contact c3 (notes)") and a position."""
    out: dict[tuple[str, int], str] = {}

    def put(place: str, texts: list[str]) -> None:
        out.update({(place, i): t for i, t in enumerate(texts) if t.startswith(ARMOR)})

    for c in raw_toml(home / "contacts.toml")["contact"]:
        put(f"contact {c['id']} (notes)", [c.get("notes", "")])
        put(f"contact {c['id']} (learned)", [f["text"] for f in c.get("learned", [])])
    for path in sorted((home / "log").glob("*.toml")):
        for e in raw_toml(path).get("entry", []):
            put(f"log entry {e['id']} (note)", [e.get("note", "")])
            put(f"log entry {e['id']} (learned)", e.get("learned", []))
    for f in raw_toml(home / "feedback.toml")["feedback"]:
        put(f"feedback {f['id']} (text)", [f["text"]])
    return out


def test_forget_scrubs_shared_encrypted_notes_or_deletes_what_it_cannot_read(
    cli: Any, secrets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("key", "init"))
    ok(
        cli(
            "log",
            "coffee-chat",
            "--with",
            "maria",
            "--with",
            "david",
            "--note",
            "Maria Chen agreed",
            "--again",
        )
    )
    ok(cli("contact", "edit", "david", "--note", "asked Maria Chen about the move"))
    before = sealed_fields(secrets)
    out = ok(cli("forget", "maria", "--yes"))
    scrubbed = next(line for line in out.splitlines() if line.startswith("Replaced"))
    assert "log entry 2026-11-23.3 (note)" in scrubbed and "contact c3 (notes)" in scrubbed
    notes = [e["note"] for e in raw_toml(secrets / "log" / "2026-11.toml")["entry"] if "note" in e]
    assert all(n.startswith(ARMOR) for n in notes)  # sealed again after the scrub
    listed = ok(cli("log", "list", "--with", "david", "--json", "--include-private"))
    assert '"note": "[forgotten] agreed"' in listed and "Maria Chen" not in listed
    assert "Maria keen to co-own it" in listed  # a single name is listed for review, not guessed
    assert '"Maria"' in out and "--also Maria" in out
    assert "[forgotten]" in ok(cli("contact", "show", "david", "--json", "--include-private"))
    # What mentioned her was sealed again; the rest keeps its very bytes.
    after = sealed_fields(secrets)
    changed = {place for place, i in after if before.get((place, i)) != after[(place, i)]}
    assert changed == set(scrubbed.split(": ", 1)[1].rstrip(".").split("; ")) & {
        place for place, _ in after
    }
    assert {"log entry 2026-11-23.3 (note)", "contact c3 (notes)"} <= changed

    # Without the identity the shared notes cannot be scrubbed: they go, and forget says so;
    # the other encrypted texts cannot be searched for the name, and stay as they are.
    ok(cli("log", "check-in", "--with", "priya", "--with", "david", "--note", "Priya news"))
    monkeypatch.setenv("HRTRUST_IDENTITY", str(tmp_path / "none.txt"))
    before = sealed_fields(secrets)
    result = cli("forget", "priya", "--yes")
    assert result.exit_code == 0, result.output
    after = sealed_fields(secrets)
    assert result.stdout.splitlines()[-2:] == [
        "11 encrypted notes or facts of entries shared with others could not be read to remove "
        "the name, so they were deleted.",  # 10 in the demo's shared entries, and this one
        f"{len(after)} other encrypted texts could not be searched for their name without the "
        "identity; they stay encrypted.",
    ]
    assert all(before[k] == v for k, v in after.items())  # untouched, byte for byte
    assert result.stderr == (
        f"hrtrust: warning: notes are locked (no identity at {tmp_path / 'none.txt'})\n"
    )


def test_export_without_private_leaves_private_feedback_text_out(cli: Any, secrets: Path) -> None:
    out = ok(cli("export", "json"))
    assert FEEDBACK not in out and '"text": "(locked)"' in out
