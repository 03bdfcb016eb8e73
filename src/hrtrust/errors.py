"""The one exception family hrtrust raises; the CLI turns each into a message and an exit code.

Exit codes (documented in the README):

====  ==========================================================
0     success (also when things are overdue: that is information)
1     unexpected internal error (a bug; rerun with ``--debug``)
2     bad usage: an unknown option or a malformed argument
3     not found: no such person, activity, promise or entry
4     ambiguous: a reference matches more than one thing
5     bad data file: a TOML or validation error in a file on disk
6     busy: another hrtrust holds the data-home lock
7     I/O failure: a file could not be read or written (nothing was changed), or the digest
      was not mailed or not posted (``--mail-to``, ``--post-to``)
8     not set up: the data home does not exist (run ``hrtrust init``)
10    identity: the age identity is missing or unreadable, or its passphrase is wrong
====  ==========================================================
"""

from __future__ import annotations


class HrtrustError(Exception):
    """Base class: a one-line message for the user, an exit code, and an optional hint."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(HrtrustError):
    """The user typed something hrtrust cannot read (a date, a rule, a cadence...)."""

    exit_code = 2


class NotFoundError(HrtrustError):
    """A reference matched nothing."""

    exit_code = 3


class AmbiguousError(HrtrustError):
    """A reference matched several things; the hint lists them."""

    exit_code = 4


class DataFileError(HrtrustError):
    """A file in the data home is not valid TOML or does not validate; it is never overwritten."""

    exit_code = 5


class LockError(HrtrustError):
    """The data-home lock could not be taken in time."""

    exit_code = 6


class WriteError(HrtrustError):
    """A write failed; the store rolled back so no file changed."""

    exit_code = 7


class MailError(HrtrustError):
    """The digest could not be handed to the SMTP server."""

    exit_code = 7


class DeliveryError(HrtrustError):
    """The digest could not be posted to a chat service or webhook (``digest --post-to``)."""

    exit_code = 7


class NotInitialisedError(HrtrustError):
    """The data home does not exist yet."""

    exit_code = 8


class IdentityError(HrtrustError):
    """The age identity (secret key) is missing, unreadable, or its passphrase is wrong."""

    exit_code = 10
