"""The headline figures of a tracker's training runs and steps, computed from the values alone."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from litcode.metrics.records import TrainingMetrics


def training_summary(
    runs: Sequence[TrainingMetrics], last_step: dict[str, Any] | None, steps_recorded: int, nan_steps: int
) -> dict[str, Any]:
    """Totals over ``runs`` plus where the step log stands.

    ``average_samples_per_second`` is the mean of the runs' own rates; ``overall_samples_per_second``
    is all samples over all run time (they differ when runs differ in length). ``latest_loss`` is the
    last run's ``train_loss``; ``best_loss`` the lowest finite one.

    >>> runs = [TrainingMetrics(1, duration_seconds=10.0, samples_trained=1000, samples_per_second=100.0)]
    >>> training_summary(runs, None, 0, 0)["total_samples"]
    1000
    """
    total_samples = sum(run.samples_trained for run in runs)
    total_duration = math.fsum(run.duration_seconds for run in runs)
    losses = [run.train_loss for run in runs if run.train_loss is not None]
    finite_losses = [loss for loss in losses if math.isfinite(loss)]
    mean_rate = math.fsum(run.samples_per_second for run in runs) / len(runs) if runs else 0.0
    return {
        "total_runs": len(runs),
        "total_samples": total_samples,
        "total_duration_seconds": total_duration,
        "average_samples_per_second": mean_rate,
        "overall_samples_per_second": total_samples / total_duration if total_duration > 0 else 0.0,
        "latest_loss": runs[-1].train_loss if runs else None,
        "best_loss": min(finite_losses) if finite_losses else None,
        "steps_recorded": steps_recorded,
        "latest_step": None if last_step is None else last_step["step"],
        "latest_step_loss": None if last_step is None else last_step["loss"],
        "nan_steps": nan_steps,
    }
