"""The SIGTERM hook: marks the event and hands the signal on to whatever handler was there before."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

import pytest

from litcode.callbacks.upload.lightning_io import SigtermHook


@pytest.fixture
def previous_handler() -> Iterator[list[int]]:
    """A Python SIGTERM handler standing in for the application's own; restored afterwards."""
    received: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    original = signal.signal(signal.SIGTERM, handler)
    yield received
    signal.signal(signal.SIGTERM, original)


def test_sigterm_sets_the_event_and_chains_the_previous_handler(previous_handler: list[int]) -> None:
    hook = SigtermHook(threading.Event())
    hook.install()
    os.kill(os.getpid(), signal.SIGTERM)
    hook.uninstall()
    assert hook.event.is_set()
    assert previous_handler == [signal.SIGTERM]


def test_uninstall_restores_the_previous_handler(previous_handler: list[int]) -> None:
    before = signal.getsignal(signal.SIGTERM)
    hook = SigtermHook(threading.Event())
    hook.install()
    assert signal.getsignal(signal.SIGTERM) == hook.handle
    hook.uninstall()
    assert signal.getsignal(signal.SIGTERM) is before


def test_hook_called_by_a_wrapping_handler_leaves_the_decision_to_it(
    previous_handler: list[int],
) -> None:
    hook = SigtermHook(threading.Event())
    hook.install()

    def wrapping(signum: int, frame: FrameType | None) -> None:  # like Lightning's handler chain
        hook.handle(signum, frame)

    signal.signal(signal.SIGTERM, wrapping)
    os.kill(os.getpid(), signal.SIGTERM)
    assert hook.event.is_set()
    assert previous_handler == []  # the wrapper, not the hook, decides what happens next


def test_install_outside_the_main_thread_does_nothing() -> None:
    hook = SigtermHook(threading.Event())
    before = signal.getsignal(signal.SIGTERM)
    worker = threading.Thread(target=hook.install)
    worker.start()
    worker.join()
    assert signal.getsignal(signal.SIGTERM) is before
