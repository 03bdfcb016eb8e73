"""``hrtrust purge``: remove personal text older than the retention limit."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, Any

import typer

from hrtrust.domain import retention
from hrtrust.errors import UsageError
from hrtrust.locale import N_, _, ngettext
from hrtrust.locale.phrase import said
from hrtrust.models import Config, ContactsFile, FeedbackFile, LogFile
from hrtrust.present.output import render
from hrtrust.storage.paths import BACKUP_SUFFIX, DOCUMENT_FILES
from hrtrust.storage.store import Store

from .common import JsonOption, state

WHAT = {"log": N_("log entry"), "fact": N_("contact"), "feedback": N_("feedback")}  # said: _()


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
            _("retention is off: nothing is ever purged"),
            hint=_("set it: hrtrust config set retention 24m"),
        )
    if not dry_run and not yes:
        if not sys.stdin.isatty():
            raise UsageError(_("purge needs --yes when not run on a terminal (or use --dry-run)"))
        found = _run(store, before, apply=False)
        if found:
            _show(False, found, before, config, names, dry_run=True)
            typer.confirm(
                _("Remove the personal text of these {n} records?").format(n=len(found)),
                abort=True,
            )
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
        txn.forgetting(reason=N_("purge erases"))  # no backup of the purged text is kept
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
        head = _("retention {retention}: personal text dated before {day}").format(
            retention=config.retention, day=before.isoformat()
        )
        if not found:
            return _("Nothing to purge ({what}).").format(what=head)
        lines = [
            (_("Would remove ({what}):") if dry_run else _("Removed ({what}):")).format(what=head)
        ]
        for r in found:
            who = _(", ").join(names.get(w, w) for w in r.who)
            lines.append(
                f"  {r.date.isoformat()}  {_(WHAT[r.kind])} {r.ref}"
                + (_(" ({names})").format(names=who) if who else "")
                + _(": {what}").format(what=said(r.what))
            )
        n = len(found)
        if dry_run:
            total = ngettext(
                "Would remove the personal text of {n} record.",
                "Would remove the personal text of {n} records.",
                n,
            )
        else:
            total = ngettext(
                "Removed the personal text of {n} record.",
                "Removed the personal text of {n} records.",
                n,
            )
        lines.append(total.format(n=n))
        return "\n".join(lines)

    render(json=json, data=data, view=view)
