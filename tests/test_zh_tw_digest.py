"""The Monday digest in Traditional Chinese (issue 28): every format a person reads says it the
Taiwanese way, with no English word of hrtrust's own left; the mail's subject too. What
scripts read (--format json, the webhook) is the same in both languages."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import re
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import Cli
from test_digest import DIGEST_DAY, SENTINELS, week_template_in
from test_digest_cron import SmtpServer, add_smtp, digest, smtp  # noqa: F401 (a fixture)

ZH = ("--lang", "zh-TW")
DEMO_DAY = dt.date(2026, 11, 23)

# hrtrust's own English words in the digest, each replaced in Chinese (names, ids, commands in
# backticks and what people typed stay as they are).
ENGLISH = (
    "hrtrust digest — week",
    "as of ",
    "Last week in review",
    "LAST WEEK IN REVIEW",
    "At a glance",
    "Touchpoints",
    "logged with",
    "by kind:",
    "by department:",
    "not touched:",
    "Activities",
    "planned occurrence",
    "Promises",
    "kept on time",
    "kept late",
    "broken",
    "deferred",
    "cancelled",
    "Keeping rate",
    "rate =",
    "Gone quiet",
    "past their cadence",
    "most urgent first",
    "d over",
    "more — see",
    "This week",
    "THIS WEEK",
    "Overdue: do these first",
    "reach out",
    "waiting for",
    "Also due a touch",
    "Celebrations",
    "Coverage gaps",
    "last touch",
    "window",
    "HR ally",
    "could be",
    " with ",
    "(today)",
    "Mon Nov",
    "Monday",
)
# ... and in the hand-built week (hrtrust digest on Mon Nov 30: kept late, deferred, missed)
ENGLISH_WEEK = (
    *ENGLISH,
    "now due",
    "Planned but not logged as attended",
    "Touchpoints logged",
    "note:",
    "learned:",
    "notes:",
    "includes private notes",
    "free for relationship work",
)

# What the Chinese digest of the demo says (as a Taiwanese HR partner reads it).
DEMO_CHINESE = (
    "hrtrust 週報：第48週",
    "截至11月23日（一）",
    "上週回顧",
    "第47週 · 11月16日（一）～11月22日（日）",
    "重點一覽",
    "記錄9筆，共8人",
    "依類型：部門會議 2、近況關心 1、咖啡聊天 1、主管會議 1、主管業務分享",
    "沒有互動：Taichung Office",
    "排定5場，記錄出席5場",
    "準時兌現 5 · 延遲兌現 1 · 未兌現 1",
    "新增 3 · 已改期 0 · 已取消 0",
    "準時兌現 71%（7項中5項）",
    "9人超過聯繫頻率",
    "p4：仍未完成，見下方「逾期」",
    "部門會議：James Whitfield、Rahul Mehta（Sales）",
    "週末時久未聯繫的人（最急的在前）",
    "超過28天",
    "蔡佩君（Taichung Office、人資之友）",
    "本週",
    "逾期：請先處理",
    "11月23日 星期一（今天）",
    "主動聯繫",
    "值得慶祝的事",
    "部門覆蓋缺口",
    "上次互動：32天前（聯繫頻率：每4週），久未聯繫",
    "尚無人資之友；可考慮：張雅婷、Emily Huang、Rahul Mehta",
)
WEEK_CHINESE = (
    "延遲兌現",
    "p2 Book the training room → 王小明（逾期6天）",
    "已改期",
    "p4 Share the interview guide → Maria Chen（改為12月4日（五）到期）",
    "已取消",
    "已排定但未記錄出席",
    "已記錄的互動",
    "筆記：Release plans",
    "得知：Runs the badminton club",
    "截至11月30日（一） · 含個人備註",
    "上次互動：今天（聯繫頻率：每2週）",
)


@pytest.fixture
def week(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-built week of test_digest (W48 reviewed on Mon Nov 30)."""
    shutil.copytree(week_template_in(tmp_path_factory), home, symlinks=True)
    return home


def shown(cli: Cli, *args: str, today: dt.date = DEMO_DAY) -> str:
    result = cli(*args, today=today)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def visible_text(page: str) -> str:
    """What a reader sees of an HTML page: its text, tags removed, entities read."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", page))


def english_left(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if w in text]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_demo_digest_in_chinese(cli: Cli, demo: Path, fmt: str) -> None:
    out = shown(cli, *ZH, "digest", "--format", fmt)
    text = visible_text(out) if fmt == "html" else out.replace("\\", "")  # Markdown's escapes
    for line in DEMO_CHINESE:
        assert line in text, (fmt, line)
    assert english_left(text, ENGLISH) == [], fmt
    if fmt == "text":
        assert max(cell_len(line) for line in out.splitlines()) <= 80  # wide characters count 2


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_kept_late_deferred_missed_and_private_notes_in_chinese(
    cli: Cli, week: Path, fmt: str
) -> None:
    out = shown(cli, *ZH, "digest", "--format", fmt, "--include-private", today=DIGEST_DAY)
    text = visible_text(out) if fmt == "html" else out.replace("\\", "")
    for line in WEEK_CHINESE:
        assert line in text, (fmt, line)
    assert english_left(text, ENGLISH_WEEK) == [], fmt


def test_the_page_says_its_language_and_shows_commands_as_code(cli: Cli, demo: Path) -> None:
    chinese = shown(cli, *ZH, "digest", "--format", "html")
    english = shown(cli, "--lang", "en", "digest", "--format", "html")
    assert '<html lang="zh-Hant-TW">' in chinese
    assert '<html lang="en">' in english
    for page in (chinese, english):
        assert "`" not in page  # no Markdown backticks on a web page
        assert ">hrtrust overdue</code>" in page
    assert "<title>hrtrust 週報：第48週</title>" in chinese
    assert "'PingFang TC','Microsoft JhengHei'" in chinese


def test_json_is_the_same_in_both_languages(cli: Cli, week: Path) -> None:
    for args in (("--format", "json"), ("--format", "json", "--include-private")):
        english = shown(cli, "--lang", "en", "digest", *args, today=DIGEST_DAY)
        chinese = shown(cli, *ZH, "digest", *args, today=DIGEST_DAY)
        assert chinese == english, args
    data = json.loads(english)
    assert data["subject"] == "hrtrust 2026-W49: 1 promise overdue, 33% kept on time"
    assert data["review"]["promises"]["rate_definition"] == (
        "kept on time / (kept on time + kept late + broken)"
    )


def test_the_demo_s_json_keeps_the_domain_s_english(cli: Cli, demo: Path) -> None:
    english = shown(cli, "--lang", "en", "digest", "--format", "json")
    assert shown(cli, *ZH, "digest", "--format", "json") == english
    reach = json.loads(english)["plan"]["reach_out"]
    # said 到職第30天的近況關心 and 上次：11月5日 午餐學習會 in the views
    assert "onboarding check-in, day 30" in [r["reason"] for r in reach]
    assert ["last: lunch-and-learn on Nov 5"] in [r["hooks"] for r in reach]


def configure_posts(cli: Cli) -> None:
    for kind in ("teams", "slack", "google-chat", "ntfy", "webhook"):
        assert cli("config", "set", f"delivery.{kind}.kind", kind).exit_code == 0
        assert cli("config", "set", f"delivery.{kind}.url-env", "HRTRUST_TEST_URL").exit_code == 0


@pytest.mark.parametrize("kind", ["teams", "slack", "google-chat", "ntfy"])
def test_posts_in_chinese(cli: Cli, demo: Path, kind: str) -> None:
    configure_posts(cli)
    out = shown(cli, *ZH, "digest", "--post-to", kind, "--dry-run")
    payload = json.loads(out)
    text = visible_text(json.dumps(payload, ensure_ascii=False))
    for line in ("重點一覽", "準時兌現 71%（7項中5項）", "部門覆蓋缺口"):
        assert line in text, (kind, line)
    left = english_left(text, (*ENGLISH, "see the full digest", "(continued)", '"More"'))
    assert left == [], kind
    if kind in ("slack", "ntfy"):  # the notification's line: the subject
        assert "hrtrust 週報 第48週：1項承諾逾期，準時兌現率71%" in text
    if kind == "ntfy":  # 4,096 bytes: shortened, saying where the rest is
        assert "完整週報請見 \\\\`hrtrust digest --week 2026-W48\\\\`" in out


def test_the_webhook_posts_the_same_json_in_both_languages(cli: Cli, demo: Path) -> None:
    configure_posts(cli)
    english = shown(cli, "--lang", "en", "digest", "--post-to", "webhook", "--dry-run")
    assert shown(cli, *ZH, "digest", "--post-to", "webhook", "--dry-run") == english


def test_errors_in_chinese(cli: Cli, demo: Path) -> None:
    result = cli(*ZH, "digest", "--dry-run")
    assert result.exit_code == 2
    assert "--dry-run 需搭配 --post-to 使用" in result.stderr
    assert "例如：hrtrust digest --post-to teams --dry-run" in result.stderr
    result = cli(*ZH, "digest", "--post-to", "teams")
    assert result.exit_code == 2
    assert "沒有名為 'teams' 的發送目的地" in result.stderr


@pytest.fixture
def data(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    shutil.copytree(week_template_in(tmp_path_factory), home, symlinks=True)
    return home


def test_cron_mails_the_digest_in_the_configured_language(
    cli: Cli,
    data: Path,
    smtp: SmtpServer,  # noqa: F811 (the fixture imported above)
) -> None:
    assert cli("config", "set", "language", "zh-TW").exit_code == 0
    add_smtp(data, smtp.port)
    proc = digest(data, "--mail-to", "me@example.com", DIGEST_SMTP_PW="pw")  # no LANG: cron
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    [raw] = smtp.messages
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg["Subject"] == "hrtrust 週報 第49週：1項承諾逾期，準時兌現率33%"
    parts = [p for p in msg.iter_parts() if isinstance(p, EmailMessage)]
    text, page = (str(p.get_content()) for p in parts)
    assert "準時兌現 33%（3項中1項）" in text and "上週回顧" in text
    assert '<html lang="zh-Hant-TW">' in page and "`" not in page
    assert english_left(text, ENGLISH) == []
    assert not any(s in text + page for s in SENTINELS)
