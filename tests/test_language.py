"""Which language hrtrust speaks (issue 28): --lang, config.toml's language, the locale;
cron's bare environment uses the configured one. What scripts read never changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Cli
from hrtrust import locale

HRTRUST = str(Path(sys.executable).parent / "hrtrust")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "zh_TW.UTF-8"}, "zh-TW"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "zh-TW"),
        ({"LANG": "zh_TW.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LANG": "zh_HK.UTF-8"}, "zh-TW"),
        ({"LANG": "zh_Hant_TW.UTF-8"}, "zh-TW"),
        ({"LANG": "zh_CN.UTF-8"}, "en"),  # Simplified Chinese is not offered: English
        ({"LANG": "C"}, "en"),
        ({}, "en"),
    ],
)
def test_the_locale_chooses_as_c_libraries_do(environ: dict[str, str], expected: str) -> None:
    assert locale.from_locale(environ) == expected


def test_option_then_config_then_locale() -> None:
    env = {"LANG": "zh_TW.UTF-8"}
    assert locale.choose("en", "zh-TW", env) == "en"
    assert locale.choose(None, "en", env) == "en"
    assert locale.choose(None, "auto", env) == "zh-TW"
    assert locale.choose(None, None, {"LANG": "C"}) == "en"


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HRTRUST, *args], capture_output=True, text=True, env=env, check=False)


def test_cron_s_bare_environment_uses_the_configured_language(tmp_path: Path) -> None:
    home = tmp_path / "home"
    bare = {"HOME": str(tmp_path), "PATH": os.environ["PATH"]}  # env -i HOME=… PATH=…
    assert run("--home", str(home), "init", env=bare).returncode == 0
    assert "Options" in run("--home", str(home), "--help", env=bare).stdout
    assert run("--home", str(home), "config", "set", "language", "zh-TW", env=bare).returncode == 0
    shown = run("--home", str(home), "--help", env=bare).stdout
    assert "選項" in shown and "Options" not in shown
    english = run("--home", str(home), "--lang", "en", "--help", env=bare).stdout
    assert "Options" in english


def test_an_unknown_language_is_a_usage_error(cli: Cli, empty: Path) -> None:
    result = cli("--lang", "klingon", "contact", "list")
    assert result.exit_code == 2
    assert result.stderr.startswith("hrtrust: error: --lang 'klingon': unknown language\n")
    bad = cli("config", "set", "language", "fr")
    assert (bad.exit_code, bad.stderr.splitlines()[0]) == (
        2,
        "hrtrust: error: unknown language 'fr'",
    )


def test_json_is_the_same_in_both_languages(cli: Cli, demo: Path) -> None:
    for args in (
        ("plan", "week", "--json"),
        ("overdue", "--json"),
        ("report", "coverage", "--json"),
    ):
        english = cli("--lang", "en", *args).stdout
        chinese = cli("--lang", "zh-TW", *args).stdout
        assert english == chinese, args


def test_help_has_no_english_frame_in_chinese() -> None:
    """Typer's own copy of Click has no catalogue: its "Usage:" and the --help option's text
    are said through the command's public hooks (the installed command, as a user runs it:
    the language is chosen before any command is built)."""
    env = {**os.environ, "LANG": "C.UTF-8"}
    for args in ((), ("log",), ("plan", "week"), ("contact", "add")):
        shown = run("--lang", "zh-TW", *args, "--help", env=env).stdout
        assert shown.startswith("用法：hrtrust"), args
        assert "Usage:" not in shown and "Show this message" not in shown, args
    english = run("log", "--help", env=env).stdout
    assert english.startswith("Usage: hrtrust log") and "Show this message and exit." in english
