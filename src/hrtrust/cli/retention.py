"""``hrtrust purge``: remove personal text older than the retention limit."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, Any

import typer

from hrtrust.domain import retention
from hrtrust.errors import UsageError
from hrtrust.models import Config, ContactsFile, FeedbackFile, LogFile
from hrtrust.present.output import render
from hrtrust.storage.paths import BACKUP_SUFFIX, DOCUMENT_FILES
from hrtrust.storage.store import Store

from .common import JsonOption, state

WHAT = {"log": "log entry", "fact": "contact", "feedback": "feedback"}


def purge(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be removed; change nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    json: JsonOption = False,
) -> None:
    """Remove learned facts, log notes and closed feedback text older than the retention limit.

    The limit is `retention` in config.toml (e.g. retention = "24m"; off by default). The dated
    skeleton stays: who, when and which kind, so reports and "last touched" do not change.
    Facts and entries pinned with `log ... --keep` (or `log edit ID --keep`) are kept. Needs no
    identity in an encrypted home: sealed text is removed whole. No backup is kept.

    Example: hrtrust purge --dry-run
    """
    st = state(ctx)
    store = st.ready_store()
    config = store.config()
    before = retention.cutoff(config, st.today)
    names = {c.id: c.name for c in store.contacts().contact}
    if before is None:
        raise UsageError(
            "retention is off: nothing is ever purged",
            hint="set it: hrtrust config set retention 24m",
        )
    if not dry_run and not yes:
        if not sys.stdin.isatty():
            raise UsageError("purge needs --yes when not run on a terminal (or use --dry-run)")
        found = _run(store, before, apply=False)
        if found:
            _show(False, found, before, config, names, dry_run=True)
            typer.confirm(f"Remove the personal text of these {len(found)} records?", abort=True)
    found = _run(store, before, apply=not dry_run)
    _show(json, found, before, config, names, dry_run=dry_run)


def _run(store: Store, before: dt.date, *, apply: bool) -> list[retention.Removal]:
    months = store.log_months()
    if not apply:
        return retention.purge(
            contacts=store.contacts(),
            logs=[store.log_month(rel) for rel in months],
            feedback=store.feedback(),
            before=before,
            apply=False,
        )
    with store.transaction() as txn:
        txn.forgetting(reason="purge erases")  # no backup of the purged text is kept
        removed = retention.purge(
            contacts=txn.edit(ContactsFile),
            logs=[txn.edit(LogFile, rel) for rel in months],
            feedback=txn.edit(FeedbackFile),
            before=before,
            apply=True,
        )
    if removed:
        # Old copies could still hold the purged text: the validated records and backups.
        store.drop_cache()
        private = {DOCUMENT_FILES[ContactsFile], DOCUMENT_FILES[FeedbackFile], *months}
        for path in store.backups():
            if str(path.relative_to(store.home)).removesuffix(BACKUP_SUFFIX) in private:
                path.unlink()
    return removed


def _show(
    json: bool,
    found: list[retention.Removal],
    before: dt.date,
    config: Config,
    names: dict[str, str],
    *,
    dry_run: bool,
) -> None:
    verb = "Would remove" if dry_run else "Removed"

    def data() -> dict[str, Any]:
        return {
            "retention": config.retention,
            "before": before.isoformat(),
            "dry_run": dry_run,
            "removed": [
                {
                    "kind": r.kind,
                    "ref": r.ref,
                    "date": r.date.isoformat(),
                    "with": [names.get(w, w) for w in r.who],
                    "what": r.what,
                }
                for r in found
            ],
        }

    def view() -> str:
        head = f"retention {config.retention}: personal text dated before {before.isoformat()}"
        if not found:
            return f"Nothing to purge ({head})."
        lines = [f"{verb} ({head}):"]
        for r in found:
            who = ", ".join(names.get(w, w) for w in r.who)
            lines.append(
                f"  {r.date.isoformat()}  {WHAT[r.kind]} {r.ref}"
                + (f" ({who})" if who else "")
                + f": {r.what}"
            )
        n = len(found)
        lines.append(f"{verb} the personal text of {n} record{'s' if n != 1 else ''}.")
        return "\n".join(lines)

    render(json=json, data=data, view=view)
