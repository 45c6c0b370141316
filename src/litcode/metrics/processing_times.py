"""Per-item processing times (curation): a bounded window for latency, running totals for throughput."""

from __future__ import annotations

import math
from collections import deque
from typing import Any

import numpy as np

from litcode.metrics.records import PerformanceMetrics


class ProcessingTimes:
    """The last ``max_samples`` timings in seconds, plus totals over everything ever added.

    Percentiles and the average describe the window (recent behaviour, bounded memory);
    ``files_per_second`` uses the totals, so it never forgets early work. Not locked itself:
    :class:`~litcode.metrics.MetricsTracker` holds its lock around every call.

    >>> times = ProcessingTimes(max_samples=3)
    >>> for seconds in (1.0, 2.0, 3.0, 4.0):
    ...     times.add(seconds, files=1)
    >>> list(times.samples), times.files_per_second()
    ([2.0, 3.0, 4.0], 0.4)
    """

    def __init__(self, max_samples: int) -> None:
        self.samples: deque[float] = deque(maxlen=max_samples)
        self.total_files = 0
        self.total_seconds = 0.0

    def add(self, seconds: float, files: int) -> None:
        self.samples.append(seconds)
        self.total_files += files
        self.total_seconds += seconds

    def percentiles(self) -> dict[str, float]:
        """P50/P95/P99 of the window, linearly interpolated (numpy's default); all 0.0 when empty."""
        if not self.samples:
            return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
        window = np.fromiter(self.samples, dtype=np.float64, count=len(self.samples))
        p50, p95, p99 = np.percentile(window, [50.0, 95.0, 99.0])
        return {"p50": float(p50), "p95": float(p95), "p99": float(p99)}

    def files_per_second(self) -> float:
        return self.total_files / self.total_seconds if self.total_seconds > 0 else 0.0

    def average(self) -> float:
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
        self.samples.extend(float(seconds) for seconds in data.get("samples", []))
        self.total_files = int(data.get("total_files", 0))
        self.total_seconds = float(data.get("total_processing_seconds", 0.0))
