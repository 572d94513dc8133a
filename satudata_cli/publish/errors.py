"""The exceptions of the publish layer.

SatudataError
└── PublishError            publishing cannot start or go on as asked
    ├── TargetConfigError   a target file (harvest_configs/targets/*.yaml) cannot be used (exit 2)
    └── PortalError         the portal does not answer or refuses the token (exit 5)

Errors of single datasets (a 409 with CKAN's field errors, a missing organization) are
not exceptions of this tree: they are recorded on the dataset's outcome and in the
publish state, and the run goes on.
"""

from __future__ import annotations

from collections.abc import Sequence

from satudata_cli.core.configfile import problems_message
from satudata_cli.core.errors import SatudataError
from satudata_cli.core.i18n import Message


class PublishError(SatudataError):
    """Publishing cannot start or go on as asked."""


class TargetConfigError(PublishError):
    """A target configuration cannot be used; ``problems`` has one ``FILE:LINE: ...`` each."""

    def __init__(self, problems: str | Message | Sequence[str | Message]) -> None:
        message = problems_message(problems)
        self.problems = message.en.split("\n")
        super().__init__(message)


class PortalError(PublishError):
    """The portal cannot be used: it does not answer, or it refuses the token."""
