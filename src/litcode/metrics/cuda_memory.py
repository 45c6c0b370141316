"""The one CUDA memory reader: allocator figures in decimal gigabytes, read from ``torch.cuda`` at call time.

Both the tracker (a run's memory, a step's memory) and ``MetricsTrackerCallback`` (the peak within
each logging interval) read memory here. A process that never imported ``torch`` has put nothing
on a GPU, so these answer "no CUDA" there without importing it (seconds): curation workers and
notebooks that only read files stay light. ``torch.cuda`` is looked up on every call, so tests can
patch ``torch.cuda.*`` after a tracker exists. None of these calls synchronizes the device; they
read the caching allocator's counters.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

logger = logging.getLogger("litcode.metrics")

BYTES_PER_GB = 1e9

CudaMemory = tuple["float | None", "float | None", "float | None"]


def _read_gb(read: Callable[[Any], Any], device: Any) -> float | None:
    try:
        return float(read(device)) / BYTES_PER_GB
    except Exception as error:  # a half-initialized or absent driver must not stop training
        logger.debug("could not read CUDA memory through %s: %s", getattr(read, "__name__", read), error)
        return None


def cuda_memory_gb(device: Any = None, *, include_peak: bool = True, reset_peak: bool = False) -> CudaMemory:
    """``(allocated, reserved, peak allocated)`` in GB on ``device`` (default: the current one), as
    the caching allocator counts them; all ``None`` without CUDA, and any figure the driver can't
    give is ``None`` too.

    The peak is since the process started or the last ``torch.cuda.reset_peak_memory_stats()``;
    ``reset_peak=True`` resets it after reading, so the next read gives the peak of the time between.

    >>> cuda_memory_gb() if "torch" not in sys.modules else (None, None, None)
    (None, None, None)
    """
    torch = sys.modules.get("torch")
    if torch is None or not torch.cuda.is_available():
        return None, None, None
    figures = (
        _read_gb(torch.cuda.memory_allocated, device),
        _read_gb(torch.cuda.memory_reserved, device),
        _read_gb(torch.cuda.max_memory_allocated, device) if include_peak else None,
    )
    if reset_peak:
        try:
            torch.cuda.reset_peak_memory_stats(device)
        except Exception as error:
            logger.debug("could not reset the CUDA peak memory counter: %s", error)
    return figures


class CudaProbe:
    """Answers "is CUDA there?" cheaply on every step.

    ``torch.cuda.is_available()`` costs microseconds, which matters in ``record_step``; its answer
    is cached per *function object*, so a test that patches ``torch.cuda.is_available`` is still
    seen on the next call.

    >>> probe = CudaProbe()
    >>> probe.available() in (True, False)
    True
    """

    def __init__(self) -> None:
        self._torch_cuda: Any = None
        self._checked: object = None
        self._answer = False

    def available(self) -> bool:
        if self._torch_cuda is None:
            torch = sys.modules.get("torch")
            if torch is None:
                return False
            self._torch_cuda = torch.cuda
        check = self._torch_cuda.is_available
        if check is not self._checked:
            self._answer = bool(check())
            self._checked = check
        return self._answer
