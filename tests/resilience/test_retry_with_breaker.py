"""Retry and breaker together, the way an uploader uses them."""

from __future__ import annotations

from unittest.mock import Mock, patch

import pytest

from litcode.resilience import CircuitBreaker, CircuitBreakerOpenError, retry_with_backoff


class FlakyBackend:
    """A fake remote store that fails a scripted number of times, then recovers."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.requests = 0
        self.stored: dict[str, bytes] = {}

    def put(self, key: str, data: bytes) -> str:
        self.requests += 1
        if self.requests <= self.failures:
            raise ConnectionResetError(f"request {self.requests} reset")
        self.stored[key] = data
        return key


def test_retry_rides_out_transient_failures_below_the_breaker_threshold(clock):
    backend = FlakyBackend(failures=2)
    breaker = CircuitBreaker(failure_threshold=5, clock=clock)
    put = retry_with_backoff(max_retries=3, base_delay=1.0, exceptions=(ConnectionError,))(
        breaker(backend.put)
    )
    with patch("time.sleep") as mock_sleep:
        assert put("ckpt/epoch=0.ckpt", b"weights") == "ckpt/epoch=0.ckpt"
    assert backend.stored == {"ckpt/epoch=0.ckpt": b"weights"}
    assert [c.args[0] for c in mock_sleep.call_args_list] == [1.0, 2.0]
    assert breaker.state == "closed"


def test_breaker_open_error_stops_the_retry_when_not_listed(clock):
    backend = FlakyBackend(failures=100)
    breaker = CircuitBreaker(failure_threshold=3, recovery_timeout=60.0, clock=clock)
    put = retry_with_backoff(max_retries=10, base_delay=1.0, exceptions=(ConnectionError,))(
        breaker(backend.put)
    )
    with patch("time.sleep") as mock_sleep, pytest.raises(CircuitBreakerOpenError):
        put("ckpt", b"x")
    assert backend.requests == 3  # the breaker, not the retry budget, ended it
    assert mock_sleep.call_count == 3


def test_retry_outlasts_an_outage_when_backoff_spans_the_recovery_timeout(clock):
    backend = FlakyBackend(failures=2)
    breaker = CircuitBreaker(failure_threshold=2, recovery_timeout=4.0, clock=clock)
    put = retry_with_backoff(
        max_retries=5, base_delay=1.0, exceptions=(ConnectionError, CircuitBreakerOpenError)
    )(breaker(backend.put))
    with patch("time.sleep", side_effect=clock.advance) as mock_sleep:
        assert put("ckpt", b"x") == "ckpt"
    # fail, fail (opens at t=1), rejected at t=3, trial at t=7 succeeds
    assert [c.args[0] for c in mock_sleep.call_args_list] == [1.0, 2.0, 4.0]
    assert backend.requests == 3
    assert breaker.state == "closed"
    assert breaker.stats.rejections == 1


def test_on_retry_sees_breaker_rejections_too(clock):
    breaker = CircuitBreaker(failure_threshold=1, recovery_timeout=100.0, clock=clock)
    seen: list[str] = []
    func = Mock(side_effect=ConnectionError("down"), __qualname__="func")
    put = retry_with_backoff(
        max_retries=2, base_delay=0.0, on_retry=lambda exc, attempt: seen.append(type(exc).__name__)
    )(breaker(func))
    with patch("time.sleep"), pytest.raises(CircuitBreakerOpenError):
        put()
    assert seen == ["ConnectionError", "CircuitBreakerOpenError"]
    assert func.call_count == 1
