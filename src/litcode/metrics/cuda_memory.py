"""CUDA memory figures in decimal gigabytes, read from ``torch.cuda`` at call time.

A process that never imported ``torch`` has put nothing on a GPU, so these answer "no CUDA" there
without importing it (seconds): curation workers and notebooks that only read files stay light.
``torch.cuda`` is looked up on every call, so tests can patch ``torch.cuda.*`` after a tracker exists.
None of these calls synchronizes the device; they read the caching allocator's counters.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

logger = logging.getLogger("litcode.metrics")

BYTES_PER_GB = 1e9


def _read_gb(read: Callable[[], Any]) -> float | None:
    try:
        return float(read()) / BYTES_PER_GB
    except Exception as error:  # a half-initialized or absent driver must not stop training
        logger.debug("could not read CUDA memory through %s: %s", getattr(read, "__name__", read), error)
        return None


def cuda_memory_gb(include_peak: bool = True) -> tuple[float | None, float | None, float | None]:
    """``(allocated, reserved, peak allocated)`` in GB on the current device, as the caching allocator
    counts them; all ``None`` without CUDA, and any figure the driver can't give is ``None`` too.

    The peak is since the process started or the last ``torch.cuda.reset_peak_memory_stats()``.
    """
    torch = sys.modules.get("torch")
    if torch is None or not torch.cuda.is_available():
        return None, None, None
    return (
        _read_gb(torch.cuda.memory_allocated),
        _read_gb(torch.cuda.memory_reserved),
        _read_gb(torch.cuda.max_memory_allocated) if include_peak else None,
    )


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
