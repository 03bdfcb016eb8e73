"""Words the domain builds that a person reads in their language and a script reads in English.

A cadence's name, a holiday's name and a few other texts are made where the data is (the
domain, the holiday tables) and shown in two places: ``--json`` and exported files, which never
change with the language, and the views people read. A :class:`Phrase` is both: its value is
the English text (so ``json.dumps``, comparisons and existing callers see exactly what they saw
before), and :func:`said` gives it in the language of the run, from the catalogue, when it is
shown.

    cadence = describe_cadence("2w")
    cadence == "every 2 weeks"     # what --json carries
    said(cadence)                  # "每2週" in Chinese

A parameter that is itself a Phrase is said in the same language. Longer texts are not made
this way: the domain returns data and ``present`` writes the words (the week's reasons and
hooks: ``present/reasons.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from hrtrust.locale import ENGLISH, _, language


class Phrase(str):
    """English text (its value) that knows how to say itself in the language of the run."""

    _translate: Callable[[], str]

    def __new__(cls, english: str, translate: Callable[[], str]) -> Phrase:
        self = super().__new__(cls, english)
        self._translate = translate
        return self

    def said(self) -> str:
        """The text in the language of the run (its English value in English)."""
        if language() == ENGLISH:
            return str.__str__(self)
        try:
            return self._translate()
        except (KeyError, IndexError, ValueError, AttributeError):  # a translation gone wrong
            return str.__str__(self)


def said(text: str) -> str:
    """``text`` as the person reads it: a :class:`Phrase` in the language of the run, any
    other text (a name, a note) as it is."""
    return text.said() if isinstance(text, Phrase) else text


def phrase(message: str, /, **params: object) -> Phrase:
    """The catalogue's ``message`` (marked with ``N_``) with ``params`` filled in: English as
    its value, translated (its Phrase parameters too) when said."""
    english = message.format(**params) if params else message

    def translate() -> str:
        text = _(message)
        if not params:
            return text
        return text.format(**{k: said(v) if isinstance(v, str) else v for k, v in params.items()})

    return Phrase(english, translate)


def known(english: str, translations: Mapping[str, str]) -> Phrase:
    """A text translated elsewhere (a holiday's name from the ``holidays`` package):
    ``translations`` maps a language (``zh-TW``) to its text."""
    return Phrase(english, lambda: translations.get(language(), english))
