"""MetricsTracker: where every figure of litcode lands, kept safe on disk and cheap to record."""

from __future__ import annotations

import copy
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litcode.metrics import finite_json, frames
from litcode.metrics.cuda_memory import CudaProbe, cuda_memory_gb
from litcode.metrics.processing_times import ProcessingTimes
from litcode.metrics.quality_totals import add_quality_batch, empty_quality_stats
from litcode.metrics.records import (
    SCHEMA_VERSION,
    PerformanceMetrics,
    RunFigures,
    TrainingMetrics,
    UploadFigures,
    utc_now_iso,
)
from litcode.metrics.snapshot import SnapshotState, load_snapshot_state
from litcode.metrics.step_log import iter_step_records, read_step_records, steps_path_for
from litcode.metrics.step_records import CUDA_STEP_KEYS, build_step_record, has_non_finite_loss
from litcode.metrics.tracker_files import TrackerFiles, export_runs
from litcode.metrics.training_summary import training_summary
from litcode.metrics.validation import require_count, require_seconds

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger("litcode.metrics")


class MetricsTracker:
    """Collects training runs, per-step records, curation quality stats and processing times.

    Files: the snapshot ``metrics_file`` (JSON, rewritten atomically by :meth:`save`) and, beside
    it, the step log ``steps_file`` = ``metrics_file`` with its suffix replaced by ``.steps.jsonl``
    (``metrics/metrics.json`` -> ``metrics/metrics.steps.jsonl``). The folder is made at once, the
    files when first written. ``metrics_file=None`` keeps everything in memory only.

    Step records go to the step log as they come (one write per record, crash-safe) and the last
    ``max_samples`` stay in memory (``recent_steps``); :meth:`steps` reads the whole log back. A new
    tracker on a path that already holds a log appends to it; :meth:`load` restores the rest.

    Non-finite floats (a NaN loss) are stored as ``null`` plus a ``"non_finite"`` entry naming the
    value (see :mod:`litcode.metrics.finite_json`), so files stay strict JSON and load restores them.
    Write failures are logged once (logger ``litcode.metrics``) per failing file and never raised:
    a full disk must not stop training. All methods are thread-safe.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "metrics.json"
    >>> with MetricsTracker(path) as tracker:
    ...     _ = tracker.record_step(1, 0, 2.5, {"lr-AdamW": 3e-4}, samples_per_second=64.0)
    ...     _ = tracker.record_training_run("run-1", duration=10.0, samples=640, metrics={"train_loss": 2.5})
    >>> restored = MetricsTracker.load(path)
    >>> restored.steps()[0]["loss"], restored.get_training_summary()["total_samples"]
    (2.5, 640)
    """

    def __init__(
        self, metrics_file: str | os.PathLike[str] | None = "metrics/metrics.json", max_samples: int = 10_000
    ) -> None:
        if isinstance(max_samples, bool) or not isinstance(max_samples, int) or max_samples < 1:
            raise ValueError(f"max_samples must be a positive integer, got {max_samples!r}")
        self.metrics_file = None if metrics_file is None else Path(metrics_file)
        self.steps_file = None if metrics_file is None else steps_path_for(metrics_file)
        self.max_samples = max_samples
        self.training_history: list[TrainingMetrics] = []
        self.quality_stats: dict[str, Any] = empty_quality_stats()
        # The processing-time window (seconds per recorded batch); ``processing`` computes over it.
        self.performance_samples: deque[float] = deque(maxlen=max_samples)
        self.processing = ProcessingTimes(self.performance_samples)
        self.recent_steps: deque[dict[str, Any]] = deque(maxlen=max_samples)
        self.steps_recorded = 0
        self.nan_steps = 0
        self.upload_stats: dict[str, Any] = {}
        self.started_at = utc_now_iso()
        self.uptime_before_load = 0.0
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._cuda = CudaProbe()
        self._files = None if metrics_file is None else TrackerFiles(metrics_file)

    def record_step(
        self,
        step: int,
        epoch: int,
        loss: float | None,
        learning_rates: Mapping[str, float] | None,
        samples_per_second: float,
        tokens_per_second: float | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Append one step record to the step log and the in-memory window; returns the record.

        ``step`` is the global optimizer step, ``learning_rates`` maps a parameter-group name to its
        rate. CUDA memory is read here unless the caller passes the ``cuda_memory_*_gb`` keys itself
        (the callback measures the peak within its interval). Other ``extra`` keys are stored as given.
        """
        cuda = None
        if self._cuda.available() and not all(key in extra for key in CUDA_STEP_KEYS):
            cuda = cuda_memory_gb()
        record = build_step_record(
            step, epoch, loss, learning_rates, samples_per_second, tokens_per_second, cuda, extra
        )
        line = finite_json.dumps(record) if self._files is not None else ""
        with self._lock:
            self.recent_steps.append(record)
            self.steps_recorded += 1
            self.nan_steps += has_non_finite_loss(record)
            if self._files is not None:
                self._files.append_step(line)
        return record

    def record_training_run(
        self,
        run_id: int | str,
        duration: float,
        samples: int,
        metrics: RunFigures | Mapping[str, Any] | None = None,
    ) -> TrainingMetrics:
        """Record a finished run and save the snapshot.

        ``metrics`` is a :class:`RunFigures`, or a mapping with its field names as keys (``loss``
        is read as ``train_loss``; unknown keys are logged as a warning, never silently dropped).
        Raises ``ValueError`` for a negative or non-finite ``duration`` or a negative ``samples``.
        """
        duration = require_seconds("duration", duration)
        samples = require_count("samples", samples)
        figures = metrics if isinstance(metrics, RunFigures) else RunFigures.from_mapping(metrics)
        allocated, reserved, _ = cuda_memory_gb(include_peak=False)
        run = figures.training_run(run_id, duration, samples, gpu_memory_gb=(allocated, reserved))
        with self._lock:
            self.training_history.append(run)
        logger.info("recorded training run %s: %d samples in %.1f s", run_id, samples, duration)
        self.save()
        return run

    def record_upload(self, stats: UploadFigures | Mapping[str, Any]) -> None:
        """Keep the latest checkpoint-upload figures (an ``UploadStats`` or a mapping) in the snapshot.

        ``CheckpointUploadCallback`` calls this after each upload event, so notebooks and
        ``litcode report`` can show upload health (uploaded, retries, pending, breaker state).
        """
        figures = dict(stats) if isinstance(stats, Mapping) else stats.as_dict()
        with self._lock:
            self.upload_stats = {**figures, "recorded_at": utc_now_iso()}

    def record_quality_stats(
        self, total_processed: int, avg_quality_score: float, blocked_files: int | Mapping[str, int]
    ) -> None:
        """Add one curation batch's figures to ``quality_stats`` and save the snapshot.

        Calls accumulate (see :func:`~litcode.metrics.quality_totals.add_quality_batch`): totals add
        up, the score is averaged weighted by files; ``blocked_files`` may map reason -> count.
        """
        with self._lock:
            add_quality_batch(self.quality_stats, total_processed, avg_quality_score, blocked_files)
        self.save()

    def record_processing_time(self, seconds: float, files: int = 1) -> None:
        """Record that one batch of ``files`` files took ``seconds`` to process.

        The unit of the window is the call: one sample = one batch's wall seconds, whatever its
        size (curation records one per batch it processes). Percentiles and the average are over
        those samples, in a bounded window of the last ``max_samples``; :meth:`files_per_second`
        is all files over all seconds. Feed one series of like batches, or the percentiles mix units.
        """
        self.processing.add(seconds, files)

    def get_percentiles(self) -> dict[str, float]:
        """P50/P95/P99 of the processing-time window, linearly interpolated; all 0.0 when empty."""
        return self.processing.percentiles()

    def files_per_second(self) -> float:
        """All files recorded over all processing time recorded (not just the window); 0.0 for no time."""
        return self.processing.files_per_second()

    def average_processing_time(self) -> float:
        """Mean of the processing-time window in seconds; 0.0 when empty."""
        return self.processing.average()

    def get_performance_metrics(self) -> PerformanceMetrics:
        """Every processing figure at once (see :class:`PerformanceMetrics`)."""
        return self.processing.metrics()

    @property
    def uptime_seconds(self) -> float:
        """Seconds this tracker has been alive, including the time recorded before a :meth:`load`."""
        return self.uptime_before_load + (time.monotonic() - self._started)

    def get_training_summary(self) -> dict[str, Any]:
        """Totals over the runs and steps recorded (see :mod:`litcode.metrics.training_summary`).

        ``nan_steps`` counts step records whose loss is NaN or infinite.
        """
        with self._lock:
            runs = list(self.training_history)
            last_step = self.recent_steps[-1] if self.recent_steps else None
            steps_recorded, nan_steps = self.steps_recorded, self.nan_steps
        return training_summary(runs, last_step, steps_recorded, nan_steps)

    def steps(self) -> list[dict[str, Any]]:
        """Every step record, oldest first: the whole step log when there is one on disk, else the
        in-memory window of the last ``max_samples`` (memory-only trackers, or a log never written)."""
        if self.steps_file is not None and self.steps_file.exists():
            return read_step_records(self.steps_file)
        with self._lock:
            return list(self.recent_steps)

    def steps_frame(self) -> pd.DataFrame:
        """:meth:`steps` as a pandas DataFrame, ``learning_rates`` flattened to ``learning_rates.<name>``."""
        return frames.steps_frame(self.steps())

    def history_frame(self) -> pd.DataFrame:
        """The training runs as a pandas DataFrame, one row per run."""
        with self._lock:
            runs = list(self.training_history)
        return frames.history_frame(runs)

    def snapshot(self) -> dict[str, Any]:
        """Everything but the step log as one JSON-ready dict (what :meth:`save` writes)."""
        summary = self.get_training_summary()
        with self._lock:
            return {
                "schema_version": SCHEMA_VERSION,
                "saved_at": utc_now_iso(),
                "started_at": self.started_at,
                "uptime_seconds": self.uptime_seconds,
                "max_samples": self.max_samples,
                "steps_file": None if self.steps_file is None else self.steps_file.name,
                "training_history": [asdict(run) for run in self.training_history],
                "training_summary": summary,
                "quality_stats": copy.deepcopy(self.quality_stats),
                "performance": self.processing.to_dict(),
                "uploads": copy.deepcopy(self.upload_stats),
            }

    def save(self) -> bool:
        """Write the snapshot atomically; returns False (and logs) instead of raising on failure."""
        return self._save_metrics()

    def _save_metrics(self) -> bool:
        """The save itself (the seed's name, kept for callers of earlier versions)."""
        if self._files is None:
            return False
        return self._files.write_snapshot(finite_json.dumps(self.snapshot(), indent=2))

    def export_training_history(self, path: str | os.PathLike[str]) -> bool:
        """Write the training runs to ``path`` as a JSON list, atomically; on failure log, return False."""
        with self._lock:
            history = [asdict(run) for run in self.training_history]
        return export_runs(path, history)

    @classmethod
    def load(cls, metrics_file: str | os.PathLike[str], max_samples: int | None = None) -> MetricsTracker:
        """Restore a tracker from its snapshot and step log (either may be missing, not both).

        A torn or damaged step-log line is skipped with a warning. The restored tracker keeps
        writing to the same files. Raises ``FileNotFoundError`` when there is nothing to load and
        ``ValueError`` when the snapshot is not a litcode metrics snapshot.
        """
        path = Path(metrics_file)
        state = load_snapshot_state(path, steps_path_for(path))
        tracker = cls(path, max_samples=max_samples or state.max_samples or 10_000)
        tracker._restore(state)
        for record in iter_step_records(steps_path_for(path)):  # streamed: memory stays bounded by the window
            tracker.recent_steps.append(record)
            tracker.steps_recorded += 1
            tracker.nan_steps += has_non_finite_loss(record)
        return tracker

    def _restore(self, state: SnapshotState) -> None:
        self.training_history.extend(state.training_history)
        self.quality_stats.update(state.quality_stats)
        self.processing.restore(state.performance)
        self.upload_stats = dict(state.uploads)
        self.started_at = state.started_at or self.started_at
        self.uptime_before_load = state.uptime_seconds

    def close(self) -> None:
        """Close the step log (it reopens on the next :meth:`record_step`)."""
        with self._lock:
            if self._files is not None:
                self._files.close()

    def __enter__(self) -> MetricsTracker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.save()
        self.close()
