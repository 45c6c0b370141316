"""Reading a saved snapshot back into tracker state (the inverse of ``MetricsTracker.snapshot``)."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litcode.metrics import finite_json
from litcode.metrics.records import SCHEMA_VERSION, TrainingMetrics

if TYPE_CHECKING:
    from litcode.metrics.tracker import MetricsTracker

logger = logging.getLogger("litcode.metrics")

_RUN_FIELDS = frozenset(field.name for field in dataclasses.fields(TrainingMetrics))


def training_run_from_dict(data: dict[str, Any]) -> TrainingMetrics:
    """A :class:`TrainingMetrics` from its ``asdict`` form; keys this version doesn't know are ignored."""
    unknown = data.keys() - _RUN_FIELDS
    if unknown:
        logger.warning("ignoring unknown training-run fields %s", sorted(unknown))
    return TrainingMetrics(**{key: value for key, value in data.items() if key in _RUN_FIELDS})


def restore_snapshot(tracker: MetricsTracker, snapshot: dict[str, Any]) -> None:
    """Load history, quality stats, processing times and uptime from ``snapshot`` into ``tracker``.

    Derived figures in the snapshot (summary, percentiles, files/s) are not read: the tracker
    recomputes them from the restored raw values, so they cannot disagree.
    """
    tracker.training_history.extend(
        training_run_from_dict(run) for run in snapshot.get("training_history", [])
    )
    quality = snapshot.get("quality_stats", {})
    tracker.quality_stats.update(quality)
    tracker.quality_stats["blocked_by_reason"] = dict(quality.get("blocked_by_reason", {}))
    tracker.processing.restore(snapshot.get("performance", {}))
    tracker.upload_stats = dict(snapshot.get("uploads") or {})
    tracker.started_at = snapshot.get("started_at", tracker.started_at)
    tracker.uptime_before_load = float(snapshot.get("uptime_seconds", 0.0))


def read_snapshot(path: Path) -> dict[str, Any]:
    """The snapshot at ``path``; ``ValueError`` with the reason when it isn't one litcode wrote."""
    try:
        snapshot = finite_json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(
            f"{path} is not a readable metrics snapshot ({error}); was it written by litcode?"
        ) from error
    if not isinstance(snapshot, dict):
        raise ValueError(f"{path} holds a JSON {type(snapshot).__name__}, not a metrics snapshot object")
    version = snapshot.get("schema_version", SCHEMA_VERSION)
    if version > SCHEMA_VERSION:
        logger.warning(
            "%s has schema version %s, newer than this litcode's %s", path, version, SCHEMA_VERSION
        )
    return snapshot
