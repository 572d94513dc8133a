"""What every report renderer is given besides the report: :class:`RenderOptions`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from rich.console import Console

from satudata_cli.core.i18n import Lang
from satudata_cli.reports.models import FreshnessReport

if TYPE_CHECKING:
    from satudata_cli.reports.links import LinksReport


def plain_console(out: TextIO) -> Console:
    """A console without colour, 100 columns wide unless ``out`` is a terminal."""
    return Console(file=out, width=None if out.isatty() else 100, highlight=False)


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """``lang`` of the labels; ``detail``: every dataset instead of the worst ones;
    ``console``: how a text renderer wraps ``out`` (the CLI passes its colour choice);
    ``freshness``: the freshness report shown beside a compliance report by the formats
    whose spec says ``with_freshness``."""

    lang: Lang = "en"
    detail: bool = False
    console: Callable[[TextIO], Console] = plain_console
    freshness: FreshnessReport | None = None
    #: the link-check section of the compliance page (formats ``with_freshness``), when
    #: links were checked
    links: LinksReport | None = None
