"""Finer points of the resilience contract: defaults, boundaries, counters and messages.

Written against the mutants mutation testing left alive: each test pins one
behaviour a user relies on.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import threading
from unittest.mock import AsyncMock, Mock, patch

import pytest

from litcode.resilience import (
    CircuitBreaker,
    CircuitBreakerOpenError,
    RetryPolicy,
    async_retry_with_backoff,
    retry_with_backoff,
)


def always_failing(name: str = "upload_shard") -> Mock:
    return Mock(side_effect=ConnectionError("down"), __qualname__=name)


def slept(mock_sleep: Mock) -> list[float]:
    return [c.args[0] for c in mock_sleep.call_args_list]


# -- retry defaults: DESIGN fixes them ---------------------------------------------------------


def test_default_retry_makes_four_attempts_with_one_two_four_second_waits():
    func = always_failing()
    with patch("time.sleep") as mock_sleep, pytest.raises(ConnectionError):
        retry_with_backoff()(func)()
    assert func.call_count == 4
    assert slept(mock_sleep) == [1.0, 2.0, 4.0]


def test_default_max_delay_is_sixty_seconds():
    func = always_failing()
    with patch("time.sleep") as mock_sleep, pytest.raises(ConnectionError):
        retry_with_backoff(base_delay=50.0)(func)()
    assert slept(mock_sleep) == [50.0, 60.0, 60.0]


@pytest.mark.asyncio
async def test_async_defaults_match_the_sync_ones():
    func = AsyncMock(side_effect=ConnectionError("down"))
    with patch("asyncio.sleep", new_callable=AsyncMock) as mock_sleep, pytest.raises(ConnectionError):
        await async_retry_with_backoff()(func)()
    assert func.await_count == 4
    assert [c.args[0] for c in mock_sleep.await_args_list] == [1.0, 2.0, 4.0]


@pytest.mark.asyncio
async def test_async_max_delay_default_caps_waits():
    func = AsyncMock(side_effect=[OSError(), OSError(), "ok"])
    with patch("asyncio.sleep", new_callable=AsyncMock) as mock_sleep:
        await async_retry_with_backoff(base_delay=45.0)(func)()
    assert [c.args[0] for c in mock_sleep.await_args_list] == [45.0, 60.0]


# -- jitter draws from [0, cap] through the random module --------------------------------------


def test_jitter_uses_a_uniform_draw_up_to_the_capped_delay():
    func = Mock(side_effect=[OSError(), OSError(), OSError(), "ok"], __qualname__="f")
    with patch("time.sleep") as mock_sleep, patch("random.uniform", side_effect=lambda low, high: high / 2):
        retry_with_backoff(base_delay=2.0, max_delay=5.0, jitter=True)(func)()
    assert slept(mock_sleep) == [1.0, 2.0, 2.5]


@pytest.mark.asyncio
async def test_async_jitter_and_policy_are_honoured():
    func = AsyncMock(side_effect=[OSError(), OSError(), "ok"])
    with (
        patch("asyncio.sleep", new_callable=AsyncMock) as mock_sleep,
        patch("random.uniform", side_effect=lambda low, high: high / 4),
    ):
        await async_retry_with_backoff(base_delay=4.0, jitter=True)(func)()
    assert [c.args[0] for c in mock_sleep.await_args_list] == [1.0, 2.0]
    func = AsyncMock(side_effect=[OSError(), "ok"])
    with patch("asyncio.sleep", new_callable=AsyncMock) as mock_sleep:
        await async_retry_with_backoff(policy=RetryPolicy(base_delay=0.125))(func)()
    assert [c.args[0] for c in mock_sleep.await_args_list] == [0.125]


# -- deadlines -----------------------------------------------------------------------------------


def test_a_retry_may_start_exactly_at_the_deadline(clock):
    func = Mock(side_effect=[OSError(), OSError(), "ok"], __qualname__="f")
    with patch("time.sleep", side_effect=clock.advance) as mock_sleep:
        assert retry_with_backoff(base_delay=1.0, deadline=3.0, clock=clock)(func)() == "ok"
    assert slept(mock_sleep) == [1.0, 2.0]  # the second retry starts at t = 3.0 = deadline


def test_zero_waits_never_hit_a_positive_deadline(clock):
    func = always_failing()
    with patch("time.sleep"), pytest.raises(ConnectionError):
        retry_with_backoff(max_retries=5, base_delay=0.0, deadline=0.5, clock=clock)(func)()
    assert func.call_count == 6


@pytest.mark.asyncio
async def test_async_deadline_uses_the_injected_clock(clock):
    func = AsyncMock(side_effect=TimeoutError("slow"))

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    with patch("asyncio.sleep", side_effect=advance), pytest.raises(TimeoutError):
        await async_retry_with_backoff(max_retries=10, base_delay=1.0, deadline=3.5, clock=clock)(func)()
    assert func.await_count == 3  # waits 1 + 2; the next (4 s) would start after 3.5 s


def test_sub_second_deadline_is_valid():
    assert RetryPolicy(deadline=0.5).deadline == 0.5


# -- messages name the function -----------------------------------------------------------------------


def test_retry_warning_names_the_function_and_the_error_type(caplog):
    func = Mock(side_effect=[ConnectionResetError("peer"), "ok"], __qualname__="Uploader.put")
    with patch("time.sleep"), caplog.at_level(logging.WARNING, logger="litcode.resilience"):
        retry_with_backoff()(func)()
    message = caplog.records[0].getMessage()
    assert message.startswith("Uploader.put failed on attempt 1 (ConnectionResetError: peer)")
    assert "retrying in 1.00s" in message


def test_callable_without_qualname_is_named_by_its_repr(caplog):
    def put(key: str) -> str:
        raise ConnectionError(key)

    partial = functools.partial(put, "k")
    with (
        patch("time.sleep"),
        caplog.at_level(logging.WARNING, logger="litcode.resilience"),
        pytest.raises(ConnectionError),
    ):
        retry_with_backoff(max_retries=1)(partial)()
    assert caplog.records[0].getMessage().startswith("functools.partial(")


def test_on_retry_failure_log_names_the_function(caplog):
    func = Mock(side_effect=[OSError(), "ok"], __qualname__="fetch_index")
    with patch("time.sleep"), caplog.at_level(logging.ERROR, logger="litcode.resilience"):
        retry_with_backoff(on_retry=Mock(side_effect=RuntimeError))(func)()
    assert [r.getMessage() for r in caplog.records] == [
        "on_retry callback for fetch_index raised; the retry goes on"
    ]


def test_async_decorator_refusal_names_the_function():
    def plain() -> None:
        return None

    with pytest.raises(
        TypeError, match=re.escape("'test_async_decorator_refusal_names_the_function.<locals>.plain'")
    ):
        async_retry_with_backoff()(plain)


# -- breaker defaults and boundaries -------------------------------------------------------------------


def test_default_breaker_opens_after_five_failures_and_probes_after_sixty_seconds(clock):
    breaker = CircuitBreaker(clock=clock)
    for _ in range(4):
        with pytest.raises(ConnectionError):
            breaker.call(always_failing())
    assert breaker.state == "closed"
    with pytest.raises(ConnectionError):
        breaker.call(always_failing())
    assert breaker.state == "open"
    clock.advance(59.9)
    assert breaker.state == "open"
    clock.advance(0.1)
    assert breaker.state == "half_open"


def test_default_half_open_admits_a_single_trial(clock):
    breaker = CircuitBreaker(failure_threshold=1, recovery_timeout=1.0, clock=clock)
    with pytest.raises(ConnectionError):
        breaker.call(always_failing())
    clock.advance(1.0)
    gate = threading.Event()
    entered = threading.Event()

    def trial() -> None:
        entered.set()
        gate.wait(5)

    worker = threading.Thread(target=breaker.call, args=(trial,))
    worker.start()
    assert entered.wait(5)
    with pytest.raises(CircuitBreakerOpenError) as raised:
        breaker.call(lambda: None)
    assert raised.value.retry_after == 0.0  # half-open: no waiting, only a free trial slot
    gate.set()
    worker.join(5)


@pytest.mark.asyncio
async def test_two_trial_slots_admit_two_concurrent_calls_and_reject_a_third(clock):
    breaker = CircuitBreaker(failure_threshold=1, recovery_timeout=1.0, half_open_max_calls=2, clock=clock)
    with pytest.raises(ConnectionError):
        breaker.call(always_failing())
    clock.advance(1.0)
    gate = asyncio.Event()

    async def trial(value: int, *, scale: int) -> int:
        await gate.wait()
        return value * scale

    first = asyncio.create_task(breaker.call_async(trial, 1, scale=10))
    second = asyncio.create_task(breaker.call_async(trial, 2, scale=10))
    await asyncio.sleep(0)
    with pytest.raises(CircuitBreakerOpenError):
        await breaker.call_async(trial, 3, scale=10)
    gate.set()
    assert [await first, await second] == [10, 20]
    assert breaker.state == "closed"
    assert breaker.stats.calls == 3  # the opening failure and two trials; the rejection is not a call


def test_uncounted_error_in_a_trial_frees_its_slot(clock):
    breaker = CircuitBreaker(
        failure_threshold=1, recovery_timeout=1.0, expected_exception=ConnectionError, clock=clock
    )
    with pytest.raises(ConnectionError):
        breaker.call(always_failing())
    clock.advance(1.0)
    with pytest.raises(ValueError):
        breaker.call(Mock(side_effect=ValueError("caller bug")))
    assert breaker.state == "half_open"
    assert breaker.call(lambda: "probe") == "probe"  # the slot was given back
    assert breaker.state == "closed"


@pytest.mark.asyncio
async def test_uncounted_error_in_an_async_trial_frees_its_slot(clock):
    breaker = CircuitBreaker(
        failure_threshold=1, recovery_timeout=1.0, expected_exception=ConnectionError, clock=clock
    )
    with pytest.raises(ConnectionError):
        breaker.call(always_failing())
    clock.advance(1.0)
    with pytest.raises(KeyError):
        await breaker.call_async(AsyncMock(side_effect=KeyError("k")))
    assert await breaker.call_async(AsyncMock(return_value="up")) == "up"


def test_failure_count_survives_opening_and_resets_on_close(clock):
    breaker = CircuitBreaker(failure_threshold=3, recovery_timeout=1.0, clock=clock)
    for _ in range(3):
        with pytest.raises(ConnectionError):
            breaker.call(always_failing())
    assert breaker.failure_count == 3
    clock.advance(1.0)
    assert breaker.state == "half_open"
    assert breaker.failure_count == 3
    breaker.call(lambda: None)
    assert breaker.failure_count == 0


def test_reset_forgets_consecutive_failures(clock):
    breaker = CircuitBreaker(failure_threshold=5, clock=clock)
    for _ in range(2):
        with pytest.raises(ConnectionError):
            breaker.call(always_failing())
    breaker.reset()
    assert breaker.failure_count == 0


def test_failure_rate_exactly_at_the_threshold_opens(clock):
    breaker = CircuitBreaker(
        failure_threshold=100, failure_rate_threshold=0.5, window_size=4, minimum_calls=4, clock=clock
    )
    breaker.call(lambda: None)
    breaker.call(lambda: None)
    with pytest.raises(ConnectionError):
        breaker.call(always_failing())
    assert breaker.state == "closed"
    with pytest.raises(ConnectionError):
        breaker.call(always_failing())
    assert breaker.state == "open"  # 2 of 4 = 0.5


def test_rate_window_forgets_calls_older_than_window_size(clock):
    breaker = CircuitBreaker(
        failure_threshold=100, failure_rate_threshold=0.5, window_size=5, minimum_calls=5, clock=clock
    )
    for _ in range(3):
        with pytest.raises(ConnectionError):
            breaker.call(always_failing())
    for _ in range(5):
        breaker.call(lambda: None)  # pushes the three failures out of the window
    for _ in range(2):
        with pytest.raises(ConnectionError):
            breaker.call(always_failing())
    assert breaker.state == "closed"  # 2 of the last 5; counting all ten calls would say 5 of 10
    assert breaker.stats.failure_rate == pytest.approx(0.4)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"recovery_timeout": 0.0},
        {"recovery_timeout": 0.5},
        {"failure_rate_threshold": 1.0},
        {"window_size": 1, "minimum_calls": 1},
    ],
)
def test_boundary_settings_are_accepted(kwargs):
    assert CircuitBreaker(**kwargs).state == "closed"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"failure_rate_threshold": 0.0}, "failure_rate_threshold"),
        ({"window_size": 0}, "window_size and minimum_calls must be >= 1, got 0, 10"),
        ({"minimum_calls": 0}, "window_size and minimum_calls must be >= 1, got 100, 0"),
    ],
)
def test_out_of_range_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        CircuitBreaker(**kwargs)


def test_stats_before_anything_happened():
    stats = CircuitBreaker(name="fresh").stats
    assert (stats.calls, stats.failures, stats.rejections, stats.opened_at, stats.failure_rate) == (
        0,
        0,
        0,
        None,
        None,
    )


def test_open_error_carries_the_breaker_name(clock):
    breaker = CircuitBreaker(failure_threshold=1, name="s3-uploads", clock=clock)
    with pytest.raises(ConnectionError):
        breaker.call(always_failing())
    with pytest.raises(CircuitBreakerOpenError) as raised:
        breaker.call(lambda: None)
    assert raised.value.name == "s3-uploads"


def test_unnamed_breakers_get_distinct_names():
    assert CircuitBreaker().name != CircuitBreaker().name


def test_listener_added_later_receives_the_breaker_itself(clock):
    breaker = CircuitBreaker(failure_threshold=1, clock=clock)
    heard: list[tuple[object, str, str]] = []
    breaker.add_listener(lambda source, old, new: heard.append((source, old.value, new.value)))
    with pytest.raises(ConnectionError):
        breaker.call(always_failing())
    assert heard == [(breaker, "closed", "open")]


def test_recovery_transitions_are_info_and_opening_is_warning(clock, caplog):
    breaker = CircuitBreaker(failure_threshold=1, recovery_timeout=1.0, name="b", clock=clock)
    with caplog.at_level(logging.DEBUG, logger="litcode.resilience"):
        with pytest.raises(ConnectionError):
            breaker.call(always_failing())
        clock.advance(1.0)
        breaker.call(lambda: None)
    levels = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert levels == [
        ("WARNING", "Circuit breaker 'b': closed -> open (consecutive failures: 1)"),
        ("INFO", "Circuit breaker 'b': open -> half_open (consecutive failures: 1)"),
        ("INFO", "Circuit breaker 'b': half_open -> closed (consecutive failures: 0)"),
    ]


def test_listener_error_log_names_breaker_and_listener(clock, caplog):
    def noisy(*_: object) -> None:
        raise RuntimeError("listener bug")

    breaker = CircuitBreaker(failure_threshold=1, name="b", clock=clock, listeners=(noisy,))
    with caplog.at_level(logging.ERROR, logger="litcode.resilience"), pytest.raises(ConnectionError):
        breaker.call(always_failing())
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage().startswith("Circuit breaker 'b': state listener <function")
    assert "noisy" in record.getMessage()
