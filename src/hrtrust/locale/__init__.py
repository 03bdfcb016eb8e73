"""The languages hrtrust speaks: English (the messages as written) and Traditional Chinese
(Taiwan), from gettext catalogues.

``zh_TW/LC_MESSAGES/hrtrust.po`` is the one catalogue of hrtrust's own words (written by
people, kept in git); ``hrtrust.mo`` is its compiled form, shipped in the package and checked
against the ``.po`` by the tests (``scripts/i18n.py`` extracts, updates and compiles, with
Babel). ``messages.po`` holds Click's own words (``Usage:``, ``Options:``), which Click looks
up through the standard library's default gettext domain.

The language is chosen once per run, before any command is built (help texts are translated
as commands are built): ``--lang``, else ``language`` in config.toml (``auto``: no choice),
else the locale (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``: ``zh_TW``, ``zh_Hant`` and
``zh_HK`` are Traditional Chinese). What scripts read never changes with the language: command
and option names, ``--json`` keys and values, CSV headers, ICS properties, exit codes.

``_()`` costs one dictionary lookup in Chinese and nothing in English; loading the catalogue
is one read of the ``.mo`` file.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

LOCALE_DIR = Path(__file__).parent
DOMAIN = "hrtrust"
ENGLISH, CHINESE = "en", "zh-TW"
LANGUAGES = (ENGLISH, CHINESE)
CHOICES = (*LANGUAGES, "auto")

_NO_TRANSLATION = _gettext.NullTranslations()  # English: the messages as written
_translation: _gettext.NullTranslations = _NO_TRANSLATION
_language = ENGLISH
_chosen = False  # set once this run's language is chosen (main() does it before parsing)


def from_locale(environ: Mapping[str, str]) -> str:
    """The language the locale asks for: the first of LC_ALL, LC_MESSAGES, LANG that is set
    (as C libraries read them); Chinese for Traditional Chinese locales, else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return parse(value) or ENGLISH
    return ENGLISH


def parse(text: str) -> str | None:
    """``zh_TW.UTF-8``, ``zh-Hant``, ``zh_HK``, ``zh-tw`` -> zh-TW; ``en_US``, ``C`` -> en;
    None for anything else (the caller says what it accepts)."""
    tag = text.strip().split(".")[0].split("@")[0].replace("_", "-").lower()
    if tag in ("zh-tw", "zh-hant", "zh-hk", "zh-mo") or tag.startswith(("zh-hant-", "zh-tw-")):
        return CHINESE
    if tag in ("en", "c", "posix") or tag.startswith("en-"):
        return ENGLISH
    return None


def choose(option: str | None, configured: str | None, environ: Mapping[str, str]) -> str:
    """The language of this run: ``--lang``, else config.toml's ``language`` (unless auto),
    else the locale. A value that names neither language counts as not given."""
    for given in (option, configured):
        if given and given.strip().lower() != "auto":
            found = parse(given)
            if found is not None:
                return found
    return from_locale(environ)


def set_language(language: str, *, settled: bool = True) -> None:
    """Speak ``language`` (en or zh-TW) from now on, in hrtrust's words and Click's.
    ``settled=False``: for now, until the run has read config.toml's ``language``."""
    global _translation, _language, _chosen
    _chosen = settled
    _language = language if language in LANGUAGES else ENGLISH
    if _language == ENGLISH:
        _translation = _gettext.NullTranslations()
        if os.environ.get("LANGUAGE") == "zh_TW":  # ours, from an earlier choice in-process
            del os.environ["LANGUAGE"]
        return
    code = _language.replace("-", "_")
    _translation = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    # Click (and Typer) ask the standard library's default domain, which picks its language
    # from $LANGUAGE: point both at our copy of Click's words, for this process only.
    _gettext.bindtextdomain("messages", str(LOCALE_DIR))
    os.environ["LANGUAGE"] = code


def chosen() -> bool:
    """True once this run's language was chosen (by ``--lang``, the config or the locale)."""
    return _chosen


def reset() -> None:
    """Back to English and not chosen (tests run many commands in one process)."""
    global _chosen
    set_language(ENGLISH)
    _chosen = False


def language() -> str:
    """The language of this run (en or zh-TW)."""
    return _language


@contextmanager
def in_english() -> Iterator[None]:
    """English for a while, whatever the run's language: the words ``--json`` and exported
    files carry (the same words a view says, from the same function) are made inside this."""
    global _translation, _language
    saved = _translation, _language
    _translation, _language = _NO_TRANSLATION, ENGLISH
    try:
        yield
    finally:
        _translation, _language = saved


def _(message: str) -> str:
    """``message`` in the language of this run (mark every text a person reads with it)."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the language of this run (Chinese has one)."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a text for the catalogue where it is defined; it is translated where it is shown."""
    return message
