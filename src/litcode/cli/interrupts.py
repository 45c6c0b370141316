"""Ctrl-C and SIGTERM as the command line reports them: one line, a documented exit code.

A shell reports a process killed by signal N as exit code ``128 + N``; ``litcode`` exits with the
same codes after stopping cleanly, so scripts can tell an interrupt from a failure:

======================  =========  ============================================================
what happened           exit code  what ``litcode`` did before exiting
======================  =========  ============================================================
SIGINT (Ctrl-C)         130        ``fit``: run.json ``interrupted``, summary + resume command;
                                   ``curate``: manifest run ``interrupted``, one line
SIGTERM (kill, SLURM)   143        the same
======================  =========  ============================================================

Python turns SIGINT into ``KeyboardInterrupt`` by itself. SIGTERM kills a process outright unless
handled, so :class:`InterruptGuard` installs a handler that raises :class:`RunInterrupted` instead.
Inside ``Trainer.fit`` Lightning installs its own SIGTERM handler, which calls the one it found
(ours) and stops the loop at the next batch; ours then only records the signal, so Lightning's
graceful stop (and the upload callback's final flush) runs as designed.
"""

from __future__ import annotations

import signal
import threading
from dataclasses import dataclass
from types import FrameType, TracebackType
from typing import Any

#: Exit codes, the shell's ``128 + signal number``.
EXIT_SIGINT = 128 + signal.SIGINT
EXIT_SIGTERM = 128 + signal.SIGTERM


class RunInterrupted(BaseException):
    """A signal stopped the command; a ``BaseException`` so ``except Exception`` blocks let it pass.

    >>> RunInterrupted("SIGTERM").signal_name
    'SIGTERM'
    """

    def __init__(self, signal_name: str) -> None:
        super().__init__(f"interrupted by {signal_name}")
        self.signal_name = signal_name


@dataclass(frozen=True)
class Interruption:
    """Which signal stopped a command, and the exit code and reason that follow from it.

    >>> Interruption.of("SIGINT").exit_code, Interruption.of("SIGTERM").reason
    (130, 'SIGTERM')
    """

    signal_name: str
    exit_code: int
    reason: str

    @classmethod
    def of(cls, signal_name: str) -> Interruption:
        if signal_name == "SIGTERM":
            return cls("SIGTERM", EXIT_SIGTERM, "SIGTERM")
        return cls("SIGINT", EXIT_SIGINT, "SIGINT (Ctrl-C)")


class InterruptGuard:
    """While active, SIGTERM raises :class:`RunInterrupted` (or, inside a fit, is only recorded).

    ``received`` names the last signal seen (``"SIGTERM"``), so a caller can tell why Lightning
    stopped. Installed only from the main thread (Python allows signal handlers nowhere else).

    >>> with InterruptGuard() as guard:
    ...     guard.received is None
    True
    """

    def __init__(self) -> None:
        self.received: str | None = None
        self._previous: Any = None
        self._installed = False

    def __enter__(self) -> InterruptGuard:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.getsignal(signal.SIGTERM)
            signal.signal(signal.SIGTERM, self._handle)
            self._installed = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._installed:
            signal.signal(signal.SIGTERM, self._previous if self._previous is not None else signal.SIG_DFL)
            self._installed = False

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.received = "SIGTERM"
        if signal.getsignal(signal.SIGTERM) != self._handle:
            return  # called through Lightning's handler: the fit stops at the next batch by itself
        raise RunInterrupted("SIGTERM")


def interruption_of(
    error: BaseException, guard: InterruptGuard | None = None, trainer_interrupted: bool = False
) -> Interruption | None:
    """The interruption ``error`` stands for, or None when it is an ordinary failure.

    Lightning turns Ctrl-C into ``SystemExit(1)`` after its graceful shutdown and SIGTERM into
    ``SIGTERMException`` (a ``SystemExit``); a guard that saw SIGTERM settles which one it was, and
    ``trainer_interrupted`` (the Trainer's status is ``interrupted``) marks Lightning's Ctrl-C exit.

    >>> interruption_of(KeyboardInterrupt()).exit_code, interruption_of(ValueError("x")) is None
    (130, True)
    """
    if isinstance(error, RunInterrupted):
        return Interruption.of(error.signal_name)
    stopped = isinstance(error, SystemExit | KeyboardInterrupt)
    if guard is not None and guard.received == "SIGTERM" and stopped:
        return Interruption.of("SIGTERM")
    if type(error).__name__ == "SIGTERMException":
        return Interruption.of("SIGTERM")
    if isinstance(error, KeyboardInterrupt) or (isinstance(error, SystemExit) and trainer_interrupted):
        return Interruption.of("SIGINT")
    return None
