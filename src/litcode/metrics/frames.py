"""pandas views of the tracker's records, for notebooks. pandas is an optional extra."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import TYPE_CHECKING, Any

from litcode.metrics.records import TrainingMetrics

if TYPE_CHECKING:
    import pandas as pd


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as error:
        raise ImportError(
            "MetricsTracker.steps_frame()/history_frame() need pandas: pip install 'litcode[notebooks]'"
        ) from error
    return pandas


def steps_frame(records: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per step record; nested ``learning_rates`` become ``learning_rates.<group>`` columns and
    ``timestamp`` a UTC datetime column."""
    pandas = _pandas()
    frame = pandas.json_normalize(list(records), max_level=1) if records else pandas.DataFrame()
    if "timestamp" in frame.columns:
        frame["timestamp"] = pandas.to_datetime(frame["timestamp"], utc=True, format="ISO8601")
    return frame


def history_frame(runs: Sequence[TrainingMetrics]) -> pd.DataFrame:
    """One row per training run, columns in :class:`TrainingMetrics` field order (present even when empty)."""
    pandas = _pandas()
    columns = [field.name for field in fields(TrainingMetrics)]
    frame = pandas.DataFrame([asdict(run) for run in runs], columns=columns)
    frame["timestamp"] = pandas.to_datetime(frame["timestamp"], utc=True, format="ISO8601")
    return frame
