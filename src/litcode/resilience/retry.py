"""``retry_with_backoff``: tenacity's engine with litcode's contract on top.

The contract (DESIGN.md) fixes what tenacity leaves open: waits go through
``time.sleep``/``asyncio.sleep`` looked up at call time (so tests patch them),
the original exception is re-raised when retries run out, ``on_retry`` errors
never break the retry, and a classifier keeps permanent errors from being retried.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

import tenacity

from litcode.resilience.classify import Classifier, default_classifier, only_permanent_errors_excluded
from litcode.resilience.policy import RetryPolicy, _monotonic

logger = logging.getLogger("litcode.resilience")

P = ParamSpec("P")
R = TypeVar("R")

#: ``on_retry(exception, attempt)``: called before each wait; ``attempt`` is the 1-based attempt that failed.
OnRetry = Callable[[BaseException, int], object]

ExceptionTypes = tuple[type[BaseException], ...] | type[BaseException]

#: The default of ``exceptions``; compared by identity, so a caller's own ``(Exception,)`` counts as explicit.
DEFAULT_EXCEPTIONS: tuple[type[BaseException], ...] = (Exception,)


def choose_classifier(exceptions: ExceptionTypes, classifier: Classifier | None) -> Classifier:
    """The caller's classifier; else, with ``exceptions`` left at its default, :func:`default_classifier`.

    An explicit ``exceptions`` list wins over the default's guess about programming
    errors: ``exceptions=(TypeError,)`` retries ``TypeError``. Only a
    :class:`~litcode.resilience.PermanentError` is never retried without a classifier saying so.
    """
    if classifier is not None:
        return classifier
    return default_classifier if exceptions is DEFAULT_EXCEPTIONS else only_permanent_errors_excluded


def _retry_predicate(exceptions: ExceptionTypes, classifier: Classifier) -> tenacity.retry_base:
    def should_retry(exception: BaseException) -> bool:
        return isinstance(exception, exceptions) and classifier(exception)

    return tenacity.retry_if_exception(should_retry)


def _before_sleep(name: str, on_retry: OnRetry | None) -> Callable[[tenacity.RetryCallState], None]:
    def before_sleep(state: tenacity.RetryCallState) -> None:
        # tenacity only sleeps after a failed attempt, so there is an outcome holding an exception.
        assert state.outcome is not None
        exception = state.outcome.exception()
        assert exception is not None
        wait = state.upcoming_sleep
        logger.warning(
            "%s failed on attempt %d (%s: %s); retrying in %.2fs",
            name,
            state.attempt_number,
            type(exception).__name__,
            exception,
            wait,
        )
        if on_retry is None:
            return
        try:
            on_retry(exception, state.attempt_number)
        except Exception:
            logger.exception("on_retry callback for %s raised; the retry goes on", name)

    return before_sleep


def build_retrying(
    policy: RetryPolicy,
    *,
    name: str,
    exceptions: ExceptionTypes = DEFAULT_EXCEPTIONS,
    on_retry: OnRetry | None = None,
    classifier: Classifier | None = None,
    clock: Callable[[], float] = _monotonic,
    asynchronous: bool = False,
) -> tenacity.BaseRetrying:
    """A fresh tenacity engine for one call (its deadline starts now).

    tenacity's default sleeps call ``time.sleep`` / ``asyncio.sleep`` at call time,
    which is what lets tests patch them.
    """
    common: dict[str, Any] = {
        "stop": policy.stop_strategy(clock),
        "wait": policy.wait_strategy(),
        "retry": _retry_predicate(exceptions, choose_classifier(exceptions, classifier)),
        "before_sleep": _before_sleep(name, on_retry),
        "reraise": True,
    }
    if asynchronous:
        return tenacity.AsyncRetrying(**common)
    return tenacity.Retrying(**common)


def retry_with_backoff(
    max_retries: int = 3,
    base_delay: float = 1.0,
    max_delay: float = 60.0,
    exponential_base: float = 2.0,
    jitter: bool = False,
    exceptions: ExceptionTypes = DEFAULT_EXCEPTIONS,
    on_retry: OnRetry | None = None,
    *,
    deadline: float | None = None,
    classifier: Classifier | None = None,
    clock: Callable[[], float] = _monotonic,
    policy: RetryPolicy | None = None,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Retry a function with exponential backoff; coroutine functions are awaited and slept on asyncio.

    Only exceptions in ``exceptions`` for which ``classifier`` says "transient"
    are retried; anything else propagates at once. Without a ``classifier``, an
    explicit ``exceptions`` list is retried as given (a ``PermanentError`` aside);
    the default ``(Exception,)`` skips programming errors (:func:`default_classifier`).
    When retries run out the original exception is raised. ``policy`` overrides the numeric arguments.

    >>> calls = []
    >>> @retry_with_backoff(max_retries=2, base_delay=0.0, exceptions=(ConnectionError,))
    ... def flaky():
    ...     calls.append(1)
    ...     if len(calls) < 3:
    ...         raise ConnectionError("reset by peer")
    ...     return "ok"
    >>> flaky(), len(calls)
    ('ok', 3)
    """
    chosen = policy or RetryPolicy(
        max_retries=max_retries,
        base_delay=base_delay,
        max_delay=max_delay,
        exponential_base=exponential_base,
        jitter=jitter,
        deadline=deadline,
    )

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        options: dict[str, Any] = {
            "name": getattr(func, "__qualname__", repr(func)),
            "exceptions": exceptions,
            "on_retry": on_retry,
            "classifier": classifier,
            "clock": clock,
        }
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                engine = build_retrying(chosen, asynchronous=True, **options)
                return await engine(func, *args, **kwargs)

            return async_wrapper  # type: ignore[return-value]  # awaiting it yields R

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            engine = build_retrying(chosen, **options)
            return engine(func, *args, **kwargs)

        return wrapper

    return decorate


def async_retry_with_backoff(
    max_retries: int = 3,
    base_delay: float = 1.0,
    max_delay: float = 60.0,
    exponential_base: float = 2.0,
    jitter: bool = False,
    exceptions: ExceptionTypes = DEFAULT_EXCEPTIONS,
    on_retry: OnRetry | None = None,
    *,
    deadline: float | None = None,
    classifier: Classifier | None = None,
    clock: Callable[[], float] = _monotonic,
    policy: RetryPolicy | None = None,
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """:func:`retry_with_backoff` for coroutine functions: waits go through ``asyncio.sleep``.

    >>> import asyncio
    >>> @async_retry_with_backoff(max_retries=1, base_delay=0.0)
    ... async def fetch():
    ...     return 42
    >>> asyncio.run(fetch())
    42
    """
    decorator = retry_with_backoff(
        max_retries,
        base_delay,
        max_delay,
        exponential_base,
        jitter,
        exceptions,
        on_retry,
        deadline=deadline,
        classifier=classifier,
        clock=clock,
        policy=policy,
    )

    def decorate(func: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        if not inspect.iscoroutinefunction(func):
            raise TypeError(
                f"async_retry_with_backoff needs a coroutine function (async def); "
                f"{getattr(func, '__qualname__', func)!r} is not one — use retry_with_backoff"
            )
        return decorator(func)

    return decorate
