"""``hrtrust doctor [--fix] [--json]``: check files, references, permissions, lock, temp files."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, TypeVar

import typer

from hrtrust.errors import HrtrustError, UsageError
from hrtrust.locale import _, ngettext
from hrtrust.models import Document
from hrtrust.present.output import render
from hrtrust.storage import doctor as domain
from hrtrust.storage.store import Store

from .common import JsonOption, state

D = TypeVar("D", bound=Document)

PROBLEMS_EXIT = 9  # documented in the README's exit-code table


def doctor(
    ctx: typer.Context,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="Finish a killed commit, remove leftover temp files, make files private.",
        ),
    ] = False,
    json: JsonOption = False,
) -> None:
    """Check files, references, permissions, lock and temp files.

    Every file parses and validates, references resolve, ids are unique, log entries sit in
    their month's file, files are private (0600, folders 0700), no leftover temp file and no
    process holding the lock. Exits 0 when all is well and 9 when problems are found.

    Example: hrtrust doctor --fix
    """
    if json:  # what scripts read is English whatever the language (the findings' text too)
        from hrtrust import locale

        locale.set_language(locale.ENGLISH)
    st = state(ctx)
    store = st.ready_store()
    done = _finish_rotation(store, st.today)  # first: it writes, then everything is checked
    done += domain.fix(store) if fix else []
    up = _checkup(store)
    if fix and any(f.check == "cache" for f in up.problems):
        done += domain.rebuild_indexes(store)
        up = _checkup(store)
    up.problems += _department_twins(store)
    _check_keys(store, up, done, fix)
    _check_meaning(store, up)
    from hrtrust.storage.cache import REBUILT

    for line in REBUILT:  # a cache this check could not use: the files are the truth
        what, _sep, why = line.partition(": ")
        up.notes.append(
            domain.Finding(
                "cache",
                what,
                _("could not be read; rebuilt {reason} from the files").format(
                    reason=why.removeprefix("rebuilt ")
                ),
            )
        )
    _check_retention(store, st.today, up)
    store.warnings.clear()  # the permission warning is one of the findings below
    render(
        json=json,
        data=lambda: {
            "home": str(store.home),
            "healthy": up.healthy,
            "files": up.files,
            "records": up.records,
            "fixed": done,
            "problems": [_finding(f) for f in up.problems],
            "notes": [_finding(f) for f in up.notes],
        },
        view=lambda: "\n".join(
            [_("Fixed: {what}").format(what=line) for line in done] + _lines(up, store.home)
        ),
    )
    if not up.healthy:
        raise typer.Exit(PROBLEMS_EXIT)


def _checkup(store: Store) -> domain.Checkup:
    """The storage checks, and the kept occurrences (checking them needs the domain's rules)."""
    from hrtrust.domain.days import count_days
    from hrtrust.domain.people import index_people
    from hrtrust.domain.planning import expand
    from hrtrust.storage import touch_days
    from hrtrust.storage.derived import OCCURRENCES, occurrences_differ
    from hrtrust.storage.people import INDEX as PEOPLE
    from hrtrust.storage.people import people_differ

    up = domain.check(store)
    if up.healthy:  # the files read: the rules can be expanded, the people indexed
        what = occurrences_differ(store, expand)
        if what is not None:
            up.problems.append(domain.Finding("cache", f".cache/{OCCURRENCES}", what, "rebuild it"))
        what = people_differ(store, index_people)
        if what is not None:
            up.problems.append(domain.Finding("cache", f".cache/{PEOPLE}", what, "rebuild it"))
        dept_of = {c.id: c.dept for c in store.contacts().contact}
        what = touch_days.days_differ(store, dept_of, lambda es: count_days(es, dept_of))
        if what is not None:
            where = f".cache/{touch_days.NAME}"
            up.problems.append(domain.Finding("cache", where, what, "rebuild it"))
    return up


def _finish_rotation(store: Store, today: dt.date) -> list[str]:
    """Finish a key rotation a killed `key rotate` left (see storage/rotation.py)."""
    import os

    from hrtrust.errors import IdentityError
    from hrtrust.storage import rotation
    from hrtrust.storage.crypto import Keys

    from .common import ask_passphrase

    try:
        if not store.encrypted():
            return []
        keys = Keys.from_env(os.environ, ask=ask_passphrase)
        if rotation.pending(keys) and rotation.rotate(store, keys, today, resume_only=True):
            return [_("finished the key rotation that was interrupted")]
    except IdentityError:
        pass  # the key checks below say why
    except HrtrustError:
        pass  # an unreadable file: reported with the files
    return []


def _check_keys(store: Store, up: domain.Checkup, done: list[str], fix: bool) -> None:
    """In an encrypted home: finish an interrupted key rotation; the identity is private and
    holds the key new notes are sealed to; with it, every sealed field opens (each one that
    does not is named)."""
    import os
    import stat

    from hrtrust.errors import IdentityError
    from hrtrust.storage import rotation
    from hrtrust.storage.crypto import IdentityUnavailable, Keys, public_of

    from .common import ask_passphrase

    try:
        config = store.config()
    except HrtrustError:
        return  # reported with the files
    if config.encryption is None:
        return
    keys = Keys.from_env(os.environ, ask=ask_passphrase)
    for path in (keys.path, keys.pending_path):
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except OSError:
            continue
        if mode & 0o077:
            if fix:
                os.chmod(path, 0o600)
                done.append(_("made {path} private (0600)").format(path=path))
            else:
                up.problems.append(
                    domain.Finding(
                        "identity",
                        str(path),
                        _("mode {mode}: others may read the key").format(mode=f"{mode:04o}"),
                        "chmod 0600",
                    )
                )
    if not keys.path.is_file():
        where = "identity"
        if rotation.pending(keys):
            up.problems.append(
                domain.Finding(
                    where,
                    str(keys.path),
                    _(
                        "missing, while a rotation's new key waits beside it: put the old "
                        "identity back, then run `hrtrust key rotate`"
                    ),
                )
            )
        else:
            up.notes.append(
                domain.Finding(
                    where,
                    str(keys.path),
                    _(
                        "no identity here: notes are sealed but cannot be read on this machine "
                        "(fine on one that only writes)"
                    ),
                )
            )
        return
    try:
        if rotation.pending(keys):
            up.problems.append(
                domain.Finding(
                    "identity",
                    str(keys.pending_path),
                    _("a key rotation was interrupted; `hrtrust key rotate` finishes it"),
                )
            )
        held = [public_of(i) for i in keys.identities()]
        if config.encryption.recipient not in held:
            up.problems.append(
                domain.Finding(
                    "identity",
                    "config.toml",
                    _(
                        "new notes are sealed to {recipient}, which no identity at {path} holds"
                    ).format(recipient=config.encryption.recipient, path=keys.path),
                )
            )
        for where, why in rotation.unopened(store, keys):
            up.problems.append(domain.Finding("sealed", where, why))
    except IdentityUnavailable as exc:
        up.notes.append(
            domain.Finding(
                "identity", str(keys.path), _("not checked: {why}").format(why=exc.message)
            )
        )
    except IdentityError as exc:
        up.problems.append(domain.Finding("identity", str(keys.path), exc.message))


def _check_retention(store: Store, today: dt.date, up: domain.Checkup) -> None:
    """A note of the personal text older than the retention limit (`hrtrust purge` removes it)."""
    from hrtrust.domain import retention

    try:
        config = store.config()
        before = retention.cutoff(config, today)
        if before is None:
            return
        found = retention.purge(
            contacts=store.contacts(),
            logs=[store.log_month(rel) for rel in store.log_months()],
            feedback=store.feedback(),
            before=before,
            apply=False,
        )
    except UsageError as exc:
        up.problems.append(domain.Finding("retention", "config.toml", exc.message))
        return
    except HrtrustError:
        return  # an unreadable file is reported with the files
    if found:
        n = len(found)
        up.notes.append(
            domain.Finding(
                "retention",
                "purge",
                ngettext(
                    "{n} record has personal text older than the retention of {retention} "
                    "(dated before {day}): run `hrtrust purge`",
                    "{n} records have personal text older than the retention of {retention} "
                    "(dated before {day}): run `hrtrust purge`",
                    n,
                ).format(n=n, retention=config.retention, day=before.isoformat()),
            )
        )


def _department_twins(store: Store) -> list[domain.Finding]:
    """Departments named in ways that differ only by case, accents or spacing ("Taichung
    Office" and "Taichung office"): two rows in coverage for one place."""
    from hrtrust.domain.departments import case_twins

    try:
        names = [d.name for d in store.config().department]
        names += [c.dept for c in store.contacts().contact if c.dept]
        names += [a.dept for a in store.activities().activity if a.dept]
        names += [p.dept for p in store.promises().promise if p.dept]
        fb = store.feedback()
        names += [f.dept for f in fb.feedback if f.dept] + [p.dept for p in fb.pulse]
        names += [d for e in store.iter_log(None, None) for d in e.depts]
    except HrtrustError:
        return []  # an unreadable file is already a finding of its own
    return [
        domain.Finding(
            "departments",
            "departments",
            _("{names} differ only by case or accents (merge them: {command})").format(
                names=_(" and ").join(repr(n) for n in group),
                command=f'hrtrust dept rename "{group[-1]}" "{group[0]}"',
            ),
            None,
        )
        for group in case_twins(names)
    ]


def _check_meaning(store: Store, up: domain.Checkup) -> None:
    """Values that parse but mean nothing (a cadence of "3x", a rule hrtrust cannot read):
    checked by the domain's own parsers, on the files that loaded."""
    from hrtrust.domain.checks import check_documents, unknown_kinds
    from hrtrust.errors import DataFileError
    from hrtrust.models import ActivitiesFile, Config, ContactsFile, FeedbackFile, LogFile

    def load(cls: type[D], rel: str | None = None) -> D | None:
        try:
            return store.read(cls, rel, raw=cls is LogFile)  # a log's kinds are never sealed
        except DataFileError:
            return None  # already a problem of its own

    config, activities = load(Config), load(ActivitiesFile)
    found = check_documents(
        config=config,
        contacts=load(ContactsFile),
        activities=activities,
        feedback=load(FeedbackFile),
    )
    if config is not None:  # the kinds config.toml adds are known only once it reads
        logs = ((rel, load(LogFile, rel)) for rel in store.log_months())
        found += unknown_kinds(config, activities, ((r, f) for r, f in logs if f is not None))
    for m in found:
        up.problems.append(domain.Finding("meaning", m.file, m.what))


def _finding(f: domain.Finding) -> dict[str, str | None]:
    return {"check": f.check, "where": f.where, "what": f.what, "fix": f.fix}


def _lines(up: domain.Checkup, home: object) -> list[str]:
    out: list[str] = []
    read = _("{files}, {records}").format(
        files=ngettext("{n} file", "{n} files", up.files).format(n=up.files),
        records=ngettext("{n} record", "{n} records", up.records).format(n=up.records),
    )
    if up.healthy:
        out.append(_("All well in {home}:").format(home=home))
        out.append(_("{read}; references resolve; files private.").format(read=read))
    for f in up.problems:
        if f.fix:
            line = _("problem: {where}: {what} [--fix: {fix}]")
        else:
            line = _("problem: {where}: {what}")
        out.append(line.format(where=f.where, what=f.what, fix=f.fix and _(f.fix)))
    for f in up.notes:
        out.append(_("note: {where}: {what}").format(where=f.where, what=f.what))
    if up.healthy:
        return out
    fixable = sum(1 for f in up.problems if f.fix)
    n = len(up.problems)
    if fixable == n:
        summary = ngettext(
            "{n} problem in {home} ({read}); `hrtrust doctor --fix` repairs them.",
            "{n} problems in {home} ({read}); `hrtrust doctor --fix` repairs them.",
            n,
        )
    elif fixable:
        summary = ngettext(
            "{n} problem in {home} ({read}); `hrtrust doctor --fix` repairs {fixable}, the rest "
            "need a hand edit.",
            "{n} problems in {home} ({read}); `hrtrust doctor --fix` repairs {fixable}, the rest "
            "need a hand edit.",
            n,
        )
    else:
        summary = ngettext(
            "{n} problem in {home} ({read}); they need a hand edit (doctor --fix cannot guess).",
            "{n} problems in {home} ({read}); they need a hand edit (doctor --fix cannot guess).",
            n,
        )
    out.append(summary.format(n=n, home=home, read=read, fixable=fixable))
    return out
