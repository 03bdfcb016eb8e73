"""`forget` never guesses in other people's words (issue 25, finding 3): --dry-run, --also."""

from __future__ import annotations

from pathlib import Path

from conftest import Cli, snapshot


def setup(cli: Cli) -> None:
    assert (
        cli("contact", "add", "Will Hope", "--dept", "Sales", "--email", "wh@x.example").exit_code
        == 0
    )
    assert cli(
        "log", "coffee-chat", "--with", "maria",
        "--note", "Will Hope said he will test it; I hope so. Will owes wh@x.example a reply.",
        "--learned", "Hope is her sister's name",
    ).exit_code == 0  # fmt: skip


def test_dry_run_shows_every_change_and_writes_nothing(cli: Cli, demo: Path) -> None:
    setup(cli)
    before = snapshot(demo)
    result = cli("forget", "Will Hope", "--dry-run")
    assert result.exit_code == 0, result.output
    assert snapshot(demo) == before
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Dry run, nothing was changed. Forgetting Will Hope (c")
    assert "Would replace their name with [forgotten] in: log entry 2026-11-23." in lines[1]
    assert '(note): "Will"' in lines[2] and '(learned): "Hope"' in lines[2]
    assert lines[3].endswith("--also Hope --also Will")


def test_ordinary_words_and_single_names_are_left_as_written(cli: Cli, demo: Path) -> None:
    setup(cli)
    before = snapshot(demo)
    result = cli("forget", "Will Hope", "--yes")
    assert result.exit_code == 0, result.output
    shown = cli("log", "list", "--with", "maria", "--json", "--include-private").stdout
    assert "[forgotten] said he will test it; I hope so. Will owes [forgotten] a reply." in shown
    assert "Hope is her sister's name" in shown
    after = snapshot(demo)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    # the demo's own texts ("will", "hope" in others' notes) keep every word
    assert changed == {"contacts.toml", "log/2026-11.toml"}


def test_also_rewrites_the_words_asked_for_exactly_as_typed(cli: Cli, demo: Path) -> None:
    setup(cli)
    result = cli("forget", "Will Hope", "--yes", "--also", "Will")
    assert result.exit_code == 0, result.output
    shown = cli("log", "list", "--with", "maria", "--json", "--include-private").stdout
    assert "[forgotten] said he will test it; I hope so. [forgotten] owes [forgotten]" in shown
    assert "Hope is her sister's name" in shown


def test_someone_else_s_longer_name_and_address_are_left_alone(cli: Cli, demo: Path) -> None:
    """Red team: forgetting "Jean Luc" rewrote "Jean-Luc Picard" (another contact), and
    maria.chen@x.example turned maria.chen@x.example.tw into "[forgotten].tw"."""
    assert cli("contact", "add", "Jean Luc", "--email", "jl@x.example").exit_code == 0
    assert cli("contact", "add", "Jean-Luc Picard").exit_code == 0
    note = "Jean-Luc Picard said jean luc picard; Jean Luc agreed; mail jl@x.example.tw"
    assert cli("log", "check-in", "--with", "maria", "--note", note).exit_code == 0
    assert cli("forget", "Jean Luc", "--yes").exit_code == 0
    shown = cli("log", "list", "--with", "maria", "--json", "--include-private").stdout
    assert "Jean-Luc Picard said jean luc picard; [forgotten] agreed; mail jl@x.example.tw" in shown


def test_also_needs_a_word(cli: Cli, demo: Path) -> None:
    setup(cli)
    result = cli("forget", "Will Hope", "--yes", "--also", " ")
    assert result.exit_code == 2
    assert result.stderr.startswith("hrtrust: error: --also needs a word\n")
