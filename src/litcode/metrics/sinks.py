"""The tracker as the other parts see it: the few methods each one calls, as ``Protocol``s.

Curation and data preparation report quality counts and processing times, the upload callback
reports its statistics. They type their ``tracker`` argument with these instead of ``Any`` (or the
concrete class), so a test can hand them a small fake and mypy still checks every call.
:class:`~litcode.metrics.MetricsTracker` satisfies all of them.

>>> from litcode.metrics import MetricsTracker
>>> tracker = MetricsTracker(None)
>>> isinstance(tracker, CurationMetricsSink) and isinstance(tracker, UploadMetricsSink)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class CurationMetricsSink(Protocol):
    """What ``curate`` and ``CodeDataModule.prepare_data`` call on a tracker."""

    def record_quality_stats(
        self, total_processed: int, avg_quality_score: float, blocked_files: int | Mapping[str, int]
    ) -> None: ...

    def record_processing_time(self, seconds: float, files: int = 1) -> None:
        """One batch of ``files`` files took ``seconds`` (one sample per batch; see the tracker)."""
        ...


class UploadFigures(Protocol):
    """Upload statistics that can be flattened to a JSON-ready dict (``UploadStats``)."""

    def as_dict(self) -> dict[str, Any]: ...


@runtime_checkable
class UploadMetricsSink(Protocol):
    """What ``CheckpointUploadCallback`` calls on a tracker."""

    def record_upload(self, stats: UploadFigures | Mapping[str, Any]) -> None: ...
