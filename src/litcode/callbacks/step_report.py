"""From one interval's global figures to the step record, the loggers and the progress bar.

The record is built once; the tracker, every Trainer logger (under one prefix) and the progress bar
get the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pytorch_lightning as pl

from litcode.callbacks.interval import IntervalFigures

#: Progress-bar names of the figures shown there when known.
PROGRESS_BAR = {"tokens_per_second": "tokens/s", "mfu": "mfu"}


def _rate(amount: float | None, seconds: float) -> float | None:
    return amount / seconds if amount is not None and seconds > 0 else None


class StepReport:
    """Builds step records and sends them on.

    >>> from litcode.callbacks.interval import IntervalFigures
    >>> figures = IntervalFigures(
    ...     loss=2.0, samples=64, tokens=8192, seconds=2.0, step_seconds_min=2.0, data_wait_fraction=0.1,
    ...     flops=4e12, grad_norm=0.5, nonfinite_losses=0, loss_spikes=0, nonfinite_grads=0,
    ...     skipped_steps=0, healthy_losses=(8, 16.0, 32.0))
    >>> record = StepReport("litcode/").figures(figures, {"lr-AdamW": 1e-3}, 1, peak_flops=1e12)
    >>> record["tokens_per_second"], record["flops_per_second"], record["mfu"]
    (4096.0, 2000000000000.0, 2.0)
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def figures(
        self,
        figures: IntervalFigures,
        learning_rates: Mapping[str, float],
        world_size: int,
        peak_flops: float | None,
        stop_reason: str | None = None,
    ) -> dict[str, Any]:
        """The ``record_step`` keyword arguments (all but ``step`` and ``epoch``) for ``figures``.

        ``mfu`` is ``flops_per_second`` over ``peak_flops`` (one device's) times ``world_size``.
        """
        seconds = figures.seconds
        flops_per_second = _rate(figures.flops, seconds)
        record: dict[str, Any] = {
            "loss": figures.loss,
            "learning_rates": dict(learning_rates),
            "samples_per_second": _rate(figures.samples, seconds) or 0.0,
            "tokens_per_second": _rate(figures.tokens, seconds),
            "samples": figures.samples,
            "tokens": figures.tokens,
            "interval_seconds": seconds,
            "flops_per_second": flops_per_second,
            "mfu": (
                flops_per_second / (peak_flops * world_size)
                if flops_per_second is not None and peak_flops
                else None
            ),
            "data_wait_fraction": figures.data_wait_fraction,
            "grad_norm": figures.grad_norm,
            "nonfinite_losses": figures.nonfinite_losses,
            "loss_spikes": figures.loss_spikes,
            "nonfinite_grads": figures.nonfinite_grads,
            "skipped_steps": figures.skipped_steps,
            **figures.memory_gb,
        }
        if world_size > 1:
            record["step_seconds_max"] = seconds
            record["step_seconds_min"] = figures.step_seconds_min
        if stop_reason is not None:
            record["stop_reason"] = stop_reason
        return record

    def to_loggers(self, trainer: pl.Trainer, record: Mapping[str, Any]) -> None:
        """Every numeric figure of ``record`` to every Trainer logger, keys under the prefix
        (learning rates as ``<prefix>lr-AdamW``...); unknown (``None``) figures are left out."""
        if not trainer.loggers:
            return
        logged: dict[str, float] = {}
        for key, value in record.items():
            if key == "learning_rates":
                logged.update({f"{self.prefix}{name}": rate for name, rate in value.items()})
            elif isinstance(value, int | float) and not isinstance(value, bool):
                logged[f"{self.prefix}{key}"] = value
        for logger in trainer.loggers:
            logger.log_metrics(logged, step=trainer.global_step)

    def to_progress_bar(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, record: Mapping[str, Any]
    ) -> None:
        """Tokens/s and MFU on the progress bar when known (a host float each, logged from a
        batch-end hook, where Lightning allows it)."""
        if trainer.progress_bar_callback is None:
            return
        for key, name in PROGRESS_BAR.items():
            value = record.get(key)
            if value is not None and math.isfinite(value):
                pl_module.log(name, float(value), prog_bar=True, logger=False, on_step=True, on_epoch=False)
