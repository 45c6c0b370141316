"""Reporting metrics write failures without flooding the training log.

A full disk fails every write; the first failure of a file is an ERROR (a second file failing
too is a WARNING), repeats go to DEBUG until that file is written again.
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger("litcode.metrics")


class WriteFailures:
    """Which of the tracker's files currently fail to write, and the one log line per episode.

    >>> failures = WriteFailures()
    >>> failures.failed("snapshot", "/full/metrics.json", OSError("disk full"))
    >>> failures.failing
    {'snapshot'}
    >>> failures.succeeded("snapshot"); failures.failing
    set()
    """

    def __init__(self) -> None:
        self.failing: set[str] = set()

    def failed(self, what: str, path: str | os.PathLike[str], error: BaseException) -> None:
        if what in self.failing:
            logger.debug("still cannot write metrics %s %s: %s", what, path, error)
            return
        level = logging.WARNING if self.failing else logging.ERROR
        self.failing.add(what)
        logger.log(
            level,
            "cannot write metrics %s %s: %s (training goes on; figures stay in memory)",
            what,
            path,
            error,
        )

    def succeeded(self, what: str) -> None:
        self.failing.discard(what)
