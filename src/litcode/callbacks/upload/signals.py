"""A SIGTERM hook that chains whatever handler was there before it.

Inside ``Trainer.fit`` Lightning installs its own SIGTERM handler, which keeps
(and calls) the one found in place, then raises ``SIGTERMException`` at the
next batch so callbacks get ``on_exception``. Installing ours in ``setup``
(before Lightning's) puts it in that chain: it only marks the event, so the
final flush is cut short, and Lightning does the rest. When ours is the
current handler (outside a fit), it also runs the previous handler, or the
default action (terminate) when there was none. Either way the journal on disk
is already current: the uploader rewrites it at every change.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from types import FrameType
from typing import Any

logger = logging.getLogger("litcode.callbacks.upload")


class SigtermHook:
    """Set ``event`` on SIGTERM, then hand the signal on to the previous handler.

    >>> import threading
    >>> hook = SigtermHook(threading.Event())
    >>> hook.install()
    >>> hook.uninstall()
    >>> hook.event.is_set()
    False
    """

    def __init__(self, event: threading.Event) -> None:
        self.event = event
        self._previous: Any = None
        self._installed = False

    def install(self) -> None:
        """Install in the main thread (Python allows signal handlers nowhere else); elsewhere do nothing."""
        if self._installed or threading.current_thread() is not threading.main_thread():
            return
        self._previous = signal.getsignal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, self.handle)
        self._installed = True

    def uninstall(self) -> None:
        """Put the previous handler back, unless someone replaced ours meanwhile (then leave theirs)."""
        if not self._installed:
            return
        self._installed = False
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) == self.handle
        ):
            signal.signal(signal.SIGTERM, self._previous if self._previous is not None else signal.SIG_DFL)

    def handle(self, signum: int, frame: FrameType | None) -> None:
        logger.warning("SIGTERM received: checkpoint uploads get a short final flush, the rest is journaled")
        self.event.set()
        if signal.getsignal(signal.SIGTERM) != self.handle:
            return  # called from a handler that wraps ours (Lightning's): it decides what happens next
        previous = self._previous
        if callable(previous):
            previous(signum, frame)
        elif previous in (None, signal.SIG_DFL):
            self.uninstall()
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
