"""The errors of the link check: one base, :class:`LinkCheckError`."""

from __future__ import annotations

from satudata_cli.core.errors import SatudataError

__all__ = ["LinkCheckError", "NoNetworkError"]


class LinkCheckError(SatudataError):
    """Base of the link check's errors."""


class NoNetworkError(LinkCheckError):
    """The checker itself has no network: nothing was marked (exit 5)."""
