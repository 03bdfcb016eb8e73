"""Key rotation that loses no note, killed at any step, any number of times.

The invariant: at every instant, every sealed field opens with a key held in a file the user
owns, and the configured recipient (what new notes are sealed to) is one of those keys.

0. The whole rotation holds the data home's lock (two at once would each make a new key).
1. The new identity is written and synced as ``identity.txt.new``, beside the old one, before
   any field is touched. A rotation finding one there resumes it: it is never replaced.
2. One transaction (the journaled commit) points the config at the new key and reseals every
   field to it; a field already sealed to the new key is left as it is, a damaged one stays
   damaged and is reported.
3. Every sealed field is read back from disk and must open with the new key alone. Only then
   is the old key retired: linked aside as ``identity.txt.retired-<key>`` (backups made
   before, and other homes sharing the identity, may still need it: the user deletes it),
   then ``identity.txt.new`` is renamed over ``identity.txt``.

Readers open with both files while the rotation is under way, so a kill between any two steps
leaves every note readable; the next ``key rotate``, ``doctor`` or write finishes the job.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hrtrust.errors import IdentityError
from hrtrust.locale import _
from hrtrust.models import (
    Config,
    ContactsFile,
    Document,
    Encryption,
    FeedbackFile,
    LogFile,
    is_sealed,
)
from hrtrust.storage.atomic import ensure_private_dir, fsync_dir
from hrtrust.storage.crypto import (
    RETIRED_MARK,
    DamagedText,
    IdentityUnavailable,
    Keys,
    PlacedMap,
    apply_placed,
    identity_text,
    new_identity,
    open_with,
    public_of,
    write_identity,
)
from hrtrust.storage.journal import ASIDE_MARK, aside_stamp
from hrtrust.storage.paths import DOCUMENT_FILES, LOCK_TIMEOUT, TEMP_MARK
from hrtrust.storage.store import Store, Transaction

# config.toml holds no private text: a hand-commented one keeps its backup when rewritten.
SPARED = frozenset({DOCUMENT_FILES[Config]})


@dataclass
class Rotated:
    """What a rotation did."""

    recipient: str
    resealed: int = 0  # fields sealed to the new key by this run
    kept: int = 0  # fields already sealed to the new key (a resumed rotation)
    damaged: list[str] = field(default_factory=list)  # "contacts.toml: contact c3", ...
    resumed: bool = False
    passphrase: bool = False
    retired: Path | None = None  # where the old key is kept aside
    caught_up: bool = False  # resealed to the identity's key another home's rotation made


def _private_files(store: Store) -> list[tuple[type[Document], str]]:
    """The files with private fields: contacts, feedback and every month of the log."""
    return [
        (ContactsFile, DOCUMENT_FILES[ContactsFile]),
        (FeedbackFile, DOCUMENT_FILES[FeedbackFile]),
        *((LogFile, rel) for rel in store.log_months()),
    ]


def private_docs(txn: Transaction, store: Store) -> list[tuple[str, Document]]:
    """Every document with private fields, opened for editing in ``txn``."""
    return [(rel, txn.edit(cls, rel)) for cls, rel in _private_files(store)]


def pending(keys: Keys) -> bool:
    """True when a rotation is under way (or was killed): its new key waits beside the old."""
    return keys.pending_path.is_file()


def rotate(
    store: Store,
    keys: Keys,
    today: dt.date,
    new_passphrase: str | None = None,
    *,
    resume_only: bool = False,
) -> Rotated | None:
    """Rotate to a new key, or finish the rotation a killed run left (see the module).

    ``new_passphrase`` protects the new identity (default: the old one's passphrase, if it
    had one). ``resume_only``: do nothing (None) unless a rotation is pending."""
    store.before_write = None  # this is the rotation a write would otherwise finish first
    # Two rotations at once would each write a pending key: the home's lock serialises those
    # of one home, the identity's lock those of homes sharing one identity.
    with store.holding_lock(), _identity_lock(keys):
        return _rotate(store, keys, today, new_passphrase, resume_only)


@contextlib.contextmanager
def _identity_lock(keys: Keys) -> Iterator[None]:
    """Hold ``identity.txt.lock`` beside the identity (0600) for a whole rotation."""
    from hrtrust.storage.lock import FileLock, LockTimeout

    path = keys.path.with_name(keys.path.name + ".lock")
    try:
        ensure_private_dir(keys.path.parent)
        lock = FileLock(path)
        lock.acquire(LOCK_TIMEOUT)
    except LockTimeout as exc:
        raise IdentityError(
            _("{path}: another rotation of this identity is under way; nothing was changed").format(
                path=keys.path
            ),
            hint=_("try again in a moment"),
        ) from exc
    except OSError as exc:  # a link, a folder or a FIFO planted there; a read-only folder
        raise IdentityError(
            _("{path}: cannot take the lock ({reason}); no file was changed").format(
                path=path, reason=exc.strerror or exc
            ),
            hint=_("remove {path} if no hrtrust is running").format(path=path),
        ) from exc
    try:
        yield
    finally:
        lock.release()


def _rotate(
    store: Store, keys: Keys, today: dt.date, new_passphrase: str | None, resume_only: bool
) -> Rotated | None:
    _remove_stale_temps(keys)
    current = keys.load(keys.path) if keys.path.is_file() else None
    if current is None:
        raise IdentityError(
            _("no identity at {path}: a rotation needs the current key").format(path=keys.path)
        )
    resumed = pending(keys)
    if resume_only and not resumed:
        return None
    configured = store.config().encryption
    if configured is None:
        raise IdentityError(_("this data home is not encrypted"))
    word = new_passphrase if new_passphrase is not None else keys.used_passphrase
    new = _pending_key(keys, configured.recipient, current) if resumed else None
    resumed = new is not None
    if configured.recipient not in {public_of(current), new and public_of(new)}:
        behind = None if resumed else retired_key(keys, configured.recipient)
        if behind is not None:  # another home sharing the identity rotated it: catch up
            return _catch_up(store, keys, behind, current)
        raise IdentityError(
            _(
                "config.toml seals notes to {recipient}, which is neither the identity at {path} "
                "nor a rotation's new key; nothing was changed"
            ).format(recipient=configured.recipient, path=keys.path),
            hint=_("point $HRTRUST_IDENTITY at the identity that key belongs to"),
        )
    if new is None:
        secret, recipient = new_identity()
        _write_synced(keys.pending_path, identity_text(secret, recipient, today, word))
        new = keys.load(keys.pending_path)
    elif new_passphrase is not None:  # the same key, under the passphrase asked for now
        _write_synced(keys.pending_path, identity_text(str(new), public_of(new), today, word))
    recipient = public_of(new)
    done = Rotated(recipient=recipient, resumed=resumed, passphrase=word is not None)
    with store.transaction() as txn:
        txn.forgetting(reason="it was encrypted to the old key", spare=SPARED)
        cfg = txn.edit(Config)
        cfg.encryption = Encryption(recipient=recipient)
        for rel, doc in private_docs(txn, store):
            apply_placed(doc, _resealer(rel, current, new, done))
    _verify(store, keys, current, new)
    # The old key is retired: nothing in this home needs it. It is kept aside, not
    # destroyed, because backups made before now and other homes sharing this identity may.
    done.retired = keys.path.with_name(f"{keys.path.name}{RETIRED_MARK}{public_of(current)[4:16]}")
    with contextlib.suppress(FileExistsError):
        os.link(keys.path, done.retired)
    os.replace(keys.pending_path, keys.path)
    fsync_dir(keys.path.parent)
    keys.forget_loaded()
    return done


def retired_key(keys: Keys, recipient: str) -> Any | None:
    """The retired identity whose public key is ``recipient``, if one is kept."""
    for path in keys.retired_paths():
        try:
            key = keys.load(path)
        except IdentityError:
            continue
        if public_of(key) == recipient:
            return key
    return None


def _catch_up(store: Store, keys: Keys, old: Any, current: Any) -> Rotated:
    """This home is sealed to a key that a rotation in another home sharing the identity
    retired: reseal it to the identity's current key (no new key; nothing is retired)."""
    done = Rotated(recipient=public_of(current), caught_up=True)
    with store.transaction() as txn:
        txn.forgetting(reason="it was encrypted to the old key", spare=SPARED)
        cfg = txn.edit(Config)
        cfg.encryption = Encryption(recipient=done.recipient)
        for rel, doc in private_docs(txn, store):
            apply_placed(doc, _resealer(rel, old, current, done))
    _verify(store, keys, old, current)
    return done


def _resealer(rel: str, current: Any, new: Any, done: Rotated) -> PlacedMap:
    """Per private text: kept when it opens with the new key already, opened (the commit seals
    it to the new key) when it opens with the old, kept and reported when it is damaged."""

    def fn(place: str, text: str) -> str:
        if not is_sealed(text):
            return text  # clear (a hand edit): the commit seals it
        try:
            open_with(text, [new], rel)
            done.kept += 1
            return text
        except IdentityError as exc:
            if isinstance(exc, DamagedText):
                done.damaged.append(f"{rel}: {place}")
                return text
        plain = open_with(text, [current], rel)  # neither key: IdentityError, nothing written
        done.resealed += 1
        return plain

    return fn


def _verify(store: Store, keys: Keys, current: Any, new: Any) -> None:
    """Every sealed field on disk opens with the new key alone (a damaged one with no key:
    the old key is not needed for it either); else the old key is kept and this raises."""
    needs_old: list[str] = []

    for rel, doc in stored_private_docs(store):

        def check(place: str, text: str, rel: str = rel) -> str:
            if is_sealed(text):
                try:
                    open_with(text, [new], rel)
                except DamagedText:
                    pass
                except IdentityError:
                    needs_old.append(f"{rel}: {place}")
            return text

        apply_placed(doc, check)
    if needs_old:
        raise IdentityError(
            _(
                "{n} private field(s) still need the old key ({first}); "
                "both keys are kept ({path} and {pending})"
            ).format(
                n=len(needs_old), first=needs_old[0], path=keys.path, pending=keys.pending_path
            ),
            hint=_("run `hrtrust key rotate` again to finish"),
        )


def stored_private_docs(store: Store) -> list[tuple[str, Document]]:
    """The documents with private fields as they are on disk, sealed texts as stored."""
    return [(rel, store.read(cls, rel, raw=True)) for cls, rel in _private_files(store)]


def unopened(store: Store, keys: Keys) -> list[tuple[str, str]]:
    """Every sealed field no identity at hand opens: (where, why). For doctor."""
    identities = keys.identities()
    found: list[tuple[str, str]] = []
    for rel, doc in stored_private_docs(store):

        def check(place: str, text: str, rel: str = rel) -> str:
            if is_sealed(text):
                try:
                    open_with(text, identities, rel)
                except DamagedText:
                    found.append((f"{rel}: {place}", _("damaged: no key can open it")))
                except IdentityError:
                    found.append((f"{rel}: {place}", _("sealed to a key no identity here holds")))
            return text

        apply_placed(doc, check)
    return found


def _pending_key(keys: Keys, configured: str, current: Any) -> Any | None:
    """The pending key to resume with (never replaced). One that is not a key at all (empty,
    garbage) while the home is still sealed to the current key held nothing: it is set aside
    (renamed, kept) and the rotation starts afresh; otherwise its error stands."""
    try:
        return keys.load(keys.pending_path)
    except IdentityUnavailable:
        raise
    except IdentityError:
        if configured != public_of(current):
            raise
        os.rename(
            keys.pending_path,
            keys.pending_path.with_name(f"{keys.pending_path.name}{ASIDE_MARK}{aside_stamp()}"),
        )
        return None


def _remove_stale_temps(keys: Keys) -> None:
    """Temp files of the identity files a killed write left (each holds a key that nothing
    is sealed to yet: the rename that would have made it count never happened)."""
    folder = keys.path.parent
    prefixes = (f".{keys.path.name}{TEMP_MARK}", f".{keys.pending_path.name}{TEMP_MARK}")
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.startswith(prefixes):
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(folder / name).st_mode):
                    os.unlink(folder / name)


def _write_synced(path: Path, text: str) -> None:
    """The new identity, on disk (file and folder synced) before any field is resealed."""
    write_identity(path, text)
    fsync_dir(path.parent)
