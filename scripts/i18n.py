#!/usr/bin/env python3
"""hrtrust's message catalogue: extract, update, compile and check (Babel).

    python scripts/i18n.py update    # extract every message, merge into the .po (new ones empty)
    python scripts/i18n.py compile   # write the .mo the package ships
    python scripts/i18n.py check     # missing, stale or uncompiled messages (the tests run this)
    python scripts/i18n.py todo [FILE.json]   # the untranslated messages (as JSON: id -> "")
    python scripts/i18n.py merge FILE.json    # put translations (id -> text) into the .po

A message with a plural form is written in JSON as "singular\u0000plural" (its one
Chinese form is the translation). update, merge and compile hold a lock (.po.lock beside the
catalogue), so several people can merge their translations one after another.

The messages are (1) every ``_()``, ``ngettext()`` and ``N_()`` call in ``src/hrtrust`` and
(2) the help of every command and option as Click holds it (docstrings and ``help=``, and the
short help of the command table): the English texts are the keys, so a changed help text is
a changed message, and the check fails until it is translated again.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "hrtrust"
PO = SRC / "locale" / "zh_TW" / "LC_MESSAGES" / "hrtrust.po"
MO = PO.with_suffix(".mo")
# Click's own words (Usage:, Options): hand-kept, compiled and checked like ours.
CLICK_PO = PO.with_name("messages.po")
CLICK_MO = CLICK_PO.with_suffix(".mo")
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}


def code_messages() -> Iterator[tuple[str | tuple[str, str], str]]:
    """(message, where) for every marked call in the source."""
    from babel.messages.extract import extract_from_dir

    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(SRC), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        yield message, f"src/hrtrust/{filename}:{lineno}"


def help_messages() -> Iterator[tuple[str, str]]:
    """(text, where) for the help of every command and option, as Click holds it."""
    sys.path.insert(0, str(ROOT / "src"))
    import typer

    from hrtrust.cli import app as cli

    def walk(command: Any, path: str) -> Iterator[tuple[str, str]]:
        for text in (command.help, command.short_help):
            if text:
                yield text, path
        for param in command.params:
            if getattr(param, "help", None):
                yield param.help, f"{path} {param.opts[0] if param.opts else param.name}"
        for name in list(getattr(command, "commands", {}) or {}):
            yield from walk(command.commands[name], f"{path} {name}")

    root = typer.main.get_command(cli.app)
    yield from walk(root, "hrtrust")
    for name, (_module, _attr, short) in cli.COMMANDS.items():
        yield short, f"hrtrust {name} (table)"
        yield from walk(cli.load_command(name), f"hrtrust {name}")


def template() -> Any:
    from babel.messages.catalog import Catalog

    cat = Catalog(project="hrtrust", domain="hrtrust")
    for message, where in [*code_messages(), *help_messages()]:
        if message:
            cat.add(
                message,
                locations=[(where, None)]
                if ":" not in where
                else [(where.rsplit(":", 1)[0], int(where.rsplit(":", 1)[1]))],
            )
    return cat


def read(path: Path = PO) -> Any:
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        return read_po(fh, locale="zh_TW", domain=path.stem)


def write(catalog: Any) -> None:
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=False, omit_header=False, include_lineno=False)
    PO.write_bytes(buf.getvalue())


def compiled(catalog: Any) -> bytes:
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def update() -> None:
    from babel.messages.catalog import Catalog

    current = read() if PO.exists() else Catalog(locale="zh_TW", domain="hrtrust")
    current.update(template(), no_fuzzy_matching=True)
    current.obsolete.clear()
    write(current)


def check() -> list[str]:
    """What is wrong with the catalogue: messages missing a translation, messages no longer
    used, and a .mo that is not the .po compiled."""
    problems: list[str] = []
    wanted = {m.id for m in template() if m.id}
    po = read()
    have = {m.id: m for m in po if m.id}
    for mid in sorted(wanted, key=str):
        msg = have.get(mid)
        if (
            msg is None
            or not msg.string
            or msg.fuzzy
            or (isinstance(msg.string, tuple) and not all(msg.string))
        ):
            problems.append(f"untranslated: {mid!r}")
    for mid in sorted(set(have) - wanted, key=str):
        problems.append(f"stale (no longer used): {mid!r}")
    for po_path, mo_path in ((PO, MO), (CLICK_PO, CLICK_MO)):
        if not mo_path.exists() or mo_path.read_bytes() != compiled(read(po_path)):
            problems.append(
                f"{mo_path.relative_to(ROOT)} is not the .po compiled: run scripts/i18n.py compile"
            )
    return problems


def _key(mid: str | tuple[str, str]) -> str:
    return mid if isinstance(mid, str) else "\x00".join(mid)


def todo() -> dict[str, str]:
    """The messages still without a translation."""
    out: dict[str, str] = {}
    for m in read():
        if m.id and (
            not m.string or m.fuzzy or (isinstance(m.string, tuple) and not all(m.string))
        ):
            out[_key(m.id)] = ""
    return out


def merge(path: Path) -> int:
    """Translations from a JSON file (id -> text) into the .po; returns how many were set."""
    import json

    given = json.loads(path.read_text("utf-8"))
    po = read()
    n = 0
    for m in po:
        if not m.id:
            continue
        text = given.get(_key(m.id))
        if not text:
            continue
        m.string = tuple([text] * max(1, len(m.string))) if isinstance(m.id, tuple) else text
        m.flags.discard("fuzzy")
        n += 1
    write(po)
    return n


def locked() -> Any:
    import fcntl

    fh = open(PO.with_suffix(".po.lock"), "w")  # noqa: SIM115 - held until the process ends
    fcntl.flock(fh, fcntl.LOCK_EX)
    return fh


def main() -> int:
    import json

    what = sys.argv[1] if len(sys.argv) > 1 else "check"
    if what in ("update", "merge", "compile"):
        lock = locked()  # noqa: F841 - released when the process ends
    if what == "todo":
        text = json.dumps(todo(), ensure_ascii=False, indent=1)
        if len(sys.argv) > 2:
            Path(sys.argv[2]).write_text(text, "utf-8")
        else:
            print(text)
    elif what == "merge":
        print(f"{merge(Path(sys.argv[2]))} translations merged")
        MO.write_bytes(compiled(read()))
    elif what == "update":
        update()
    elif what == "compile":
        MO.write_bytes(compiled(read()))
        CLICK_MO.write_bytes(compiled(read(CLICK_PO)))
    elif what == "check":
        problems = check()
        for line in problems:
            print(line)
        return 1 if problems else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
