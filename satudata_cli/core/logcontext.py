"""What a log line is about (the source, the job, the target), without passing it around.

The harvest engine sets ``source`` and ``job_id`` for the thread that works on one
source (:func:`log_context`); every log record emitted in that thread, by the engine,
the source, the CKAN client or the HTTP client, is about that source, and the CLI's
log formatter reads :func:`current` to fill the record's fields. A thread started by
that work (a page prefetch) inherits the context when it is submitted with
:func:`submit_in_context`.

A log call names what it is with ``extra={"event": "snake_case_name", ...}``; the
fields given there win over the context.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future
from types import MappingProxyType
from typing import Any, ParamSpec, TypeVar

__all__ = ["current", "log_context", "set_log_fields", "submit_in_context"]

P = ParamSpec("P")
T = TypeVar("T")

_FIELDS: contextvars.ContextVar[Mapping[str, Any]] = contextvars.ContextVar(
    "satudata_log_fields", default=MappingProxyType({})
)


def current() -> Mapping[str, Any]:
    """The fields of the current context (``source``, ``job_id``, ``target``, ...)."""
    return _FIELDS.get()


@contextlib.contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Add ``fields`` to every log record of this thread while the block runs."""
    token = _FIELDS.set({**_FIELDS.get(), **fields})
    try:
        yield
    finally:
        _FIELDS.reset(token)


def set_log_fields(**fields: Any) -> None:
    """Add fields inside an open :func:`log_context` (a job id known only later)."""
    _FIELDS.set({**_FIELDS.get(), **fields})


def submit_in_context(
    executor: Executor, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> Future[T]:
    """``executor.submit(fn, ...)`` run in a copy of the caller's context."""
    context = contextvars.copy_context()

    def run() -> T:
        return context.run(fn, *args, **kwargs)

    return executor.submit(run)
