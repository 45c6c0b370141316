"""The values the tracker keeps: one dataclass per kind of figure, plus the clock they are stamped with."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

# Bumped whenever the meaning or the names of stored fields change, so readers of old files can adapt.
SCHEMA_VERSION = 1


# (whole second, its formatted "YYYY-MM-DDTHH:MM:SS"), swapped as one tuple so threads never mix halves.
_second_cache: tuple[int, str] = (-1, "")


def utc_now_iso() -> str:
    """The current time as an ISO 8601 string in UTC, e.g. ``2026-01-31T12:00:00.123456+00:00``.

    Every step record is stamped, and ``datetime.isoformat`` costs more than the rest of the
    stamping, so the date-and-seconds part is formatted once per second and reused.
    """
    global _second_cache
    now = time.time()
    second = int(now)
    cached_second, prefix = _second_cache
    if second != cached_second:
        prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        _second_cache = (second, prefix)
    return f"{prefix}.{int((now - second) * 1e6):06d}+00:00"


@dataclass
class TrainingMetrics:
    """What one finished training run achieved.

    ``samples_per_second`` is ``samples_trained / duration_seconds`` (0.0 for a zero duration);
    the GPU fields are decimal gigabytes (bytes / 1e9) and ``None`` on a machine without CUDA.

    >>> from dataclasses import asdict
    >>> run = TrainingMetrics(run_id=1, duration_seconds=10.0, samples_trained=500, samples_per_second=50.0)
    >>> asdict(run)["samples_per_second"]
    50.0
    """

    run_id: int | str
    timestamp: str = field(default_factory=utc_now_iso)
    duration_seconds: float = 0.0
    samples_trained: int = 0
    samples_per_second: float = 0.0
    train_loss: float | None = None
    eval_loss: float | None = None
    learning_rate: float | None = None
    epoch: int | None = None
    gpu_memory_allocated_gb: float | None = None
    gpu_memory_reserved_gb: float | None = None


@dataclass
class PerformanceMetrics:
    """Throughput and latency of per-file processing (curation), in seconds.

    Percentiles and the average cover the bounded window of recent samples; ``files_per_second``
    covers everything recorded since the tracker started.

    >>> PerformanceMetrics(files_per_second=4.0, sample_count=2).files_per_second
    4.0
    """

    files_per_second: float = 0.0
    average_processing_time: float = 0.0
    p50_processing_time: float = 0.0
    p95_processing_time: float = 0.0
    p99_processing_time: float = 0.0
    sample_count: int = 0
