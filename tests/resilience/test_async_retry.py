"""async_retry_with_backoff: waits through asyncio.sleep, same contract as the sync decorator."""

from __future__ import annotations

from unittest.mock import AsyncMock, patch

import pytest

from litcode.resilience import async_retry_with_backoff, retry_with_backoff


@pytest.mark.asyncio
async def test_async_function_succeeds_without_retry():
    func = AsyncMock(return_value="ok")
    with patch("asyncio.sleep") as mock_sleep:
        assert await async_retry_with_backoff()(func)() == "ok"
    func.assert_awaited_once()
    mock_sleep.assert_not_called()


@pytest.mark.asyncio
async def test_async_retry_sleeps_the_exponential_schedule_on_asyncio():
    func = AsyncMock(side_effect=[ConnectionError(), ConnectionError(), "ok"])
    with patch("asyncio.sleep", new_callable=AsyncMock) as mock_sleep, patch("time.sleep") as blocking:
        result = await async_retry_with_backoff(max_retries=3, base_delay=1.0)(func)()
    assert result == "ok"
    assert [c.args[0] for c in mock_sleep.await_args_list] == [1.0, 2.0]
    blocking.assert_not_called()


@pytest.mark.asyncio
async def test_async_unlisted_exception_propagates_without_retry():
    func = AsyncMock(side_effect=KeyError("missing"))
    with patch("asyncio.sleep", new_callable=AsyncMock) as mock_sleep, pytest.raises(KeyError):
        await async_retry_with_backoff(exceptions=(ConnectionError,))(func)()
    assert func.await_count == 1
    mock_sleep.assert_not_called()


@pytest.mark.asyncio
async def test_async_retries_exhausted_raise_the_original_exception():
    last = TimeoutError("third")
    func = AsyncMock(side_effect=[TimeoutError("first"), TimeoutError("second"), last])
    with patch("asyncio.sleep", new_callable=AsyncMock), pytest.raises(TimeoutError) as raised:
        await async_retry_with_backoff(max_retries=2)(func)()
    assert raised.value is last


@pytest.mark.asyncio
async def test_async_on_retry_receives_attempt_numbers():
    func = AsyncMock(side_effect=[OSError(), OSError(), "ok"])
    seen: list[int] = []
    with patch("asyncio.sleep", new_callable=AsyncMock):
        await async_retry_with_backoff(on_retry=lambda exc, attempt: seen.append(attempt))(func)()
    assert seen == [1, 2]


@pytest.mark.asyncio
async def test_sync_decorator_on_a_coroutine_function_also_awaits_and_sleeps_on_asyncio():
    calls = []

    @retry_with_backoff(base_delay=2.0)
    async def fetch(x: int) -> int:
        calls.append(x)
        if len(calls) == 1:
            raise ConnectionError
        return x * 2

    with patch("asyncio.sleep", new_callable=AsyncMock) as mock_sleep:
        assert await fetch(21) == 42
    assert [c.args[0] for c in mock_sleep.await_args_list] == [2.0]
    assert fetch.__name__ == "fetch"


def test_async_decorator_refuses_a_plain_function():
    with pytest.raises(TypeError, match="coroutine function"):
        async_retry_with_backoff()(lambda: None)
