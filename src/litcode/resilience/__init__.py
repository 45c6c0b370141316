"""Resilience for flaky backends: retry with backoff (on tenacity) and a circuit breaker.

>>> from litcode.resilience import retry_with_backoff, CircuitBreaker
>>> breaker = CircuitBreaker(failure_threshold=3, recovery_timeout=30.0, name="s3")
>>> @retry_with_backoff(max_retries=2, base_delay=0.0, exceptions=(ConnectionError,))
... @breaker
... def put(key: str) -> str:
...     return key
>>> put("ckpt/last.ckpt")
'ckpt/last.ckpt'
"""

from litcode.resilience.breaker import CircuitBreaker
from litcode.resilience.classify import Classifier, default_classifier
from litcode.resilience.errors import CircuitBreakerOpenError, PermanentError
from litcode.resilience.outage import OutageWatch
from litcode.resilience.policy import RetryPolicy
from litcode.resilience.retry import OnRetry, async_retry_with_backoff, build_retrying, retry_with_backoff
from litcode.resilience.states import BreakerStats, CircuitState, StateListener

__all__ = [
    "BreakerStats",
    "CircuitBreaker",
    "CircuitBreakerOpenError",
    "CircuitState",
    "Classifier",
    "OnRetry",
    "OutageWatch",
    "PermanentError",
    "RetryPolicy",
    "StateListener",
    "async_retry_with_backoff",
    "build_retrying",
    "default_classifier",
    "retry_with_backoff",
]
