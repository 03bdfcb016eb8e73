"""Mailing the digest: one multipart/alternative message (plain text, then HTML) sent through the
SMTP server of ``config.toml``'s ``[smtp]`` table.

The password is never stored in the TOML file: it is read, at send time, from the environment
variable the table names in ``password_env`` (``HRTRUST_SMTP_PASSWORD`` by default). Port 465
means implicit TLS; any other port is plain SMTP, upgraded with STARTTLS when ``starttls`` is
true (the default; turn it off only for a relay on the same machine).

Error messages name the server, the port and the config file, never the message body (it may hold
personal notes) — cron mails stderr to the user.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid, parseaddr

from hrtrust.errors import MailError, UsageError
from hrtrust.locale import _
from hrtrust.models import Smtp

TIMEOUT = 30.0


def recipients(text: str) -> list[str]:
    """The addresses in ``--mail-to`` (one, or several separated by commas)."""
    if "\n" in text or "\r" in text:
        raise UsageError(_("--mail-to must be one line"))
    pairs = [(name, addr) for name, addr in getaddresses([text]) if addr]
    if not pairs or any("@" not in addr or addr.startswith("@") for _, addr in pairs):
        raise UsageError(
            _("--mail-to {text} is not a mail address").format(text=repr(text)),
            hint=_("e.g. --mail-to me@example.com"),
        )
    # the display name is kept ('王小明 <x@example.com>'): the message's header encodes it
    from email.headerregistry import Address

    return [
        str(Address(display_name=name, addr_spec=addr)) if name else addr for name, addr in pairs
    ]


def sender_of(smtp: Smtp) -> str:
    """The From: address: ``sender``, else the login if it is an address, else a local one."""
    if smtp.sender:
        return smtp.sender
    if smtp.user and "@" in smtp.user:
        return f"hrtrust <{smtp.user}>"
    return "hrtrust <hrtrust@localhost>"


def compose(*, sender: str, to: str, subject: str, text: str, html: str) -> EmailMessage:
    """A multipart/alternative message: the plain-text digest first, the HTML page second."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    msg["Message-ID"] = make_msgid("hrtrust", domain=domain)  # no DNS lookup for the host name
    # RFC 3834: a machine sent it; out-of-office replies and other robots must not answer
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg


def send(msg: EmailMessage, smtp: Smtp, environ: Mapping[str, str], where: str) -> None:
    """Hand ``msg`` to the server described by ``smtp``; ``where`` names the config file."""
    server = f"{smtp.host}:{smtp.port}"
    password: str | None = None
    if smtp.user and smtp.port != 465 and not smtp.starttls and not is_loopback(smtp.host):
        raise UsageError(
            _(
                "{where}: [smtp] would log in to {server} without TLS, sending the password in "
                "clear"
            ).format(where=where, server=server),
            hint=_(
                "set starttls = true (or port = 465); plain login is allowed only to a "
                "relay on this machine (localhost)"
            ),
        )
    if smtp.user:
        password = environ.get(smtp.password_env)
        if not password:
            raise UsageError(
                _(
                    "{where}: [smtp] user is set but the environment variable {var} is empty "
                    "or unset"
                ).format(where=where, var=smtp.password_env),
                hint=_("export {var}=... in the shell or the crontab line").format(
                    var=smtp.password_env
                ),
            )
    try:
        client: smtplib.SMTP
        if smtp.port == 465:
            client = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT)
        with client:
            if smtp.starttls and smtp.port != 465:
                client.starttls(context=ssl.create_default_context())
            if smtp.user and password:
                client.login(smtp.user, password)
            client.send_message(msg)
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError(
            _(
                "could not send the digest via {server}: the server does not offer "
                "STARTTLS or login (see [smtp] in {where})"
            ).format(server=server, where=where)
        ) from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(
            _(
                "could not send the digest via {server}: login as {user} refused "
                "({code}); check {var} and [smtp] in {where}"
            ).format(
                server=server,
                user=smtp.user,
                code=exc.smtp_code,
                var=smtp.password_env,
                where=where,
            )
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(sorted(exc.recipients))
        raise MailError(
            _("could not send the digest via {server}: refused {addresses}").format(
                server=server, addresses=refused
            )
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise MailError(
            _("could not send the digest via {server}: the server said {code} {reply}").format(
                server=server, code=exc.smtp_code, reply=_one_line(exc.smtp_error)
            )
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise MailError(
            _("could not send the digest via {server}: {reason} (see [smtp] in {where})").format(
                server=server, reason=_one_line(reason), where=where
            )
        ) from exc


def is_loopback(host: str) -> bool:
    """True for this machine: ``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    import ipaddress

    name = host.strip().strip("[]").rstrip(".").casefold()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _one_line(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return " ".join(text.split())[:200]
