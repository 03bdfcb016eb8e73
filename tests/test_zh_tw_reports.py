"""`brief`, every report, the lists people read (`contact`, `log`, `feedback`, `pulse`),
`handover` and `import handover`, and the export and backup confirmations in Traditional
Chinese (issue 28): the Taiwanese forms, no English word left but names, ids, commands and what
scripts read, CJK aligned at 80 columns, the health page in zh-Hant-TW, and --json the same in
both languages."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from conftest import Cli, toml_strings
from hrtrust import locale


@pytest.fixture
def chinese() -> Iterator[None]:
    locale.set_language(locale.CHINESE)
    yield
    locale.reset()


def zh(cli: Cli, *args: str, columns: int = 80, env: dict[str, str] | None = None) -> str:
    result = cli("--lang", "zh-TW", *args, env={"COLUMNS": str(columns), **(env or {})})
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert result.stderr == ""
    return str(result.stdout)


def typed_texts(home: Path) -> list[str]:
    """Every text the data files hold (names, departments, titles, notes, feedback, log
    notes): what stays as typed in any language. Longest first."""
    found = {
        t for path in [*home.glob("*.toml"), *home.glob("log/*.toml")] for t in toml_strings(path)
    }
    return sorted((t for t in found if t.strip()), key=len, reverse=True)


def english_left(text: str, home: Path) -> list[str]:
    """The ASCII words of ``text`` once the user's own texts, commands, ids and dates are taken
    out (a note cut short with … cannot be matched whole: its words count)."""
    text = re.sub(r"`[^`]*`", " ", text)  # commands to type
    text = re.sub(r"hrtrust [a-z][^）)\n<]*", " ", text)  # a command without backticks
    text = re.sub(r"\bhrtrust\b", " ", text)  # its name (the page says what made it)
    text = re.sub(r"--[a-z][a-z-]*", " ", text)  # an option named in a sentence
    text = re.sub(r"age1[0-9a-z…]+", " ", text)  # a public key
    for typed in typed_texts(home):
        text = text.replace(typed, " ")
    text = re.sub(r"\b\d{4}-\d{2}-\d{2}(\.\d+)?\b", " ", text)  # ISO dates, log entry ids
    text = re.sub(r"\b[pacfst]\d+\b", " ", text)  # promise, activity, contact... ids
    return re.findall(r"[A-Za-z]{2,}", text)


def widest(text: str) -> int:
    return max(cell_len(line) for line in text.splitlines())


# -- brief ------------------------------------------------------------------------------------


def test_brief_in_chinese(cli: Cli, demo: Path) -> None:
    out = zh(cli, "brief", "maria")
    lines = out.splitlines()
    assert lines[0] == "Maria Chen  (c1)  Engineering Manager, Product Software · Engineering"
    assert lines[1] == "年資7年8個月（2019年3月到職） · 主管 · Taipei HQ (Neihu)"
    assert lines[2].startswith("上次互動：")
    assert re.fullmatch(r"上次互動：\d+天前（咖啡聊天）；聯繫頻率每3週：\d+天後到期", lines[2])
    for expected in (
        "備忘（私人）",
        "可以問問：Training for the Taipei Marathon",
        "最近的互動",
        "未完成的承諾",
        "到期  我欠  p1 Share the draft engineering promotion criteria",
        "接下來4週的共同行程",
    ):
        assert expected in out, expected
    assert re.search(
        r"\n11月24日（二） 10:00  Engineering weekly staff meeting（另有\d+次）\n", out
    )
    assert widest(out) <= 80
    for ref in ("maria", "王小明", "劉建國", "蔡佩君", "Kevin"):
        assert english_left(zh(cli, "brief", ref, columns=1000), demo) == [], ref


def test_brief_lines_up_its_touchpoints_with_chinese_dates_and_kinds(cli: Cli, demo: Path) -> None:
    out = zh(cli, "brief", "Kevin")
    recent = out.split("最近的互動\n")[1].split("\n\n")[0].splitlines()
    assert len(recent) == 3 and all(re.search("[\u4e00-\u9fff]", line) for line in recent)
    columns = [re.match(r"(\d+月\d+日\s+)(\S+\s+)", line) for line in recent]
    kinds = {cell_len(m.group(1)) for m in columns if m}
    notes = {cell_len(m.group(1) + m.group(2)) for m in columns if m}
    assert len(kinds) == 1 and len(notes) == 1 and all(columns), recent  # one column each


def test_brief_celebrates_and_counts_the_feedback_in_chinese(cli: Cli, demo: Path) -> None:
    out = zh(cli, "brief", "劉建國")
    assert "慶祝：12月5日（六）生日" in out
    assert "對方尚未結案的回饋" in out and re.search(r"（\d+項行動）", out)
    assert "f3 75天  " in out


# -- report coverage ------------------------------------------------------------------------------


def test_report_coverage_in_chinese(cli: Cli, demo: Path) -> None:
    out = zh(cli, "report", "coverage")
    lines = out.splitlines()
    assert lines[0] == "11月23日（一） 服務部門覆蓋情形"
    assert lines[1] == "近30天與90天的互動次數；提醒：需要處理的事"
    assert lines[2].split() == ["部門", "人數", "人資之友", "30天", "90天", "上次互動", "提醒"]
    rows = {line.split()[0]: line for line in lines[4:8]}
    assert rows["Sales"].endswith("無人資之友")
    assert "待處理" in out
    assert "• Sales：還沒有人資之友，找一位吧（見 `plan week`）。" in out
    for name, row in rows.items():  # a department gone quiet is said to need a visit
        if "久未聯繫" in row:
            visit = rf"• {name}.*：上次互動是\d+天前（聯繫頻率：每\d*[週月]），安排一次拜訪吧。"
            assert re.search(visit, out), row
    # the counts end under their header's right edge, the last touch starts under its left one
    header = lines[2]
    thirty = cell_len(header[: header.index("30天") + len("30天")])
    ninety = cell_len(header[: header.index("90天") + len("90天")])
    touch = cell_len(header[: header.index("上次互動")])
    for row in lines[4:8]:
        counts = re.search(r"(\d+)\s+(\d+)\s+(\d+天前|從未)", row)
        assert counts is not None, row
        assert cell_len(row[: counts.end(1)]) == thirty, row
        assert cell_len(row[: counts.end(2)]) == ninety, row
        assert cell_len(row[: counts.start(3)]) == touch, row
    assert widest(out) <= 80
    assert english_left(zh(cli, "report", "coverage", columns=1000), demo) == []


# -- the other reports ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("report", "balance"),
        ("report", "balance", "--by", "dept"),
        ("report", "promises"),
        ("report", "promises", "--months", "12"),
        ("report", "feedback"),
        ("report", "pulse"),
    ],
)
def test_every_report_in_chinese(cli: Cli, demo: Path, args: tuple[str, ...]) -> None:
    out = zh(cli, *args)
    assert widest(out) <= 80, out
    assert english_left(zh(cli, *args, columns=1000), demo) == []


def test_report_words_in_chinese(cli: Cli, demo: Path) -> None:
    balance = zh(cli, "report", "balance")
    assert balance.startswith("主管間的均衡：8月26日～11月23日的互動（90天）\n")
    assert "中位數" in balance and "吉尼係數" in balance
    assert re.search(r"每月吉尼係數( +\d+月)+ *\n", balance)
    if "< 中位數的一半" in balance:
        assert "多花點時間在：" in balance and "\n平均支援每位主管" in balance
    per_head = zh(cli, "report", "balance", "--by", "dept")
    assert "編制人數" in per_head and "每10人" in per_head
    promises = zh(cli, "report", "promises", "--months", "12")
    assert "承諾兌現：我欠的承諾，依到期月份" in promises
    assert re.search(r"\n2026年11月 .*準時\d+項、延遲\d+項、未兌現\d+項", promises)
    assert "整體準時兌現率：" in promises
    assert re.search(r"\n改期最多的承諾\n編號 +次數 +延後 +對象 +承諾 +目前 *\n", promises)
    assert re.search(r"\np1 +\d+次 +\+\d+天 +Maria Chen ", promises)
    feedback = zh(cli, "report", "feedback")
    assert feedback.startswith("未結案的回饋，最舊的在前（")
    assert "Engineering（王小明）" in feedback
    assert "已採取行動，最近一次在" in feedback
    assert "`hrtrust feedback close f2`" in feedback
    pulse = zh(cli, "report", "pulse")
    assert pulse.startswith("各部門的信任脈動調查（舊 → 新）\n")
    assert re.search(r"Engineering .* \d{4}年\d+月，連續\d+次上升", pulse)


def test_the_newsletter_in_chinese(cli: Cli, demo: Path) -> None:
    out = zh(cli, "report", "feedback", "--markdown")
    assert out.startswith("## 您說、我們做\n\n**您說**（")
    assert "**我們做了：**" in out
    assert re.search(r"^- \d{4}年\d+月\d+日：", out, re.M)
    assert "*已完成。*" in out and "*仍在進行中，後續會再更新。*" in out
    named = zh(cli, "report", "feedback", "--markdown", "--names")
    assert re.search(r"\*\*您說\*\*（\S+（Manufacturing），\d{4}年", named)
    assert english_left(out, demo) == []


def test_small_groups_are_said_in_chinese(cli: Cli, demo: Path) -> None:
    zh(cli, "pulse", "add", "--dept", "Sales", "--score", "2.1", "--responses", "3")
    pulse = zh(cli, "report", "pulse")
    assert "回覆少於5份" in pulse
    assert english_left(zh(cli, "report", "pulse", columns=1000), demo) == []
    listed = zh(cli, "pulse", "list")
    assert "回覆少於5份" in listed


# -- the health page ----------------------------------------------------------------------------


class _Text(HTMLParser):
    """The words of a page a person reads: text outside <style> and <code>."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("style", "code")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "code")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.words.append(data)


def test_the_health_page_in_chinese(cli: Cli, demo: Path, tmp_path: Path) -> None:
    page = tmp_path / "health.html"
    zh(cli, "report", "health", "--output", str(page))
    html = page.read_text("utf-8")
    assert '<html lang="zh-Hant-TW">' in html
    assert "<h1>關係健康報告</h1>" in html
    assert "2025年12月～2026年11月（12個月） · 截至2026年11月23日" in html
    for expected in (
        "<dt>期間</dt>",
        '<h2 id="coverage-title">部門覆蓋</h2>',
        '<h2 id="promises-title">承諾兌現</h2>',
        '<h2 id="pulse-title">信任脈動調查</h2>',
        '<h2 id="balance-title">主管間的均衡</h2>',
        '<h2 id="feedback-title">回饋處理</h2>',
        '<h2 id="recognition-title">公開表揚</h2>',
        ">群發</text>",  # the chart's own labels
        ">準時兌現</text>",
        ">期間內的互動次數</text>",
        "12月</text>",
        "2025年</text>",
        "Sales（無人資之友）",
        "Noto Sans CJK TC",
    ):
        assert expected in html, expected
    reader = _Text()
    reader.feed(html)
    assert english_left(" ".join(reader.words), demo) == []
    english = tmp_path / "english.html"
    cli("--lang", "en", "report", "health", "--output", str(english))
    assert '<html lang="en">' in english.read_text("utf-8")


# -- the lists people read ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "header"),
    [
        (("contact", "list"), ["編號", "姓名", "部門", "標籤", "頻率", "上次互動"]),
        (("log", "list"), ["編號", "類型", "對象", "備註"]),
        (("feedback", "list", "--all"), ["編號", "天數", "來自", "回饋", "狀態"]),
        (("pulse", "list"), ["編號", "日期", "部門", "分數", "回覆人數"]),
    ],
)
def test_lists_in_chinese(cli: Cli, demo: Path, args: tuple[str, ...], header: list[str]) -> None:
    out = zh(cli, *args)
    assert out.splitlines()[0].split() == header
    assert widest(out) <= 80
    if args[0] != "log":  # the log's notes are cut to fit: their words cannot be matched whole
        assert english_left(zh(cli, *args, columns=1000), demo) == []


def test_contact_list_lines_up_with_chinese_tags_and_cadences(cli: Cli, demo: Path) -> None:
    lines = zh(cli, "contact", "list").splitlines()
    header = lines[0]
    column = cell_len(header[: header.index("頻率")])
    for row in lines[2:]:
        every = re.search(r"每\S*[週月天年季]|每週|每月", row)
        assert every is not None and cell_len(row[: every.start()]) == column, row
    assert any("人資之友" in row and "每2週" in row for row in lines)


def test_log_list_shows_kinds_by_their_chinese_names(cli: Cli, demo: Path) -> None:
    out = zh(cli, "log", "list")
    assert "咖啡聊天" in out and "部門會議" in out
    assert "coffee-chat" not in out
    # several people: one a line, never cut short
    assert re.search(r"部門會議\s+Maria Chen\s.*\n\s+王小明\s*\n\s+Priya Nair", out)


def test_log_show_and_contact_show_in_chinese(cli: Cli, demo: Path) -> None:
    card = zh(cli, "log", "show", "2026-11-17.1")
    assert card.startswith("2026年11月17日（二）的部門會議  (2026-11-17.1)\n")
    assert "類型   部門會議（department-meeting）" in card
    assert "對象   Maria Chen（c1）、王小明（c2）、Priya Nair（c4）" in card
    assert english_left(zh(cli, "log", "show", "2026-11-17.1", columns=1000), demo) == []
    person = zh(cli, "contact", "show", "蔡佩君")
    assert "聯繫頻率   每2週（依標籤）" in person
    assert english_left(zh(cli, "contact", "show", "蔡佩君", columns=1000), demo) == []


def test_roster_moments_are_said_in_chinese(chinese: None) -> None:
    from hrtrust.present.views import moment_name

    assert [moment_name(k) for k in ("hired", "transfer", "title", "manager", "left")] == [
        "到職",
        "調動",
        "職稱異動",
        "主管異動",
        "離職",
    ]
    locale.set_language(locale.ENGLISH)
    assert moment_name("transfer") == "transfer"


# -- JSON -------------------------------------------------------------------------------------


def test_json_is_the_same_in_both_languages(cli: Cli, demo: Path) -> None:
    zh(cli, "pulse", "add", "--dept", "Sales", "--score", "2.1", "--responses", "3")
    for args in (
        ("report", "coverage", "--json"),
        ("report", "balance", "--json"),
        ("report", "balance", "--by", "dept", "--json"),
        ("report", "promises", "--json"),
        ("report", "feedback", "--json"),
        ("report", "pulse", "--json"),
        ("report", "health", "--json"),
        ("brief", "maria", "--json"),
        ("brief", "劉建國", "--json", "--include-private"),
        ("contact", "list", "--json"),
        ("log", "list", "--json"),
        ("log", "show", "2026-11-17.1", "--json"),
        ("feedback", "list", "--all", "--json"),
        ("pulse", "list", "--json"),
    ):
        english = cli("--lang", "en", *args)
        chinese = cli("--lang", "zh-TW", *args)
        assert english.exit_code == chinese.exit_code == 0, args
        assert english.stdout == chinese.stdout, args
    pulse = json.loads(cli("--lang", "zh-TW", "report", "pulse", "--json").stdout)
    assert "fewer than 5 responses" in json.dumps(pulse)


def test_the_newsletter_and_the_reports_stay_english_in_english(cli: Cli, demo: Path) -> None:
    out = cli("--lang", "en", "report", "feedback", "--markdown").stdout
    assert out.startswith("## You said, we did\n\n**You said** (")
    assert cli("--lang", "en", "report", "coverage").stdout.startswith(
        "Client department coverage, Mon Nov 23\n"
    )


# -- handover ----------------------------------------------------------------------------------


class Side:
    """An HR partner's data home and identity, run in one language."""

    def __init__(self, root: Path, name: str, lang: str) -> None:
        self.home = root / name / "home"
        identity = root / name / "keys" / "identity.txt"
        self.env = {
            "HRTRUST_HOME": str(self.home),
            "HRTRUST_IDENTITY": str(identity),
            "COLUMNS": "1000",
        }
        self.lang = lang
        self.cli = Cli()

    def __call__(self, *args: str) -> Any:
        return self.cli("--lang", self.lang, *args, env=self.env)

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return str(result.stdout)


def test_handover_in_chinese(tmp_path: Path) -> None:
    giver = Side(tmp_path, "giver", "zh-TW")
    giver.ok("init", "--demo")
    receiver = Side(tmp_path, "receiver", "zh-TW")
    receiver.ok("init", "--timezone", "Asia/Taipei")
    receiver.ok("key", "init")
    key = receiver.ok("key", "export-public").strip()
    pack = tmp_path / "m.age"

    dry = giver.ok("handover", "Manufacturing", "--to", key, "--from", "陳怡君", "--dry-run")
    assert dry.startswith("# 交接：Manufacturing\n\n_交接人：陳怡君，2026年11月23日，以 age1")
    for expected in (
        "### 人資之友與主管",
        "- **人資之友** 林美玲（",
        "） — 上次見面：2026年11月",
        "### 未完成的承諾",
        "- **我欠對方** ",
        "### 已提出、尚未結案",
        "### 信任脈動調查",
        "### 固定活動",
        "陳怡君將Manufacturing交接給 age1",
        "試跑：沒有寫入任何資料。",
    ):
        assert expected in dry, expected
    assert re.search(r"（滿分5；最近一次\d{4}年\d+月\d+日，(上升|下降)[\d.]+）", dry)
    assert english_left(dry, giver.home) == []

    made = giver.ok("handover", "Manufacturing", "--to", key, "--from", "陳怡君", "-o", str(pack))
    assert f"已寫入 {pack}（以 age1" in made
    assert "接手的人執行：hrtrust import handover m.age" in made

    plan = receiver.ok("import", "handover", str(pack))
    assert plan.startswith("陳怡君於2026年11月23日交接Manufacturing（以 age1")
    assert "新部門：Manufacturing" in plan and "人員：新增5人，比對成功0人" in plan
    assert "  林美玲 → c" in plan and "（新增）" in plan
    assert re.search(r"\n新增：\d+ ?個活動、\d+項承接的承諾、", plan)
    assert english_left(plan, giver.home) == []
    assert receiver.ok("import", "handover", str(pack)).endswith(
        "已經匯入過：沒有需要變更的地方。\n"
    )

    brief = receiver.ok("brief", "劉建國")
    assert re.search(r"交接前（來自陳怡君，2026年11月23日）：\d+次互動，", brief)
    assert re.search(r"；最後一次：[\u4e00-\u9fff]+）", brief)


def test_the_pack_s_brief_is_in_the_giver_s_language(tmp_path: Path) -> None:
    giver = Side(tmp_path, "giver", "en")
    giver.ok("init", "--demo")
    receiver = Side(tmp_path, "receiver", "zh-TW")
    receiver.ok("init", "--timezone", "Asia/Taipei")
    receiver.ok("key", "init")
    key = receiver.ok("key", "export-public").strip()
    pack = tmp_path / "s.age"
    giver.ok("handover", "Sales", "--to", key, "--from", "Alice Wu", "-o", str(pack))
    shown = receiver.ok("import", "handover", str(pack), "--dry-run")
    assert shown.startswith("# Handover: Sales\n")  # written by the giver, in English
    assert "Alice Wu於2026年11月23日交接Sales" in shown  # the merge plan: the receiver's language
    args = ("import", "handover", str(pack), "--dry-run", "--json")
    chinese = receiver.ok(*args)
    receiver.lang = "en"
    assert receiver.ok(*args) == chinese  # the plan's JSON: the same in both languages


# -- export, backup and import confirmations -------------------------------------------------


def test_export_and_backup_confirmations_in_chinese(cli: Cli, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "contacts.csv"
    done = cli("--lang", "zh-TW", "export", "csv", "--output", str(out))
    assert done.exit_code == 0
    backup = tmp_path / "backup.json"
    saved = cli("--lang", "zh-TW", "backup", "--output", str(backup))
    assert saved.exit_code == 0, saved.stderr
    assert f"要還原到空的資料夾，請執行：hrtrust import json {backup}" in saved.stdout
    again = cli("--lang", "zh-TW", "import", "json", str(backup))
    assert again.exit_code == 2
    assert "已經有資料（" in again.stderr and "import json 只能還原到空的資料夾" in again.stderr
    wrong = cli("--lang", "zh-TW", "report", "balance", "--by", "team")
    assert wrong.exit_code == 2 and "請指定 manager 或 dept" in wrong.stderr


# -- the pieces ----------------------------------------------------------------------------------


def test_dates_and_counts_of_the_long_views(chinese: None) -> None:
    from hrtrust.present import common as wording
    from hrtrust.present.reports import month_label, month_short

    day = dt.date(2026, 11, 23)
    assert wording.full_date(day) == "2026年11月23日"
    assert wording.month_year(day) == "2026年11月"
    assert month_label("2026-03") == "2026年3月"
    assert month_short("2026-03") == "3月"
    assert wording.span_text("2025年12月", "2026年11月") == "2025年12月～2026年11月"
    assert wording.days_or_weeks(30) == "4週"
    assert wording.days_or_weeks(10) == "10天"
    assert wording.months_count(12) == "12個月"
    assert wording.listed(["Sales", "Engineering"]) == "Sales、Engineering"
    locale.set_language(locale.ENGLISH)
    assert wording.full_date(day) == "Nov 23, 2026"
    assert month_label("2026-03") == "Mar 2026"
    assert wording.days_or_weeks(30) == "4 weeks"
    assert wording.days_or_weeks(1) == "1 day"


def test_a_small_group_is_english_for_scripts_and_said_in_chinese(chinese: None) -> None:
    from hrtrust.locale.phrase import said
    from hrtrust.present.common import fewer_than

    assert fewer_than(2) == "fewer than 3 responses"  # never below the floor
    hidden = fewer_than(5)
    assert hidden == "fewer than 5 responses"  # as --json carries it
    assert json.dumps({"suppressed": hidden}) == '{"suppressed": "fewer than 5 responses"}'
    assert said(hidden) == "回覆少於5份"
