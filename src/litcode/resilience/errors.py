"""Exceptions callers act on: a breaker that refuses calls, an error not worth retrying."""

from __future__ import annotations


class CircuitBreakerOpenError(RuntimeError):
    """Raised instead of calling the protected function while the breaker is open.

    ``retry_after`` is how many seconds (on the breaker's clock) remain until a
    trial call will be let through; 0.0 when the breaker is half-open and its
    trial slots are taken.
    """

    def __init__(self, name: str, retry_after: float) -> None:
        self.name = name
        self.retry_after = retry_after
        super().__init__(
            f"Circuit breaker is OPEN for {name!r}: calls are rejected for another "
            f"{retry_after:.1f}s, then one trial call is let through"
        )


class PermanentError(Exception):
    """An error that retrying cannot fix (bad credentials, missing bucket, invalid input).

    The default classifier never retries it; raise it (or subclass it) from code
    wrapped by :func:`~litcode.resilience.retry_with_backoff` to fail fast.
    """
