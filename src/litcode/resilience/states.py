"""What a circuit breaker reports: its state, a snapshot of its counters, and state listeners."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litcode.resilience.breaker import CircuitBreaker


class CircuitState(str, Enum):
    """Breaker states; a ``str`` enum, so ``breaker.state == "open"`` holds."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"

    def __str__(self) -> str:
        return self.value


#: ``listener(breaker, old_state, new_state)``, called after every state change.
StateListener = Callable[["CircuitBreaker", CircuitState, CircuitState], object]


@dataclass(frozen=True)
class BreakerStats:
    """A snapshot of a breaker's counters, safe to log or serialize."""

    name: str
    state: str
    calls: int
    successes: int
    failures: int
    rejections: int
    consecutive_failures: int
    failure_rate: float | None
    opened_at: float | None
