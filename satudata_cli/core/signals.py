"""Stop signals: SIGTERM and SIGHUP handled like Ctrl-C.

``timeout``, systemd, ``docker stop`` and Kubernetes end a process with SIGTERM; a
closed terminal or ``kill -HUP`` sends SIGHUP. Python's default for both is to die
on the spot, which leaves a harvest job marked ``running``. Inside
:func:`stop_on_signals` each of them raises an exception in the main thread instead,
a subclass of :class:`KeyboardInterrupt`, so every ``except KeyboardInterrupt`` that
rolls back a transaction or marks a job ``interrupted`` handles it exactly as it
handles Ctrl-C; the CLI then exits 128 + the signal's number (143, 129).

Only the first signal raises: a second one (systemd repeats SIGTERM, a user presses
keys) is ignored while the first is being handled, so it cannot break the roll-back
half-way. SIGKILL cannot be caught; the next harvest marks such a job ``interrupted``.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any, ClassVar

__all__ = ["HangUp", "StopSignal", "Terminated", "stop_on_signals", "stop_reason"]


class StopSignal(KeyboardInterrupt):
    """A stop asked for by a signal other than Ctrl-C (SIGINT)."""

    signal_name: ClassVar[str] = "signal"
    signal_number: ClassVar[int] = 0

    def __init__(self) -> None:
        super().__init__(self.signal_name)


class Terminated(StopSignal):
    """SIGTERM: ``timeout``, systemd, a container stop (exit 143)."""

    signal_name = "SIGTERM"
    signal_number = int(signal.SIGTERM)


class HangUp(StopSignal):
    """SIGHUP: the terminal went away, or ``kill -HUP`` (exit 129)."""

    signal_name = "SIGHUP"
    signal_number = 1  # signal.SIGHUP, which Windows lacks


_BY_NUMBER: dict[int, type[StopSignal]] = {
    Terminated.signal_number: Terminated,
    HangUp.signal_number: HangUp,
}


def stop_reason(exc: BaseException) -> str:
    """``interrupted (SIGTERM)``, ``interrupted (Ctrl-C)``: for job errors and messages."""
    if isinstance(exc, StopSignal):
        return f"interrupted ({exc.signal_name})"
    return "interrupted (Ctrl-C)"


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`Terminated` / :class:`HangUp` in the main thread
    while the block runs; the previous handlers come back afterwards.

    Outside the main thread (where Python cannot install handlers) it does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired = False

    def handler(number: int, frame: FrameType | None) -> None:
        nonlocal fired
        if fired:
            return  # already stopping: let the roll-back finish
        fired = True
        raise _BY_NUMBER[number]()

    previous: dict[int, Any] = {}
    for number in _BY_NUMBER:
        with contextlib.suppress(ValueError, OSError):  # a signal this platform lacks
            previous[number] = signal.signal(number, handler)
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)
