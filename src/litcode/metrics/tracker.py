"""MetricsTracker: where every figure of litcode lands, kept safe on disk and cheap to record."""

from __future__ import annotations

import copy
import json
import logging
import math
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litcode.atomic_file import atomic_write_text
from litcode.metrics import finite_json, frames
from litcode.metrics.cuda_memory import CudaProbe, cuda_memory_gb
from litcode.metrics.processing_times import ProcessingTimes
from litcode.metrics.quality_totals import add_quality_batch, empty_quality_stats
from litcode.metrics.records import SCHEMA_VERSION, PerformanceMetrics, TrainingMetrics, utc_now_iso
from litcode.metrics.snapshot import read_snapshot, restore_snapshot
from litcode.metrics.step_log import StepLog, iter_step_records, read_step_records, steps_path_for
from litcode.metrics.training_summary import training_summary
from litcode.metrics.validation import require_count, require_seconds

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger("litcode.metrics")

CUDA_STEP_KEYS = ("cuda_memory_allocated_gb", "cuda_memory_reserved_gb", "cuda_memory_peak_gb")


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
        self.processing = ProcessingTimes(max_samples)
        self.performance_samples = self.processing.samples  # the window itself, a deque(maxlen=max_samples)
        self.recent_steps: deque[dict[str, Any]] = deque(maxlen=max_samples)
        self.steps_recorded = 0
        self.nan_steps = 0
        self.upload_stats: dict[str, Any] = {}
        self.started_at = utc_now_iso()
        self.uptime_before_load = 0.0
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._cuda = CudaProbe()
        self._failing: set[str] = set()
        self._step_log = None if self.steps_file is None else StepLog(self.steps_file)
        if self.metrics_file is not None:
            try:
                self.metrics_file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:  # the first write will report it; a tracker must construct
                logger.debug("cannot create metrics folder %s: %s", self.metrics_file.parent, error)
        if self._step_log is not None:
            # Closes the log at interpreter exit or when the tracker is collected, whichever is first.
            self._closer = weakref.finalize(self, self._step_log.close)

    # -- training -------------------------------------------------------------------------------

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
        record: dict[str, Any] = {
            "step": step,
            "epoch": epoch,
            "loss": None if loss is None else float(loss),
            "learning_rates": dict(learning_rates) if learning_rates else {},
            "samples_per_second": float(samples_per_second),
            "tokens_per_second": None if tokens_per_second is None else float(tokens_per_second),
            "cuda_memory_allocated_gb": None,
            "cuda_memory_reserved_gb": None,
            "cuda_memory_peak_gb": None,
            "timestamp": utc_now_iso(),
            "schema_version": SCHEMA_VERSION,
        }
        if self._cuda.available() and not all(key in extra for key in CUDA_STEP_KEYS):
            allocated, reserved, peak = cuda_memory_gb()
            record["cuda_memory_allocated_gb"] = allocated
            record["cuda_memory_reserved_gb"] = reserved
            record["cuda_memory_peak_gb"] = peak
        if extra:
            record.update(extra)
        line = finite_json.dumps(record) if self._step_log is not None else ""
        with self._lock:
            self.recent_steps.append(record)
            self.steps_recorded += 1
            if not _is_finite_or_none(record["loss"]):
                self.nan_steps += 1
            if self._step_log is not None:
                try:
                    self._step_log.append(line)
                except Exception as error:
                    self._step_log.close()  # reopen next time, ending any torn line first
                    self._report_failure("step log", self._step_log.path, error)
                else:
                    self._failing.discard("step log")
        return record

    def record_training_run(
        self, run_id: int | str, duration: float, samples: int, metrics: Mapping[str, Any] | None = None
    ) -> TrainingMetrics:
        """Record a finished run and save the snapshot.

        ``train_loss`` (or ``loss``), ``eval_loss``, ``learning_rate`` and ``epoch`` are taken from
        ``metrics`` when present. Raises ``ValueError`` for a negative or non-finite ``duration``
        or a negative ``samples``.
        """
        duration = require_seconds("duration", duration)
        samples = require_count("samples", samples)
        metrics = metrics or {}
        allocated, reserved, _ = cuda_memory_gb(include_peak=False)
        run = TrainingMetrics(
            run_id=run_id,
            duration_seconds=duration,
            samples_trained=samples,
            samples_per_second=samples / duration if duration > 0 else 0.0,
            train_loss=_optional_float(metrics.get("train_loss", metrics.get("loss"))),
            eval_loss=_optional_float(metrics.get("eval_loss")),
            learning_rate=_optional_float(metrics.get("learning_rate")),
            epoch=None if metrics.get("epoch") is None else int(metrics["epoch"]),
            gpu_memory_allocated_gb=allocated,
            gpu_memory_reserved_gb=reserved,
        )
        with self._lock:
            self.training_history.append(run)
        logger.info("recorded training run %s: %d samples in %.1f s", run_id, samples, duration)
        self.save()
        return run

    # -- curation -------------------------------------------------------------------------------

    def record_upload(self, stats: Any) -> None:
        """Keep the latest checkpoint-upload figures (an ``UploadStats`` or a mapping) in the snapshot.

        ``CheckpointUploadCallback`` calls this after each upload event, so notebooks and
        ``litcode report`` can show upload health (uploaded, retries, pending, breaker state).
        """
        figures = stats.as_dict() if hasattr(stats, "as_dict") else dict(stats)
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
        """Record that ``files`` files took ``seconds`` to process (kept in a bounded window)."""
        seconds = require_seconds("seconds", seconds)
        files = require_count("files", files)
        with self._lock:
            self.processing.add(seconds, files)

    def get_percentiles(self) -> dict[str, float]:
        """P50/P95/P99 of the processing-time window, linearly interpolated; all 0.0 when empty."""
        with self._lock:
            return self.processing.percentiles()

    def files_per_second(self) -> float:
        """All files recorded over all processing time recorded (not just the window); 0.0 for no time."""
        with self._lock:
            return self.processing.files_per_second()

    def average_processing_time(self) -> float:
        """Mean of the processing-time window in seconds; 0.0 when empty."""
        with self._lock:
            return self.processing.average()

    def get_performance_metrics(self) -> PerformanceMetrics:
        with self._lock:
            return self.processing.metrics()

    # -- reading --------------------------------------------------------------------------------

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

    # -- persistence ----------------------------------------------------------------------------

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
        if self.metrics_file is None:
            return False
        try:
            atomic_write_text(self.metrics_file, finite_json.dumps(self.snapshot(), indent=2))
        except Exception as error:
            self._report_failure("snapshot", self.metrics_file, error)
            return False
        self._failing.discard("snapshot")
        return True

    _save_metrics = save  # the name earlier versions used

    def export_training_history(self, path: str | os.PathLike[str]) -> bool:
        """Write the training runs to ``path`` as a JSON list, atomically; on failure log, return False."""
        with self._lock:
            history = [asdict(run) for run in self.training_history]
        try:
            atomic_write_text(path, json.dumps([finite_json.to_strict(run) for run in history], indent=2))
        except Exception as error:
            logger.error("could not export training history to %s: %s", path, error)
            return False
        logger.info("exported %d training runs to %s", len(history), path)
        return True

    @classmethod
    def load(cls, metrics_file: str | os.PathLike[str], max_samples: int | None = None) -> MetricsTracker:
        """Restore a tracker from its snapshot and step log (either may be missing, not both).

        A torn or damaged step-log line is skipped with a warning. The restored tracker keeps
        writing to the same files. Raises ``FileNotFoundError`` when there is nothing to load and
        ``ValueError`` when the snapshot is not a litcode metrics snapshot.
        """
        path = Path(metrics_file)
        steps_file = steps_path_for(path)
        snapshot: dict[str, Any] = {}
        if path.exists():
            snapshot = read_snapshot(path)
        elif not steps_file.exists():
            raise FileNotFoundError(f"no metrics to load: neither {path} nor its step log {steps_file}")
        tracker = cls(path, max_samples=max_samples or int(snapshot.get("max_samples", 10_000)))
        restore_snapshot(tracker, snapshot)
        for record in iter_step_records(steps_file):  # streamed: memory stays bounded by the window
            tracker.recent_steps.append(record)
            tracker.steps_recorded += 1
            tracker.nan_steps += not _is_finite_or_none(record.get("loss"))
        return tracker

    def close(self) -> None:
        """Close the step log (it reopens on the next :meth:`record_step`)."""
        with self._lock:
            if self._step_log is not None:
                self._step_log.close()

    def __enter__(self) -> MetricsTracker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.save()
        self.close()

    def _report_failure(self, what: str, path: Path, error: BaseException) -> None:
        """One ERROR when writing starts to fail (a second file failing too is a WARNING); repeats go
        to DEBUG until that file is written again. Training logs stay readable on a full disk."""
        if what in self._failing:
            logger.debug("still cannot write metrics %s %s: %s", what, path, error)
            return
        level = logging.WARNING if self._failing else logging.ERROR
        self._failing.add(what)
        logger.log(
            level,
            "cannot write metrics %s %s: %s (training goes on; figures stay in memory)",
            what,
            path,
            error,
        )


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _is_finite_or_none(value: float | None) -> bool:
    return value is None or math.isfinite(value)
