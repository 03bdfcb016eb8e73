"""Issue 25's output findings: no control character reaches a terminal from any output, no
secret in config.toml leaves the home, relative XDG folders are ignored, an ASCII locale does
not crash a command, and a pulse cannot have more respondents than its department has people.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Cli
from hrtrust.domain.feedback import check_headcount
from hrtrust.errors import UsageError
from hrtrust.interop.dump import secrets_left_out
from hrtrust.models import Config, is_secret_key, secret_keys
from hrtrust.present.common import json_safe
from hrtrust.storage.config_secrets import check_secrets
from hrtrust.storage.doctor import Checkup
from hrtrust.storage.paths import resolve_home, xdg_dir
from hrtrust.storage.store import Store
from hrtrust.storage.toml_format import parse_document

# An OSC 52 clipboard write, a screen clear, a one-byte CSI (C1) and a right-to-left override.
EVIL = "Eve\x1b]52;c;cHduZWQ=\x07\x1b[2J\x9b31m\u202eX"
EVIL_DEPT = "Ops\x1b]52;c;eHg=\x07\x9b2J"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def clean(text: str) -> bool:
    return not any(ch in text for ch in RAW)


@pytest.fixture
def hostile(cli: Cli, demo: Path) -> Path:
    """The demo with a contact, department, note, fact, promise and topic full of escapes."""
    add = cli("contact", "add", EVIL, "--tag", "ally", "--dept", EVIL_DEPT, "--note", "n\x1b[2J")
    assert add.exit_code == 0, add.stderr
    steps = [
        ("log", "check-in", "--with", "eve", "--note", "hi\x1b[2J", "--learned", "x\x9b2J"),
        ("promise", "add", "send \x1b]52;c;eA==\x07 it", "--to", "eve", "--due", "fri"),
        ("topic", "add", "eve", "raise \u202eit"),
        ("pulse", "add", "--dept", EVIL_DEPT, "--score", "3", "--responses", "6"),
    ]
    for args in steps:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
    return demo


# -- 1. control characters -------------------------------------------------------------------


def test_the_new_department_note_shows_escapes_instead_of_sending_them(
    cli: Cli, demo: Path
) -> None:
    result = cli("contact", "add", "Eve", "--dept", EVIL_DEPT)
    assert result.exit_code == 0, result.stderr
    assert clean(result.stderr)
    assert result.stderr == (
        "hrtrust: note: new department Ops\\x1b]52;c;eHg=\\x07\\x9b2J (a client department; "
        "if it is HR's own: hrtrust dept add Ops\\x1b]52;c;eHg=\\x07\\x9b2J --internal)\n"
    )


def test_the_html_digest_escapes_markup_and_shows_controls(cli: Cli, hostile: Path) -> None:
    promise = ("promise", "add", "<b>Bold</b> & co", "--to", "eve", "--due", "tue")
    assert cli(*promise).exit_code == 0
    result = cli("digest", "--format", "html", "--include-private")
    assert result.exit_code == 0, result.stderr
    assert clean(result.stdout)
    assert "Eve\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x9b31m\\u202eX" in result.stdout
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in result.stdout
    assert "<b>Bold" not in result.stdout


JSON_VIEWS = [
    ("contact", "list", "--json"),
    ("contact", "show", "eve", "--json", "--include-private"),
    ("plan", "week", "--json", "--include-private"),
    ("digest", "--format", "json", "--include-private"),
    ("brief", "eve", "--json", "--include-private"),
    ("log", "list", "--json"),
    ("promise", "list", "--json"),
    ("topic", "list", "--json", "--include-private"),
    ("report", "coverage", "--json"),
    ("report", "pulse", "--json"),
    ("dept", "list", "--json"),
    ("pulse", "list", "--json"),
    ("export", "json", "--include-private"),
]


@pytest.mark.parametrize("args", JSON_VIEWS, ids=lambda a: " ".join(a[:2]))
def test_json_escapes_what_a_terminal_acts_on_and_keeps_the_values(
    cli: Cli, hostile: Path, args: tuple[str, ...]
) -> None:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert clean(result.stdout)
    assert "\\u009b" in result.stdout  # the C1 CSI, escaped: JSON leaves it raw otherwise
    values = "\n".join(strings(json.loads(result.stdout)))
    assert EVIL in values or EVIL_DEPT in values  # read back, the names are as typed


def strings(data: object) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in (k, *strings(v))]
    if isinstance(data, list):
        return [s for item in data for s in strings(item)]
    return []


def test_json_safe_is_the_same_json_value() -> None:
    data = {"name": EVIL, "dept": EVIL_DEPT, "cjk": "王小明", "del": "a\x7fb\u2066c"}
    text = json_safe(json.dumps(data, ensure_ascii=False))
    assert clean(text) and "\x7f" not in text and "\u2066" not in text
    assert "王小明" in text  # still readable
    assert json.loads(text) == data


def test_the_exported_json_restores_the_names_as_they_were(
    cli: Cli, hostile: Path, tmp_path: Path
) -> None:
    out = tmp_path / "backup.json"
    assert cli("backup", "--output", str(out)).exit_code == 0
    assert clean(out.read_text(encoding="utf-8"))
    new = tmp_path / "new"
    assert cli("--home", str(new), "init").exit_code == 0
    assert cli("--home", str(new), "import", "json", str(out)).exit_code == 0
    assert (new / "contacts.toml").read_bytes() == (hostile / "contacts.toml").read_bytes()


def test_the_csv_export_shows_controls(cli: Cli, hostile: Path) -> None:
    result = cli("export", "csv", "--include-private")
    assert result.exit_code == 0, result.stderr
    assert clean(result.stdout)
    assert "Eve\\x1b]52;c;cHduZWQ=\\x07" in result.stdout


# Every other way text leaves hrtrust (`export ics` is RFC 5545's own case, handled there).
TEXT_VIEWS = [
    ("contact", "list"),
    ("contact", "show", "eve", "--include-private"),
    ("plan", "week", "--include-private"),
    ("digest", "--include-private"),
    ("digest", "--format", "markdown", "--include-private"),
    ("brief", "eve", "--include-private"),
    ("log", "list"),
    ("log", "show", "2026-11-23.1", "--include-private"),
    ("overdue",),
    ("promise", "list"),
    ("topic", "list", "--include-private"),
    ("report", "coverage"),
    ("report", "balance", "--by", "dept"),
    ("report", "pulse"),
    ("dept", "list"),
    ("pulse", "list"),
    ("doctor",),
    ("export", "json"),
    ("contact", "show", "Ev\x1b[2J"),
    ("dept", "add", "Ev\x1b]52;c;eA==\x07il"),
    ("pulse", "add", "--dept", EVIL_DEPT, "--score", "9"),
]


@pytest.mark.parametrize("args", TEXT_VIEWS, ids=lambda a: " ".join(a[:2]))
def test_no_output_carries_a_raw_control_character(
    cli: Cli, hostile: Path, args: tuple[str, ...]
) -> None:
    result = cli(*args)
    assert clean(result.stdout), args
    assert clean(result.stderr), args


# -- 2. secrets in config.toml -----------------------------------------------------------------

SECRETS_TOML = """\
api_key = "sk-top"
password_env = "NOT_A_SECRET"

[cadence]
ally = "2w"
token = "2w"

[[department]]
name = "HR"
client = false
access_key = "dk-secret"

[smtp]
host = "mail.example.com"
smtp_token = "tok-secret"

[integrations.slack]
webhook = "https://hooks.example.com/x"
Bot-Token = "xoxb-secret"

[[integrations.list]]
clientSecret = "cs-secret"
PASSWORD = "pw-secret"
"""


@pytest.fixture
def secretive(cli: Cli, empty: Path) -> Path:
    config = 'schema_version = 1\ntimezone = "UTC"\n' + SECRETS_TOML
    (empty / "config.toml").write_text(config, encoding="utf-8")
    assert cli("config", "show").exit_code == 0
    return empty


SECRET_VALUES = ("sk-top", "dk-secret", "tok-secret", "xoxb-secret", "cs-secret", "pw-secret")


@pytest.mark.parametrize(
    "args", [("export", "json"), ("export", "json", "--include-private")], ids=str
)
def test_export_json_leaves_out_every_secret_in_config(
    cli: Cli, secretive: Path, args: tuple[str, ...]
) -> None:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert not [s for s in SECRET_VALUES if s in result.stdout]
    config = json.loads(result.stdout)["config"]
    # what is not a secret stays: an environment variable's name, a tag named token, a webhook
    assert config["password_env"] == "NOT_A_SECRET"
    assert config["cadence"]["token"] == "2w"
    assert config["integrations"]["slack"] == {"webhook": "https://hooks.example.com/x"}
    assert config["integrations"]["list"] == [{}]
    assert config["smtp"]["host"] == "mail.example.com"
    assert "smtp_token" not in config["smtp"]
    assert "access_key" not in config["department"][0] and "api_key" not in config


def test_backup_leaves_out_every_secret_in_config(
    cli: Cli, secretive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "backup.json"
    result = cli("backup", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert not [s for s in SECRET_VALUES if s in text]
    assert "NOT_A_SECRET" in text


def test_the_warning_names_each_secret_left_out(secretive: Path) -> None:
    config = Store(secretive).config()
    assert secrets_left_out(config) == (
        "config.toml: left out department[0].access_key, smtp.smtp_token, api_key, "
        "integrations.slack.Bot-Token, integrations.list[0].clientSecret, "
        "integrations.list[0].PASSWORD: they look like secrets, and a secret is never "
        "exported (move it out of config.toml; `hrtrust doctor` lists it)"
    )
    assert secrets_left_out(Config()) is None


def test_doctor_check_flags_each_secret(secretive: Path) -> None:
    up = Checkup()
    check_secrets(Store(secretive), up)
    assert [(f.check, f.where, f.what.split()[0]) for f in up.problems] == [
        ("privacy", "config.toml", "department[0].access_key"),
        ("privacy", "config.toml", "smtp.smtp_token"),
        ("privacy", "config.toml", "api_key"),
        ("privacy", "config.toml", "integrations.slack.Bot-Token"),
        ("privacy", "config.toml", "integrations.list[0].clientSecret"),
        ("privacy", "config.toml", "integrations.list[0].PASSWORD"),
    ]


def test_doctor_check_is_quiet_on_the_demo_and_a_broken_config(cli: Cli, demo: Path) -> None:
    up = Checkup()
    check_secrets(Store(demo), up)
    assert up.problems == []
    (demo / "config.toml").write_text("timezone = [", encoding="utf-8")
    check_secrets(Store(demo), up)
    assert up.problems == []  # the files check reports it


def test_a_password_in_smtp_is_refused_so_never_exported(cli: Cli, empty: Path) -> None:
    config = empty / "config.toml"
    with config.open("a", encoding="utf-8") as fh:
        fh.write('\n[smtp]\nhost = "mail.example.com"\npassword = "hunter2"\n')
    for args in (("export", "json"), ("backup", "--output", str(empty.parent / "b.json"))):
        result = cli(*args)
        assert result.exit_code != 0
        assert "hunter2" not in result.stdout + result.stderr
    assert not (empty.parent / "b.json").exists()


@pytest.mark.parametrize(
    ("key", "secret"),
    [
        ("password", True),
        ("Password", True),
        ("passwd", True),
        ("pass", True),
        ("secret", True),
        ("token", True),
        ("api_key", True),
        ("API_KEY", True),
        ("apiKey", True),
        ("apikey", True),
        ("private-key", True),
        ("smtp_password", True),
        ("smtpPassword", True),
        ("auth_token", True),
        ("client_secret", True),
        ("credentials", True),
        ("password_env", False),
        ("key", False),
        ("token_url", False),
        ("host", False),
        ("parking_pass", False),
        ("name", False),
    ],
)
def test_which_keys_are_secrets(key: str, secret: bool) -> None:
    assert is_secret_key(key) is secret


def test_a_tag_named_token_is_data_not_a_secret() -> None:
    config = parse_document(Config, '[cadence]\ntoken = "2w"\nsecret = "3w"\n', "config.toml")
    assert secret_keys(config) == []


# -- 3. XDG folders ----------------------------------------------------------------------------


def test_a_relative_xdg_data_home_is_ignored() -> None:
    env = {"XDG_DATA_HOME": "relative/data", "HOME": "/users/me"}
    assert resolve_home(None, env) == Path("/users/me/.local/share/hrtrust")
    assert resolve_home(None, {**env, "XDG_DATA_HOME": "."}) == Path(
        "/users/me/.local/share/hrtrust"
    )
    assert resolve_home(None, {**env, "XDG_DATA_HOME": "/abs"}) == Path("/abs/hrtrust")


def test_xdg_dir_for_the_config_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env = {"HOME": "/users/me"}
    assert xdg_dir(env, "XDG_CONFIG_HOME", ".config") == Path("/users/me/.config")
    for relative in ("cfg", "./cfg", "cfg/../x"):
        got = xdg_dir({**env, "XDG_CONFIG_HOME": relative}, "XDG_CONFIG_HOME", ".config")
        assert got == Path("/users/me/.config")
    assert xdg_dir({**env, "XDG_CONFIG_HOME": "/etc/x"}, "XDG_CONFIG_HOME", ".config") == Path(
        "/etc/x"
    )
    monkeypatch.setenv("HOME", str(tmp_path))
    assert xdg_dir({"XDG_CONFIG_HOME": "~/cfg"}, "XDG_CONFIG_HOME", ".config") == tmp_path / "cfg"


def test_init_with_a_relative_xdg_data_home_writes_nothing_in_the_current_folder(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("HRTRUST_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setenv("XDG_DATA_HOME", "data")
    result = cli("init", "--timezone", "UTC")
    assert result.exit_code == 0, result.stderr
    assert list(work.iterdir()) == []
    assert (tmp_path / "user" / ".local" / "share" / "hrtrust" / "config.toml").is_file()


# -- 4. an ASCII locale ------------------------------------------------------------------------

SCRIPT = Path(sys.executable).parent / "hrtrust"


@pytest.mark.skipif(not SCRIPT.exists(), reason=f"{SCRIPT} is not installed")
def test_an_ascii_locale_prints_cjk_names_as_escapes_instead_of_crashing(tmp_path: Path) -> None:
    home = tmp_path / "data"
    env = {
        "HOME": str(tmp_path),
        "PATH": os.environ["PATH"],
        "HRTRUST_HOME": str(home),
        "LC_ALL": "C",
        "PYTHONCOERCECLOCALE": "0",
        "PYTHONUTF8": "0",  # Python's UTF-8 mode would hide the ASCII locale
    }

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [str(SCRIPT), "--today", "2026-11-23", *args],
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
        )

    assert run("init", "--demo").returncode == 0
    for args in (("plan", "week"), ("contact", "list"), ("brief", "c9"), ("report", "pulse")):
        result = run(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stderr == b""
        out = result.stdout.decode("ascii")  # ASCII, as the locale says
        assert "\\u" in out  # the CJK names, written as escapes
    listed = run("contact", "list").stdout.decode("ascii")
    assert "\\u6797\\u7f8e\\u73b2" in listed  # 林美玲


# -- 5. respondents and headcount ---------------------------------------------------------------


def test_pulse_add_refuses_more_responses_than_the_headcount(cli: Cli, demo: Path) -> None:
    before = (demo / "feedback.toml").read_bytes()
    result = cli("pulse", "add", "--dept", "sales", "--score", "3.5", "--responses", "42")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "hrtrust: error: --responses 42 is more than Sales's headcount of 25\n"
        "hint: check how many answered; if the department has grown: "
        "hrtrust dept add Sales --headcount N\n"
    )
    assert (demo / "feedback.toml").read_bytes() == before
    ok = cli("pulse", "add", "--dept", "Sales", "--score", "3.5", "--responses", "25")
    assert ok.exit_code == 0, ok.stderr
    assert "(25 answered)" in ok.stdout


def test_pulse_add_without_a_headcount_takes_any_count(cli: Cli, demo: Path) -> None:
    result = cli("pulse", "add", "--dept", "Legal", "--score", "3", "--responses", "500")
    assert result.exit_code == 0, result.stderr


def test_pulse_edit_refuses_more_responses_than_the_headcount(cli: Cli, demo: Path) -> None:
    added = cli("pulse", "add", "--dept", "Sales", "--score", "3.5", "--responses", "20")
    assert added.exit_code == 0
    pulse_id = added.stdout.split()[2]
    before = (demo / "feedback.toml").read_bytes()
    result = cli("pulse", "edit", pulse_id, "--responses", "26")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(
        "hrtrust: error: --responses 26 is more than Sales's headcount of 25\n"
    )
    # moved to a department of 12, the 20 recorded no longer fit
    moved = cli("pulse", "edit", pulse_id, "--dept", "HR")
    assert moved.exit_code == 2
    assert moved.stderr.startswith(
        f"hrtrust: error: pulse {pulse_id} has 20 responses, more than HR's headcount of 12\n"
    )
    assert (demo / "feedback.toml").read_bytes() == before
    assert cli("pulse", "edit", pulse_id, "--dept", "HR", "--responses", "12").exit_code == 0
    assert cli("pulse", "edit", pulse_id, "--score", "3.1").exit_code == 0


def test_check_headcount_quotes_a_name_with_spaces_in_the_hint() -> None:
    with pytest.raises(UsageError) as err:
        check_headcount(31, "Taichung Office", {"taichung office": 30})
    assert err.value.hint is not None
    assert err.value.hint.endswith("hrtrust dept add 'Taichung Office' --headcount N")
    check_headcount(30, "Taichung Office", {"taichung office": 30})
    check_headcount(None, "Taichung Office", {"taichung office": 30})
