"""Encryption at rest of the private fields, with age (X25519) through pyrage.

Private fields are contact notes, learned facts (on contacts and log entries), talking points
(topics), why a contact is paused, log notes and the text of feedback marked private. In an
encrypted home (``[encryption] recipient`` in config.toml) each one is stored as one
ASCII-armored age message, so the TOML stays readable and a change shows as a one-line diff.
Everything else stays in clear, so `plan week`, `overdue`, the digest, reports and the
calendar export never need the secret key.

Writing needs only the public recipient (the store seals clear private text at commit).
Reading private text needs the identity, kept outside the data home: ``$HRTRUST_IDENTITY``,
else ``$XDG_CONFIG_HOME/hrtrust/identity.txt``, else ``~/.config/hrtrust/identity.txt``, 0600,
optionally protected by a passphrase (itself an age message then).

pyrage is imported only when something is actually sealed or opened: readers that mask (the
default) compare a prefix and never load it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from hrtrust.errors import IdentityError, UsageError
from hrtrust.locale import _
from hrtrust.models import (
    LOCKED,
    PURGED,
    SEALED_PREFIX,
    Contact,
    ContactsFile,
    Document,
    Feedback,
    FeedbackFile,
    Interaction,
    LogFile,
    is_sealed,
)
from hrtrust.storage.atomic import ensure_private_dir, read_file, replace_file
from hrtrust.storage.paths import xdg_dir

ARMOR_BEGIN = SEALED_PREFIX

PASSPHRASE_ENV = "HRTRUST_PASSPHRASE"
IDENTITY_ENV = "HRTRUST_IDENTITY"

D = TypeVar("D", bound=Document)
TextMap = Callable[[str], str]
AskPassphrase = Callable[[Path], "str | None"]


class IdentityUnavailable(IdentityError):
    """There is no identity to open with (or its passphrase cannot be asked for): readers
    then show private texts as locked instead of failing."""


class DamagedText(IdentityError):
    """One sealed text is damaged (cut, edited): no key can open it. The damage stays with
    its field: readers show it as damaged, every other note still opens."""


# What a reader sees of a sealed text that no key can open because it is damaged.
DAMAGED = "(damaged: this private text cannot be opened; `hrtrust doctor` names it)"
PENDING_SUFFIX = ".new"  # identity.txt.new: the key a rotation under way reseals to
RETIRED_MARK = ".retired-"  # identity.txt.retired-<the start of its public key>


def identity_path(environ: Mapping[str, str]) -> Path:
    """Where the identity lives: $HRTRUST_IDENTITY, else the user's XDG config folder."""
    if environ.get(IDENTITY_ENV):
        return Path(environ[IDENTITY_ENV]).expanduser()
    return xdg_dir(environ, "XDG_CONFIG_HOME", ".config") / "hrtrust" / "identity.txt"


# -- walking the private fields -----------------------------------------------------------------


def map_private(doc: D, fn: TextMap) -> D | None:
    """A copy of ``doc`` with ``fn`` applied to every private text, or None when ``fn`` changed
    nothing. Only the records that change are copied; ``doc`` itself is left as it is."""
    found = _PRIVATE.get(type(doc))
    if found is None:
        return None
    field, one = found
    records = getattr(doc, field)
    changed = [one(r, fn) for r in records]
    if all(new is None for new in changed):
        return None
    kept = [new or old for new, old in zip(changed, records, strict=True)]
    return doc.model_copy(update={field: kept})


def _contact(c: Contact, fn: TextMap) -> Contact | None:
    update: dict[str, Any] = {}
    if c.notes:
        notes = fn(c.notes)
        if notes != c.notes:
            update["notes"] = notes
    if c.paused_reason:  # why a person is paused: parental leave, an ER case
        reason = fn(c.paused_reason)
        if reason != c.paused_reason:
            update["paused_reason"] = reason
    facts = []
    changed = False
    for fact in c.learned:
        text = fn(fact.text)
        changed = changed or text != fact.text
        facts.append(fact.model_copy(update={"text": text}) if text != fact.text else fact)
    if changed:
        update["learned"] = facts
    topics = []
    changed = False
    for topic in c.topics:  # talking points are private, like notes
        text = fn(topic.text)
        changed = changed or text != topic.text
        topics.append(topic.model_copy(update={"text": text}) if text != topic.text else topic)
    if changed:
        update["topics"] = topics
    return c.model_copy(update=update) if update else None


def _entry(e: Interaction, fn: TextMap) -> Interaction | None:
    update: dict[str, Any] = {}
    if e.note:
        note = fn(e.note)
        if note != e.note:
            update["note"] = note
    learned = [fn(text) for text in e.learned]
    if learned != e.learned:
        update["learned"] = learned
    return e.model_copy(update=update) if update else None


def _feedback(f: Feedback, fn: TextMap) -> Feedback | None:
    if not f.private and not is_sealed(f.text):
        return None
    text = fn(f.text)
    return f.model_copy(update={"text": text}) if text != f.text else None


def reveal_contact(c: Contact, fn: TextMap) -> Contact:
    """One contact with ``fn`` applied to its notes and facts (a copy when any changed)."""
    return _contact(c, fn) or c


def reveal_entry(e: Interaction, fn: TextMap) -> Interaction:
    """One log entry with ``fn`` applied to its private texts (a copy when any changed)."""
    return _entry(e, fn) or e


# The documents that hold private texts: the list of records they are in (which also names a
# record: "contact c3"), and what maps one record's private texts (None: nothing changed).
_PRIVATE: dict[type[Document], tuple[str, Callable[[Any, TextMap], Any]]] = {
    ContactsFile: ("contact", _contact),
    LogFile: ("entry", _entry),
    FeedbackFile: ("feedback", _feedback),
}
PRIVATE_DOCS: tuple[type[Document], ...] = tuple(_PRIVATE)

PlacedMap = Callable[[str, str], str]  # (the record's id, a private text) -> text


def apply_placed(doc: Document, fn: PlacedMap) -> None:
    """Apply ``fn`` to the private texts of ``doc`` itself (a transaction's document), telling
    it which record (contact, log entry, feedback item) each text belongs to."""

    def at(place: str) -> TextMap:
        return lambda text: fn(place, text)

    found = _PRIVATE.get(type(doc))
    if found is not None:
        field, one = found
        records = getattr(doc, field)
        setattr(doc, field, [one(r, at(f"{field} {r.id}")) or r for r in records])


class OpenedForEdit:
    """The sealed private texts of a transaction's documents, opened in place so an edit can
    change them (``forget`` scrubbing a name); the commit seals what changed, and
    ``reseal_unchanged`` puts back the stored form of the rest, so their bytes do not move."""

    def __init__(self, docs: list[Document]) -> None:
        self.docs = docs
        self.sealed: dict[tuple[str, str], str] = {}  # (record, opened text) -> its message
        self.damaged: list[str] = []  # the records with a sealed text no key opens

    @classmethod
    def open(cls, docs: list[Document], keys: Keys) -> OpenedForEdit:
        """Open every sealed text of ``docs`` (raises IdentityUnavailable without an identity,
        before anything changes)."""
        keys.identities()
        opened = cls(docs)

        def fn(place: str, text: str) -> str:
            if not is_sealed(text):
                return text
            try:
                plain = keys.open(text)
            except DamagedText:
                opened.damaged.append(place)  # left as it is: it stays with its field
                return text
            opened.sealed[(place, plain)] = text
            return plain

        for doc in docs:
            apply_placed(doc, fn)
        return opened

    def reseal_unchanged(self) -> None:
        for doc in self.docs:
            apply_placed(doc, lambda place, text: self.sealed.get((place, text), text))


def count_clear(doc: Document) -> int:
    """How many private texts of ``doc`` are stored in clear."""
    found = 0

    def probe(text: str) -> str:
        nonlocal found
        if text and not is_sealed(text) and text not in (LOCKED, PURGED):
            found += 1
        return text

    map_private(doc, probe)
    return found


def mask(text: str) -> str:
    """What a reader without the identity sees of a private text."""
    return LOCKED if is_sealed(text) else text


# -- sealing (public key only) ------------------------------------------------------------------


class Sealer:
    """Encrypts clear private texts to one recipient; pyrage is loaded on the first text."""

    def __init__(self, recipient: str) -> None:
        self.recipient = recipient
        self._to: Any = None

    def __call__(self, text: str) -> str:
        if not text or is_sealed(text) or text in (LOCKED, PURGED):
            return text
        import pyrage

        if self._to is None:
            try:
                self._to = pyrage.x25519.Recipient.from_str(self.recipient)
            except pyrage.RecipientError as exc:
                raise UsageError(
                    _(
                        "config.toml: [encryption] recipient {recipient!r} is not an age "
                        "public key ({reason})"
                    ).format(recipient=self.recipient, reason=exc),
                    hint=_("run `hrtrust key export-public` on the machine that holds the key"),
                ) from None
        sealed: bytes = pyrage.encrypt(text.encode("utf-8"), [self._to], armored=True)
        return sealed.decode("ascii")


def seal(doc: D, recipient: str) -> D | None:
    """``doc`` with every clear private text encrypted to ``recipient`` (None: nothing to do)."""
    return map_private(doc, Sealer(recipient))


# -- the identity (secret key) ------------------------------------------------------------------


class Keys:
    """The identity file: found, read (asking for its passphrase when it has one) and used to
    open private texts. Nothing is read until a sealed text needs opening."""

    def __init__(
        self,
        path: Path,
        environ: Mapping[str, str],
        ask: AskPassphrase | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.path = path
        self.environ = environ
        self.ask = ask
        self.warn = warn
        self._identities: list[Any] | None = None
        self.locked_reason: str | None = None  # set when the identity could not be had
        self.used_passphrase: str | None = None  # the passphrase that opened the identity

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str],
        ask: AskPassphrase | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> Keys:
        return cls(identity_path(environ), environ, ask, warn)

    def exists(self) -> bool:
        return self.path.is_file()

    def passphrase(self) -> str | None:
        """The passphrase: $HRTRUST_PASSPHRASE, else asked on a terminal (None: cannot ask)."""
        if self.environ.get(PASSPHRASE_ENV):
            return self.environ[PASSPHRASE_ENV]
        return self.ask(self.path) if self.ask else None

    def forget_loaded(self) -> None:
        """Read the identity files again on next use (after a rotation renamed them)."""
        self._identities = None

    def public_keys_in_clear(self) -> set[str] | None:
        """The public keys the identity files here state in clear (the identity, a pending
        and the retired ones: age's ``# public key:`` line), without loading pyrage; None when
        there is no identity or one is passphrase-protected (its key cannot be known)."""
        if not self.path.is_file():
            return None
        keys: set[str] = set()
        for path in [self.path, self.pending_path, *self.retired_paths()]:
            try:
                head = read_file(path)[0][:4096].decode("utf-8")  # a FIFO is not waited on
            except FileNotFoundError:
                continue
            except (OSError, UnicodeDecodeError):
                return None
            found = [
                line.split(":", 1)[1].strip()
                for line in head.splitlines()
                if line.startswith("# public key:")
            ]
            if not found:
                return None  # protected, or written by another tool: not known here
            keys.update(found)
        return keys

    def retired_paths(self) -> list[Path]:
        """The retired identities kept beside the identity (``identity.txt.retired-*``)."""
        folder = self.path.parent
        try:
            names = os.listdir(folder)
        except OSError:
            return []
        mark = self.path.name + RETIRED_MARK
        return sorted(folder / n for n in names if n.startswith(mark))

    @property
    def pending_path(self) -> Path:
        """Where a rotation under way keeps the new identity until every field opens with it."""
        return self.path.with_name(self.path.name + PENDING_SUFFIX)

    def identities(self) -> list[Any]:
        """The identities to open with; raises IdentityError (one line) when there is none
        or its passphrase is wrong."""
        if self._identities is None:
            if not self.path.is_file():
                raise IdentityUnavailable(_("no identity at {path}").format(path=self.path))
            found = [self.load(self.path)]
            # A rotation under way (or killed) keeps its new key beside the old one until
            # every field opens with it: the data may be sealed to either.
            if self.pending_path.is_file():
                try:
                    found.append(self.load(self.pending_path))
                except IdentityUnavailable:
                    raise
                except IdentityError as exc:  # not a key: nothing can be sealed to it
                    if self.warn is not None:
                        self.warn(exc.message)
            # Keys retired by a rotation are kept: another home sharing the identity (until
            # its next write catches up) or a backup may still be sealed to one.
            for path in self.retired_paths():
                with contextlib.suppress(IdentityError):
                    found.append(self.load(path))
            self._identities = found
        return self._identities

    def load(self, path: Path) -> Any:
        """The identity in the file at ``path`` (asking for its passphrase when it has one)."""
        import pyrage

        try:
            st = os.stat(path)
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or _("not a text file")
            raise IdentityError(
                _("cannot read the identity at {path} ({reason})").format(path=path, reason=reason)
            ) from None
        if st.st_mode & 0o077 and self.warn is not None:
            # as ssh does with a private key others can read: said, and `doctor --fix` tightens
            self.warn(
                _(
                    "the identity at {path} is readable by others (mode {mode}): "
                    "run `chmod 600 {path}` or `hrtrust doctor --fix`"
                ).format(path=path, mode=f"{st.st_mode & 0o777:04o}")
            )
        if raw.lstrip().startswith(ARMOR_BEGIN):
            word = self.passphrase()
            if word is None:
                raise IdentityUnavailable(
                    _(
                        "the identity at {path} is protected by a passphrase: run on a "
                        "terminal or set ${name}"
                    ).format(path=path, name=PASSPHRASE_ENV)
                )
            try:
                raw = pyrage.passphrase.decrypt(raw.encode("ascii"), word).decode("utf-8")
            except pyrage.DecryptError:
                raise IdentityError(
                    _("wrong passphrase for the identity at {path}").format(path=path)
                ) from None
            self.used_passphrase = word
        for line in raw.splitlines():
            line = line.strip()
            if line.startswith("AGE-SECRET-KEY-"):
                try:
                    return pyrage.x25519.Identity.from_str(line)
                except pyrage.IdentityError:
                    break
        raise IdentityError(_("the identity at {path} holds no age secret key").format(path=path))

    def open(self, text: str, identities: list[Any] | None = None) -> str:
        """Decrypt one private text (a clear one is returned as it is) with ``identities``
        (default: the identity, and a rotation's pending one). Raises DamagedText when the
        text itself is damaged, IdentityError when it is sealed to another key."""
        if not is_sealed(text):
            return text
        return open_with(text, self.identities() if identities is None else identities, self.path)

    def opener(self, warn: Callable[[str], None]) -> TextMap:
        """A text map for readers: opens with the identity or, when there is none (or it
        needs a passphrase nobody can type), shows the locked marker and warns once. A
        damaged text shows as damaged (warned once); every other text still opens."""
        damaged = 0

        def reveal(text: str) -> str:
            nonlocal damaged
            if not is_sealed(text):
                return text
            if self.locked_reason is None:
                try:
                    return self.open(text)
                except IdentityUnavailable as exc:  # a wrong passphrase or key still fails
                    self.locked_reason = exc.message
                    warn(_("notes are locked ({reason})").format(reason=exc.message))
                except DamagedText:
                    damaged += 1
                    if damaged == 1:
                        warn(_("a private text is damaged and cannot be opened (doctor names it)"))
                    return DAMAGED
            return LOCKED

        return reveal


def open_with(text: str, identities: list[Any], where: Path | str) -> str:
    """Decrypt one sealed text with ``identities``: DamagedText when the message itself is
    broken (age tells a header or payload it cannot read from a key that does not match),
    IdentityError when none of the keys is the one it was sealed to."""
    import pyrage

    try:
        plain: bytes = pyrage.decrypt(text.strip().encode("ascii"), identities)
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise IdentityError(
                _(
                    "the identity at {path} does not open this home's notes "
                    "(it is not the key they were sealed to)"
                ).format(path=where)
            ) from None
        raise DamagedText(_("a private text is damaged ({reason})").format(reason=exc)) from None
    except UnicodeEncodeError:
        raise DamagedText(
            _("a private text is damaged ({reason})").format(reason=_("not ASCII armor"))
        ) from None
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise DamagedText(
            _("a private text is damaged ({reason})").format(reason=_("not UTF-8 inside"))
        ) from None


def new_identity() -> tuple[str, str]:
    """A fresh X25519 identity: (secret key line, public recipient)."""
    import pyrage

    ident = pyrage.x25519.Identity.generate()
    return str(ident), str(ident.to_public())


def public_of(secret: Any) -> str:
    return str(secret.to_public())


def identity_text(secret: str, recipient: str, today: dt.date, passphrase: str | None) -> str:
    """The identity file's text: age's own key-file layout, or that file passphrase-sealed."""
    text = f"# hrtrust identity, created {today.isoformat()}\n# public key: {recipient}\n{secret}\n"
    if passphrase is None:
        return text
    import pyrage

    sealed: bytes = pyrage.passphrase.encrypt(text.encode("utf-8"), passphrase, armored=True)
    return sealed.decode("ascii")


def write_identity(path: Path, text: str) -> None:
    """Write the identity file (0600, its folder 0700 when created) atomically."""
    try:
        ensure_private_dir(path.parent)
        replace_file(path, text.encode("utf-8"))
    except OSError as exc:
        raise IdentityError(
            _("cannot write the identity at {path} ({reason})").format(
                path=path, reason=exc.strerror or exc
            )
        ) from None


def remove_file(path: Path) -> None:
    if path.exists():
        os.unlink(path)
