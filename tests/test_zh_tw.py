"""`plan week`, `overdue` and the promise messages in Traditional Chinese (issue 28): the
Taiwanese date forms, no English word left but names, ids and commands, CJK aligned at 80
columns, --json the same in both languages, and the locale choosing Chinese for the installed
script."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import Cli, toml_strings
from hrtrust import locale
from hrtrust.locale import N_
from hrtrust.locale.phrase import Phrase, known, phrase, said

HRTRUST = Path(sys.executable).parent / "hrtrust"


@pytest.fixture
def chinese() -> Iterator[None]:
    locale.set_language(locale.CHINESE)
    yield
    locale.reset()


def zh(cli: Cli, *args: str, columns: int = 80) -> str:
    result = cli("--lang", "zh-TW", *args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return str(result.stdout)


# -- what a person reads ---------------------------------------------------------------------


def user_texts(home: Path) -> list[str]:
    """Every text the demo's files hold (names, departments, titles, places, promises, kind
    labels): what stays as typed in any language."""
    found = [
        t
        for name in ("config.toml", "contacts.toml", "activities.toml", "promises.toml")
        for t in toml_strings(home / name)
    ]
    return sorted({t for t in found if t.strip()}, key=len, reverse=True)


def english_left(text: str, home: Path) -> list[str]:
    """The ASCII words of ``text`` once the user's own texts, commands and ids are taken out."""
    text = re.sub(r"`[^`]*`", " ", text)  # commands to type
    text = re.sub(r"hrtrust [a-z][^）)\n]*", " ", text)  # a command without backticks
    for typed in user_texts(home):
        text = text.replace(typed, " ")
    text = re.sub(r"\b[pa]\d+\b", " ", text)  # promise and activity ids
    return re.findall(r"[A-Za-z]{2,}", text)


def test_plan_week_in_chinese(cli: Cli, demo: Path) -> None:
    out = zh(cli, "plan", "week")
    first = out.splitlines()[0]
    assert first == "第48週  11月23日（一） – 11月27日（五）   今天是11月23日（一）"
    for expected in (
        "逾期：請先處理",
        "逾期3天  p4 ",
        "11月23日 星期一（今天）",
        "11月24日 星期二",
        "主動聯繫     人資之友會議：蔡佩君",
        "逾期28天（每2週）",
        "近況關心：Kevin Lin（Engineering、新進同仁），到職第30天的近況關心",
        "上次：11月10日 部門會議",
        "你答應對方：",
        "（11月20日到期）",
        "慶祝         林美玲：到職5週年",
        "慶祝         David Okafor：生日",
        "到期         p17 ",
        "另有5位已逾期，超出本週名額，請見 `hrtrust overdue`",
        "部門覆蓋與人資之友",
        "上次互動：32天前（聯繫頻率：每4週），久未聯繫",
        "尚無人資之友；可考慮：張雅婷、Emily Huang、Rahul Mehta",
    ):
        assert expected in out, expected
    wide = zh(cli, "plan", "week", columns=1000)
    assert english_left(wide, demo) == []


def test_plan_week_next_and_a_holiday_in_chinese(cli: Cli, demo: Path) -> None:
    out = zh(cli, "plan", "week", "--next")
    assert out.startswith("第49週  11月30日（一） – 12月4日（五）   今天是11月23日（一）\n")
    assert "慶祝         劉建國：12月5日（六）生日" in out  # a Saturday birthday, on Friday
    holiday = zh(cli, "plan", "week", "--week", "2026-W52", columns=1000)
    assert "12月25日 星期五\n國定假日     " in holiday
    assert "（國定假日）" in holiday
    assert "適逢國定假日，要略過嗎？（hrtrust activity skip a6 2026-12-25）" in holiday
    assert english_left(zh(cli, "plan", "week", "--next", columns=1000), demo) == []


def test_overdue_in_chinese(cli: Cli, demo: Path) -> None:
    out = zh(cli, "overdue")
    for expected in (
        "我欠的承諾（已逾期）",
        "我在等的承諾（已逾期）",
        "久未聯繫（超過聯繫頻率），最久的在前",
        "11月20日",
        "10月12日（42天前）",
        "每2週",
        "人資之友",
    ):
        assert expected in out, expected
    assert english_left(zh(cli, "overdue", columns=1000), demo) == []


def day_block_lines(out: str) -> list[str]:
    """The lines of the plan's days: from a day's title to the blank line after it."""
    lines, inside = [], False
    for line in out.splitlines():
        if re.match(r"\d+月\d+日 星期", line):
            inside = True
        elif not line:
            inside = False
        elif inside:
            lines.append(line)
    return lines


def test_cjk_stays_aligned_at_80_columns(cli: Cli, demo: Path) -> None:
    for args in (("plan", "week"), ("plan", "week", "--next"), ("overdue",)):
        out = zh(cli, *args)
        assert max(cell_len(line) for line in out.splitlines()) <= 80, args
    days = day_block_lines(zh(cli, "plan", "week"))
    assert len(days) > 20
    for line in days:  # the text column starts at cell 14 on every line, label or not
        label = re.match(r"\S*\s+", line)
        assert label is not None and cell_len(label.group()) == 13, line
    late = zh(cli, "overdue").split("\n\n")[0].splitlines()
    header = cell_len(late[1][: late[1].index("原到期日")])
    dates = [re.search(r"\d+月\d+日$", row.rstrip()) for row in late[3:]]
    starts = [cell_len(row[: d.start()]) for row, d in zip(late[3:], dates, strict=True) if d]
    assert starts and starts == [header] * len(starts)  # each due date under the header


def test_json_is_the_same_in_both_languages(cli: Cli, demo: Path) -> None:
    for args in (
        ("plan", "week", "--json"),
        ("plan", "week", "--next", "--json"),
        ("plan", "week", "--json", "--include-private"),
        ("overdue", "--json"),
        ("overdue", "--all", "--json"),
        ("promise", "list", "--all", "--json"),
        ("contact", "show", "蔡佩君", "--json"),
    ):
        english = cli("--lang", "en", *args)
        chinese = cli("--lang", "zh-TW", *args)
        assert english.exit_code == chinese.exit_code == 0, args
        assert english.stdout == chinese.stdout, args
    reach = json.loads(english_plan := cli("plan", "week", "--json").stdout)
    assert "28d overdue (every 2 weeks)" in english_plan
    assert reach


def test_a_holidays_name_in_json_is_the_same_in_both_languages(cli: Cli, demo: Path) -> None:
    args = ("plan", "week", "--week", "2026-W52", "--json")
    assert cli("--lang", "en", *args).stdout == cli("--lang", "zh-TW", *args).stdout
    shown = cli("--lang", "zh-TW", "plan", "week", "--week", "2026-W52").stdout
    assert "行憲紀念日" in shown  # the holidays package's own Chinese name, where people read


def test_english_stays_as_it_was(cli: Cli, demo: Path) -> None:
    out = cli("--lang", "en", "plan", "week").stdout
    assert out.startswith("Week 2026-W48  Mon Nov 23 – Fri Nov 27   (today Mon Nov 23)\n")
    assert "ally meeting with 蔡佩君 (Taichung Office, ally) — 28d overdue (every 2 weeks)" in out
    assert "last: site-visit on Oct 12" in out


# -- promises ---------------------------------------------------------------------------------


def test_promise_messages_in_chinese(cli: Cli, demo: Path) -> None:
    made = zh(cli, "promise", "add", "寄出新的輪班津貼辦法", "--to", "王小明", "--due", "fri")
    assert made.startswith("承諾 p")
    assert made.endswith("：我欠王小明：寄出新的輪班津貼辦法（11月27日（五）到期）。\n")
    pid = made.split()[1].split("：")[0]
    assert zh(cli, "promise", "done", pid) == f"已兌現 {pid}：寄出新的輪班津貼辦法（準時）。\n"
    kept = zh(cli, "promise", "done", "p4")
    assert kept.startswith("已兌現 p4：") and "（延遲3天，原訂11月20日（五）到期）。" in kept
    listed = zh(cli, "promise", "list", "--all")
    assert "準時兌現" in listed and "延遲3天兌現" in listed and "到期日" in listed
    again = cli("--lang", "zh-TW", "promise", "done", "p4")
    assert again.exit_code == 2
    assert "承諾 p4 已經兌現（2026-11-23）" in again.stderr


# -- the pieces --------------------------------------------------------------------------------


def test_dates_the_taiwanese_way(chinese: None) -> None:
    from hrtrust.present import common

    monday = dt.date(2026, 12, 7)
    assert common.short_date(monday) == "12月7日（一）"
    assert common.long_date(monday) == "12月7日 星期一"
    assert common.month_name(monday) == "2026年12月"
    assert common.week_name(monday) == "第50週"
    assert common.clock(dt.datetime(2026, 12, 7, 14, 30)) == "14:30"
    assert common.ago(monday - dt.timedelta(days=3), monday) == "3天前"
    assert common.ago(monday, monday) == "今天"
    assert common.ago(None, monday) == "從未"
    assert common.days_late(5) == "逾期5天"
    assert common.when(dt.date(2026, 11, 20), dt.date(2026, 11, 23)) == "11月20日（3天前）"
    assert common.cadence_text("2w") == "每2週"
    assert common.cadence_text("3m") == "每季"
    assert common.tags_text(["ally", "manager", "hiking"]) == "人資之友、主管、hiking"


def test_dates_in_english_are_unchanged() -> None:
    from hrtrust.present import common

    monday = dt.date(2026, 12, 7)
    assert common.short_date(monday) == "Mon Dec 7"
    assert common.long_date(monday) == "Monday Dec 7"
    assert common.month_name(monday) == "December 2026"
    assert common.week_name(monday) == "2026-W50"
    assert common.ago(monday - dt.timedelta(days=3), monday) == "3d ago"
    assert common.days_late(5) == "5d late"
    assert common.tags_text(["ally", "manager"]) == "ally, manager"


def test_a_phrase_is_english_for_scripts_and_said_in_the_run_s_language(chinese: None) -> None:
    from hrtrust.domain.dates import describe_cadence

    cadence = describe_cadence("2w")
    assert isinstance(cadence, Phrase)
    assert cadence == "every 2 weeks"
    assert json.dumps({"cadence": cadence}) == '{"cadence": "every 2 weeks"}'
    assert said(cadence) == "每2週"
    assert said("王小明") == "王小明"  # a name is said as typed
    hidden = phrase(N_("fewer than {n} responses"), n=5)
    assert (hidden, said(hidden)) == ("fewer than 5 responses", "回覆少於5份")
    holiday = known("Constitution Day", {"zh-TW": "行憲紀念日"})
    assert (holiday, said(holiday)) == ("Constitution Day", "行憲紀念日")
    broken = Phrase("as written", lambda: "{missing}".format_map({}))
    assert said(broken) == "as written"  # a translation gone wrong shows the English
    locale.set_language(locale.ENGLISH)
    assert said(cadence) == "every 2 weeks"


def test_a_plan_s_reasons_and_hooks_are_english_for_scripts_and_said_in_chinese(
    chinese: None,
) -> None:
    from hrtrust.domain.planning import Hook, Occasion, Reason, Topics
    from hrtrust.present.reasons import hook_text, hook_texts, reason_text, topic_texts

    day = dt.date(2026, 11, 10)
    overdue = Reason("overdue", n=28, cadence="2w")
    assert reason_text(overdue, english=True) == "28d overdue (every 2 weeks)"  # as --json
    assert reason_text(overdue) == "逾期28天（每2週）"
    due = Reason("due", day=dt.date(2026, 12, 9), cadence="1w", occasion=Occasion("see", "1:1"))
    assert reason_text(due, english=True) == "due Wed (weekly); you will see them at 1:1"
    assert reason_text(due) == "12月9日到期（每週）；你會在「1:1」見到對方"
    night = Reason("never", occasion=Occasion("handover", shift="夜班", at=dt.time(20)))
    assert reason_text(night, english=True) == (
        "never logged a touch yet; at the 20:00 shift handover (夜班)"
    )
    assert reason_text(night) == "還沒記錄過任何互動；約在 20:00 交接班時（夜班）"
    moved = Reason("moment", day=dt.date(2026, 12, 3), moment="transfer", after="Sales")
    assert (
        reason_text(moved, english=True) == "moved to Sales on Dec 3 — say hello in their new team"
    )
    assert reason_text(moved) == "12月3日調到Sales——去新團隊打聲招呼"
    last = Hook("last", False, day=day, touch="coffee-chat", label="Coffee chat")
    assert hook_text(last, english=True) == "last: coffee-chat on Nov 10"
    assert hook_text(last) == "上次：11月10日 咖啡聊天"
    owe = Hook("owe", False, "send the deck", day)
    assert hook_text(owe, english=True) == "you owe them: send the deck (due Nov 10)"
    assert hook_text(owe) == "你答應對方：send the deck（11月10日到期）"
    topics = Topics(("Q1 reorg",), locked=2)
    assert topic_texts(topics, english=True) == [
        "Q1 reorg",
        "2 encrypted topics (see `hrtrust brief`)",
    ]
    assert topic_texts(topics) == ["Q1 reorg", "2則加密的待談事項（請見 `hrtrust brief`）"]
    hooks = (Hook("raise", True, topics=topics), last)
    assert hook_texts(hooks, private=False) == ["上次：11月10日 咖啡聊天"]
    assert hook_texts(hooks, private=True, english=True)[0] == (
        "to raise: Q1 reorg; 2 encrypted topics (see `hrtrust brief`)"
    )
    assert locale.language() == locale.CHINESE  # english=True left the run's language alone
    locale.set_language(locale.ENGLISH)
    assert reason_text(overdue) == "28d overdue (every 2 weeks)"
    assert hook_text(last) == "last: coffee-chat on Nov 10"


def test_kinds_read_in_either_language(chinese: None) -> None:
    from hrtrust.domain.catalogue import label_for, resolve_kind
    from hrtrust.models import Config

    config = Config()
    assert label_for("ally-meeting") == "人資之友會議"
    assert label_for("lunch-and-learn") == "午餐學習會"
    assert label_for("site-visit") == "走動管理"
    assert label_for("floor-walk") == "floor-walk"  # not built in: its id
    assert resolve_kind("咖啡聊天", config).name == "coffee-chat"
    assert resolve_kind("部門會議", config).name == "department-meeting"
    assert resolve_kind("Lunch & learn", config).name == "lunch-and-learn"
    locale.set_language(locale.ENGLISH)
    assert label_for("department-meeting") == "Department meeting"


def test_every_translation_keeps_its_placeholders() -> None:
    """A translation uses only the placeholders its message has (``{due.month}`` reads the
    ``{due}`` of ``{due:%b} {due.day}``): a misspelt one would fail as the line is printed."""
    from string import Formatter

    from babel.messages.pofile import read_po

    po = Path(locale.__file__).parent / "zh_TW" / "LC_MESSAGES" / "hrtrust.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="zh_TW")

    def roots(text: str) -> set[str]:
        try:
            fields = [f for _, f, _, _ in Formatter().parse(text) if f is not None]
        except ValueError:
            return {"<unparsable>"}
        return {re.split(r"[.\[]", f)[0] for f in fields}

    bad = []
    for m in catalog:
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        if not m.id or not any(strings) or "{" not in "".join(ids):
            continue
        allowed = set().union(*(roots(i) for i in ids))
        for s in strings:
            if s and not roots(s) <= allowed:
                bad.append((m.id, s))
    assert bad == []


# -- the installed script ------------------------------------------------------------------------


@pytest.mark.skipif(not HRTRUST.exists(), reason=f"{HRTRUST} is not installed")
def test_the_locale_picks_chinese_for_the_installed_script(tmp_path: Path) -> None:
    home = tmp_path / "home"
    base = {"HOME": str(tmp_path), "PATH": os.environ["PATH"], "COLUMNS": "80"}

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(HRTRUST), "--home", str(home), "--today", "2026-11-23", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**base, **env},
            stdin=subprocess.DEVNULL,
            check=False,
            timeout=60,
        )

    assert run("init", "--demo").returncode == 0
    shown = run("plan", "week", LANG="zh_TW.UTF-8")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("第48週  11月23日（一）")
    assert "11月23日 星期一（今天）" in shown.stdout and "逾期" in shown.stdout
    overdue = run("overdue", LC_ALL="zh_TW.UTF-8", LANG="C")
    assert overdue.stdout.startswith("我欠的承諾（已逾期）\n")
    english = run("plan", "week", LANG="C.UTF-8")
    assert english.stdout.startswith("Week 2026-W48  Mon Nov 23")
    assert (
        run("plan", "week", "--json", LANG="zh_TW.UTF-8").stdout
        == run("plan", "week", "--json", LANG="C.UTF-8").stdout
    )
