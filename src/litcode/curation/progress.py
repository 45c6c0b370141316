"""How a run shows its progress: a tqdm bar on a terminal, a caller's callback, or nothing."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Union

from tqdm import tqdm

#: ``callback(done, total)``; ``total`` is None when the source cannot say cheaply.
ProgressCallback = Callable[[int, int | None], None]
ProgressOption = Union[bool, None, ProgressCallback]  # noqa: UP007 - evaluated at runtime


def shows_progress(progress: ProgressOption) -> bool:
    """Whether ``progress`` will draw a bar or call back (only then is counting the inputs worth it)."""
    return callable(progress) or progress is True or (progress is None and sys.stderr.isatty())


class ProgressReporter:
    """Counts finished inputs and forwards them to a bar and/or a callback.

    ``progress``: None shows a bar only when stderr is a terminal, True always,
    False never; a callable is called with ``(done, total)`` after each batch.

    >>> seen = []
    >>> reporter = ProgressReporter(lambda done, total: seen.append((done, total)), total=3)
    >>> reporter.advance(2); reporter.advance(1); reporter.close()
    >>> seen
    [(2, 3), (3, 3)]
    """

    def __init__(self, progress: ProgressOption, total: int | None) -> None:
        self.total = total
        self.done = 0
        self._callback: ProgressCallback | None = None
        self._bar: tqdm | None = None
        if callable(progress) and not isinstance(progress, bool):
            self._callback = progress
        elif progress is True or (progress is None and sys.stderr.isatty()):
            self._bar = tqdm(total=total, unit="file", desc="curate", dynamic_ncols=True)

    def advance(self, count: int) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(count)
        if self._callback is not None:
            self._callback(self.done, self.total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
