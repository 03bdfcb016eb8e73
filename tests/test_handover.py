"""Handing departments over: `hrtrust handover DEPT... --to KEY --output FILE` on the giver's
side, `hrtrust import handover FILE` on the receiver's, between two data homes with two
identities. What goes in, what stays out, how people are matched, what the receiver's figures
count, and that nothing private is written anywhere by accident."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest

from conftest import TODAY, Cli, raw_toml, snapshot

SENTINEL = "ZQX-SENTINEL"
GIVER = "Alice Wu"
LATER = TODAY + dt.timedelta(days=1)


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)


class Side:
    """One HR partner: a data home and an identity of their own."""

    def __init__(self, root: Path, name: str) -> None:
        self.home = root / name / "home"
        self.identity = root / name / "keys" / "identity.txt"
        self.env = {"HRTRUST_HOME": str(self.home), "HRTRUST_IDENTITY": str(self.identity)}
        self.cli = Cli()

    def __call__(self, *args: str, today: dt.date | None = None, input: str | None = None) -> Any:
        return self.cli(*args, env=self.env, today=today, input=input)

    def ok(self, *args: str, today: dt.date | None = None) -> str:
        return ok(self(*args, today=today))

    def recipient(self) -> str:
        return self.ok("key", "export-public").strip()

    def secret(self) -> str:
        lines = self.identity.read_text(encoding="utf-8").splitlines()
        return next(line for line in lines if line.startswith("AGE-SECRET-KEY-"))


def plaintext(pack: Path, side: Side) -> dict[str, Any]:
    """What a pack holds, opened the way `age -d -i identity.txt` would."""
    import pyrage

    ident = pyrage.x25519.Identity.from_str(side.secret())
    data: dict[str, Any] = json.loads(pyrage.decrypt(pack.read_bytes(), [ident]))
    return data


@pytest.fixture
def giver(tmp_path: Path) -> Side:
    """The demo home (Taiwan: CJK names) with a private sentinel in every kind of private
    field of a Manufacturing person, then encrypted with the giver's own key."""
    side = Side(tmp_path, "giver")
    side.ok("init", "--demo")
    side.ok("contact", "edit", "林美玲", "--note", f"{SENTINEL} note")
    side.ok(
        "log",
        "coffee-chat",
        "--with",
        "林美玲",
        "--note",
        f"{SENTINEL} log note",
        "--learned",
        f"{SENTINEL} learned",
    )
    side.ok("topic", "add", "林美玲", f"{SENTINEL} topic")
    side.ok("contact", "pause", "吳俊傑", "--until", "2027-01-15", "--reason", f"{SENTINEL} why")
    side.ok("feedback", "add", f"{SENTINEL} feedback", "--from", "劉建國", "--private")
    side.ok("key", "init")
    return side


@pytest.fixture
def receiver(tmp_path: Path) -> Side:
    """A receiving partner's home of their own, encrypted to their own key, with a few people
    (one the same as the giver's by e-mail, two namesakes of one of the giver's)."""
    side = Side(tmp_path, "receiver")
    side.ok("init", "--timezone", "Asia/Taipei")
    side.ok("key", "init")
    side.ok("contact", "add", "Amy Ko", "--dept", "Legal", "--email", "amy@jadeway.example")
    side.ok(
        "contact",
        "add",
        "林美玲",
        "--dept",
        "Manufacturing",
        "--email",
        "MEILING.LIN@jadeway.example",
    )
    return side


def hand_over(giver: Side, receiver: Side, tmp_path: Path, *args: str) -> Path:
    pack = tmp_path / "manufacturing.age"
    giver.ok(
        "handover",
        "Manufacturing",
        "--to",
        receiver.recipient(),
        "--output",
        str(pack),
        "--from",
        GIVER,
        *args,
    )
    return pack


def private_fields(giver: Side) -> int:
    """The private texts of Manufacturing as stored (sealed, counted without opening them):
    notes, pause reasons, learned facts, open talking points, private feedback, the notes of
    its activities."""
    people = [
        c for c in raw_toml(giver.home / "contacts.toml")["contact"] if c["dept"] == "Manufacturing"
    ]
    n = sum(
        bool(c.get("notes")) + bool(c.get("paused_reason")) + len(c.get("learned", []))
        for c in people
    )
    n += sum(1 for c in people for t in c.get("topics", []) if "done" not in t)
    ids = {c["id"] for c in people}
    feedback = raw_toml(giver.home / "feedback.toml")["feedback"]
    n += sum(
        1
        for f in feedback
        if f.get("private")
        and "closed" not in f
        and (f.get("person") in ids or f.get("dept") == "Manufacturing")
    )
    activities = raw_toml(giver.home / "activities.toml")["activity"]
    n += sum(1 for a in activities if a.get("dept") == "Manufacturing" and a.get("notes"))
    assert n >= 6  # the sentinels: note, two learned facts, topic, pause reason, feedback
    return n


def email_of(giver: Side, name: str) -> str:
    contacts = raw_toml(giver.home / "contacts.toml")["contact"]
    return str(next(c["email"] for c in contacts if c["name"] == name))


# -- the round trip ---------------------------------------------------------------------------


def test_round_trip_between_two_homes_with_cjk_names(
    giver: Side, receiver: Side, tmp_path: Path
) -> None:
    assert email_of(giver, "林美玲").lower() == "meiling.lin@jadeway.example"
    pack = hand_over(giver, receiver, tmp_path)
    assert pack.read_text(encoding="ascii").startswith("-----BEGIN AGE ENCRYPTED FILE-----")
    assert pack.stat().st_mode & 0o777 == 0o600

    out = receiver.ok("import", "handover", str(pack), today=LATER)
    assert out.splitlines()[0] == (
        "Handover of Manufacturing from Alice Wu, given Nov 23, 2026 (sealed to "
        f"{receiver.recipient()[:9]}…{receiver.recipient()[-4:]})"
    )
    assert "林美玲 → c2 林美玲 (same e-mail)" in out  # a match is shown
    assert "New departments" not in out  # Manufacturing was named by a contact already

    contacts = {c["name"]: c for c in raw_toml(receiver.home / "contacts.toml")["contact"]}
    # ids are the receiver's own series: c1 and c2 were theirs, the giver's c7..c11 renumbered
    assert contacts["Amy Ko"]["id"] == "c1" and contacts["林美玲"]["id"] == "c2"
    assert {contacts[n]["id"] for n in ("陳志豪", "劉建國", "黃詩涵", "吳俊傑")} == {
        "c3",
        "c4",
        "c5",
        "c6",
    }
    boss = contacts["陳志豪"]
    assert boss["tags"] == ["manager"] and boss["role"] == "Plant Manager"
    assert boss["added"] == LATER  # new to the receiver: first due one cadence from now
    (history,) = boss["handover"]
    assert history["from"] == GIVER and history["was"] == "c7"
    assert history["given"] == TODAY.isoformat()
    assert "2026-11-18" in history["touches"]["management-meeting"]
    paused = contacts["吳俊傑"]  # pause state travels; its reason is private
    assert paused["paused_until"] == dt.date(2027, 1, 15) and "paused_reason" not in paused

    promises = raw_toml(receiver.home / "promises.toml")["promise"]
    owed = next(p for p in promises if "service award" in p["text"])  # still open: it travels
    assert owed["direction"] == "owe" and owed["person"] == paused["id"] and "source" not in owed
    assert owed["handover"]["from"] == GIVER and owed["handover"]["was"] == "p17"
    activities = raw_toml(receiver.home / "activities.toml")["activity"]
    meeting = next(a for a in activities if a["title"] == "Manufacturing management meeting")
    assert meeting["with"] == ["c3"] and meeting["id"] == "a1"  # 陳志豪, renumbered
    feedback = raw_toml(receiver.home / "feedback.toml")
    assert {f["person"] for f in feedback["feedback"]} == {"c2", "c4"}
    assert [p["dept"] for p in feedback["pulse"]] == ["Manufacturing"] * 6

    brief = receiver.ok("brief", "陳志豪", today=LATER)
    assert "none logged yet" in brief
    assert "before handover (from Alice Wu, Nov 23, 2026): 30 touches" in brief
    listing = receiver.ok("promise", "list", today=LATER)
    assert "(inherited from Alice Wu)" in listing


def test_importing_the_same_pack_again_changes_no_byte(
    giver: Side, receiver: Side, tmp_path: Path
) -> None:
    pack = hand_over(giver, receiver, tmp_path)
    receiver.ok("import", "handover", str(pack), today=LATER)
    before = snapshot(receiver.home)
    out = receiver.ok("import", "handover", str(pack), today=LATER + dt.timedelta(days=3))
    assert out.splitlines()[-1] == "Already imported: nothing to change."
    assert snapshot(receiver.home) == before
    data = json.loads(receiver.ok("import", "handover", str(pack), "--json", today=LATER))
    assert data["changed"] is False and {p["how"] for p in data["people"]} == {"again"}
    assert snapshot(receiver.home) == before


def test_the_pack_records_who_gave_it_when_and_to_which_key(
    giver: Side, receiver: Side, tmp_path: Path
) -> None:
    pack = plaintext(hand_over(giver, receiver, tmp_path), receiver)
    assert pack["format"] == "hrtrust-handover" and pack["format_version"] == 1
    assert pack["from"] == {
        "name": GIVER,
        "recipient": raw_toml(giver.home / "config.toml")["encryption"]["recipient"],
    }
    assert pack["given"] == TODAY.isoformat() and pack["to"] == receiver.recipient()
    assert pack["private"] is False and len(pack["pack"]) == 32
    assert pack["brief"].startswith("# Handover: Manufacturing\n")


# -- what stays out -----------------------------------------------------------------------------


def leaks(root: Path, needle: bytes) -> list[str]:
    return sorted(
        str(p)
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink() and needle in p.read_bytes()
    )


def test_without_include_private_no_byte_written_on_either_side_holds_private_text(
    giver: Side, receiver: Side, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    needle = SENTINEL.encode()
    assert leaks(giver.home, needle) == []  # sealed by key init
    pack = hand_over(giver, receiver, tmp_path)
    receiver.ok("import", "handover", str(pack), "--dry-run", today=LATER)
    receiver.ok("import", "handover", str(pack), today=LATER)
    receiver.ok("brief", "林美玲", "--include-private", today=LATER)  # opens what is there
    receiver.ok("plan", "week", today=LATER)
    opened = json.dumps(plaintext(pack, receiver), ensure_ascii=False)
    assert SENTINEL not in opened  # the pack's plaintext, which only ever was in memory
    # every byte on both sides: the homes (caches, backups, journal), the pack, the temp dirs
    assert leaks(tmp_path, needle) == []
    # what stood in for them: a count of talking points, a placeholder for private feedback
    people = {p["contact"]["name"]: p for p in json.loads(opened)["people"]}
    assert people["林美玲"]["open_topics"] == 1 and "topics" not in people["林美玲"]["contact"]
    texts = [f["text"] for f in json.loads(opened)["feedback"]]
    assert "(private feedback: its text was not handed over)" in texts


def test_an_unencrypted_giver_leaves_private_text_out_of_the_pack_and_its_brief(
    receiver: Side, tmp_path: Path
) -> None:
    side = Side(tmp_path, "plain")
    side.ok("init", "--demo")
    side.ok("feedback", "add", f"{SENTINEL} said", "--from", "劉建國", "--private")
    side.ok("contact", "edit", "陳志豪", "--note", f"{SENTINEL} note")
    activities = side.home / "activities.toml"
    text = activities.read_text(encoding="utf-8")
    title = 'title = "Manufacturing management meeting"\n'
    text = text.replace(title, f'{title}notes = "{SENTINEL}"\n')
    activities.write_text(text, encoding="utf-8")
    pack = hand_over(side, receiver, tmp_path)
    assert SENTINEL not in json.dumps(plaintext(pack, receiver), ensure_ascii=False)
    receiver.ok("import", "handover", str(pack), today=LATER)
    assert leaks(receiver.home, SENTINEL.encode()) == []


# -- --include-private ----------------------------------------------------------------------------


def test_include_private_says_how_many_fields_and_asks_on_a_terminal(
    giver: Side, receiver: Side, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / "p.age"
    args = (
        "handover",
        "manufacturing",
        "--to",
        receiver.recipient(),
        "--output",
        str(pack),
        "--from",
        GIVER,
        "--include-private",
    )
    refused = giver(*args)
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == (
        "hrtrust: error: --include-private asks before adding private notes, and this is not "
        "a terminal\nhint: add --yes to include them from a script\n"
    )
    from hrtrust.cli import handover as command

    monkeypatch.setattr(command, "_interactive", lambda: True)
    declined = giver(*args, input="n\n")
    assert declined.exit_code == 1 and not pack.exists()
    fields = private_fields(giver)
    assert (
        f"--include-private adds {fields} private fields (notes, learned facts" in declined.stdout
    )
    accepted = giver(*args, input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert f"private notes included: {fields} private fields" in accepted.stdout
    data = plaintext(pack, receiver)
    assert data["private"] is True
    assert data["brief"].splitlines()[2].endswith("Private notes included._")


def test_include_private_round_trip_opens_with_the_giver_and_seals_to_the_receiver(
    giver: Side, receiver: Side, tmp_path: Path
) -> None:
    pack = hand_over(giver, receiver, tmp_path, "--include-private", "--yes")
    data = plaintext(pack, receiver)
    opened = json.dumps(data, ensure_ascii=False)
    for field in ("note", "log note", "learned", "topic", "why", "feedback"):
        if field != "log note":  # log notes never travel: the history is dates and kinds
            assert f"{SENTINEL} {field}" in opened, field
    assert f"{SENTINEL} log note" not in opened
    receiver.ok("import", "handover", str(pack), today=LATER)
    assert leaks(receiver.home, SENTINEL.encode()) == []  # sealed to the receiver's key
    shown = receiver.ok("contact", "show", "c2", "--include-private", today=LATER)
    assert f"{SENTINEL} note" in shown and f"{SENTINEL} learned" in shown
    topics = receiver.ok("topic", "list", "--include-private", today=LATER)
    assert f"{SENTINEL} topic" in topics


def test_include_private_in_an_encrypted_home_needs_the_givers_identity(
    giver: Side, receiver: Side, tmp_path: Path
) -> None:
    recipient = receiver.recipient()
    giver.env["HRTRUST_IDENTITY"] = str(tmp_path / "nowhere.txt")
    result = giver(
        "handover",
        "Manufacturing",
        "--to",
        recipient,
        "--output",
        str(tmp_path / "p.age"),
        "--include-private",
        "--yes",
    )
    assert result.exit_code == 10 and not (tmp_path / "p.age").exists()
    assert result.stderr.startswith(
        "hrtrust: error: --include-private opens the encrypted notes with your identity: "
        f"no identity at {tmp_path / 'nowhere.txt'}\n"
    )


def test_a_private_pack_is_not_written_into_an_unencrypted_home(
    giver: Side, tmp_path: Path
) -> None:
    side = Side(tmp_path, "bare")
    side.ok("init")
    from hrtrust.storage.crypto import identity_text, new_identity, write_identity

    secret, public = new_identity()
    write_identity(side.identity, identity_text(secret, public, TODAY, None))
    pack = tmp_path / "p.age"
    giver.ok(
        "handover",
        "Manufacturing",
        "--to",
        public,
        "--output",
        str(pack),
        "--include-private",
        "--yes",
        "--from",
        GIVER,
    )
    before = snapshot(side.home)
    result = side("import", "handover", str(pack))
    assert result.exit_code == 2 and "is not encrypted" in result.stderr
    assert snapshot(side.home) == before
    side.ok("key", "init")  # reuses the identity at that path: the same key
    side.ok("import", "handover", str(pack))
    assert leaks(side.home, SENTINEL.encode()) == []


# -- matching people ------------------------------------------------------------------------------


def test_people_match_by_employee_number_e_mail_then_name_and_the_ambiguous_stay_apart(
    giver: Side, receiver: Side, tmp_path: Path
) -> None:
    # the giver's 黃詩涵 has an employee number (a key of their own, kept by hrtrust)
    contacts = giver.home / "contacts.toml"
    text = contacts.read_text(encoding="utf-8")
    text = text.replace('name = "黃詩涵"\n', 'name = "黃詩涵"\nemployee_number = "E-1024"\n')
    contacts.write_text(text, encoding="utf-8")
    receiver.ok("contact", "add", "Shihan Huang", "--dept", "Manufacturing")
    rc = receiver.home / "contacts.toml"
    text = rc.read_text(encoding="utf-8")
    named = 'name = "Shihan Huang"\n'
    rc.write_text(text.replace(named, f'{named}employee_number = "e-1024"\n'), "utf-8")
    receiver.ok("contact", "add", "劉建國", "--dept", "Manufacturing")  # two namesakes
    receiver.ok("contact", "add", "劉建國", "--dept", "Legal")
    receiver.ok("contact", "add", "陳志豪", "--email", "other@elsewhere.example")  # not him
    receiver.ok("contact", "add", "吳俊傑", "--dept", "Manufacturing")  # by name
    pack = hand_over(giver, receiver, tmp_path)
    plan = json.loads(receiver.ok("import", "handover", str(pack), "--json", today=LATER))
    how = {
        p["name"]: (p["how"], p["into"], p["candidates"], p["namesakes"]) for p in plan["people"]
    }
    assert how == {
        "陳志豪": ("new", "c8", [], ["c6"]),
        "劉建國": ("apart", "c9", ["c4", "c5"], []),
        "林美玲": ("e-mail", "c2", [], []),
        "黃詩涵": ("employee number", "c3", [], []),
        "吳俊傑": ("name", "c7", [], []),
    }
    by_id = {c["id"]: c for c in raw_toml(receiver.home / "contacts.toml")["contact"]}
    assert by_id["c3"]["name"] == "Shihan Huang"  # the receiver's own name stays
    assert by_id["c3"]["role"] and by_id["c3"]["handover"][0]["was"] == "c10"
    shown = receiver.ok("contact", "show", "c9", "--include-private", "--json", today=LATER)
    assert json.loads(shown)["notes"] == (
        "From Alice Wu's handover of 2026-11-23: may be the same person as c4 劉建國, "
        "c5 劉建國; kept apart, not merged."
    )
    text_plan = receiver.ok("import", "handover", str(pack), "--dry-run", today=LATER)
    assert "Already imported: nothing to change." in text_plan


def test_two_people_of_the_pack_matching_one_contact_are_not_merged_into_it(
    receiver: Side, tmp_path: Path
) -> None:
    side = Side(tmp_path, "twins")
    side.ok("init")
    side.ok("contact", "add", "Kevin Lin", "--dept", "Plant 2")
    side.ok("contact", "add", "Kevin Lin", "--dept", "Plant 2")
    receiver.ok("contact", "add", "Kevin Lin", "--dept", "Plant 2")  # c3
    pack = tmp_path / "p.age"
    side.ok(
        "handover", "plant 2", "--to", receiver.recipient(), "--output", str(pack), "--from", GIVER
    )
    plan = json.loads(receiver.ok("import", "handover", str(pack), "--json"))
    assert [(p["how"], p["candidates"]) for p in plan["people"]] == [("apart", ["c3"])] * 2


# -- what the receiver counts -------------------------------------------------------------------


def test_the_givers_touches_never_count_as_the_receivers_own(
    giver: Side, receiver: Side, tmp_path: Path
) -> None:
    pack = hand_over(giver, receiver, tmp_path)
    receiver.ok("import", "handover", str(pack), today=LATER)
    coverage = json.loads(receiver.ok("report", "coverage", "--json", today=LATER))
    (row,) = [d for d in coverage["departments"] if d["dept"] == "Manufacturing"]
    assert (row["last_touch"], row["touchpoints_90d"]) == (None, 0)
    balance = json.loads(receiver.ok("report", "balance", "--json", today=LATER))
    assert {r["name"] for r in balance["rows"]} >= {"陳志豪", "劉建國"}
    assert [r["touchpoints"] for r in balance["rows"]] == [0] * len(balance["rows"])
    # the week the giver last met them, in review: none of it is the receiver's
    digest = json.loads(receiver.ok("digest", "--format", "json", "--week", "2026-W48"))
    assert digest["review"]["touchpoints"]["logged"] == 0
    assert not list((receiver.home / "log").glob("*.toml"))  # nothing went into the log
    shown = json.loads(receiver.ok("brief", "劉建國", "--json", today=LATER))
    assert shown["last_touch"] is None and shown["recent"] == []
    (before,) = shown["before_handover"]
    assert before["from"] == GIVER and before["last"] == "2026-09-09"
    assert before["count"] == sum(len(dates) for dates in before["touches"].values()) == 7


def test_the_brief_uses_the_plans_rules_for_who_has_gone_quiet(
    giver: Side, receiver: Side, tmp_path: Path
) -> None:
    overdue = json.loads(giver.ok("overdue", "--all", "--json"))
    quiet = {p["name"] for p in overdue["lapsed_contacts"] if p["dept"] == "Manufacturing"}
    assert quiet  # the demo has someone gone quiet there
    brief = plaintext(hand_over(giver, receiver, tmp_path), receiver)["brief"]
    section = brief.split("### Gone quiet\n\n", 1)[1].split("\n\n", 1)[0]
    assert {line[2:].split(" ")[0] for line in section.splitlines()} == quiet
    assert "- **Ally** 林美玲, Line Supervisor, Assembly Line 3 — last met" in brief
    assert "### Promises still open" in brief and "### Trust pulse" in brief


# -- bad packs: one line, nothing written ----------------------------------------------------------


def test_a_pack_for_another_key_is_refused_with_exit_10(
    giver: Side, receiver: Side, tmp_path: Path
) -> None:
    pack = hand_over(giver, receiver, tmp_path)
    other = Side(tmp_path, "other")
    other.ok("init")
    other.ok("key", "init")
    before = snapshot(other.home)
    result = other("import", "handover", str(pack))
    assert (result.exit_code, result.stdout) == (10, "")
    assert result.stderr.splitlines()[0] == (
        f"hrtrust: error: {pack}: this pack is not sealed to your key (the identity at "
        f"{other.identity}); nothing was written"
    )
    assert snapshot(other.home) == before


@pytest.mark.parametrize("cut", [0.5, 0.98, 40])
def test_a_truncated_or_damaged_pack_is_refused_with_exit_5(
    giver: Side, receiver: Side, tmp_path: Path, cut: float
) -> None:
    pack = hand_over(giver, receiver, tmp_path)
    data = pack.read_bytes()
    short = tmp_path / "short.age"
    short.write_bytes(data[: int(len(data) * cut)] if cut < 1 else data[: int(cut)])
    before = snapshot(receiver.home)
    result = receiver("import", "handover", str(short))
    assert (result.exit_code, result.stdout) == (5, "")
    assert result.stderr.startswith(f"hrtrust: error: {short}: ")
    assert len(result.stderr.splitlines()) == 2  # the error and its hint
    assert snapshot(receiver.home) == before


def test_a_file_that_is_no_pack_or_cannot_be_read(receiver: Side, tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("hello", encoding="utf-8")
    result = receiver("import", "handover", str(junk))
    assert result.exit_code == 5
    assert "not a handover pack (not an age-encrypted file)" in result.stderr
    missing = receiver("import", "handover", str(tmp_path / "missing.age"))
    assert missing.exit_code == 7


def test_a_pack_from_a_newer_hrtrust_is_refused_with_exit_2(
    giver: Side, receiver: Side, tmp_path: Path
) -> None:
    import pyrage

    data = plaintext(hand_over(giver, receiver, tmp_path), receiver)
    data["format_version"] = 2
    to = pyrage.x25519.Recipient.from_str(receiver.recipient())
    newer = tmp_path / "newer.age"
    newer.write_bytes(pyrage.encrypt(json.dumps(data).encode(), [to]))  # binary age works too
    before = snapshot(receiver.home)
    result = receiver("import", "handover", str(newer))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"hrtrust: error: {newer}: a pack of format version 2, from a newer hrtrust; this one "
        "reads version 1; nothing was written"
    )
    assert snapshot(receiver.home) == before


# -- the giver's side ------------------------------------------------------------------------------


def test_dry_runs_write_nothing_and_show_the_brief(
    giver: Side, receiver: Side, tmp_path: Path
) -> None:
    before = snapshot(giver.home)
    out = giver.ok(
        "handover",
        "Manufacturing",
        "--to",
        receiver.recipient(),
        "--dry-run",
        "--archive",
        "--from",
        GIVER,
    )
    assert out.startswith("# Handover: Manufacturing\n")
    assert out.endswith("Dry run: nothing was written.\n")
    fields = private_fields(giver)
    assert f"private notes left out ({fields} fields; --include-private adds them)" in out
    assert snapshot(giver.home) == before
    pack = hand_over(giver, receiver, tmp_path)
    before = snapshot(receiver.home)
    shown = receiver.ok("import", "handover", str(pack), "--dry-run", today=LATER)
    assert shown.startswith("# Handover: Manufacturing\n")
    assert "林美玲 → c2 林美玲 (same e-mail)" in shown
    assert shown.endswith("Dry run: nothing was written.\n")
    assert snapshot(receiver.home) == before


def test_archive_retires_what_was_handed_over(giver: Side, receiver: Side, tmp_path: Path) -> None:
    # without a department: one only Manufacturing people attend goes; a shared one stays
    giver.ok(
        "activity",
        "add",
        "Line leads breakfast",
        "--kind",
        "coffee-chat",
        "--rule",
        "monthly on first fri",
        "--with",
        "林美玲",
        "--with",
        "黃詩涵",
    )
    giver.ok(
        "activity",
        "add",
        "Cross-site forum",
        "--kind",
        "open-forum",
        "--rule",
        "quarterly",
        "--with",
        "林美玲",
        "--with",
        "maria",
    )
    pack = plaintext(hand_over(giver, receiver, tmp_path, "--archive"), receiver)
    assert "Line leads breakfast" in {a["title"] for a in pack["activities"]}
    assert "Cross-site forum" not in {a["title"] for a in pack["activities"]}
    contacts = raw_toml(giver.home / "contacts.toml")["contact"]
    assert {c["name"] for c in contacts if c.get("archived") == TODAY} == {
        "陳志豪",
        "劉建國",
        "林美玲",
        "黃詩涵",
        "吳俊傑",
    }
    depts = {d["name"]: d for d in raw_toml(giver.home / "config.toml")["department"]}
    assert depts["Manufacturing"]["client"] is False
    promises = {p["id"]: p for p in raw_toml(giver.home / "promises.toml")["promise"]}
    assert promises["p17"]["status"] == "cancelled" and promises["p17"]["reason"].startswith(
        "handed over (pack "
    )
    activities = {a["title"]: a for a in raw_toml(giver.home / "activities.toml")["activity"]}
    assert activities["Manufacturing management meeting"]["until"] == TODAY
    assert activities["Line leads breakfast"]["until"] == TODAY
    assert "until" not in activities["Cross-site forum"]
    plan = json.loads(giver.ok("plan", "week", "--json", today=LATER))
    assert "Manufacturing" not in json.dumps(plan["coverage"], ensure_ascii=False)


def test_recipient_forms(giver: Side, receiver: Side, tmp_path: Path) -> None:
    public = tmp_path / "their-key.txt"
    public.write_text(f"# from Bob\n{receiver.recipient()}\n", encoding="utf-8")
    out = tmp_path / "p.age"
    giver.ok("handover", "Manufacturing", "--to", str(public), "--output", str(out))
    assert plaintext(out, receiver)["to"] == receiver.recipient()
    for to, message in (
        (str(receiver.identity), "holds a secret key (an identity), not a public key"),
        ("age1nope", "is not an age public key"),
        (str(tmp_path / "missing.txt"), "is neither an age public key (age1...) nor a file"),
    ):
        result = giver("handover", "Manufacturing", "--to", to, "--output", str(out))
        assert result.exit_code == 2 and message in result.stderr, result.stderr
    unknown = giver("handover", "Manufactoring", "--to", receiver.recipient(), "--dry-run")
    assert unknown.exit_code == 2 and "did you mean Manufacturing?" in unknown.stderr
    inside = giver(
        "handover", "Sales", "--to", receiver.recipient(), "--output", str(giver.home / "x.age")
    )
    assert inside.exit_code == 2 and "inside the data home" in inside.stderr
    missing = giver("handover", "Sales", "--to", receiver.recipient())
    assert missing.exit_code == 2 and "needs --output FILE" in missing.stderr


def test_a_near_miss_department_is_refused_not_doubled(
    giver: Side, receiver: Side, tmp_path: Path
) -> None:
    pack = tmp_path / "sales.age"
    giver.ok("handover", "Sales", "--to", receiver.recipient(), "--output", str(pack))
    receiver.ok("dept", "add", "Saless")
    before = snapshot(receiver.home)
    result = receiver("import", "handover", str(pack))
    assert result.exit_code == 2 and "close to Saless" in result.stderr
    assert snapshot(receiver.home) == before


def test_the_shell_completes_departments(demo: Path) -> None:
    from typer.testing import CliRunner

    from hrtrust.cli.app import app

    env = {"_HRTRUST_COMPLETE": "complete_bash", "COMP_CWORD": "3"}
    env["COMP_WORDS"] = "hrtrust handover Sales Tai"
    result = CliRunner().invoke(app, [], prog_name="hrtrust", env=env)
    assert (result.exit_code, result.stdout.split("\n")) == (0, ["Taichung Office", ""])


def test_a_record_naming_a_department_the_receiver_does_not_know_keeps_only_its_person(
    giver: Side, receiver: Side, tmp_path: Path
) -> None:
    giver.ok("promise", "add", "introduce her to the Sales leads", "--to", "林美玲", "--due", "fri")
    promises = giver.home / "promises.toml"
    text = promises.read_text(encoding="utf-8")
    mark = 'text = "introduce her to the Sales leads"\n'
    promises.write_text(text.replace(mark, mark + 'dept = "Sales"\n'), encoding="utf-8")
    receiver.ok("import", "handover", str(hand_over(giver, receiver, tmp_path)), today=LATER)
    (intro,) = [
        p
        for p in raw_toml(receiver.home / "promises.toml")["promise"]
        if p["text"].startswith("introduce")
    ]
    assert intro["person"] == "c2" and "dept" not in intro
    assert [d["name"] for d in raw_toml(receiver.home / "config.toml")["department"]] == [
        "HR",
        "Legal",
        "Manufacturing",
    ]
