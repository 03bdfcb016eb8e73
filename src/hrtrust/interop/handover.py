"""The handover pack as a file: a versioned JSON document (the data and the readable brief),
age-encrypted (X25519, through pyrage) to the receiving partner's public key, ASCII-armored.

Everything happens in memory: the JSON is built, sealed and handed back as armored text for
the caller to write; a pack read back is opened, parsed and validated without a byte of its
plaintext touching the disk. ``age -d -i identity.txt pack.age`` opens it too (it is a
standard age file), and shows the JSON.

Errors, each one line (nothing is written when any is raised):

- not sealed to the receiver's key (``IdentityError``, exit 10);
- not an age file, damaged or cut short, not a handover pack, or not valid
  (``DataFileError``, exit 5);
- a pack from a newer hrtrust (``UsageError``, exit 2: upgrade, then import it).
"""

from __future__ import annotations

import json
from typing import Any

# pydantic.ValidationError is this class; importing it from pydantic costs pydantic.errors
from pydantic_core import ValidationError

from hrtrust.domain.handover import FORMAT, FORMAT_VERSION, Pack
from hrtrust.errors import DataFileError, IdentityError, UsageError
from hrtrust.models import MAX_DEPTH, lazy_re, nesting_depth, to_toml_dict
from hrtrust.present.common import json_safe
from hrtrust.present.json_views import jsonable_dict

ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----"
BINARY_MAGIC = b"age-encryption.org/v1\n"
_PUBLIC_KEY = lazy_re(r"age1[02-9ac-hj-np-z]{20,}")
# the document's keys, in order (``from`` for the giver)
_KEYS = [info.alias or name for name, info in Pack.model_fields.items()]
_DAMAGED = "ask the giver for the file again (or to run `hrtrust handover` again)"


def check_recipient(text: str, where: str = "--to") -> str:
    """``text`` when it is an age X25519 public key (``age1...``), else a UsageError."""
    import pyrage

    key = text.strip()
    try:
        pyrage.x25519.Recipient.from_str(key)
    except pyrage.RecipientError as exc:
        raise UsageError(
            f"{where}: {key[:20]!r} is not an age public key ({exc})",
            hint="give what the receiver's `hrtrust key export-public` prints (age1...)",
        ) from None
    return key


def recipient_in(text: str, where: str) -> str:
    """The public key in a file's text (what `hrtrust key export-public` printed, a line of
    its own; `#` comments are skipped). A file holding a secret key is refused: the giver
    never needs the receiver's identity, and should not be handed one."""
    if "AGE-SECRET-KEY-" in text.upper():
        raise UsageError(
            f"{where} holds a secret key (an identity), not a public key",
            hint="the receiver gives you what `hrtrust key export-public` prints; keep "
            "identities private",
        )
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            found = _PUBLIC_KEY.search(line)
            if found is not None:
                return check_recipient(found.group(), where)
    raise UsageError(
        f"{where} holds no age public key (age1...)",
        hint="save what the receiver's `hrtrust key export-public` prints in it",
    )


def pack_json(pack: Pack) -> str:
    """The pack's JSON text: UTF-8 as is, indented, stable key order."""
    stored = to_toml_dict(pack)  # leaves out what is empty or false: a pack says it all
    data = {key: stored.get(key, []) for key in _KEYS} | {"private": pack.private}
    data = jsonable_dict({key: data[key] for key in _KEYS})
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def seal(pack: Pack) -> str:
    """The pack sealed to ``pack.to``: an ASCII-armored age file, as text."""
    import pyrage

    to = pyrage.x25519.Recipient.from_str(check_recipient(pack.to))
    sealed: bytes = pyrage.encrypt(pack_json(pack).encode("utf-8"), [to], armored=True)
    return sealed.decode("ascii")


def open_pack(data: bytes, identities: list[Any], where: str, identity: str) -> Pack:
    """Open and check a pack with the receiver's ``identities`` (see the module docstring for
    the errors); ``identity`` names where they came from, for the message."""
    import pyrage

    body = data.strip() if data.lstrip().startswith(ARMOR_BEGIN.encode()) else data
    if not (body.startswith(ARMOR_BEGIN.encode()) or body.startswith(BINARY_MAGIC)):
        raise DataFileError(
            f"{where}: not a handover pack (not an age-encrypted file); nothing was written",
            hint="give the file `hrtrust handover --output` wrote",
        )
    try:
        plain: bytes = pyrage.decrypt(body, identities)
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise IdentityError(
                f"{where}: this pack is not sealed to your key (the identity at {identity}); "
                "nothing was written",
                hint="ask the giver to seal it to what your `hrtrust key export-public` prints",
            ) from None
        raise DataFileError(
            f"{where}: the pack is damaged or cut short ({exc}); nothing was written",
            hint=_DAMAGED,
        ) from None
    try:
        loaded = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        loaded = None
    if not isinstance(loaded, dict) or loaded.get("format") != FORMAT:
        raise DataFileError(
            f"{where}: opened, but it is not a handover pack; nothing was written",
            hint="give the file `hrtrust handover --output` wrote",
        )
    version = loaded.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DataFileError(
            f"{where}: the pack's format version {version!r} is not valid; nothing was written",
            hint=_DAMAGED,
        )
    if version > FORMAT_VERSION:
        raise UsageError(
            f"{where}: a pack of format version {version}, from a newer hrtrust; this one "
            f"reads version {FORMAT_VERSION}; nothing was written",
            hint="upgrade hrtrust, then import it again",
        )
    if nesting_depth(loaded) > MAX_DEPTH + 4:
        raise DataFileError(f"{where}: the pack is nested too deeply; nothing was written")
    try:
        return Pack.model_validate(loaded)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise DataFileError(
            f"{where}: the pack does not validate at {loc or 'its top'}: {err['msg']}; "
            "nothing was written",
            hint=_DAMAGED,
        ) from None
