"""Errors, hints, warnings, notes and confirmations in Traditional Chinese (issue 28): real
failures said in Chinese with the exit codes they have in English, the "hrtrust:" prefix kept,
and what scripts read (--json) unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import Cli

CJK = re.compile(r"[\u4e00-\u9fff]")


def zh(cli: Cli, *args: str):  # type: ignore[no-untyped-def]
    return cli("--lang", "zh-TW", *args)


def test_an_unknown_contact_with_did_you_mean(cli: Cli, demo: Path) -> None:
    result = zh(cli, "contact", "show", "marai")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        "hrtrust: 錯誤：找不到符合 'marai' 的聯絡人\n提示：您是指 Maria Chen 嗎？\n"
    )
    english = cli("contact", "show", "marai")
    assert (english.exit_code, english.stderr) == (
        3,
        "hrtrust: error: no contact matches 'marai'\nhint: did you mean Maria Chen?\n",
    )


def test_nobody_at_all_points_to_the_contact_list(cli: Cli, demo: Path) -> None:
    result = zh(cli, "contact", "show", "nobody")
    assert result.exit_code == 3
    assert result.stderr == (
        "hrtrust: 錯誤：找不到符合 'nobody' 的聯絡人\n"
        "提示：請見 `hrtrust contact list`，或用 `hrtrust contact add` 新增\n"
    )


def test_a_bad_date_lists_the_forms_accepted_chinese_ones_first(cli: Cli, demo: Path) -> None:
    result = zh(cli, "log", "coffee-chat", "--with", "maria", "--date", "someday")
    assert result.exit_code == 2
    error, hint = result.stderr.splitlines()
    assert error == "hrtrust: 錯誤：看不懂日期 'someday'"
    assert hint.startswith("提示：可用：今天、明天")
    for form in ("下週二", "週五", "12月3日", "民國115年12月3日", "3天後", "2026-12-01"):
        assert form in hint, form
    assert cli("log", "coffee-chat", "--with", "maria", "--date", "someday").exit_code == 2


def test_an_ambiguous_reference_lists_who_it_could_be(cli: Cli, demo: Path) -> None:
    result = zh(cli, "contact", "show", "m")
    assert result.exit_code == 4
    error, hint = result.stderr.splitlines()
    assert error == "hrtrust: 錯誤：'m' 符合 2 個人"
    assert hint == "提示：請用其中一個：Maria Chen（c1）、Rahul Mehta（c15）"
    assert cli("contact", "show", "m").exit_code == 4


def test_an_unknown_option(cli: Cli, demo: Path) -> None:
    result = zh(cli, "contact", "show", "maria", "--frob")
    assert result.exit_code == 2
    assert result.stderr == (
        "hrtrust: 錯誤：contact show 沒有 --frob 這個選項\n"
        "提示：請見 `hrtrust contact show --help`\n"
    )
    english = cli("contact", "show", "maria", "--frob")
    assert (english.exit_code, english.stderr.splitlines()[0]) == (
        2,
        "hrtrust: error: contact show has no option --frob",
    )


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (("plan", "weak"), 2, "plan 沒有 'weak' 這個指令"),
        (("contact", "pause", "maria"), 2, "缺少選項 '--until'"),
        (("pulse", "add", "--dept", "Sales", "--score", "x"), 2, "--score 需要數字，不是 'x'"),
        (("log", "coffee-chat", "--with", "kevin", "lin"), 2, "多出了引數 'lin'"),
        (("contact", "add", "Someone", "--today", "fri"), 2, "--today 是全域選項：要放在指令之前"),
    ],
)
def test_the_framework_s_usage_errors(
    cli: Cli, demo: Path, args: tuple[str, ...], code: int, said: str
) -> None:
    result = zh(cli, *args)
    assert result.exit_code == code == cli(*args).exit_code
    assert result.stderr.startswith(f"hrtrust: 錯誤：{said}\n"), result.stderr
    assert "提示：" in result.stderr


def test_a_missing_data_home(cli: Cli, home: Path) -> None:
    result = zh(cli, "contact", "list")
    assert result.exit_code == 8
    assert result.stderr == (
        f"hrtrust: 錯誤：{home} 裡沒有 hrtrust 的資料\n"
        "提示：請執行 `hrtrust init`（或用 `hrtrust init --demo` 試用示範資料）\n"
    )


def test_a_data_file_that_does_not_parse(cli: Cli, demo: Path) -> None:
    (demo / "contacts.toml").write_text("[[contact]\n", encoding="utf-8")
    result = zh(cli, "contact", "list")
    assert result.exit_code == 5
    assert result.stderr.startswith("hrtrust: 錯誤：")
    assert result.stderr.endswith("提示：請手動修正這個檔案（hrtrust 絕不會覆寫它讀不懂的檔案）\n")


def test_warnings_notes_and_confirmations(cli: Cli, demo: Path) -> None:
    added = zh(cli, "contact", "add", "Maria Chen", "--dept", "Legal")
    assert added.exit_code == 0
    new_id = re.findall(r"（(c\d+)）", added.stdout)[0]
    assert added.stdout == f"已新增 Maria Chen（{new_id}）。\n"
    assert added.stderr == (
        f"hrtrust: 警告：還有 1 位聯絡人也叫 Maria Chen（c1）；這一位請用 {new_id} 指稱\n"
        "hrtrust: 提醒：新部門 Legal（服務的部門；若是人資自己的部門："
        "hrtrust dept add Legal --internal）\n"
    )
    paused = zh(cli, "contact", "pause", "c1", "--until", "下週二")
    assert paused.stdout == "已暫停與 Maria Chen（c1）的聯繫，到 2026年12月1日（二） 為止。\n"


def test_the_forms_a_date_can_take_in_chinese_only_in_chinese(cli: Cli, demo: Path) -> None:
    assert zh(cli, "contact", "pause", "maria", "--until", "12/3").exit_code == 0
    english = cli("contact", "pause", "maria", "--until", "12/3")
    assert english.exit_code == 2
    assert "slashed dates are ambiguous" in english.stderr


def test_nothing_is_left_in_english_in_the_frame(cli: Cli, demo: Path) -> None:
    for args in (
        ("contact", "show", "nobody"),
        ("contact", "show", "m"),
        ("log", "coffee-chat", "--with", "maria", "--date", "someday"),
        ("dept", "remove", "Engineering"),
        ("activity", "skip", "a1", "2026-11-25"),
        ("config", "set", "timezone", "Asia/Taipe"),
        ("purge",),
        ("key", "rotate"),
    ):
        result = zh(cli, *args)
        assert result.exit_code != 0, args
        for line in result.stderr.splitlines():
            assert line.startswith(("hrtrust: 錯誤：", "提示：")), (args, line)
            assert CJK.search(line), (args, line)
        assert not re.search(r"\b(error|hint|see|use|did you mean|matches)\b", result.stderr), (
            args,
            result.stderr,
        )


def test_doctor_json_is_english_in_both_languages(cli: Cli, demo: Path) -> None:
    (demo / "contacts.toml").chmod(0o644)
    (demo / ".hrtrust-stray.tmp").write_text("x", encoding="utf-8")
    english = cli("doctor", "--json")
    chinese = zh(cli, "doctor", "--json")
    assert english.exit_code == chinese.exit_code
    assert json.loads(english.stdout) == json.loads(chinese.stdout)
    assert json.loads(chinese.stdout)["problems"] and not CJK.search(chinese.stdout)
    text = zh(cli, "doctor")
    assert "問題：" in text.stdout


def test_english_is_byte_identical_to_what_it_was(cli: Cli, demo: Path) -> None:
    result = cli("contact", "show", "m")
    assert result.stderr == (
        "hrtrust: error: 'm' matches 2 people\n"
        "hint: use one of: Maria Chen (c1), Rahul Mehta (c15)\n"
    )
    missing = cli("contact", "pause", "maria")
    assert missing.stderr.splitlines()[0] == "hrtrust: error: missing option '--until'"
