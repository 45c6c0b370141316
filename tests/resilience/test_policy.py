"""RetryPolicy: the backoff schedule as a value, checked against its formula by hypothesis."""

from __future__ import annotations

from unittest.mock import Mock, patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litcode.resilience import RetryPolicy, retry_with_backoff

policies = st.builds(
    RetryPolicy,
    max_retries=st.integers(min_value=0, max_value=12),
    base_delay=st.floats(min_value=0.0, max_value=100.0, allow_nan=False),
    max_delay=st.floats(min_value=0.0, max_value=1000.0, allow_nan=False),
    exponential_base=st.floats(min_value=1.0, max_value=10.0, allow_nan=False),
)


@settings(max_examples=150, deadline=None)
@given(policies)
def test_schedule_follows_the_formula_and_never_exceeds_max_delay(policy):
    delays = list(policy.delays())
    assert len(delays) == policy.max_retries
    for n, delay in enumerate(delays, start=1):
        expected = min(policy.base_delay * policy.exponential_base ** (n - 1), policy.max_delay)
        assert delay == pytest.approx(expected)
        assert 0.0 <= delay <= policy.max_delay
    assert delays == sorted(delays)  # non-decreasing


@settings(max_examples=60, deadline=None)
@given(policies)
def test_decorator_sleeps_exactly_the_policy_schedule(policy):
    failures = [ConnectionError()] * policy.max_retries
    func = Mock(side_effect=[*failures, "ok"], __qualname__="func")
    with patch("time.sleep") as mock_sleep:
        assert retry_with_backoff(policy=policy)(func)() == "ok"
    slept = [c.args[0] for c in mock_sleep.call_args_list]
    assert slept == pytest.approx(list(policy.delays()))


@settings(max_examples=60, deadline=None)
@given(policies)
def test_jittered_waits_stay_within_the_unjittered_bound(policy):
    jittered = RetryPolicy(
        max_retries=policy.max_retries,
        base_delay=policy.base_delay,
        max_delay=policy.max_delay,
        exponential_base=policy.exponential_base,
        jitter=True,
    )
    func = Mock(side_effect=[*[OSError()] * policy.max_retries, "ok"], __qualname__="func")
    with patch("time.sleep") as mock_sleep:
        retry_with_backoff(policy=jittered)(func)()
    slept = [c.args[0] for c in mock_sleep.call_args_list]
    for wait, bound in zip(slept, policy.delays(), strict=True):
        assert 0.0 <= wait <= bound + 1e-9


def test_huge_exponent_saturates_at_max_delay_instead_of_overflowing():
    policy = RetryPolicy(max_retries=3, base_delay=1.0, max_delay=30.0, exponential_base=1e300)
    assert policy.delay(3) == 30.0


def test_delay_is_one_based():
    with pytest.raises(ValueError, match="1-based"):
        RetryPolicy().delay(0)
