"""Processes on this machine: a process pool fed a bounded window of batches."""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from litcode.curation.errors import CurationError
from litcode.curation.executors.base import Executor
from litcode.curation.executors.start_method import worker_context

InputT = TypeVar("InputT")
OutputT = TypeVar("OutputT")


class LocalExecutor(Executor):
    """Run batches on ``num_workers`` processes (``None``: one per CPU; 0 or 1: in this process).

    Workers start with ``spawn`` (no inherited locks or open SQLite handles, and
    the same behaviour on Linux, macOS and Windows), except under a main script
    without an ``if __name__ == "__main__":`` guard, which spawned workers would
    re-run: then they fork, or the work stays in this process where fork is
    missing (:mod:`~litcode.curation.executors.start_method`). At most
    ``in_flight_per_worker * num_workers`` batches are submitted ahead of the one
    being consumed.

    >>> with LocalExecutor(num_workers=0) as executor:
    ...     list(executor.map(abs, [-1, 2, -3]))
    [1, 2, 3]
    """

    def __init__(self, num_workers: int | None = None, *, in_flight_per_worker: int = 2) -> None:
        if num_workers is not None and num_workers < 0:
            raise ValueError(f"num_workers must be >= 0 or None, got {num_workers}")
        self.num_workers = os.cpu_count() or 1 if num_workers is None else num_workers
        self._window = max(1, in_flight_per_worker * self.num_workers)
        self._pool: ProcessPoolExecutor | None = None
        self._context = worker_context() if self.num_workers > 1 else None

    @property
    def in_process(self) -> bool:
        return self.num_workers <= 1 or self._context is None

    def map(self, function: Callable[[InputT], OutputT], items: Iterable[InputT]) -> Iterator[OutputT]:
        if self.in_process:
            for item in items:
                yield function(item)
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.num_workers, mp_context=self._context, initializer=_ignore_sigint
            )
        pending: deque[Future[OutputT]] = deque()
        try:
            for item in items:
                pending.append(self._pool.submit(function, item))
                if len(pending) >= self._window:
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which stops the run once (no traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _result(future: Future[OutputT]) -> OutputT:
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise CurationError(
            "a curation worker process died or could not start: check memory limits, or pass "
            "num_workers=0 to curate in this process"
        ) from error
