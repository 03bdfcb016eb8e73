"""Hardening: nothing private escapes, and every bad input is one clear line.

``forget``'s matching and report, CSV formula guards, control characters in every text view,
Markdown structure from names, the SMTP password, and the inputs that used to end in
"internal error" (each must exit with a documented code and change no file).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY, Cli, record, snapshot
from hrtrust.domain import contacts as people
from hrtrust.errors import UsageError
from hrtrust.models import (
    ActivitiesFile,
    Activity,
    Contact,
    ContactsFile,
    Fact,
    FeedbackFile,
    Interaction,
    LogFile,
    Promise,
    PromisesFile,
    Smtp,
)

COUNTS: dict[str, int] = {}
DOCUMENTED_EXITS = {0, 2, 3, 4, 5, 6, 7, 8, 9}


def tried(what: str, n: int = 1) -> None:
    COUNTS[what] = COUNTS.get(what, 0) + n


# -- forget --------------------------------------------------------------------------------------


def _forget(name: str, email: str | None = None, **texts: str):  # type: ignore[no-untyped-def]
    gone = Contact(
        id="c1",
        name=name,
        email=email,
        learned=[Fact(date=TODAY, text="has twins")],
    )
    other = Contact(id="c2", name="Bo Yang", notes=texts.get("notes"))
    contacts = ContactsFile(contact=[gone, other])
    log = LogFile(
        entry=[
            Interaction(
                id="2026-11-23.1",
                date=TODAY,
                kind="lunch",
                with_=["c1", "c2"],
                note=texts.get("shared"),
                learned=["has twins", "Bo runs"],
            ),
            Interaction(
                id="2026-11-23.2",
                date=TODAY,
                kind="check-in",
                with_=["c2"],
                note=texts.get("others"),
            ),
        ]
    )
    activities = ActivitiesFile(
        activity=[
            Activity(
                id="a1",
                title=texts.get("title", "Sync"),
                kind="sync",
                rule="weekly",
                start=TODAY,
                location=texts.get("location"),
            )
        ]
    )
    promises = PromisesFile(
        promise=[
            Promise(id="p1", text=texts.get("promise", "send slides"), person="c2", made=TODAY,
                    due=TODAY)
        ]
    )  # fmt: skip
    out = people.forget(
        gone,
        contacts=contacts,
        promises=promises,
        activities=activities,
        feedback=FeedbackFile(),
        logs=[log],
    )
    return out, contacts, log, activities, promises


def test_forget_matches_whole_words_only() -> None:
    out, contacts, log, _, _ = _forget(
        "Al Ng", shared="Al and NG: also discussed the algebra course with al."
    )
    tried("forget: whole words")
    # a single name is never rewritten on a guess: listed (capitalised, as a name is written)
    assert log.entry[0].note == "Al and NG: also discussed the algebra course with al."
    assert out.review == [
        ("log entry 2026-11-23.1 (note)", "Al"),
        ("log entry 2026-11-23.1 (note)", "NG"),
    ]


def test_forget_rewrites_only_what_names_the_person_unambiguously() -> None:
    """Issue 25: forgetting "Will Hope" turned "he will test it" and "I hope" into
    [forgotten], and "Al-Ng" (someone else) into "[forgotten]-[forgotten]"."""
    out, contacts, log, _, _ = _forget(
        "Will Hope",
        shared="WILL  hope said he will test it, I hope; will-hope agreed. Al-Ng too.",
    )
    assert log.entry[0].note == (
        "[forgotten] said he will test it, I hope; [forgotten] agreed. Al-Ng too."
    )
    assert out.review == []


def test_forget_scrubs_cjk_names_without_spaces_and_emails() -> None:
    out, contacts, log, activities, promises = _forget(
        "王小明",
        email="xm.wang@example.com",
        others="和王小明吃飯，小明說 XM.Wang@example.com 可以",
        title="王小明 1:1",
        location="小明的辦公室",
        promise="ask 王小明 about 小明's plan",
        notes="reports to 王小明",
    )
    tried("forget: CJK and e-mail")
    assert log.entry[1].note == "和[forgotten]吃飯，[forgotten]說 [forgotten] 可以"
    assert activities.activity[0].title == "[forgotten] 1:1"
    assert activities.activity[0].location == "[forgotten]的辦公室"
    assert promises.promise[0].text == "ask [forgotten] about [forgotten]'s plan"
    assert contacts.contact[0].notes == "reports to [forgotten]"
    assert out.scrubbed == [
        "contact c2 (notes)",
        "log entry 2026-11-23.2 (note)",
        "activity a1 (title)",
        "activity a1 (location)",
        "promise p1 (text)",
    ]


def test_forget_drops_their_own_fact_from_a_shared_entry() -> None:
    _, _, log, _, _ = _forget("Al Ng")
    tried("forget: own fact")
    assert log.entry[0].with_ == ["c2"]
    assert log.entry[0].learned == ["Bo runs"]


def test_forget_refuses_part_of_a_name(cli: Cli, demo: Path) -> None:
    before = snapshot(demo)
    for ref, code, stderr in (
        (
            "k",
            2,
            "hrtrust: error: 'k' is only part of a name; forget needs a whole name or the id\n"
            "hint: use one of: Kevin Lin (c5), Anna Kowalski (c23)\n",
        ),
        (
            "Mari",
            2,
            "hrtrust: error: 'Mari' is only part of a name; forget needs a whole name or the id\n"
            "hint: if you mean Maria Chen, give c1 or their full name\n",
        ),
    ):
        result = cli("forget", ref, "--yes")
        tried("forget: partial refs refused")
        assert (result.exit_code, result.stderr) == (code, stderr)
    assert snapshot(demo) == before
    assert cli("forget", "chen", "--yes").exit_code == 0  # a whole family name is enough


# -- CSV formulas --------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)"]


def test_guard_and_unguard_every_formula_start() -> None:
    from hrtrust.interop.csv_import import unguard
    from hrtrust.interop.dump import guard

    for cell in [*FORMULAS, "\tTab", "\rCR"]:
        assert guard(cell) == "'" + cell and unguard(guard(cell)) == cell
    for cell in ["Maria", "'quoted", "", "a=b"]:
        assert guard(cell) == cell and unguard(cell) == cell


def test_export_csv_guards_formulas_and_import_reads_them_back(
    cli: Cli, empty: Path, tmp_path: Path
) -> None:
    for i, text in enumerate(FORMULAS):
        assert cli("contact", "add", f"P{i}", "--role", text).exit_code == 0
    out = tmp_path / "c.csv"
    assert cli("export", "csv", "-o", str(out)).exit_code == 0
    import csv

    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    tried("csv: formula cells", len(FORMULAS))
    assert [r["role"] for r in rows] == ["'" + t for t in FORMULAS]
    # Round trip: the import takes the guard off again (nothing changes).
    result = cli("import", "contacts", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["counts"]["unchanged"] == len(FORMULAS)


# -- control characters and Markdown structure -----------------------------------------------------

EVIL = "Eve\x1b]52;c;cHduZWQ=\x07\x1b[2J\x9b31m\u202eX"


def test_no_control_character_reaches_any_text_view(cli: Cli, demo: Path) -> None:
    assert cli("contact", "add", EVIL, "--tag", "ally", "--dept", "Ops\x1b[5m").exit_code == 0
    assert cli("log", "check-in", "--with", "eve", "--note", "hi\x1b[2J").exit_code == 0
    views = [
        ("contact", "list"),
        ("contact", "show", "eve"),
        ("plan", "week"),
        ("digest",),
        ("digest", "--format", "markdown"),
        ("brief", "eve"),
        ("log", "list"),
        ("overdue",),
        ("report", "coverage"),
        ("contact", "show", "Ev\x1b[2J"),
    ]
    for args in views:
        result = cli(*args)
        tried("control characters: views")
        for stream in (result.stdout, result.stderr):
            for ch in ("\x1b", "\x07", "\x9b", "\u202e"):
                assert ch not in stream, (args, ch)
    assert "Eve\\x1b]52;c;cHduZWQ=" in cli("contact", "list").stdout


def test_markdown_digest_cannot_start_headings_or_rules(cli: Cli, empty: Path) -> None:
    for name in ("# Heading", "---", "x\n## Sub\n***", "1. first"):
        assert cli("contact", "add", "--tag", "ally", "--", name).exit_code == 0
    out = cli("digest", "--format", "markdown").stdout
    tried("markdown: structure")
    lines = out.splitlines()
    assert not any(
        line.startswith(("# Heading", "---", "## Sub", "***", "1. first")) for line in lines
    )
    assert sum(line.startswith("#") for line in lines) == out.count("\n#") + out.startswith("#")
    headings = [line for line in lines if line.startswith("#")]
    assert all("Heading" not in h and "Sub" not in h for h in headings)


# -- SMTP password -------------------------------------------------------------------------------


def test_a_password_in_config_is_refused_never_exported_and_flagged(
    cli: Cli, demo: Path, tmp_path: Path
) -> None:
    config = demo / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[smtp]\nhost = "mail.example.com"\nuser = "hr"\npassword = "hunter2-secret"\n',
        encoding="utf-8",
    )
    before = snapshot(demo)
    for args in (("plan", "week"), ("export", "json", "-o", str(tmp_path / "x.json")), ("doctor",)):
        result = cli(*args)
        tried("smtp: password refused")
        assert "hunter2" not in result.stdout + result.stderr
        assert result.exit_code in (5, 9), args
        assert "password_env" in result.stdout + result.stderr
    assert not (tmp_path / "x.json").exists()
    debug = cli("--debug", "plan", "week")
    assert "hunter2" not in "".join(__import__("traceback").format_exception(debug.exception))
    assert snapshot(demo) == before


def test_no_login_without_tls_except_to_loopback() -> None:
    from email.message import EmailMessage

    from hrtrust.interop import mail

    plain = Smtp(host="mail.example.com", port=25, starttls=False, user="hr")
    with pytest.raises(UsageError) as info:
        mail.send(EmailMessage(), plain, {"HRTRUST_SMTP_PASSWORD": "pw"}, "config.toml")
    tried("smtp: plain login refused")
    assert info.value.message == (
        "config.toml: [smtp] would log in to mail.example.com:25 without TLS, sending the "
        "password in clear"
    )
    assert [
        mail.is_loopback(h) for h in ("localhost", "127.0.0.1", "::1", "[::1]", "10.0.0.1")
    ] == [
        True,
        True,
        True,
        True,
        False,
    ]


# -- clean errors ----------------------------------------------------------------------------------


def _bad_file(home: Path, rel: str, old: str, new: str) -> None:
    path = home / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


CLEAN_ERRORS: list[tuple[str, tuple[str, ...], int]] = [
    ("today year 1", ("--today", "0001-01-01", "plan", "week"), 2),
    ("today year 9999", ("--today", "9999-12-31", "plan", "week"), 2),
    ("week 9999", ("digest", "--week", "9999-W52"), 2),
    ("week 0001", ("digest", "--week", "0001-W01"), 2),
    ("empty home", ("--home", "", "contact", "list"), 2),
    ("CR/LF e-mail add", ("contact", "add", "Bob", "--email", "a@b.c\r\nBcc: x@y"), 2),
    ("CR/LF e-mail edit", ("contact", "edit", "maria", "--email", "m@x.org\nBcc: y@z"), 2),
    ("huge duration", ("activity", "edit", "a1", "--duration", "9" * 30 + "h"), 2),
    ("pulse nan", ("pulse", "add", "--dept", "Sales", "--score", "nan"), 2),
    ("pulse inf", ("pulse", "add", "--dept", "Sales", "--score", "inf"), 2),
    ("pulse zero scale", ("pulse", "add", "--dept", "Sales", "--score", "1", "--scale", "0"), 2),
]


@pytest.mark.parametrize(("name", "args", "code"), CLEAN_ERRORS, ids=[c[0] for c in CLEAN_ERRORS])
def test_bad_arguments_are_one_clean_line(
    cli: Cli, demo: Path, name: str, args: tuple[str, ...], code: int
) -> None:
    before = snapshot(demo)
    result = cli(*args)
    tried("clean errors: arguments")
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stderr.startswith("hrtrust: error: ")
    assert "internal error" not in result.stderr
    assert snapshot(demo) == before


def test_a_non_utf8_argument_is_refused(demo: Path) -> None:
    """Through the real console script: the shell hands over bytes that are not UTF-8."""
    exe = str(Path(sys.executable).parent / "hrtrust")
    before = snapshot(demo)
    for args in ([b"contact", b"add", b"Bad\xffname"], [b"contact", b"show", b"\xfe"]):
        proc = subprocess.run([exe.encode(), *args], capture_output=True, env=dict(os.environ))
        tried("clean errors: non-UTF-8")
        assert proc.returncode == 2
        assert proc.stderr.startswith(b"hrtrust: error: argument ")
        assert b"is not UTF-8 text" in proc.stderr
    assert snapshot(demo) == before


BAD_FILES: list[tuple[str, str, str, str, int]] = [
    ("unknown timezone", "config.toml", 'timezone = "Asia/Taipei"', 'timezone = "Mars/Olympus"', 5),
    ("empty timezone", "config.toml", 'timezone = "Asia/Taipei"', 'timezone = ""', 5),
    ("huge duration", "activities.toml", "duration = 60", "duration = 99999999999", 5),
    ("pulse nan", "feedback.toml", "score = 3.6", "score = nan", 5),
    ("pulse inf", "feedback.toml", "score = 3.6", "score = inf", 5),
    (
        "deep keys",
        "contacts.toml",
        'name = "Maria Chen"',
        'name = "Maria Chen"\n' + "deep." * 400 + "x = 1",
        5,
    ),
]


@pytest.mark.parametrize(
    ("name", "rel", "old", "new", "code"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_bad_files_are_one_clean_line_and_left_alone(
    cli: Cli, demo: Path, name: str, rel: str, old: str, new: str, code: int
) -> None:
    assert old in (demo / rel).read_text(encoding="utf-8"), name
    _bad_file(demo, rel, old, new)
    for args in (
        ("plan", "week"),
        ("report", "pulse"),
        ("contact", "add", "Zed"),
        ("export", "ics"),
    ):
        before = snapshot(demo)
        result = cli(*args)
        tried("clean errors: data files")
        assert result.exit_code in (0, code), (args, result.stderr)
        assert "internal error" not in result.stderr
        if result.exit_code:
            assert snapshot(demo) == before
    doctor = cli("doctor")
    assert doctor.exit_code == 9
    assert rel in doctor.stdout


IMPORTS: list[tuple[str, object]] = [
    ("null section", {"contacts": None}),
    ("null log", {"log": None}),
    ("null name", {"contacts": {"contact": [{"id": "c1", "name": None}]}}),
    ("month 13", {"log": {"2026-13": {"entry": []}}}),
    ("deep", {"contacts": {"x": json.loads("[" * 200 + "]" * 200)}}),
    ("bad timezone", {"config": {"timezone": "Mars/Olympus"}}),
    ("password", {"config": {"smtp": {"password": "x"}}}),
]


@pytest.mark.parametrize(("name", "patch"), IMPORTS, ids=[i[0] for i in IMPORTS])
def test_import_json_refuses_bad_exports_cleanly(
    cli: Cli, empty: Path, tmp_path: Path, name: str, patch: dict[str, object]
) -> None:
    data: dict[str, object] = {"format": "hrtrust-export", "format_version": 1}
    data.update(patch)
    file = tmp_path / "x.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    before = snapshot(empty)
    result = cli("import", "json", str(file))
    tried("clean errors: import json")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"hrtrust: error: {file}")
    assert snapshot(empty) == before


def test_an_unreadable_home_is_a_clean_error(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root chmod 000 does not stop reading, so the listing of log/ is made to fail."""
    real = os.listdir

    def denied(path: object = ".") -> list[str]:
        if str(path).endswith("/log"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "listdir", denied)
    result = cli("plan", "week")
    tried("clean errors: unreadable home")
    assert result.exit_code == 7
    assert result.stderr == (
        f"hrtrust: error: {demo / 'log'}: cannot read or write (Permission denied); no file "
        "was changed\nhint: check the owner and permissions of the data home and its files\n"
    )


def test_doctor_names_file_and_record_for_meaningless_values(cli: Cli, demo: Path) -> None:
    _bad_file(demo, "contacts.toml", 'name = "Maria Chen"', 'name = "Maria Chen"\nevery = "3x"')
    _bad_file(demo, "activities.toml", "rule = ", 'rule = "every blue moon"\nold_rule = ')
    _bad_file(
        demo, "config.toml", "[[department]]", '[[department]]\nname = "sales"\n\n[[department]]'
    )
    result = cli("doctor")
    tried("doctor: meaning", 3)
    assert result.exit_code == 9
    out = result.stdout
    assert "problem: contacts.toml: contact c1: every: " in out
    assert "problem: activities.toml: activity a1: rule: " in out
    assert "problem: config.toml: departments " in out and "differ only by case" in out


EXPECTED = (
    "clean errors: arguments",
    "clean errors: data files",
    "control characters: views",
    "csv: formula cells",
    "doctor: meaning",
    "forget: CJK and e-mail",
    "forget: own fact",
    "forget: partial refs refused",
    "forget: whole words",
    "markdown: structure",
    "smtp: password refused",
)


def test_zz_figures() -> None:
    """Runs last in this module (pytest keeps file order): every class of hostile input ran,
    then the figures go to scripts/reliability.py."""
    if not COUNTS:
        pytest.skip("the module's other tests did not run (deselected)")
    missing = [k for k in EXPECTED if not COUNTS.get(k)]
    assert missing == []
    assert COUNTS["doctor: meaning"] == 3 and COUNTS["smtp: password refused"] == 3
    record("hardening-edges", **COUNTS)
