"""The message catalogue is complete and current (issue 28): every message a person reads
has a Traditional Chinese translation, no translation is left for a message no longer used,
and the shipped .mo files are the .po files compiled (scripts/i18n.py, with Babel)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def i18n():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_message_is_missing_or_stale_and_the_mo_is_compiled(i18n) -> None:  # type: ignore[no-untyped-def]
    assert i18n.check() == []


def names(text: str) -> set[str]:
    """The fields a format string fills: ``{day:%a %b}`` and ``{day.month}`` both fill day."""
    return {re.split(r"[.:!\[]", f)[0] for f in re.findall(r"\{([^{}]*)\}", text)}


def test_every_translation_fills_the_same_fields(i18n) -> None:  # type: ignore[no-untyped-def]
    """A translation may format a date its own way ({day.month}月{day.day}日 for
    {day:%b} {day.day}), but fills exactly the fields the English fills."""
    wrong = []
    for m in i18n.read():
        if not m.id or not m.string:
            continue
        source = m.id if isinstance(m.id, str) else m.id[0]
        texts = [m.string] if isinstance(m.string, str) else list(m.string)
        wrong += [source for text in texts if names(text) != names(source)]
    assert wrong == []


def test_the_package_ships_the_compiled_catalogues() -> None:
    import hrtrust.locale as locale

    folder = Path(locale.__file__).parent / "zh_TW" / "LC_MESSAGES"
    assert (folder / "hrtrust.mo").stat().st_size > 10_000
    assert (folder / "messages.mo").exists()
