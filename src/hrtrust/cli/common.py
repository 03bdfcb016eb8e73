"""What every command group shares: the global state, the console, JSON output, options."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from hrtrust.storage.store import Store

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
PrivateOption = Annotated[
    bool,
    typer.Option("--include-private", help="Include personal notes and learned facts."),
]


def utc_now() -> dt.datetime:
    """The clock: read here and nowhere else (the domain is handed ``today``)."""
    return dt.datetime.now(dt.UTC)


@dataclass
class State:
    """The global options, resolved once per run."""

    home_option: str | None = None
    today_option: str | None = None
    debug: bool = False
    notes: list[str] = field(default_factory=list)  # said on stderr once the command succeeded
    now: Callable[[], dt.datetime] = field(default=utc_now)

    @cached_property
    def today(self) -> dt.date:
        """Today in the configured time zone (a cron job at 22:39 UTC on Monday runs on
        Tuesday in Taipei), or the date ``--today`` gives, read relative to that."""
        clock = self.now()
        day = clock.astimezone().date()  # no data home (yet): this machine's date
        tz = self._configured_timezone()
        if tz is not None:
            day = clock.astimezone(tz).date()
        if self.today_option is None:
            return day
        from hrtrust.domain.dates import check_plannable, parse_date

        return check_plannable(parse_date(self.today_option, day), "--today")

    def _configured_timezone(self) -> dt.tzinfo | None:
        from zoneinfo import ZoneInfo

        from hrtrust.errors import HrtrustError

        try:
            if not self.store.exists():
                return None
            return ZoneInfo(self.store.config().timezone)
        except (HrtrustError, ValueError, OSError):  # a broken config: the command says so
            return None

    @cached_property
    def store(self) -> Store:
        from hrtrust.storage.paths import resolve_home  # not needed for --help
        from hrtrust.storage.store import Store

        store = Store(resolve_home(self.home_option, os.environ))
        store.before_write = lambda: finish_rotation(store, lambda: self.today)
        return store

    def ready_store(self) -> Store:
        """The store, after checking the data home exists."""
        self.store.require()
        return self.store


def ask_passphrase(path: object) -> str | None:
    """Ask for the identity's passphrase on a terminal (None when there is no terminal)."""
    if not sys.stdin.isatty():
        return None
    import getpass

    from hrtrust.locale import _

    return getpass.getpass(_("Passphrase for {path}: ").format(path=path))


def opener(store: Store) -> Callable[[str], str] | None:
    """In an encrypted home, what opens a private text with the identity (or shows it locked,
    with one warning, when there is no identity); None when the home is not encrypted."""
    if not store.exists() or not store.encrypted():
        return None
    from hrtrust.storage.crypto import Keys

    return Keys.from_env(os.environ, ask=ask_passphrase).opener(store.warn)


def finish_rotation(store: Store, today: Callable[[], dt.date]) -> None:
    """Before a write: finish a key rotation a killed `key rotate` left (its new key waits as
    identity.txt.new). Without the identity at hand (a passphrase under cron) it stays
    pending, which is safe: readers open with both keys, writers seal to a key a file holds."""
    from hrtrust.storage.crypto import PENDING_SUFFIX, identity_path

    pending = identity_path(os.environ)
    if not store.encrypted():
        return
    check_recipient(store, pending)
    if not pending.with_name(pending.name + PENDING_SUFFIX).is_file():
        return
    from hrtrust.errors import IdentityError
    from hrtrust.locale import _
    from hrtrust.storage.crypto import Keys
    from hrtrust.storage.rotation import rotate

    try:
        rotate(
            store, Keys.from_env(os.environ, ask_passphrase, store.warn), today(), resume_only=True
        )
    except IdentityError as exc:
        store.warn(
            _(
                "a key rotation was interrupted and is not finished ({reason}): "
                "run `hrtrust key rotate`"
            ).format(reason=exc.message)
        )
    else:
        store.warn(_("finished the key rotation that was interrupted"))


def check_recipient(store: Store, identity: object) -> None:
    """Before a write: new private text is sealed to config.toml's recipient; when the identity
    here shows its public keys in clear (no passphrase), that recipient must be one of them, so
    a config (or a planted cache of it) naming a stranger's key never gets a note sealed to
    it. A protected identity, or none (a laptop that only writes), is not second-guessed."""
    from pathlib import Path

    from hrtrust.errors import IdentityError
    from hrtrust.locale import _
    from hrtrust.storage.crypto import Keys

    config = store.config()
    if config.encryption is None:
        return
    known = Keys(Path(str(identity)), os.environ).public_keys_in_clear()
    if known is not None and config.encryption.recipient not in known:
        raise IdentityError(
            _(
                "config.toml seals new notes to {recipient}, which is not a key of your "
                "identity at {path}; nothing was written"
            ).format(recipient=config.encryption.recipient, path=identity),
            hint=_("run `hrtrust doctor`; if you changed keys, point $HRTRUST_IDENTITY at yours"),
        )


def unlock(store: Store) -> None:
    """Let this command read private texts: opened with the identity in an encrypted home,
    or shown as locked (with one warning) when there is no identity."""
    reveal = opener(store)
    if reveal is not None:
        store.unlock(reveal)


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):  # a sub-app invoked on its own (tests): defaults
        obj = State()
        ctx.find_root().obj = obj
    return obj


def print_json(data: Any) -> None:
    """JSON on stdout (see present.output; imported here only when used, to keep --help lean)."""
    from hrtrust.present.output import print_json as write

    write(data)


def say(message: str) -> None:
    """A short confirmation on stdout, plain text (control characters made visible)."""
    from hrtrust.present.output import say as write

    write(message)


def warn(message: str) -> None:
    """A warning on stderr: the command goes on (or went through), but something is off."""
    from hrtrust.locale import _
    from hrtrust.present.common import visible

    sys.stderr.write(_("hrtrust: warning: {message}").format(message=visible(message)) + "\n")


def note(message: str) -> None:
    """One line of information on stderr (not a warning: nothing is wrong). It names what the
    user typed (a new department), so it is kept to one line with its controls made visible:
    an OSC 52 sequence in a name must not write to the clipboard."""
    from hrtrust.locale import _
    from hrtrust.present.common import one_line

    sys.stderr.write(_("hrtrust: note: {message}").format(message=one_line(message)) + "\n")


def flush_notes(obj: object) -> None:
    """The notes a command left on its State, once it has succeeded."""
    for message in getattr(obj, "notes", ()):
        note(message)
