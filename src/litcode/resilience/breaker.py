"""A circuit breaker: stop calling a backend that keeps failing, probe it again later.

tenacity has none; pybreaker and circuitbreaker lack injectable clocks and a
clean asyncio story. This one has both, plus a failure-rate window
(resilience4j style), bounded half-open trials, listeners and stats.
"""

from __future__ import annotations

import functools
import inspect
import logging
import threading
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from litcode.resilience.errors import CircuitBreakerOpenError
from litcode.resilience.policy import _monotonic
from litcode.resilience.states import BreakerStats, CircuitState, StateListener

logger = logging.getLogger("litcode.resilience")

P = ParamSpec("P")
R = TypeVar("R")


class CircuitBreaker:
    """Fail fast while a backend is down, then let a trial call probe it.

    Opens after ``failure_threshold`` consecutive failures of
    ``expected_exception`` (other exceptions propagate and are not counted), or,
    when ``failure_rate_threshold`` is set, once at least ``minimum_calls`` of the
    last ``window_size`` calls were made and that fraction of them failed. While
    open, calls raise :class:`CircuitBreakerOpenError`; after
    ``recovery_timeout`` seconds on ``clock`` the breaker is half-open and lets
    ``half_open_max_calls`` concurrent trial calls through: success closes it,
    failure opens it again.

    >>> now = [0.0]
    >>> breaker = CircuitBreaker(failure_threshold=2, recovery_timeout=30, clock=lambda: now[0])
    >>> @breaker
    ... def upload():
    ...     raise ConnectionError("backend down")
    >>> for _ in range(2):
    ...     try:
    ...         upload()
    ...     except ConnectionError:
    ...         pass
    >>> breaker.state
    <CircuitState.OPEN: 'open'>
    >>> now[0] = 30.0
    >>> breaker.state == "half_open"
    True
    """

    def __init__(
        self,
        failure_threshold: int = 5,
        recovery_timeout: float = 60.0,
        expected_exception: type[BaseException] | tuple[type[BaseException], ...] = Exception,
        name: str | None = None,
        clock: Callable[[], float] = _monotonic,
        *,
        half_open_max_calls: int = 1,
        failure_rate_threshold: float | None = None,
        window_size: int = 100,
        minimum_calls: int = 10,
        listeners: tuple[StateListener, ...] = (),
    ) -> None:
        if failure_threshold < 1:
            raise ValueError(f"failure_threshold must be >= 1, got {failure_threshold}")
        if recovery_timeout < 0:
            raise ValueError(f"recovery_timeout must be >= 0 seconds, got {recovery_timeout}")
        if half_open_max_calls < 1:
            raise ValueError(f"half_open_max_calls must be >= 1, got {half_open_max_calls}")
        if failure_rate_threshold is not None and not 0.0 < failure_rate_threshold <= 1.0:
            raise ValueError(f"failure_rate_threshold is a fraction in (0, 1], got {failure_rate_threshold}")
        if window_size < 1 or minimum_calls < 1:
            raise ValueError(
                f"window_size and minimum_calls must be >= 1, got {window_size}, {minimum_calls}"
            )
        self.failure_threshold = failure_threshold
        self.recovery_timeout = recovery_timeout
        self.expected_exception = expected_exception
        self.name = name or f"breaker-{id(self):x}"
        self.clock = clock
        self.half_open_max_calls = half_open_max_calls
        self.failure_rate_threshold = failure_rate_threshold
        self.minimum_calls = minimum_calls
        self._listeners: list[StateListener] = list(listeners)
        self._lock = threading.RLock()
        self._state = CircuitState.CLOSED
        self._opened_at: float | None = None
        self._consecutive_failures = 0
        self._window: deque[bool] = deque(maxlen=window_size)  # True = the call failed
        self._trials_in_flight = 0
        self._trial_successes = 0
        self._calls = self._successes = self._failures = self._rejections = 0

    # -- state ---------------------------------------------------------------

    @property
    def state(self) -> CircuitState:
        """The current state; an open breaker whose recovery timeout has passed reads half-open."""
        with self._lock:
            self._maybe_half_open()
            return self._state

    @property
    def failure_count(self) -> int:
        """Consecutive counted failures since the last success."""
        with self._lock:
            return self._consecutive_failures

    @property
    def stats(self) -> BreakerStats:
        with self._lock:
            self._maybe_half_open()
            return BreakerStats(
                name=self.name,
                state=self._state.value,
                calls=self._calls,
                successes=self._successes,
                failures=self._failures,
                rejections=self._rejections,
                consecutive_failures=self._consecutive_failures,
                failure_rate=self._failure_rate(),
                opened_at=self._opened_at,
            )

    def seconds_until_trial(self) -> float:
        """Seconds on ``clock`` until an open breaker lets a trial call through; 0.0 when not open."""
        with self._lock:
            self._maybe_half_open()
            return self._seconds_until_trial()

    def add_listener(self, listener: StateListener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: StateListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def reset(self) -> None:
        """Close the breaker and forget its failures (an operator's manual override)."""
        with self._lock:
            self._consecutive_failures = 0
            self._window.clear()
            self._transition(CircuitState.CLOSED)

    # -- calling ---------------------------------------------------------------

    def call(self, func: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        """Call ``func(*args, **kwargs)`` through the breaker."""
        is_trial = self._acquire()
        try:
            result = func(*args, **kwargs)
        except BaseException as error:
            self._on_error(error, is_trial)
            raise
        self._on_success(is_trial)
        return result

    async def call_async(self, func: Callable[..., Awaitable[R]], *args: Any, **kwargs: Any) -> R:
        """Await ``func(*args, **kwargs)`` through the breaker (the lock is never held across ``await``)."""
        is_trial = self._acquire()
        try:
            result = await func(*args, **kwargs)
        except BaseException as error:
            self._on_error(error, is_trial)
            raise
        self._on_success(is_trial)
        return result

    def __call__(self, func: Callable[P, R]) -> Callable[P, R]:
        """Use the breaker as a decorator on a function or a coroutine function."""
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                return await self.call_async(func, *args, **kwargs)

            return async_wrapper  # type: ignore[return-value]  # awaiting it yields R

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            return self.call(func, *args, **kwargs)

        return wrapper

    # -- bookkeeping (all under the lock) ---------------------------------------

    def _acquire(self) -> bool:
        """Admit a call or raise; returns True when the call is a half-open trial."""
        with self._lock:
            self._maybe_half_open()
            if self._state is CircuitState.CLOSED:
                self._calls += 1
                return False
            if self._state is CircuitState.HALF_OPEN and self._trials_in_flight < self.half_open_max_calls:
                self._trials_in_flight += 1
                self._calls += 1
                return True
            self._rejections += 1
            raise CircuitBreakerOpenError(self.name, self._seconds_until_trial())

    def _on_success(self, is_trial: bool) -> None:
        with self._lock:
            self._successes += 1
            self._consecutive_failures = 0
            self._window.append(False)
            if is_trial:
                self._trials_in_flight -= 1
                self._trial_successes += 1
                if (
                    self._state is CircuitState.HALF_OPEN
                    and self._trial_successes >= self.half_open_max_calls
                ):
                    self._window.clear()
                    self._transition(CircuitState.CLOSED)

    def _on_error(self, error: BaseException, is_trial: bool) -> None:
        with self._lock:
            if is_trial:
                self._trials_in_flight -= 1
            if not isinstance(error, self.expected_exception):
                return  # not the backend's fault: propagate without counting
            self._failures += 1
            self._consecutive_failures += 1
            self._window.append(True)
            trial_failed = self._state is CircuitState.HALF_OPEN
            if trial_failed or (self._state is CircuitState.CLOSED and self._should_open()):
                self._open()

    def _should_open(self) -> bool:
        if self._consecutive_failures >= self.failure_threshold:
            return True
        rate = self._failure_rate()
        return (
            self.failure_rate_threshold is not None
            and rate is not None
            and len(self._window) >= self.minimum_calls
            and rate >= self.failure_rate_threshold
        )

    def _failure_rate(self) -> float | None:
        if not self._window:
            return None
        return sum(self._window) / len(self._window)

    def _open(self) -> None:
        self._opened_at = self.clock()
        self._transition(CircuitState.OPEN)

    def _maybe_half_open(self) -> None:
        if self._state is CircuitState.OPEN and self._seconds_until_trial() <= 0:
            self._transition(CircuitState.HALF_OPEN)

    def _seconds_until_trial(self) -> float:
        if self._state is not CircuitState.OPEN or self._opened_at is None:
            return 0.0
        return max(0.0, self._opened_at + self.recovery_timeout - self.clock())

    def _transition(self, new: CircuitState) -> None:
        old = self._state
        if old is new:
            return
        self._state = new
        self._trials_in_flight = 0
        self._trial_successes = 0
        if new is CircuitState.CLOSED:
            self._consecutive_failures = 0
        log = logger.warning if new is CircuitState.OPEN else logger.info
        log(
            "Circuit breaker %r: %s -> %s (consecutive failures: %d)",
            self.name,
            old.value,
            new.value,
            self._consecutive_failures,
        )
        for listener in list(self._listeners):
            try:
                listener(self, old, new)
            except Exception:
                logger.exception("Circuit breaker %r: state listener %r raised", self.name, listener)

    def __repr__(self) -> str:
        return f"CircuitBreaker(name={self.name!r}, state={self.state.value!r})"
