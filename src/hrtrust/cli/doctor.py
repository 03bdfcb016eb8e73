"""``hrtrust doctor [--fix] [--json]``: check files, references, permissions, lock, temp files."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from hrtrust.errors import HrtrustError, UsageError
from hrtrust.present.output import render
from hrtrust.storage import doctor as domain
from hrtrust.storage.store import Store

from .common import JsonOption, state

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
    st = state(ctx)
    store = st.ready_store()
    done = domain.fix(store) if fix else []
    up = domain.check(store)
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
        view=lambda: "\n".join([f"Fixed: {line}" for line in done] + _lines(up, store.home)),
    )
    if not up.healthy:
        raise typer.Exit(PROBLEMS_EXIT)


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
                f"{n} record{'s have' if n != 1 else ' has'} personal text older than the "
                f"retention of {config.retention} (dated before {before.isoformat()}): "
                "run `hrtrust purge`",
            )
        )


def _finding(f: domain.Finding) -> dict[str, str | None]:
    return {"check": f.check, "where": f.where, "what": f.what, "fix": f.fix}


def _lines(up: domain.Checkup, home: object) -> list[str]:
    out: list[str] = []
    read = f"{up.files} files, {up.records} records"
    if up.healthy:
        out.append(f"All well in {home}: {read}; references resolve; files private.")
    for f in up.problems:
        out.append(f"problem: {f.where}: {f.what}" + (f" [--fix: {f.fix}]" if f.fix else ""))
    for f in up.notes:
        out.append(f"note: {f.where}: {f.what}")
    if up.healthy:
        return out
    fixable = sum(1 for f in up.problems if f.fix)
    n = len(up.problems)
    summary = f"{n} problem{'s' if n != 1 else ''} in {home} ({read})"
    if fixable == n:
        summary += "; `hrtrust doctor --fix` repairs them."
    elif fixable:
        summary += f"; `hrtrust doctor --fix` repairs {fixable}, the rest need a hand edit."
    else:
        summary += "; they need a hand edit (doctor --fix cannot guess)."
    out.append(summary)
    return out
