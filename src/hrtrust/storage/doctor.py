"""``hrtrust doctor``: is every file readable, every reference whole, the home private?

The checks read the data home through the store and report; nothing here prints or exits.
A *problem* makes ``doctor`` exit non-zero; a *note* is information (history the tool keeps on
purpose, such as log entries with a person removed by ``contact remove``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hrtrust.errors import DataFileError, WriteError
from hrtrust.locale import N_, _, ngettext
from hrtrust.models import (
    ActivitiesFile,
    Config,
    ContactsFile,
    Document,
    FeedbackFile,
    Interaction,
    LogFile,
    PromisesFile,
)
from hrtrust.storage.cache import records_name
from hrtrust.storage.checkup import Checkup as Checkup  # the cli names them from here
from hrtrust.storage.checkup import Finding as Finding
from hrtrust.storage.config_secrets import check_secrets
from hrtrust.storage.crypto import count_clear
from hrtrust.storage.paths import CACHE_DIR, DOCUMENT_FILES, JOURNAL, LOCK, month_file
from hrtrust.storage.store import Store

# What --fix does, as --json names it (in English) and the text says it (with _()).
REBUILD = N_("rebuild it")
ENCRYPT = N_("encrypt (needs only the public key)")
FINISH = N_("finish the commit")
REMOVE = N_("remove it")


def check(store: Store) -> Checkup:
    """Run every check on ``store``'s data home."""
    up = Checkup()
    docs = _read_all(store, up)
    _check_duplicates(docs, up)
    _check_references(docs, up)
    _check_months(docs, up)
    _check_indexes(store, docs, up)
    _check_disk(store, up)
    _check_clear_text(store, docs, up)
    check_secrets(store, up)
    return up


def _check_indexes(store: Store, docs: _Docs, up: Checkup) -> None:
    """The derived indexes agree with the files they claim to reflect (a stale one is fine:
    it is rebuilt on its next use)."""
    from hrtrust.storage import indexes, touches

    for name, what in touches.check(store, docs.logs) + indexes.check(store, docs.promises):
        up.problems.append(Finding("cache", f".cache/{name}", what, REBUILD))


def rebuild_indexes(store: Store) -> list[str]:
    """Delete every derived index and cache, and build the touch and promise indexes and the
    validated records again from the files (doctor --fix)."""
    from hrtrust.models import Touches
    from hrtrust.storage import indexes, touches

    store.drop_cache()
    for cls, rel in DOCUMENT_FILES.items():
        store.read_checked(cls, rel)
    for rel in store.log_months():
        store.read_checked(LogFile, rel)
    indexes.live_promises(store)
    assert isinstance(touches.touches(store, dt.date.max), Touches)
    return [_("rebuilt the derived indexes in .cache/")]


def fix(store: Store) -> list[str]:
    """Repair what needs no judgement: finish a killed commit, remove temp files, make the
    home private. Returns one line per action taken. Takes the lock."""
    done: list[str] = []
    journal = store.pending_commit()
    if not _odd_lock(store):
        # A journal that proves nothing is set aside for a person to look at, never acted on.
        temps = store.temp_files()
        with store.transaction():  # finishes a journal, then removes temp files, under the lock
            pass
        if journal:
            done.append(_("finished the commit a killed writer left in .journal"))
        done += [_("removed {path}").format(path=path) for path in temps if not path.exists()]
    try:
        changed = store.tighten_permissions()
    except OSError as exc:
        raise WriteError(
            _("{path}: cannot change permissions ({reason})").format(
                path=exc.filename, reason=exc.strerror or exc
            )
        ) from exc
    done += [
        _("made {path} private ({mode})").format(
            path=path, mode="0700" if path.is_dir() else "0600"
        )
        for path in changed
    ]
    sealed = _seal_clear_text(store)
    if sealed:
        done.append(
            ngettext(
                "encrypted {n} private field left in clear",
                "encrypted {n} private fields left in clear",
                sealed,
            ).format(n=sealed)
        )
    return done


def _private_docs(docs: _Docs) -> list[tuple[str, Document]]:
    found: list[tuple[str, Document]] = []
    if docs.contacts:
        found.append((DOCUMENT_FILES[ContactsFile], docs.contacts))
    if docs.feedback:
        found.append((DOCUMENT_FILES[FeedbackFile], docs.feedback))
    found += sorted(docs.logs.items())
    return found


def _check_clear_text(store: Store, docs: _Docs, up: Checkup) -> None:
    """In an encrypted home, private text in clear (a hand edit, an older hrtrust) is a leak."""
    try:
        if not store.encrypted():
            return
    except DataFileError:
        return  # reported with the files
    for rel, doc in _private_docs(docs):
        n = count_clear(doc)
        if n:
            up.problems.append(
                Finding(
                    "privacy",
                    rel,
                    ngettext(
                        "{n} private field is stored in clear text in an encrypted home",
                        "{n} private fields are stored in clear text in an encrypted home",
                        n,
                    ).format(n=n),
                    ENCRYPT,
                )
            )


def _seal_clear_text(store: Store) -> int:
    """Encrypt private fields found in clear; the commit seals them to the public key."""
    if not store.encrypted():
        return 0
    sealed = 0
    with store.transaction() as txn:
        docs: list[Document] = [txn.get(ContactsFile), txn.get(FeedbackFile)]
        docs += [txn.get(LogFile, rel) for rel in store.log_months()]
        rels = [DOCUMENT_FILES[ContactsFile], DOCUMENT_FILES[FeedbackFile], *store.log_months()]
        for rel, doc in zip(rels, docs, strict=True):
            n = count_clear(doc)
            if n:
                sealed += n
                txn.edit(type(doc), rel)
    return sealed


@dataclass
class _Docs:
    contacts: ContactsFile | None = None
    activities: ActivitiesFile | None = None
    promises: PromisesFile | None = None
    feedback: FeedbackFile | None = None
    logs: dict[str, LogFile] = field(default_factory=dict)


def _read_all(store: Store, up: Checkup) -> _Docs:
    docs = _Docs()
    wanted: list[tuple[type[Document], str]] = [(cls, rel) for cls, rel in DOCUMENT_FILES.items()]
    wanted += [(LogFile, rel) for rel in store.log_months()]
    for cls, rel in wanted:
        if not store.path(rel).exists():
            continue
        up.files += 1
        try:
            stale = store.cached_records_differ(cls, rel)
            doc = store.read_checked(cls, rel)
        except DataFileError as exc:
            up.problems.append(Finding("files", rel, exc.message, None))
            continue
        if stale:
            up.problems.append(Finding("cache", f".cache/{records_name(rel)}", stale, REBUILD))
        if isinstance(doc, LogFile):
            docs.logs[rel] = doc
            up.records += len(doc.entry)
        elif isinstance(doc, ContactsFile):
            docs.contacts = doc
            up.records += len(doc.contact)
        elif isinstance(doc, ActivitiesFile):
            docs.activities = doc
            up.records += len(doc.activity)
        elif isinstance(doc, PromisesFile):
            docs.promises = doc
            up.records += len(doc.promise)
        elif isinstance(doc, FeedbackFile):
            docs.feedback = doc
            up.records += len(doc.feedback) + len(doc.pulse)
        else:
            assert isinstance(doc, Config)
    return docs


def _entries(docs: _Docs) -> list[tuple[str, Interaction]]:
    return [(rel, e) for rel, log in sorted(docs.logs.items()) for e in log.entry]


def _check_duplicates(docs: _Docs, up: Checkup) -> None:
    groups: list[tuple[str, list[str]]] = []
    if docs.contacts:
        groups.append((DOCUMENT_FILES[ContactsFile], [c.id for c in docs.contacts.contact]))
    if docs.activities:
        groups.append((DOCUMENT_FILES[ActivitiesFile], [a.id for a in docs.activities.activity]))
    if docs.promises:
        groups.append((DOCUMENT_FILES[PromisesFile], [p.id for p in docs.promises.promise]))
    if docs.feedback:
        groups.append((DOCUMENT_FILES[FeedbackFile], [f.id for f in docs.feedback.feedback]))
        groups.append((DOCUMENT_FILES[FeedbackFile], [p.id for p in docs.feedback.pulse]))
    groups.append(("log/", [e.id for _, e in _entries(docs)]))
    for where, ids in groups:
        for ident, n in sorted(Counter(ids).items()):
            if n > 1:
                up.problems.append(
                    Finding(
                        "duplicates",
                        where,
                        _("id {id} is used {n} times (ids must be unique)").format(id=ident, n=n),
                    )
                )


def _check_references(docs: _Docs, up: Checkup) -> None:
    people = {c.id for c in docs.contacts.contact} if docs.contacts else None
    activities = {a.id for a in docs.activities.activity} if docs.activities else None
    promises = {p.id for p in docs.promises.promise} if docs.promises else None
    entries = {e.id for _, e in _entries(docs)}

    def problem(where: str, what: str) -> None:
        up.problems.append(Finding("references", where, what))

    def note(where: str, what: str) -> None:
        up.notes.append(Finding("references", where, what))

    if people is not None:
        if docs.promises:
            for p in docs.promises.promise:
                if p.person and p.person not in people:
                    problem(
                        DOCUMENT_FILES[PromisesFile],
                        _(
                            "promise {id} is with {person}, who is not in contacts.toml "
                            "(cancel it: hrtrust promise cancel {id})"
                        ).format(id=p.id, person=p.person),
                    )
        if docs.activities:
            for a in docs.activities.activity:
                for who in a.with_:
                    if who not in people:
                        problem(
                            DOCUMENT_FILES[ActivitiesFile],
                            _("activity {id} lists {person}, who is not in contacts.toml").format(
                                id=a.id, person=who
                            ),
                        )
        if docs.feedback:
            for f in docs.feedback.feedback:
                if f.person and f.person not in people:
                    problem(
                        DOCUMENT_FILES[FeedbackFile],
                        _("feedback {id} is from {person}, who is not in contacts.toml").format(
                            id=f.id, person=f.person
                        ),
                    )
        gone: Counter[str] = Counter(
            who for _, e in _entries(docs) for who in e.with_ if who not in people
        )
        for who, n in sorted(gone.items()):
            note(
                "log/",
                ngettext(
                    "{n} log entry mentions {person}, who is not in contacts.toml (history kept "
                    "by `contact remove`; `forget` erases it)",
                    "{n} log entries mention {person}, who is not in contacts.toml (history kept "
                    "by `contact remove`; `forget` erases it)",
                    n,
                ).format(n=n, person=who),
            )
    for rel, e in _entries(docs):
        if promises is not None:
            for pid in e.promises:
                if pid not in promises:
                    problem(
                        rel,
                        _(
                            "entry {id} lists promise {promise}, which is not in promises.toml"
                        ).format(id=e.id, promise=pid),
                    )
        if activities is not None and e.activity and e.activity not in activities:
            note(
                rel,
                _("entry {id} was for activity {activity}, since removed").format(
                    id=e.id, activity=e.activity
                ),
            )
    if docs.promises:
        for p in docs.promises.promise:
            if p.source and _looks_like_entry(p.source) and p.source not in entries:
                note(
                    DOCUMENT_FILES[PromisesFile],
                    _("promise {id} was made at log entry {entry}, since deleted").format(
                        id=p.id, entry=p.source
                    ),
                )


def _looks_like_entry(source: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}\.\d+", source))


def _check_months(docs: _Docs, up: Checkup) -> None:
    for rel, e in _entries(docs):
        right = month_file(e.date)
        if right != rel:
            up.problems.append(
                Finding(
                    "months",
                    rel,
                    _(
                        "entry {id} is dated {day}, so it belongs in {right}; "
                        "month ranges skip it (move it by hand)"
                    ).format(id=e.id, day=e.date.isoformat(), right=right),
                )
            )


def _odd_lock(store: Store) -> bool:
    lock = store.path(LOCK)
    return lock.is_symlink() or (lock.exists() and not lock.is_file())


def _check_disk(store: Store, up: Checkup) -> None:
    journal_problem = store.journal_problem()
    if journal_problem:
        up.problems.append(
            Finding(
                "commit",
                JOURNAL,
                _("not acted on: {why}; the next write sets it aside, untouched").format(
                    why=journal_problem
                ),
            )
        )
    elif store.pending_commit():
        up.problems.append(
            Finding(
                "commit",
                ".journal",
                _("a writer was killed during a commit; the next write finishes it"),
                FINISH,
            )
        )
    for aside in store.journal.set_aside_ones():
        kept = sorted(p for p in store.journal_names(aside) if p.exists())
        up.problems.append(
            Finding(
                "commit",
                _shown(store, aside),
                (
                    _(
                        "a commit journal hrtrust could not prove it wrote (copied with the home, "
                        "left by another version, or planted), set aside and never acted on; it "
                        "names {n} temp file(s), kept: {files}; look at it, then delete it by hand"
                    )
                    if kept
                    else _(
                        "a commit journal hrtrust could not prove it wrote (copied with the home, "
                        "left by another version, or planted), set aside and never acted on; "
                        "look at it, then delete it by hand"
                    )
                ).format(n=len(kept), files=", ".join(_shown(store, p) for p in kept)),
            )
        )
    for aside in store.journal.rolled_back_files():
        up.problems.append(
            Finding(
                "commit",
                _shown(store, aside),
                _(
                    "a file a failed commit had created, set aside when it was undone (never "
                    "deleted): look at it, then delete it by hand"
                ),
            )
        )
    temps = store.temp_files()
    for path, mode in store.loose_permissions():
        if path in temps:
            continue  # reported (and removed by --fix) below
        if path.is_symlink():
            real = os.path.realpath(path)
            up.problems.append(
                Finding(
                    "permissions",
                    _shown(store, path),
                    _(
                        "symlink to {real}, mode {mode}: other users may read it "
                        "(doctor --fix never follows a link: chmod 600 {real})"
                    ).format(real=real, mode=f"{mode:04o}"),
                )
            )
            continue
        up.problems.append(
            Finding(
                "permissions",
                _shown(store, path),
                (
                    _("folder mode is {mode}: other users may read it")
                    if path.is_dir()
                    else _("file mode is {mode}: other users may read it")
                ).format(mode=f"{mode:04o}"),
                f"chmod {'0700' if path.is_dir() else '0600'}",
            )
        )
    for path in temps:
        up.problems.append(
            Finding("temp", _shown(store, path), _("temp file left by a killed writer"), REMOVE)
        )
    for name, what in (
        (
            LOCK,
            N_(
                "the lock is a symlink to {target}; hrtrust never follows it "
                "(remove the link; hrtrust makes a new one of its own)"
            ),
        ),
        (
            CACHE_DIR,
            N_(
                "the cache folder is a symlink to {target}; hrtrust never follows it "
                "(remove the link; hrtrust makes a new one of its own)"
            ),
        ),
    ):
        path = store.path(name)
        if path.is_symlink():
            up.problems.append(Finding("symlinks", name, _(what).format(target=os.readlink(path))))
    if not store.lock_is_free():
        up.problems.append(
            Finding(
                "lock",
                LOCK,
                _(
                    "another hrtrust holds the lock right now; if none is running, a hung process "
                    "holds it (find it with: fuser -v .lock)"
                ),
            )
        )


def _shown(store: Store, path: Path) -> str:
    """A path as the other findings name files: relative to the home, else in full."""
    if path == store.home:
        return str(path)
    try:
        return str(path.relative_to(store.home))
    except ValueError:
        return str(path)
