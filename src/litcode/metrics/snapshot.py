"""The snapshot file's content: built from tracker state, and read back into a typed value.

This module knows the snapshot's layout and nothing of the tracker: :func:`parse_snapshot` returns
a :class:`SnapshotState` that ``MetricsTracker.load`` applies to itself, so the dependency points
one way (tracker -> snapshot).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litcode.metrics import finite_json
from litcode.metrics.records import SCHEMA_VERSION, TrainingMetrics

logger = logging.getLogger("litcode.metrics")

_RUN_FIELDS = frozenset(item.name for item in dataclasses.fields(TrainingMetrics))


@dataclass
class SnapshotState:
    """The raw values a snapshot holds. Derived figures (summary, percentiles, files/s) are not
    part of it: the tracker recomputes them from these, so they cannot disagree.

    >>> state = parse_snapshot({"training_history": [{"run_id": 1, "samples_trained": 5}]})
    >>> state.training_history[0].samples_trained, state.uptime_seconds
    (5, 0.0)
    """

    training_history: list[TrainingMetrics] = field(default_factory=list)
    quality_stats: dict[str, Any] = field(default_factory=dict)
    performance: dict[str, Any] = field(default_factory=dict)
    uploads: dict[str, Any] = field(default_factory=dict)
    started_at: str | None = None
    uptime_seconds: float = 0.0
    max_samples: int | None = None


def training_run_from_dict(data: dict[str, Any]) -> TrainingMetrics:
    """A :class:`TrainingMetrics` from its ``asdict`` form; keys this version doesn't know are ignored."""
    unknown = data.keys() - _RUN_FIELDS
    if unknown:
        logger.warning("ignoring unknown training-run fields %s", sorted(unknown))
    return TrainingMetrics(**{key: value for key, value in data.items() if key in _RUN_FIELDS})


def parse_snapshot(snapshot: dict[str, Any]) -> SnapshotState:
    """The raw values of a snapshot dict (as :func:`read_snapshot` returns it); missing sections are empty."""
    quality = dict(snapshot.get("quality_stats") or {})
    quality["blocked_by_reason"] = dict(quality.get("blocked_by_reason") or {})
    max_samples = snapshot.get("max_samples")
    return SnapshotState(
        training_history=[training_run_from_dict(run) for run in snapshot.get("training_history", [])],
        quality_stats=quality,
        performance=dict(snapshot.get("performance") or {}),
        uploads=dict(snapshot.get("uploads") or {}),
        started_at=snapshot.get("started_at"),
        uptime_seconds=float(snapshot.get("uptime_seconds", 0.0)),
        max_samples=None if max_samples is None else int(max_samples),
    )


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


def load_snapshot_state(path: Path, steps_file: Path) -> SnapshotState:
    """The state saved at ``path`` (empty when only the step log exists); ``FileNotFoundError`` when
    neither file is there, ``ValueError`` when the snapshot is not one litcode wrote."""
    if path.exists():
        return parse_snapshot(read_snapshot(path))
    if not steps_file.exists():
        raise FileNotFoundError(f"no metrics to load: neither {path} nor its step log {steps_file}")
    return SnapshotState()


def make_folder(folder: Path) -> None:
    """Create the snapshot's folder; a failure is logged at DEBUG (the first write reports it), so a
    tracker always constructs."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        logger.debug("cannot create metrics folder %s: %s", folder, error)
