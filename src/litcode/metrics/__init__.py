"""Training and curation metrics: record them cheaply, keep them safe on disk, read them back.

``MetricsTracker`` is the entry point; see its docstring for the files it writes.
"""

from __future__ import annotations

from litcode.metrics.records import SCHEMA_VERSION, PerformanceMetrics, RunFigures, TrainingMetrics
from litcode.metrics.step_log import iter_step_records, read_step_records, steps_path_for
from litcode.metrics.tracker import MetricsTracker

__all__ = [
    "SCHEMA_VERSION",
    "MetricsTracker",
    "PerformanceMetrics",
    "RunFigures",
    "TrainingMetrics",
    "iter_step_records",
    "read_step_records",
    "steps_path_for",
]
