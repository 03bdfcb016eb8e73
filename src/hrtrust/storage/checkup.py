"""What ``hrtrust doctor`` found: a :class:`Finding` each, gathered in a :class:`Checkup`.

Below every check (:mod:`hrtrust.storage.doctor` runs them; :mod:`hrtrust.storage.config_secrets`
is one), so a check adds to a Checkup without importing the doctor that runs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """One thing doctor found: where, what, and what ``--fix`` would do about it (if anything)."""

    # files | references | months | duplicates | cache | permissions | lock | temp | commit
    # | privacy | retention
    check: str
    where: str
    what: str  # in the language of the run
    fix: str | None = None  # English, as --json carries it (said with _(): see REBUILD...)


@dataclass
class Checkup:
    """The result of :func:`hrtrust.storage.doctor.check`."""

    files: int = 0
    records: int = 0
    problems: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems
