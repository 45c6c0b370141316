"""Retry policies as values: a dataclass config files can carry, turned into tenacity strategies."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import tenacity
from tenacity.stop import stop_base
from tenacity.wait import wait_base


def _monotonic() -> float:
    # Looked up at call time so tests can patch ``time.monotonic``.
    return time.monotonic()


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry.

    The wait before retry ``n`` (n = 1, 2, ...) is
    ``min(base_delay * exponential_base ** (n - 1), max_delay)``; with
    ``jitter=True`` it is drawn uniformly from ``[0, that]`` ("full jitter",
    which spreads out clients that failed together). A call makes at most
    ``1 + max_retries`` attempts, and no retry is scheduled to start later than
    ``deadline`` seconds after the call began (``None``: no deadline).

    >>> list(RetryPolicy(max_retries=4, base_delay=1.0, max_delay=5.0).delays())
    [1.0, 2.0, 4.0, 5.0]
    """

    max_retries: int = 3
    base_delay: float = 1.0
    max_delay: float = 60.0
    exponential_base: float = 2.0
    jitter: bool = False
    deadline: float | None = None

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError(
                f"delays must be >= 0, got base_delay={self.base_delay}, max_delay={self.max_delay}"
            )
        if self.exponential_base < 1:
            raise ValueError(f"exponential_base must be >= 1, got {self.exponential_base}")
        if self.deadline is not None and self.deadline <= 0:
            raise ValueError(f"deadline must be > 0 seconds or None, got {self.deadline}")

    def delay(self, retry_number: int) -> float:
        """The un-jittered wait before retry ``retry_number`` (1-based)."""
        if retry_number < 1:
            raise ValueError(f"retry_number is 1-based, got {retry_number}")
        try:
            raw = self.base_delay * self.exponential_base ** (retry_number - 1)
        except OverflowError:
            return self.max_delay
        return min(raw, self.max_delay)

    def delays(self) -> Iterator[float]:
        """The un-jittered schedule: one wait per retry, ``max_retries`` in all."""
        return (self.delay(n) for n in range(1, self.max_retries + 1))

    def wait_strategy(self) -> wait_base:
        """tenacity's own exponential waits, whose formula is exactly :meth:`delay`."""
        if self.jitter:
            return tenacity.wait_random_exponential(
                multiplier=self.base_delay, max=self.max_delay, exp_base=self.exponential_base
            )
        return tenacity.wait_exponential(
            multiplier=self.base_delay, max=self.max_delay, exp_base=self.exponential_base
        )

    def stop_strategy(self, clock: Callable[[], float] = _monotonic) -> stop_base:
        """A stop for one call: its deadline, if any, counts from now."""
        stop: stop_base = tenacity.stop_after_attempt(self.max_retries + 1)
        if self.deadline is not None:
            stop = stop | _StopAfterDeadline(self.deadline, clock)
        return stop


class _StopAfterDeadline(stop_base):
    """Stop when the next attempt would start after ``deadline`` seconds (on ``clock``) from now."""

    def __init__(self, deadline: float, clock: Callable[[], float]) -> None:
        self.deadline = deadline
        self.clock = clock
        self.started = clock()

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        next_start = self.clock() - self.started + retry_state.upcoming_sleep
        return next_start > self.deadline
