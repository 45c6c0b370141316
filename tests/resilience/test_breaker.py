"""CircuitBreaker: states, thresholds, half-open trials, listeners, stats — on a fake clock."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from unittest.mock import Mock

import pytest

from litcode.resilience import CircuitBreaker, CircuitBreakerOpenError, CircuitState


def failing(exc: BaseException | None = None) -> Mock:
    return Mock(side_effect=exc or ConnectionError("backend down"), __qualname__="failing")


def trip(breaker: CircuitBreaker, times: int, exc: type[BaseException] = ConnectionError) -> None:
    for _ in range(times):
        with pytest.raises(exc):
            breaker.call(failing(exc("down")))


def test_closed_breaker_passes_calls_and_results_through(clock):
    breaker = CircuitBreaker(clock=clock)
    assert breaker.call(lambda a, b=0: a + b, 2, b=3) == 5
    assert breaker.state == "closed"
    assert breaker.state is CircuitState.CLOSED


def test_opens_after_failure_threshold_consecutive_failures(clock):
    breaker = CircuitBreaker(failure_threshold=3, clock=clock)
    trip(breaker, 2)
    assert breaker.state == "closed"
    trip(breaker, 1)
    assert breaker.state == "open"


def test_success_resets_the_consecutive_failure_count(clock):
    breaker = CircuitBreaker(failure_threshold=3, clock=clock)
    trip(breaker, 2)
    breaker.call(lambda: "ok")
    trip(breaker, 2)
    assert breaker.state == "closed"
    assert breaker.failure_count == 2


def test_open_breaker_rejects_calls_without_calling(clock):
    breaker = CircuitBreaker(failure_threshold=3, clock=clock)
    decorated = breaker(failing())
    for _ in range(3):
        with pytest.raises(ConnectionError):
            decorated()
    probe = Mock(return_value="never")
    with pytest.raises(CircuitBreakerOpenError, match="Circuit breaker is OPEN"):
        breaker.call(probe)
    probe.assert_not_called()


def test_open_error_says_how_long_until_a_trial(clock):
    breaker = CircuitBreaker(failure_threshold=1, recovery_timeout=60.0, name="s3", clock=clock)
    trip(breaker, 1)
    clock.advance(15.0)
    with pytest.raises(CircuitBreakerOpenError) as raised:
        breaker.call(lambda: None)
    assert raised.value.retry_after == pytest.approx(45.0)
    assert "'s3'" in str(raised.value)


def test_half_open_after_recovery_timeout(clock):
    breaker = CircuitBreaker(failure_threshold=2, recovery_timeout=30.0, clock=clock)
    trip(breaker, 2)
    clock.advance(29.9)
    assert breaker.state == "open"
    clock.advance(0.1)
    assert breaker.state == "half_open"


def test_successful_trial_closes_and_resets_the_count(clock):
    breaker = CircuitBreaker(failure_threshold=2, recovery_timeout=30.0, clock=clock)
    trip(breaker, 2)
    clock.advance(30.0)
    assert breaker.call(lambda: "recovered") == "recovered"
    assert breaker.state == "closed"
    assert breaker.failure_count == 0
    trip(breaker, 1)
    assert breaker.state == "closed"  # needs the full threshold again


def test_breaker_reopens_when_half_open_trial_fails(clock):
    breaker = CircuitBreaker(failure_threshold=2, recovery_timeout=30.0, clock=clock)
    trip(breaker, 2)
    clock.advance(30.0)
    trip(breaker, 1)
    assert breaker.state == "open"
    clock.advance(29.0)  # the recovery timeout starts again from the failed trial
    assert breaker.state == "open"
    clock.advance(1.0)
    assert breaker.state == "half_open"


def test_only_expected_exception_counts_as_failure(clock):
    breaker = CircuitBreaker(failure_threshold=2, expected_exception=ConnectionError, clock=clock)
    for _ in range(5):
        with pytest.raises(ValueError):
            breaker.call(failing(ValueError("caller's bug")))
    assert breaker.state == "closed"
    assert breaker.stats.failures == 0
    trip(breaker, 2)
    assert breaker.state == "open"


def test_tuple_of_expected_exceptions(clock):
    breaker = CircuitBreaker(
        failure_threshold=2, expected_exception=(TimeoutError, ConnectionError), clock=clock
    )
    trip(breaker, 1, TimeoutError)
    trip(breaker, 1, ConnectionError)
    assert breaker.state == "open"


def test_every_state_change_is_logged(clock, caplog):
    breaker = CircuitBreaker(failure_threshold=1, recovery_timeout=10.0, name="uploads", clock=clock)
    with caplog.at_level(logging.INFO, logger="litcode.resilience"):
        trip(breaker, 1)
        clock.advance(10.0)
        breaker.call(lambda: None)
    transitions = [r.getMessage() for r in caplog.records if "->" in r.getMessage()]
    assert len(transitions) == 3
    assert "closed -> open" in transitions[0]
    assert "open -> half_open" in transitions[1]
    assert "half_open -> closed" in transitions[2]
    assert all("'uploads'" in message for message in transitions)
    assert caplog.records[0].levelno == logging.WARNING  # opening is worth a warning


def test_listeners_hear_every_transition_and_their_errors_are_contained(clock, caplog):
    heard: list[tuple[str, str]] = []
    broken = Mock(side_effect=RuntimeError("listener bug"))
    breaker = CircuitBreaker(
        failure_threshold=1,
        recovery_timeout=5.0,
        clock=clock,
        listeners=(lambda b, old, new: heard.append((old.value, new.value)), broken),
    )
    trip(breaker, 1)
    clock.advance(5.0)
    trip(breaker, 1)
    assert heard == [("closed", "open"), ("open", "half_open"), ("half_open", "open")]
    assert broken.call_count == 3
    assert any("listener" in r.getMessage() for r in caplog.records)


def test_half_open_admits_at_most_max_calls_concurrent_trials(clock):
    breaker = CircuitBreaker(failure_threshold=1, recovery_timeout=1.0, half_open_max_calls=1, clock=clock)
    trip(breaker, 1)
    clock.advance(1.0)
    inside, release = threading.Event(), threading.Event()
    results: list[str] = []

    def slow_trial() -> str:
        inside.set()
        release.wait(5)
        return "trial ok"

    worker = threading.Thread(target=lambda: results.append(breaker.call(slow_trial)))
    worker.start()
    assert inside.wait(5)
    with pytest.raises(CircuitBreakerOpenError):
        breaker.call(lambda: "second caller")
    release.set()
    worker.join(5)
    assert results == ["trial ok"]
    assert breaker.state == "closed"
    assert breaker.stats.rejections == 1


def test_half_open_with_several_trials_closes_after_that_many_successes(clock):
    breaker = CircuitBreaker(failure_threshold=1, recovery_timeout=1.0, half_open_max_calls=2, clock=clock)
    trip(breaker, 1)
    clock.advance(1.0)
    breaker.call(lambda: None)
    assert breaker.state == "half_open"
    breaker.call(lambda: None)
    assert breaker.state == "closed"


def test_failure_rate_window_opens_on_intermittent_failures(clock):
    breaker = CircuitBreaker(
        failure_threshold=100, failure_rate_threshold=0.5, window_size=10, minimum_calls=6, clock=clock
    )
    for index in range(5):  # alternate: never two failures in a row
        if index % 2:
            breaker.call(lambda: None)
        else:
            trip(breaker, 1)
    assert breaker.state == "closed"  # 5 calls < minimum_calls
    trip(breaker, 1)  # 4 failures of 6 calls
    assert breaker.state == "open"
    assert breaker.stats.failure_rate == pytest.approx(4 / 6)


def test_failure_rate_below_threshold_keeps_it_closed(clock):
    breaker = CircuitBreaker(
        failure_threshold=100, failure_rate_threshold=0.5, window_size=10, minimum_calls=4, clock=clock
    )
    for _ in range(3):
        breaker.call(lambda: None)
        breaker.call(lambda: None)
        trip(breaker, 1)
    assert breaker.state == "closed"


def test_stats_count_calls_failures_rejections_and_opened_at(clock):
    breaker = CircuitBreaker(failure_threshold=2, clock=clock, name="stats")
    breaker.call(lambda: None)
    trip(breaker, 2)
    with pytest.raises(CircuitBreakerOpenError):
        breaker.call(lambda: None)
    stats = breaker.stats
    assert (stats.calls, stats.successes, stats.failures, stats.rejections) == (3, 1, 2, 1)
    assert stats.state == "open"
    assert stats.opened_at == clock.now
    assert stats.name == "stats"


def test_reset_closes_an_open_breaker(clock):
    breaker = CircuitBreaker(failure_threshold=1, clock=clock)
    trip(breaker, 1)
    breaker.reset()
    assert breaker.state == "closed"
    assert breaker.call(lambda: 1) == 1


def test_decorator_keeps_function_metadata():
    breaker = CircuitBreaker()

    @breaker
    def upload_shard(index: int) -> int:
        """Upload one shard."""
        return index

    assert upload_shard.__name__ == "upload_shard"
    assert upload_shard.__doc__ == "Upload one shard."
    assert upload_shard(3) == 3


@pytest.mark.asyncio
async def test_async_function_decorated_opens_and_rejects(clock):
    breaker = CircuitBreaker(failure_threshold=2, recovery_timeout=10.0, clock=clock)

    @breaker
    async def fetch() -> str:
        await asyncio.sleep(0)
        raise ConnectionError("down")

    for _ in range(2):
        with pytest.raises(ConnectionError):
            await fetch()
    with pytest.raises(CircuitBreakerOpenError):
        await fetch()
    clock.advance(10.0)

    async def healthy() -> str:
        return "up"

    assert await breaker.call_async(healthy) == "up"
    assert breaker.state == "closed"


@pytest.mark.asyncio
async def test_concurrent_async_trials_are_limited_while_half_open(clock):
    breaker = CircuitBreaker(failure_threshold=1, recovery_timeout=1.0, clock=clock)
    trip(breaker, 1)
    clock.advance(1.0)
    gate = asyncio.Event()

    async def trial() -> str:
        await gate.wait()
        return "ok"

    first = asyncio.create_task(breaker.call_async(trial))
    await asyncio.sleep(0)
    with pytest.raises(CircuitBreakerOpenError):
        await breaker.call_async(trial)
    gate.set()
    assert await first == "ok"
    assert breaker.state == "closed"


def test_hammering_from_threads_loses_no_counted_failure():
    breaker = CircuitBreaker(failure_threshold=10**9, expected_exception=ConnectionError)
    threads, per_thread = 8, 500
    barrier = threading.Barrier(threads)

    def hammer(seed: int) -> None:
        barrier.wait()
        for index in range(per_thread):
            try:
                if (index + seed) % 3 == 0:
                    breaker.call(lambda: None)
                else:
                    breaker.call(failing())
            except ConnectionError:
                pass

    workers = [threading.Thread(target=hammer, args=(seed,)) for seed in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    expected_failures = sum(
        1 for seed in range(threads) for index in range(per_thread) if (index + seed) % 3 != 0
    )
    stats = breaker.stats
    assert stats.failures == expected_failures
    assert stats.calls == threads * per_thread
    assert stats.successes + stats.failures == stats.calls


def test_threads_racing_past_the_threshold_open_it_exactly_once():
    transitions: list[str] = []
    breaker = CircuitBreaker(
        failure_threshold=50,
        recovery_timeout=3600,
        listeners=(lambda b, old, new: transitions.append(new.value),),
    )
    barrier = threading.Barrier(8)

    def hammer() -> None:
        barrier.wait()
        for _ in range(100):
            with contextlib.suppress(ConnectionError, CircuitBreakerOpenError):
                breaker.call(failing())

    workers = [threading.Thread(target=hammer) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert transitions == ["open"]
    stats = breaker.stats
    # Calls admitted before the breaker opened may still fail after it: at most one per other thread.
    assert 50 <= stats.failures <= 50 + 7
    assert stats.failures + stats.rejections == 800


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"failure_threshold": 0}, "failure_threshold"),
        ({"recovery_timeout": -1}, "recovery_timeout"),
        ({"half_open_max_calls": 0}, "half_open_max_calls"),
        ({"failure_rate_threshold": 1.5}, "failure_rate_threshold"),
    ],
)
def test_invalid_settings_fail_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        CircuitBreaker(**kwargs)
