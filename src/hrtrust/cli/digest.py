"""``hrtrust digest``: the Monday digest, for the terminal, a file, a script or a cron mail."""

from __future__ import annotations

import enum
import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from hrtrust.domain.dates import parse_iso_week
from hrtrust.domain.digest import Digest, build
from hrtrust.domain.planning import week_of
from hrtrust.errors import UsageError
from hrtrust.locale import _
from hrtrust.present.common import week_name
from hrtrust.storage.output import STDOUT, check_output, write_output
from hrtrust.storage.paths import CONFIG

from . import load
from .common import PrivateOption, state, unlock

if TYPE_CHECKING:
    from hrtrust.present.digest import Outline


class Format(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"


def digest(
    ctx: typer.Context,
    format_: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="text (plain, 80 columns), markdown, html (a self-contained page) or json. "
            "Default: text, or colour in a terminal.",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (atomically, readable only by you; - for stdout) instead of "
            "stdout. Not inside the data home; the folder must exist.",
        ),
    ] = None,
    include_private: PrivateOption = False,
    next_: Annotated[bool, typer.Option("--next", help="The digest for next week.")] = False,
    week: Annotated[
        str | None,
        typer.Option(
            "--week", metavar="YYYY-Www", help="The digest of this ISO week again, e.g. 2026-W49."
        ),
    ] = None,
    mail_to: Annotated[
        str | None,
        typer.Option(
            "--mail-to",
            metavar="ADDR",
            help="Mail the digest (text and HTML) to ADDR through [smtp] in config.toml.",
        ),
    ] = None,
    post_to: Annotated[
        str | None,
        typer.Option(
            "--post-to",
            metavar="NAME",
            help="Post the digest to the destination NAME of config.toml: Teams, Slack, Google "
            "Chat, ntfy or a webhook (config set delivery.NAME.kind / delivery.NAME.url-env). "
            "Never with private text.",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="With --post-to: print the payload (JSON) and post nothing."
        ),
    ] = False,
) -> None:
    """The Monday digest: last week in review, then this week's plan.

    The review: touchpoints, activities attended, promises kept on time, late or broken, the
    promise-keeping rate, who went quiet. Then this week's plan, overdue items, celebrations
    and coverage gaps.

    Never prompts, so it can run from cron. Personal notes and learned facts are left out
    unless --include-private is given (never with --post-to). With --output, or --mail-to or
    --post-to without --format, nothing is printed (cron mails any output). --post-to reads
    the destination's URL from the environment variable its url-env names.

    Example: hrtrust digest --output ~/hrtrust-digest.txt
    """
    st = state(ctx)
    if next_ and week:
        raise UsageError(_("give --next or --week, not both"))
    _check_post(post_to, dry_run, include_private, format_, output, mail_to)
    to = None
    if mail_to is not None:
        from hrtrust.interop.mail import recipients

        to = ", ".join(recipients(mail_to))
    monday = week_of(st.today, next_week=next_, week=parse_iso_week(week) if week else None)
    store = st.ready_store()
    post = None
    if post_to is not None:
        from hrtrust.interop import delivery

        where = str(store.path(CONFIG))
        dest = delivery.destination(store.config().delivery, post_to, where)
        # The URL is read and checked before anything is written or mailed; a dry run needs none.
        post = (dest, None if dry_run else delivery.url_of(dest, os.environ))
    if include_private:
        unlock(store)
    to_stdout = output == STDOUT
    target = check_output(output, store.home) if output is not None else None
    d = build(load.digest_input(store, monday, st.today), st.today, monday)

    from hrtrust.present import digest as dr

    if post is not None and dry_run:
        from hrtrust.interop import delivery

        _emit(delivery.preview_text(delivery.payload(post[0].kind or "", d)))
        return
    fmt = format_ or Format.text
    written = target is not None or to_stdout
    printed = not written and ((mail_to is None and post_to is None) or format_ is not None)
    # the format-neutral content, made once (JSON is made from the digest itself)
    shown = fmt is not Format.json and (written or printed)
    o = dr.outline(d, private=include_private) if shown or to else None
    if written:
        if write_output(target, _formatted(fmt, d, include_private, o)):
            _tell(
                _("Wrote the {format} digest for {week} to {file}.").format(
                    format=fmt.value, week=week_name(d.plan.monday), file=target
                )
            )
    elif printed:
        if format_ is None and sys.stdout.isatty():
            from hrtrust.present.console import console

            con = console()
            assert o is not None
            for item in dr.renderables(o):
                con.print(item)
        else:
            _emit(_formatted(fmt, d, include_private, o))
    if to is not None:
        from hrtrust.interop.mail import compose, send, sender_of

        smtp = store.config().smtp
        where = str(store.path(CONFIG))
        if smtp is None:
            raise UsageError(
                _("{where}: no [smtp] table, so --mail-to has no server to send through").format(
                    where=where
                ),
                hint=_(
                    "add [smtp] with host, port, starttls, user, password_env, sender "
                    "(see examples/config.toml)"
                ),
            )
        assert o is not None  # made when mailing
        msg = compose(
            sender=sender_of(smtp),
            to=to,
            subject=dr.subject(d),
            text=dr.to_text(o),
            html=dr.to_html(o),
        )
        send(msg, smtp, os.environ, where)
        _tell(
            _("Mailed the digest for {week} to {to}.").format(week=week_name(d.plan.monday), to=to)
        )
    if post is not None:
        from hrtrust.interop import delivery

        dest, url = post
        assert url is not None  # read unless this is a dry run
        delivery.post(delivery.payload(dest.kind or "", d), url, dest)
        _tell(
            _("Posted the digest for {week} to {name}.").format(
                week=week_name(d.plan.monday), name=dest.name
            )
        )


def _check_post(
    post_to: str | None,
    dry_run: bool,
    private: bool,
    format_: Format | None,
    output: str | None,
    mail_to: str | None,
) -> None:
    """--post-to never carries private text; --dry-run shows a post and does nothing else."""
    if dry_run and post_to is None:
        raise UsageError(
            _("--dry-run goes with --post-to"),
            hint=_("e.g. {command}").format(command="hrtrust digest --post-to teams --dry-run"),
        )
    if post_to is not None and private:
        raise UsageError(
            _(
                "--include-private cannot go with --post-to: personal notes and learned facts "
                "never leave this machine"
            ),
            hint=_(
                "post without --include-private; read the notes with "
                "`hrtrust digest --include-private` at your terminal"
            ),
        )
    if dry_run and (format_ is not None or output is not None or mail_to is not None):
        raise UsageError(
            _("--dry-run only prints the payload --post-to would send"),
            hint=_("leave out --format, --output and --mail-to"),
        )


def _formatted(fmt: Format, d: Digest, private: bool, o: Outline | None) -> str:
    from hrtrust.present import digest as dr

    if fmt is Format.json:
        data = dr.to_json_data(d, private=private)
        import json  # only the JSON format needs it

        from hrtrust.present.common import json_safe

        return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
    assert o is not None  # made for every format but JSON
    if fmt is Format.markdown:
        return dr.to_markdown(o)
    if fmt is Format.html:
        return dr.to_html(o)
    return dr.to_text(o)


def _emit(text: str) -> None:
    """Write UTF-8 whatever the locale (cron may run with LANG unset): CJK names stay intact."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _tell(message: str) -> None:
    """A confirmation for a person at a terminal; cron stays quiet (it mails any output)."""
    if sys.stdout.isatty():
        from hrtrust.present.common import visible

        sys.stdout.write(visible(message) + "\n")
