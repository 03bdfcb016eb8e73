"""``doctor``'s check for secrets in ``config.toml``.

config.toml keeps keys hrtrust does not know, so a password, token or API key meant for another
tool can sit in any of its tables. hrtrust never exports one (``export json`` and ``backup``
leave them out); this check names each so the user can move it out of the data home.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hrtrust.errors import DataFileError
from hrtrust.locale import _
from hrtrust.models import dotted, secret_keys
from hrtrust.storage.checkup import Checkup, Finding
from hrtrust.storage.paths import CONFIG

if TYPE_CHECKING:
    from hrtrust.storage.store import Store


def check_secrets(store: Store, up: Checkup) -> None:
    """A problem for each key in ``config.toml`` that looks like a secret (``[smtp]
    password`` is refused when the file is read, so it is reported with the files)."""
    try:
        config = store.config()
    except DataFileError:
        return  # reported with the files
    for path in secret_keys(config):
        up.problems.append(
            Finding(
                "privacy",
                CONFIG,
                _(
                    "{key} looks like a secret (a password, token or key): it does not "
                    "belong in the data home, and exports and backups leave it out"
                ).format(key=dotted(path)),
                None,
            )
        )
