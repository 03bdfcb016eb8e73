"""``hrtrust key ...``: encrypt private notes at rest with an age identity kept outside the home."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from hrtrust.errors import UsageError
from hrtrust.models import Config, ContactsFile, Encryption, FeedbackFile, LogFile
from hrtrust.storage import crypto
from hrtrust.storage.paths import BACKUP_SUFFIX, DOCUMENT_FILES
from hrtrust.storage.store import Store, Transaction

from .common import ask_passphrase, say, state

app = typer.Typer(
    help="Encrypt private notes at rest: key init, key rotate, key export-public.",
    no_args_is_help=True,
)

# config.toml holds no private text: a hand-commented one keeps its backup when rewritten.
SPARED = frozenset({DOCUMENT_FILES[Config]})

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
            "--passphrase needs a terminal to ask for it",
            hint=f"or set ${crypto.PASSPHRASE_ENV} for this one command",
        )
    import getpass

    word = getpass.getpass("New passphrase: ")
    if not word:
        raise UsageError("the passphrase is empty")
    if getpass.getpass("Same passphrase again: ") != word:
        raise UsageError("the two passphrases differ; nothing was changed")
    return word


def _private_docs(
    txn: Transaction, store: Store
) -> list[tuple[str, ContactsFile | LogFile | FeedbackFile]]:
    """Every document with private fields, opened for editing in ``txn``."""
    docs: list[tuple[str, ContactsFile | LogFile | FeedbackFile]] = [
        (DOCUMENT_FILES[ContactsFile], txn.edit(ContactsFile)),
        (DOCUMENT_FILES[FeedbackFile], txn.edit(FeedbackFile)),
    ]
    docs += [(rel, txn.edit(LogFile, rel)) for rel in store.log_months()]
    return docs


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
            f"this data home is already encrypted (to {config.encryption.recipient})",
            hint="`hrtrust key rotate` replaces the key",
        )
    keys = crypto.Keys.from_env(os.environ, ask=ask_passphrase)
    if keys.exists():
        if passphrase:
            raise UsageError(
                f"an identity already exists at {keys.path}; --passphrase is for a new one",
                hint="run without --passphrase to use it, or set $HRTRUST_IDENTITY to a new path",
            )
        recipient = crypto.public_of(keys.identities()[0])
        made = False
    else:
        word = _new_passphrase() if passphrase else None
        secret, recipient = crypto.new_identity()
        crypto.write_identity(keys.path, crypto.identity_text(secret, recipient, st.today, word))
        made = True
    with store.transaction() as txn:
        txn.forgetting(reason="the notes in it are now encrypted", spare=SPARED)
        cfg = txn.edit(Config)
        cfg.encryption = Encryption(recipient=recipient)
        fields = sum(crypto.count_clear(doc) for _, doc in _private_docs(txn, store))
    removed = _remove_clear_copies(store)
    origin = "Created" if made else "Using the existing"
    protected = " (passphrase-protected)" if passphrase else ""
    say(f"{origin} identity at {keys.path}{protected}.")
    say(f"Encrypted {fields} private field{'s' if fields != 1 else ''} to {recipient}.")
    for path in removed:
        say(f"Removed {path} (it held notes in clear).")
    say("Keep a copy of the identity somewhere safe: without it the notes cannot be read.")


@app.command("rotate")
def rotate(ctx: typer.Context, passphrase: PassphraseOption = False) -> None:
    """Replace the key: a new identity, every private field re-encrypted to it at once.

    Needs the current identity. The new one keeps a passphrase if the old had one
    (--passphrase asks for a new passphrase).

    Example: hrtrust key rotate
    """
    st = state(ctx)
    store = st.ready_store()
    config = store.config()
    if config.encryption is None:
        raise UsageError("this data home is not encrypted", hint="run `hrtrust key init`")
    keys = crypto.Keys.from_env(os.environ, ask=ask_passphrase)
    keys.identities()  # fails here, with one line, before anything is written
    word = _new_passphrase() if passphrase else keys.used_passphrase
    secret, recipient = crypto.new_identity()
    pending = keys.path.with_name(keys.path.name + ".new")
    crypto.write_identity(pending, crypto.identity_text(secret, recipient, st.today, word))
    with store.transaction() as txn:
        txn.forgetting(reason="it was encrypted to the old key", spare=SPARED)
        cfg = txn.edit(Config)
        cfg.encryption = Encryption(recipient=recipient)
        fields = 0
        for rel, doc in _private_docs(txn, store):
            opened = crypto.map_private(doc, keys.open)  # the commit seals them to the new key
            if opened is not None:
                txn.save(opened, rel)
            fields += crypto.count_clear(opened or doc)
    os.replace(pending, keys.path)
    _remove_clear_copies(store)
    say(f"New identity at {keys.path}" + (" (passphrase-protected)." if word else "."))
    say(f"Re-encrypted {fields} private field{'s' if fields != 1 else ''} to {recipient}.")


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
        raise UsageError("this data home is not encrypted", hint="run `hrtrust key init`")
    say(config.encryption.recipient)
