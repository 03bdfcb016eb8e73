"""The installed `hrtrust digest` run the way cron runs it: a bare environment, no terminal, no
locale, output to a file or mailed through a real SMTP server on loopback."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import re
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from test_digest import DIGEST_DAY, EXPECTED_LINES, SENTINELS, run, week_template_in

HRTRUST = Path(sys.executable).parent / "hrtrust"
ESCAPE = re.compile(r"\x1b|\x9b")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return week_template_in(tmp_path_factory)


@pytest.fixture
def data(home: Path, template: Path) -> Path:
    shutil.copytree(template, home, symlinks=True)
    return home


def cron_env(data: Path, **extra: str) -> dict[str, str]:
    """What cron gives a job: HOME, PATH, LOGNAME, SHELL, and nothing else (no TERM, no LANG)."""
    return {
        "HOME": str(data.parent),
        "PATH": "/usr/bin:/bin",
        "LOGNAME": "u",
        "SHELL": "/bin/sh",
        "HRTRUST_HOME": str(data),
        **extra,
    }


def digest(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(HRTRUST), "--today", DIGEST_DAY.isoformat(), "digest", *args],
        env=cron_env(data, **env),
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("locale", [{}, {"LC_ALL": "C"}], ids=["no-locale", "LC_ALL=C"])
def test_plain_text_under_cron(data: Path, locale: dict[str, str]) -> None:
    proc = digest(data, **locale)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    out = proc.stdout.decode("utf-8")  # strict: CJK names arrive as UTF-8, intact
    assert not ESCAPE.search(out)
    lines = out.splitlines()
    for expected in EXPECTED_LINES:
        assert expected in lines, expected
    assert "Thu Nov 26  Coffee chat with 林美玲 (Manufacturing)" in lines
    assert max(len(line) for line in lines) <= 80


def test_no_color_and_json_figures_match_the_text(data: Path) -> None:
    text = digest(data, NO_COLOR="1").stdout.decode("utf-8")
    proc = digest(data, "--format", "json")
    assert proc.returncode == 0
    review = json.loads(proc.stdout)["review"]
    p = review["promises"]
    t = review["touchpoints"]
    a = review["activities"]
    figures = (
        f"Touchpoints   {t['logged']} logged with {t['people']} people",
        f"Activities    {a['attended']} of {a['planned']} planned occurrences logged as attended",
        f"Promises      kept on time {p['kept_on_time']} · kept late {p['kept_late']} · "
        f"broken {p['broken']}",
        f"              made {p['made']} · deferred {p['deferred']} · cancelled {p['cancelled']}",
        f"Keeping rate  {round(p['rate'] * 100)}% kept on time "
        f"({p['kept_on_time']} of {p['kept_on_time'] + p['kept_late'] + p['broken']})",
    )
    for line in figures:
        assert line in text.splitlines(), line


FORMATS = ("text", "markdown", "html", "json")


def test_no_personal_note_in_any_format_or_file(data: Path) -> None:
    outputs = {}
    for fmt in FORMATS:
        proc = digest(data, "--format", fmt)
        assert proc.returncode == 0, proc.stderr
        outputs[fmt] = proc.stdout.decode("utf-8")
    target = data.parent / "hrtrust-digest.txt"
    proc = digest(data, "--output", str(target))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    assert target.stat().st_mode & 0o777 == 0o600
    outputs["file"] = target.read_text(encoding="utf-8")
    assert outputs["file"] == outputs["text"]
    for name, out in outputs.items():
        for sentinel in SENTINELS:
            assert sentinel not in out, (name, sentinel)
    assert json.loads(outputs["json"])["includes_private"] is False
    # and each sentinel really is in the data, where --include-private finds it
    assert all(s in digest(data, "--include-private").stdout.decode("utf-8") for s in SENTINELS)


# -- mail ---------------------------------------------------------------------------------------


class SmtpServer(socketserver.ThreadingTCPServer):
    """A small real SMTP server (RFC 5321 subset, AUTH PLAIN, no STARTTLS) on 127.0.0.1."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.port: int = self.server_address[1]
        self.auth: list[bytes] = []
        self.rcpt: list[str] = []
        self.messages: list[bytes] = []


class SmtpHandler(socketserver.StreamRequestHandler):
    server: SmtpServer

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self.reply("220 localhost test ESMTP")
        while line := self.rfile.readline():
            command = line.decode("utf-8").rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-localhost\r\n250-8BITMIME\r\n250 AUTH PLAIN")
            elif verb == "AUTH":
                self.server.auth.append(base64.b64decode(command.split()[2]))
                self.reply("235 2.7.0 authenticated")
            elif verb == "RCPT":
                self.server.rcpt.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go ahead")
                body = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.messages.append(b"".join(body))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, MAIL, RSET, NOOP
                self.reply("250 ok")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def add_smtp(data: Path, port: int, *, starttls: bool = False) -> None:
    with (data / "config.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\n'
            f"starttls = {'true' if starttls else 'false'}\n"
            'user = "hrbp"\npassword_env = "DIGEST_SMTP_PW"\n'
            'sender = "hrtrust <hrbp@example.com>"\n'
        )


def test_mail_delivers_text_and_html_parts(data: Path, smtp: SmtpServer) -> None:
    add_smtp(data, smtp.port)
    proc = digest(data, "--mail-to", "王小明 <me@example.com>", DIGEST_SMTP_PW="s3cret pw")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    assert smtp.auth == [b"\0hrbp\0s3cret pw"]  # the password came from the named variable
    assert smtp.rcpt == ["me@example.com"]
    [raw] = smtp.messages
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg["To"] == "王小明 <me@example.com>"  # the display name is kept (RFC 2047 encoded)
    assert msg["Auto-Submitted"] == "auto-generated"  # RFC 3834: robots must not reply
    assert msg["From"] == "hrtrust <hrbp@example.com>"
    assert msg["Subject"] == "hrtrust 2026-W49: 1 promise overdue, 33% kept on time"
    assert msg.get_content_type() == "multipart/alternative"
    parts = [p for p in msg.iter_parts() if isinstance(p, EmailMessage)]
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    text, page = (str(p.get_content()) for p in parts)
    assert text.replace("\r\n", "\n") == run("digest")  # the same as `--format text`
    assert "林美玲" in text and "林美玲" in page and page.startswith("<!DOCTYPE html>")
    assert not any(s in raw.decode("utf-8", "replace") + text + page for s in SENTINELS)


def test_mail_without_the_password_variable_fails_before_connecting(
    data: Path, smtp: SmtpServer
) -> None:
    add_smtp(data, smtp.port)
    proc = digest(data, "--mail-to", "me@example.com")
    assert proc.returncode == 2
    first = proc.stderr.decode("utf-8").splitlines()[0]
    assert first.endswith(
        "[smtp] user is set but the environment variable DIGEST_SMTP_PW is empty or unset"
    )
    assert smtp.messages == [] and smtp.auth == []


def test_starttls_required_but_not_offered_sends_nothing(data: Path, smtp: SmtpServer) -> None:
    add_smtp(data, smtp.port, starttls=True)
    proc = digest(data, "--mail-to", "me@example.com", DIGEST_SMTP_PW="x")
    assert proc.returncode == 7
    assert b"does not offer STARTTLS" in proc.stderr
    assert smtp.messages == [] and smtp.auth == []


def test_unreachable_server_fails_with_one_line(data: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    add_smtp(data, port)
    proc = digest(data, "--include-private", "--mail-to", "me@example.com", DIGEST_SMTP_PW="x")
    assert proc.returncode == 7
    assert proc.stdout == b""
    err = proc.stderr.decode("utf-8")
    assert err.count("\n") == 1
    assert err.startswith(f"hrtrust: error: could not send the digest via 127.0.0.1:{port}: ")
    assert "config.toml" in err
    assert not any(s in err for s in SENTINELS)
