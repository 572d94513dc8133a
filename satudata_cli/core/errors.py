"""The exception tree. Each layer has one base; the CLI maps them to exit codes in ONE
table (``satudata_cli.cli.exitcodes``), most specific class first.

SatudataError                                                      (exit 2 unless listed)
├── UsageError            arguments that do not fit together, a path that does not exist  (exit 2)
│                         (raised by the use cases, e.g. ``pipeline.validate.build_validate_run``)
├── StandardError         the standard itself is broken (schema, profile, vocabulary)  (exit 2)
│   └── ProfileError      a user profile file cannot be loaded or is inconsistent
└── InputError            an input file could not be read at all (not a finding)        (exit 2)
"""

from __future__ import annotations

from satudata_cli.core.i18n import Lang


class SatudataError(Exception):
    """Base of every error satudata raises on purpose.

    ``str(error)`` is the English message; an error may carry the same message in
    Indonesian (``id_text=``), and :meth:`text` gives the one a person asked for.
    """

    id_text: str | None = None

    def __init__(self, *args: object, id_text: str | None = None) -> None:
        super().__init__(*args)
        if id_text is not None:
            self.id_text = id_text

    def text(self, lang: Lang) -> str:
        """The message in ``lang`` (English where there is no Indonesian text)."""
        return self.id_text if lang == "id" and self.id_text else str(self)


class UsageError(SatudataError):
    """The user asked for something that cannot be done as asked."""


class StandardError(SatudataError):
    """A schema, profile or vocabulary of the standard cannot be loaded."""


class ProfileError(StandardError):
    """A profile (built-in or user YAML) is missing or inconsistent."""


class InputError(SatudataError):
    """An input path cannot be opened at all."""
