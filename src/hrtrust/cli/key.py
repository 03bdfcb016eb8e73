"""``hrtrust key ...``: encrypt private notes at rest with an age identity kept outside the home."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from hrtrust.errors import UsageError
from hrtrust.locale import N_, _, ngettext
from hrtrust.models import Config, ContactsFile, Encryption, FeedbackFile
from hrtrust.storage import crypto
from hrtrust.storage.paths import BACKUP_SUFFIX, DOCUMENT_FILES
from hrtrust.storage.rotation import SPARED, private_docs
from hrtrust.storage.store import Store

from .common import ask_passphrase, say, state

app = typer.Typer(
    help="Encrypt private notes at rest: key init, key rotate, key export-public.",
    no_args_is_help=True,
)

PassphraseOption = Annotated[
    bool,
    typer.Option(
        "--passphrase",
        help="Protect the identity file with a passphrase (asked on the terminal, or taken "
        "from $HRTRUST_PASSPHRASE).",
    ),
]


def _new_passphrase() -> str:
    """A passphrase for a new identity: $HRTRUST_PASSPHRASE, else typed twice on a terminal."""
    word = os.environ.get(crypto.PASSPHRASE_ENV)
    if word:
        return word
    if not sys.stdin.isatty():
        raise UsageError(
            _("--passphrase needs a terminal to ask for it"),
            hint=_("or set ${name} for this one command").format(name=crypto.PASSPHRASE_ENV),
        )
    import getpass

    word = getpass.getpass(_("New passphrase: "))
    if not word:
        raise UsageError(_("the passphrase is empty"))
    if getpass.getpass(_("Same passphrase again: ")) != word:
        raise UsageError(_("the two passphrases differ; nothing was changed"))
    return word


def _remove_clear_copies(store: Store) -> list[str]:
    """Drop what still holds private text in clear: the caches in ``.cache/`` and the ``.bak``
    copies of files with private fields (kept when a hand-commented file was rewritten)."""
    store.drop_cache()
    private = {DOCUMENT_FILES[ContactsFile], DOCUMENT_FILES[FeedbackFile]}
    removed = []
    for path in store.backups():
        rel = str(path.relative_to(store.home)).removesuffix(BACKUP_SUFFIX)
        if rel in private or rel.startswith("log/"):
            path.unlink()
            removed.append(str(path))
    return removed


@app.command("init")
def init(ctx: typer.Context, passphrase: PassphraseOption = False) -> None:
    """Encrypt private notes at rest, from now on and already stored.

    Creates an age identity (X25519) in a private file outside the data home
    ($HRTRUST_IDENTITY, else $XDG_CONFIG_HOME/hrtrust/identity.txt, else
    ~/.config/hrtrust/identity.txt; 0600), stores only its public key in config.toml, and
    re-encrypts every contact note, learned fact, log note and private feedback text in one
    transaction. An identity already at that path is reused (one key for several homes).
    Plans, digests and reports keep working without the identity; cron never needs it.

    Example: hrtrust key init --passphrase
    """
    st = state(ctx)
    store = st.ready_store()
    config = store.config()
    if config.encryption is not None:
        raise UsageError(
            _("this data home is already encrypted (to {recipient})").format(
                recipient=config.encryption.recipient
            ),
            hint=_("`hrtrust key rotate` replaces the key"),
        )
    keys = crypto.Keys.from_env(os.environ, ask=ask_passphrase)
    if keys.exists():
        if passphrase:
            raise UsageError(
                _("an identity already exists at {path}; --passphrase is for a new one").format(
                    path=keys.path
                ),
                hint=_(
                    "run without --passphrase to use it, or set $HRTRUST_IDENTITY to a new path"
                ),
            )
        recipient = crypto.public_of(keys.identities()[0])
        made = False
    else:
        word = _new_passphrase() if passphrase else None
        secret, recipient = crypto.new_identity()
        crypto.write_identity(keys.path, crypto.identity_text(secret, recipient, st.today, word))
        made = True
    with store.transaction() as txn:
        txn.forgetting(reason=N_("the notes in it are now encrypted"), spare=SPARED)
        cfg = txn.edit(Config)
        cfg.encryption = Encryption(recipient=recipient)
        fields = sum(crypto.count_clear(doc) for _, doc in private_docs(txn, store))
    removed = _remove_clear_copies(store)
    if made and passphrase:
        made_at = _("Created identity at {path} (passphrase-protected).")
    elif made:
        made_at = _("Created identity at {path}.")
    elif passphrase:
        made_at = _("Using the existing identity at {path} (passphrase-protected).")
    else:
        made_at = _("Using the existing identity at {path}.")
    say(made_at.format(path=keys.path))
    say(
        ngettext(
            "Encrypted {n} private field to {recipient}.",
            "Encrypted {n} private fields to {recipient}.",
            fields,
        ).format(n=fields, recipient=recipient)
    )
    for path in removed:
        say(_("Removed {path} (it held notes in clear).").format(path=path))
    say(_("Keep a copy of the identity somewhere safe: without it the notes cannot be read."))


@app.command("rotate")
def rotate(ctx: typer.Context, passphrase: PassphraseOption = False) -> None:
    """Replace the key: a new identity, every private field re-encrypted to it.

    Needs the current identity. The new one keeps a passphrase if the old had one
    (--passphrase asks for a new passphrase). Safe to interrupt: the new key is written
    beside the old one first, and the old one is retired only once every field opens with
    the new one; an interrupted rotation is finished (never restarted) by the next
    `key rotate`, `doctor` or write.

    Example: hrtrust key rotate
    """
    from hrtrust.storage import rotation

    st = state(ctx)
    store = st.ready_store()
    config = store.config()
    if config.encryption is None:
        raise _not_encrypted()
    keys = crypto.Keys.from_env(os.environ, ask=ask_passphrase, warn=store.warn)
    if not keys.path.is_file():
        raise crypto.IdentityUnavailable(_("no identity at {path}").format(path=keys.path))
    keys.load(keys.path)  # fails here, with one line, before anything is written
    word = _new_passphrase() if passphrase else None
    done = rotation.rotate(store, keys, st.today, word)
    assert done is not None
    _remove_clear_copies(store)
    if done.caught_up:
        say(
            _(
                "This home was sealed to a key that a rotation in another home sharing the "
                "identity retired: resealed to the identity's key {recipient}."
            ).format(recipient=done.recipient)
        )
        return
    if done.resumed:
        say(
            _("Finished the key rotation that was interrupted (new key {recipient}).").format(
                recipient=done.recipient
            )
        )
    if done.passphrase:
        say(_("New identity at {path} (passphrase-protected).").format(path=keys.path))
    else:
        say(_("New identity at {path}.").format(path=keys.path))
    fields = done.resealed + done.kept
    say(
        ngettext(
            "Re-encrypted {n} private field to {recipient}.",
            "Re-encrypted {n} private fields to {recipient}.",
            fields,
        ).format(n=fields, recipient=done.recipient)
    )
    for place in done.damaged:
        say(_("Damaged, left as it was (no key can open it): {place}").format(place=place))
    if done.retired is not None:
        say(
            _(
                "The old key is kept at {path}: backups made before now, and other homes "
                "that share this identity, need it. Delete it when nothing does."
            ).format(path=done.retired)
        )


@app.command("export-public")
def export_public(ctx: typer.Context) -> None:
    """Print the public key (age recipient) private notes are encrypted to.

    Safe to share: it can only encrypt. Another machine that only writes (a laptop that logs
    meetings) needs nothing else.

    Example: hrtrust key export-public
    """
    st = state(ctx)
    config = st.ready_store().config()
    if config.encryption is None:
        raise _not_encrypted()
    say(config.encryption.recipient)


def _not_encrypted() -> UsageError:
    return UsageError(_("this data home is not encrypted"), hint=_("run `hrtrust key init`"))
