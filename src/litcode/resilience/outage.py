"""How long a breaker's backend has been down: the "stop waiting" signal for a final flush.

A breaker alone says *open* or *not*; a caller deciding whether waiting can still
help needs the outage's age and whether a trial already failed.
"""

from __future__ import annotations

import threading

from litcode.resilience.breaker import CircuitBreaker
from litcode.resilience.states import CircuitState


class OutageWatch:
    """Follow ``breaker``'s transitions: when the current outage began, how many trials failed since.

    The backend counts as *dead* once the breaker has stayed out of ``closed``
    for ``dead_after`` recovery timeouts (default 2) and at least one half-open
    trial failed.

    >>> now = [0.0]
    >>> breaker = CircuitBreaker(failure_threshold=1, recovery_timeout=30, clock=lambda: now[0])
    >>> watch = OutageWatch(breaker)
    >>> def fail(): raise ConnectionError("down")
    >>> for t in (0.0, 30.0, 60.0):
    ...     now[0] = t
    ...     try: breaker.call(fail)
    ...     except ConnectionError: pass
    >>> watch.failed_trials, watch.is_dead()
    (2, True)
    >>> watch.close()
    """

    def __init__(self, breaker: CircuitBreaker, dead_after: float = 2.0) -> None:
        self.breaker = breaker
        self.dead_after = dead_after
        self.since: float | None = None
        self.failed_trials = 0
        self._lock = threading.Lock()
        breaker.add_listener(self._on_change)

    def seconds_down(self) -> float:
        with self._lock:
            return 0.0 if self.since is None else self.breaker.clock() - self.since

    def is_dead(self) -> bool:
        with self._lock:
            if self.since is None or self.failed_trials < 1:
                return False
            return self.breaker.clock() - self.since >= self.dead_after * self.breaker.recovery_timeout

    def close(self) -> None:
        """Stop following the breaker (it may outlive this watch, e.g. reused by the next fit)."""
        self.breaker.remove_listener(self._on_change)

    def _on_change(self, breaker: CircuitBreaker, old: CircuitState, new: CircuitState) -> None:
        with self._lock:
            if new is CircuitState.CLOSED:
                self.since, self.failed_trials = None, 0
            elif new is CircuitState.OPEN:
                if self.since is None:
                    self.since = breaker.clock()
                self.failed_trials += old is CircuitState.HALF_OPEN
