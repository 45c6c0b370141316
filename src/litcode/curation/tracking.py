"""What curation tells a metrics tracker, and the shape of tracker it needs (a ``Protocol``).

Processing time is reported **per batch**: one ``record_processing_time(batch_seconds,
files=len(batch))`` for each batch a run processes (batches reused from an
interrupted run are not timed again), so the tracker's percentiles are percentiles of
batch wall times and ``files_per_second`` is files over summed batch time. The
quality figures are reported once, when the run finishes.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class CurationTracker(Protocol):
    """The part of :class:`litcode.metrics.MetricsTracker` that curation uses.

    >>> from litcode.metrics import MetricsTracker
    >>> isinstance(MetricsTracker("/tmp/litcode-doctest-metrics.json"), CurationTracker)
    True
    """

    def record_quality_stats(
        self, total_processed: int, avg_quality_score: float, blocked_files: int
    ) -> None:
        """One finished run: inputs, mean score of the kept samples, inputs dropped."""

    def record_processing_time(self, seconds: float, files: int = 1) -> None:
        """One batch: its wall time in a worker and how many input files it held."""
