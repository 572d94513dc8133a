"""The exception tree. Each layer has one base; the CLI maps them to exit codes in ONE
table (``satudata_cli.cli.exitcodes``), most specific class first.

SatudataError                                                      (exit 2 unless listed)
├── UsageError            arguments that do not fit together, a path that does not exist  (exit 2)
│                         (raised by the use cases, e.g. ``pipeline.validate.build_validate_run``)
├── StandardError         the standard itself is broken (schema, profile, vocabulary)  (exit 2)
│   └── ProfileError      a user profile file cannot be loaded or is inconsistent
└── InputError            an input file could not be read at all (not a finding)        (exit 2)

Every error carries its text in both languages (``message``, a :class:`Message`, most
from the message table :mod:`satudata_cli.core.messages`); ``str()`` of an error is the
English text (logs, the katalog's job history), the CLI shows ``message`` in the
language chosen with ``--lang``. An error raised with a plain string reads the same in
both languages.
"""

from __future__ import annotations

from satudata_cli.core.i18n import Lang, Message, plain


class SatudataError(Exception):
    """Base of every error satudata raises on purpose.

    ``message`` is the text in both languages (a :class:`Message`, from the message
    table); ``str(error)`` is the English one. An error raised with a plain string may
    give its Indonesian text with ``id_text=``; without it, both languages read the
    same. :meth:`text` gives the one a person asked for.
    """

    def __init__(
        self, message: str | Message = "", *args: object, id_text: str | None = None
    ) -> None:
        if isinstance(message, Message):
            self.message: Message = message
        else:
            self.message = Message(id_text, message) if id_text else plain(message)
        super().__init__(self.message.en, *args)

    @property
    def id_text(self) -> str | None:
        """The Indonesian text when it differs from the English one."""
        return self.message.id if self.message.id != self.message.en else None

    def text(self, lang: Lang) -> str:
        """The error's text in ``lang``."""
        return self.message.get(lang)


class UsageError(SatudataError):
    """The user asked for something that cannot be done as asked."""


class StandardError(SatudataError):
    """A schema, profile or vocabulary of the standard cannot be loaded."""


class ProfileError(StandardError):
    """A profile (built-in or user YAML) is missing or inconsistent."""


class InputError(SatudataError):
    """An input path cannot be opened at all."""
