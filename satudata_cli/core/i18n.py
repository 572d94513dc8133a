"""Languages: the bilingual :class:`Message` and the choice of language.

Every text a person reads exists in Indonesian and English: a finding carries its
message in both, the one table of the tool's own messages (:mod:`satudata_cli.core.messages`)
holds both, and an error of any layer carries a :class:`Message` (``SatudataError.message``).
Which language a person sees is decided once, by the command line (``--lang``), then
``SATUDATA_LANG``, then the locale (:func:`lang_from_env`).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)

#: The environment variable that chooses the language (an option on the command line wins).
LANG_ENVVAR = "SATUDATA_LANG"


@dataclass(frozen=True, slots=True)
class Message:
    """A text in both languages of the tool: ``id`` (Bahasa Indonesia) and ``en``.

    A template of the message table has ``{name}`` placeholders, the same in both
    languages; :meth:`format` fills them and gives the finished :class:`Message`.
    """

    id: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.id if lang == "id" else self.en

    def format(self, **params: object) -> Message:
        """Both languages with the placeholders filled; a parameter that is itself a
        :class:`Message` is taken in the same language."""
        return Message(
            id=self.id.format(**_in("id", params)), en=self.en.format(**_in("en", params))
        )

    def map(self, change: Callable[[str], str]) -> Message:
        """``change`` applied to each language (e.g. taking a secret out)."""
        return Message(change(self.id), change(self.en))

    def placeholders(self, lang: Lang) -> set[str]:
        """The names of the ``{name}`` placeholders of one language (for the tests)."""
        return {
            name
            for _, name, _, _ in string.Formatter().parse(self.get(lang))
            if name is not None and name != ""
        }

    @staticmethod
    def join(separator: str, items: Iterable[Message]) -> Message:
        """``separator.join`` in each language."""
        parts = list(items)
        return Message(separator.join(p.id for p in parts), separator.join(p.en for p in parts))

    def __str__(self) -> str:
        """The English text: what a log line or the katalog's history keeps."""
        return self.en

    def strip_prefix(self, prefix: Message) -> Message:
        """Both languages without ``prefix`` (each language its own) where they start with it."""
        return Message(self.id.removeprefix(prefix.id), self.en.removeprefix(prefix.en))

    def __add__(self, other: Message | str) -> Message:
        if isinstance(other, Message):
            return Message(self.id + other.id, self.en + other.en)
        return Message(self.id + other, self.en + other)


def _in(lang: Lang, params: Mapping[str, object]) -> dict[str, object]:
    return {k: v.get(lang) if isinstance(v, Message) else v for k, v in params.items()}


def plain(text: str) -> Message:
    """Text that reads the same in both languages (a name, a path, a number)."""
    return Message(text, text)


def parse_lang(value: str | None) -> Lang | None:
    """``id``/``en`` (any case, also ``id_ID``, ``in``, ``en-US``) -> the language; else None."""
    if not value:
        return None
    low = value.strip().lower().replace("-", "_")
    if low in ("id", "in") or low.startswith(("id_", "in_")):
        return "id"
    if low == "en" or low.startswith("en_"):
        return "en"
    return None


def detect_lang(environ: Mapping[str, str]) -> Lang:
    """From the locale: Indonesian when LC_ALL, LC_MESSAGES or LANG (the first one set)
    starts with ``id``, else English."""
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(key, "")
        if value:
            return "id" if value.lower().startswith(("id", "in_")) else "en"
    return "en"


def lang_from_env(environ: Mapping[str, str]) -> Lang:
    """``SATUDATA_LANG`` when it names a language, else the locale (:func:`detect_lang`)."""
    return parse_lang(environ.get(LANG_ENVVAR)) or detect_lang(environ)
