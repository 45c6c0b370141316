"""The values the tracker keeps: one dataclass per kind of figure, plus the clock they are stamped with."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

logger = logging.getLogger("litcode.metrics")

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
    ``duration_seconds`` is training time (validation and checkpointing paused out, when the
    callback measured it); ``wall_seconds`` is the whole fit. ``global_step`` is the last optimizer
    step, ``tokens`` all tokens trained on (``None`` when not counted), ``learning_rates`` the last
    rate of every parameter group, and ``stop_reason`` says why the run stopped early, if it did.

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
    global_step: int | None = None
    tokens: int | None = None
    wall_seconds: float | None = None
    learning_rates: dict[str, float] = field(default_factory=dict)
    stop_reason: str | None = None


# RunFigures' scalar fields and the type each is converted to when read from a mapping.
_CONVERSIONS: dict[str, Callable[[Any], Any]] = {
    "train_loss": float,
    "eval_loss": float,
    "learning_rate": float,
    "epoch": int,
    "global_step": int,
    "tokens": int,
    "wall_seconds": float,
    "stop_reason": str,
}


@dataclass(frozen=True)
class RunFigures:
    """What a caller knows about a finished run besides its duration and samples: the typed
    ``metrics`` argument of ``MetricsTracker.record_training_run``.

    A plain mapping with these names as keys (``loss`` for ``train_loss`` too) is accepted as well;
    :meth:`from_mapping` turns it into this value and warns about keys it does not know, so a
    misspelt key (``"epochs"``) is reported instead of silently dropped.

    >>> RunFigures.from_mapping({"train_loss": 1.5, "epoch": 2}).epoch
    2
    """

    train_loss: float | None = None
    eval_loss: float | None = None
    learning_rate: float | None = None
    epoch: int | None = None
    global_step: int | None = None
    tokens: int | None = None
    wall_seconds: float | None = None
    learning_rates: Mapping[str, float] = field(default_factory=dict)
    stop_reason: str | None = None

    @classmethod
    def from_mapping(cls, metrics: Mapping[str, Any] | None) -> RunFigures:
        """The figures in ``metrics``; unknown keys are logged as a warning (logger ``litcode.metrics``)."""
        metrics = dict(metrics or {})
        if metrics.get("train_loss") is None and metrics.get("loss") is not None:
            metrics["train_loss"] = metrics["loss"]
        unknown = sorted(set(metrics) - set(_CONVERSIONS) - {"learning_rates", "loss"})
        if unknown:
            logger.warning("record_training_run ignores unknown metrics keys %s", unknown)
        values = {
            name: kind(metrics[name]) for name, kind in _CONVERSIONS.items() if metrics.get(name) is not None
        }
        rates = metrics.get("learning_rates") or {}
        return cls(**values, learning_rates={str(name): float(rate) for name, rate in rates.items()})

    def training_run(
        self,
        run_id: int | str,
        duration: float,
        samples: int,
        gpu_memory_gb: tuple[float | None, float | None] = (None, None),
    ) -> TrainingMetrics:
        """The :class:`TrainingMetrics` of a run of ``samples`` in ``duration`` seconds with these figures.

        >>> RunFigures(epoch=1).training_run("r", duration=4.0, samples=100).samples_per_second
        25.0
        """
        return TrainingMetrics(
            run_id=run_id,
            duration_seconds=duration,
            samples_trained=samples,
            samples_per_second=samples / duration if duration > 0 else 0.0,
            train_loss=self.train_loss,
            eval_loss=self.eval_loss,
            learning_rate=self.learning_rate,
            epoch=self.epoch,
            gpu_memory_allocated_gb=gpu_memory_gb[0],
            gpu_memory_reserved_gb=gpu_memory_gb[1],
            global_step=self.global_step,
            tokens=self.tokens,
            wall_seconds=self.wall_seconds,
            learning_rates=dict(self.learning_rates),
            stop_reason=self.stop_reason,
        )


class UploadFigures(Protocol):
    """Upload statistics that flatten to a JSON-ready dict (``UploadStats``), for ``record_upload``.

    The consumers of the tracker (curation, data, uploads) each state the part of it they use as
    their own ``Protocol``; this is the value the tracker takes in return.
    """

    def as_dict(self) -> dict[str, Any]: ...


@dataclass
class PerformanceMetrics:
    """Throughput and latency of curation processing, in seconds.

    The unit of a sample is one ``record_processing_time`` call: the wall seconds of one batch of
    files (curation records one sample per batch it processes; ``files`` is the batch's size).
    Percentiles and the average are over those batch times, in the bounded window of recent
    samples; ``files_per_second`` is all files over all seconds recorded since the tracker started.

    >>> PerformanceMetrics(files_per_second=4.0, sample_count=2).files_per_second
    4.0
    """

    files_per_second: float = 0.0
    average_processing_time: float = 0.0
    p50_processing_time: float = 0.0
    p95_processing_time: float = 0.0
    p99_processing_time: float = 0.0
    sample_count: int = 0
