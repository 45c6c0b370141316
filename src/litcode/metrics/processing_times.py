"""Per-item processing times (curation): a bounded window for latency, running totals for throughput."""

from __future__ import annotations

import math
import threading
from collections import deque
from typing import Any

import numpy as np

from litcode.metrics.records import PerformanceMetrics
from litcode.metrics.validation import require_count, require_seconds


class ProcessingTimes:
    """Timings in seconds over a bounded window (``samples``, a ``deque(maxlen=...)`` the caller
    owns), plus totals over everything ever added.

    One sample is one :meth:`add` call: the seconds one batch of ``files`` files took. Percentiles
    and the average describe the window (recent behaviour, bounded memory); ``files_per_second``
    uses the totals, so it never forgets early work. Thread-safe.

    >>> times = ProcessingTimes(deque(maxlen=3))
    >>> for seconds in (1.0, 2.0, 3.0, 4.0):
    ...     times.add(seconds, files=1)
    >>> list(times.samples), times.files_per_second()
    ([2.0, 3.0, 4.0], 0.4)
    """

    def __init__(self, samples: deque[float]) -> None:
        self.samples = samples
        self.total_files = 0
        self.total_seconds = 0.0
        self._lock = threading.Lock()

    def add(self, seconds: float, files: int) -> None:
        """One batch: ``ValueError`` for negative or non-finite seconds or a negative file count."""
        seconds = require_seconds("seconds", seconds)
        files = require_count("files", files)
        with self._lock:
            self.samples.append(seconds)
            self.total_files += files
            self.total_seconds += seconds

    def percentiles(self) -> dict[str, float]:
        """P50/P95/P99 of the window, linearly interpolated (numpy's default); all 0.0 when empty."""
        with self._lock:
            window = np.fromiter(self.samples, dtype=np.float64, count=len(self.samples))
        if not window.size:
            return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
        p50, p95, p99 = np.percentile(window, [50.0, 95.0, 99.0])
        return {"p50": float(p50), "p95": float(p95), "p99": float(p99)}

    def files_per_second(self) -> float:
        with self._lock:
            return self.total_files / self.total_seconds if self.total_seconds > 0 else 0.0

    def average(self) -> float:
        with self._lock:
            return math.fsum(self.samples) / len(self.samples) if self.samples else 0.0

    def metrics(self) -> PerformanceMetrics:
        percentiles = self.percentiles()
        return PerformanceMetrics(
            files_per_second=self.files_per_second(),
            average_processing_time=self.average(),
            p50_processing_time=percentiles["p50"],
            p95_processing_time=percentiles["p95"],
            p99_processing_time=percentiles["p99"],
            sample_count=len(self.samples),
        )

    def to_dict(self) -> dict[str, Any]:
        """The derived figures for readers, and the raw values :meth:`restore` needs."""
        figures = self.metrics()
        return {
            "files_per_second": figures.files_per_second,
            "average_processing_time": figures.average_processing_time,
            "percentiles": self.percentiles(),
            "sample_count": figures.sample_count,
            "total_files": self.total_files,
            "total_processing_seconds": self.total_seconds,
            "samples": list(self.samples),
        }

    def restore(self, data: dict[str, Any]) -> None:
        with self._lock:
            self.samples.extend(float(seconds) for seconds in data.get("samples", []))
            self.total_files = int(data.get("total_files", 0))
            self.total_seconds = float(data.get("total_processing_seconds", 0.0))
