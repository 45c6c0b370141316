"""retry_with_backoff: the seed report's cases plus the contract's finer points."""

from __future__ import annotations

import functools
import logging
from unittest.mock import Mock, patch

import pytest

from litcode.resilience import PermanentError, RetryPolicy, retry_with_backoff


def flaky(*outcomes: object) -> Mock:
    """A callable that raises or returns each outcome in turn."""
    return Mock(side_effect=list(outcomes), __name__="flaky", __qualname__="flaky")


def sleeps(mock_sleep: Mock) -> list[float]:
    return [call.args[0] for call in mock_sleep.call_args_list]


def test_success_without_retry_calls_once_and_never_sleeps():
    func = flaky("ok")
    with patch("time.sleep") as mock_sleep:
        assert retry_with_backoff()(func)() == "ok"
    assert func.call_count == 1
    mock_sleep.assert_not_called()


def test_retries_listed_exception_until_success():
    func = flaky(ConnectionError("a"), ConnectionError("b"), "ok")
    with patch("time.sleep"):
        result = retry_with_backoff(max_retries=3, exceptions=(ConnectionError,))(func)()
    assert result == "ok"
    assert func.call_count == 3


def test_max_retries_exceeded_raises_the_original_exception():
    errors = [ConnectionError(f"attempt {n}") for n in range(1, 5)]
    func = flaky(*errors)
    with patch("time.sleep"), pytest.raises(ConnectionError) as raised:
        retry_with_backoff(max_retries=3)(func)()
    assert raised.value is errors[-1]
    assert func.call_count == 4  # 1 + max_retries


def test_exponential_backoff_sleeps_exactly_the_schedule():
    func = flaky(ConnectionError(), ConnectionError(), "success")
    with patch("time.sleep") as mock_sleep:
        retry_with_backoff(max_retries=3, base_delay=1.0, exponential_base=2.0)(func)()
    assert sleeps(mock_sleep) == [1.0, 2.0]


def test_backoff_with_other_base_and_exponent():
    func = flaky(OSError(), OSError(), OSError(), "ok")
    with patch("time.sleep") as mock_sleep:
        retry_with_backoff(max_retries=3, base_delay=0.5, exponential_base=3.0)(func)()
    assert sleeps(mock_sleep) == [0.5, 1.5, 4.5]


def test_max_delay_caps_every_wait():
    func = flaky(*[TimeoutError()] * 5, "ok")
    with patch("time.sleep") as mock_sleep:
        retry_with_backoff(max_retries=5, base_delay=1.0, max_delay=5.0)(func)()
    assert sleeps(mock_sleep) == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_jitter_draws_each_wait_within_zero_and_the_capped_delay():
    func = flaky(*[TimeoutError()] * 6, "ok")
    with patch("time.sleep") as mock_sleep:
        retry_with_backoff(max_retries=6, base_delay=1.0, max_delay=8.0, jitter=True)(func)()
    waits = sleeps(mock_sleep)
    caps = [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert len(waits) == 6
    assert all(0.0 <= wait <= cap for wait, cap in zip(waits, caps, strict=True))


def test_exception_not_listed_propagates_at_once():
    func = flaky(ValueError("bad input"), "never")
    with patch("time.sleep") as mock_sleep, pytest.raises(ValueError, match="bad input"):
        retry_with_backoff(max_retries=3, exceptions=(ConnectionError,))(func)()
    assert func.call_count == 1
    mock_sleep.assert_not_called()


def test_single_exception_type_is_accepted_for_exceptions():
    func = flaky(ConnectionError(), "ok")
    with patch("time.sleep"):
        assert retry_with_backoff(exceptions=ConnectionError)(func)() == "ok"


def test_subclass_of_listed_exception_is_retried():
    func = flaky(ConnectionResetError(), "ok")
    with patch("time.sleep"):
        assert retry_with_backoff(exceptions=(ConnectionError,))(func)() == "ok"


def test_on_retry_gets_exception_and_failed_attempt_number_before_each_wait():
    first, second = ConnectionError("one"), ConnectionError("two")
    func = flaky(first, second, "ok")
    events: list[tuple[str, object, object]] = []
    on_retry = Mock(side_effect=lambda exc, attempt: events.append(("retry", exc, attempt)))
    with patch("time.sleep", side_effect=lambda s: events.append(("sleep", s, None))):
        retry_with_backoff(max_retries=3, on_retry=on_retry)(func)()
    assert events == [("retry", first, 1), ("sleep", 1.0, None), ("retry", second, 2), ("sleep", 2.0, None)]


def test_on_retry_error_is_logged_and_retry_goes_on(caplog):
    func = flaky(ConnectionError(), "ok")
    on_retry = Mock(side_effect=RuntimeError("callback broke"))
    with patch("time.sleep"), caplog.at_level(logging.ERROR, logger="litcode.resilience"):
        assert retry_with_backoff(on_retry=on_retry)(func)() == "ok"
    on_retry.assert_called_once()
    assert any("on_retry callback" in record.getMessage() for record in caplog.records)
    assert any(record.exc_info and "callback broke" in str(record.exc_info[1]) for record in caplog.records)


def test_args_and_kwargs_pass_through_unchanged():
    func = flaky(ConnectionError(), "ok")
    payload = {"key": [1, 2]}
    with patch("time.sleep"):
        retry_with_backoff()(func)(1, "two", data=payload, flag=None)
    assert func.call_args_list[0] == func.call_args_list[1]
    assert func.call_args.args == (1, "two")
    assert func.call_args.kwargs == {"data": payload, "flag": None}
    assert func.call_args.kwargs["data"] is payload


def test_functools_wraps_metadata_is_kept():
    def fetch_shard(index: int) -> int:
        """Fetch one shard."""
        return index

    decorated = retry_with_backoff()(fetch_shard)
    assert decorated.__name__ == "fetch_shard"
    assert decorated.__doc__ == "Fetch one shard."
    assert decorated.__wrapped__ is fetch_shard
    assert all(
        getattr(decorated, attr) == getattr(fetch_shard, attr) for attr in functools.WRAPPER_ASSIGNMENTS
    )


def test_sleep_is_looked_up_at_call_time():
    func = flaky(OSError(), "ok")
    decorated = retry_with_backoff(base_delay=3.0)(func)  # decorated before the patch
    with patch("time.sleep") as mock_sleep:
        decorated()
    assert sleeps(mock_sleep) == [3.0]


def test_each_call_starts_a_fresh_schedule():
    func = flaky(OSError(), "a", OSError(), "b")
    decorated = retry_with_backoff(base_delay=1.0)(func)
    with patch("time.sleep") as mock_sleep:
        assert [decorated(), decorated()] == ["a", "b"]
    assert sleeps(mock_sleep) == [1.0, 1.0]


def test_permanent_error_is_not_retried_by_the_default_classifier():
    func = flaky(PermanentError("bucket does not exist"), "never")
    with patch("time.sleep") as mock_sleep, pytest.raises(PermanentError):
        retry_with_backoff(max_retries=5)(func)()
    assert func.call_count == 1
    mock_sleep.assert_not_called()


def test_custom_classifier_tells_transient_from_permanent():
    def is_transient(exc: BaseException) -> bool:
        return "503" in str(exc)

    transient = flaky(OSError("503 slow down"), "ok")
    permanent = flaky(OSError("403 forbidden"), "never")
    with patch("time.sleep"):
        assert retry_with_backoff(classifier=is_transient)(transient)() == "ok"
        with pytest.raises(OSError, match="403"):
            retry_with_backoff(classifier=is_transient)(permanent)()
    assert permanent.call_count == 1


def test_deadline_stops_retrying_before_a_wait_would_cross_it(clock):
    func = Mock(side_effect=TimeoutError("slow"), __qualname__="slow")
    with patch("time.sleep", side_effect=clock.advance) as mock_sleep, pytest.raises(TimeoutError):
        retry_with_backoff(max_retries=10, base_delay=1.0, deadline=10.0, clock=clock)(func)()
    # 1 + 2 + 4 = 7 s slept; the next wait (8 s) would end at 15 s > 10 s.
    assert sleeps(mock_sleep) == [1.0, 2.0, 4.0]
    assert func.call_count == 4


def test_policy_argument_overrides_the_numbers():
    func = flaky(OSError(), OSError(), "ok")
    policy = RetryPolicy(max_retries=2, base_delay=0.25, exponential_base=4.0)
    with patch("time.sleep") as mock_sleep:
        retry_with_backoff(policy=policy)(func)()
    assert sleeps(mock_sleep) == [0.25, 1.0]


def test_each_retry_is_logged_as_a_warning(caplog):
    func = flaky(ConnectionError("reset"), "ok")
    with patch("time.sleep"), caplog.at_level(logging.WARNING, logger="litcode.resilience"):
        retry_with_backoff()(func)()
    assert any("attempt 1" in r.getMessage() and "reset" in r.getMessage() for r in caplog.records)


def test_zero_retries_means_one_attempt():
    func = flaky(ConnectionError("once"))
    with patch("time.sleep") as mock_sleep, pytest.raises(ConnectionError):
        retry_with_backoff(max_retries=0)(func)()
    assert func.call_count == 1
    mock_sleep.assert_not_called()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_retries": -1}, "max_retries"),
        ({"base_delay": -1.0}, "delays"),
        ({"exponential_base": 0.5}, "exponential_base"),
        ({"deadline": 0}, "deadline"),
    ],
)
def test_invalid_settings_fail_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        retry_with_backoff(**kwargs)


def test_explicit_exceptions_list_wins_over_the_default_classifier():
    """Issue 13 defect 4: ``exceptions=(TypeError,)`` made one attempt."""
    func = flaky(TypeError("a"), TypeError("b"), "ok")
    with patch("time.sleep") as mock_sleep:
        assert retry_with_backoff(max_retries=3, exceptions=(TypeError,))(func)() == "ok"
    assert func.call_count == 3
    assert sleeps(mock_sleep) == [1.0, 2.0]


def test_default_exceptions_still_skip_programming_errors():
    func = flaky(TypeError("bad call"), "never")
    with patch("time.sleep") as mock_sleep, pytest.raises(TypeError):
        retry_with_backoff(max_retries=3)(func)()
    assert func.call_count == 1
    mock_sleep.assert_not_called()


def test_explicit_exception_base_class_is_retried_for_its_subclasses():
    func = flaky(AttributeError("late binding"), "ok")
    with patch("time.sleep"):
        assert retry_with_backoff(exceptions=(Exception,))(func)() == "ok"
    assert func.call_count == 2
