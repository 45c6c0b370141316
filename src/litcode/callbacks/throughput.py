"""Counting what a step trained on — samples and tokens — without touching the device.

Batch sizes come from tensor shapes (host metadata). Tokens come from an
``attention_mask`` when the batch has one — summed on the device and read only at
the logging interval — else from the ``input_ids`` shape.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import torch

#: ``batch -> samples`` in it (host int, from shapes).
SampleCounter = Callable[[Any], "int | None"]
#: ``batch -> tokens`` in it: a host int, or a device tensor read only at the logging interval.
TokenCounter = Callable[[Any], "int | torch.Tensor | None"]


def _first_tensor(batch: Any) -> torch.Tensor | None:
    if isinstance(batch, torch.Tensor):
        return batch
    kind = type(batch)
    if (kind is tuple or kind is list) and batch and isinstance(batch[0], torch.Tensor):
        return batch[0]  # the common (inputs, targets) batch, without the slower ABC checks below
    if isinstance(batch, Mapping):
        for value in batch.values():
            found = _first_tensor(value)
            if found is not None:
                return found
    if isinstance(batch, Sequence) and not isinstance(batch, str | bytes):
        for value in batch:
            found = _first_tensor(value)
            if found is not None:
                return found
    return None


def default_batch_size(batch: Any) -> int | None:
    """Leading dimension of the batch's first tensor (dicts, lists and tuples are searched)."""
    tensor = _first_tensor(batch)
    if tensor is None or tensor.dim() == 0:
        return None
    return int(tensor.shape[0])


def default_token_count(batch: Any) -> int | torch.Tensor | None:
    """Non-padding tokens: ``attention_mask.sum()`` (a device tensor, read later) or ``input_ids.numel()``."""
    if type(batch) is tuple or type(batch) is list or not isinstance(batch, Mapping):
        return None
    mask = batch.get("attention_mask")
    if isinstance(mask, torch.Tensor):
        return mask.sum()
    input_ids = batch.get("input_ids")
    if isinstance(input_ids, torch.Tensor):
        return input_ids.numel()
    return None


class ActiveClock:
    """A stopwatch that can be paused (validation, checkpoint saving) and read per interval."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self._running_since: float | None = None
        self._banked = 0.0

    @property
    def running(self) -> bool:
        return self._running_since is not None

    def start(self) -> None:
        if self._running_since is None:
            self._running_since = self._clock()

    def pause(self) -> None:
        if self._running_since is not None:
            self._banked += self._clock() - self._running_since
            self._running_since = None

    def lap(self) -> float:
        """Active seconds since the last lap; keeps running if it was."""
        now = self._clock()
        elapsed = self._banked
        if self._running_since is not None:
            elapsed += now - self._running_since
            self._running_since = now
        self._banked = 0.0
        return elapsed


class DataWaitClock:
    """Host seconds between the end of one training batch and the start of the next.

    That gap is where the Trainer fetches the next batch from the loader (and runs the other
    callbacks' batch-end hooks and the loggers); a loader that keeps up makes it small. Nothing
    here touches the device. A pause (validation, a checkpoint save) drops the open gap: that time
    is not spent waiting for data, and the training clock is paused over it too.

    On CUDA the host runs ahead of the device: kernels are queued and the host reaches the next
    batch while the GPU still works on the last. A host-side wait then costs the GPU nothing until
    the queue drains, so the fraction is an upper bound on the device's data stall when the host is
    far ahead, and close to it in the usual steady state, where the host is held back to the
    device's pace (by the caching allocator, by a value read for logging) every step.

    >>> now = [0.0]
    >>> wait = DataWaitClock(clock=lambda: now[0])
    >>> wait.batch_ended(); now[0] += 0.25; wait.batch_started()
    >>> wait.lap()
    0.25
    """

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self._ended_at: float | None = None
        self._seconds = 0.0

    def batch_ended(self) -> None:
        self._ended_at = self._clock()

    def batch_started(self) -> None:
        if self._ended_at is not None:
            self._seconds += self._clock() - self._ended_at
            self._ended_at = None

    def pause(self) -> None:
        self._ended_at = None

    def lap(self) -> float:
        """Waiting seconds since the last lap."""
        seconds, self._seconds = self._seconds, 0.0
        return seconds
