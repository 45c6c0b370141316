"""One healthy logging interval, for tests to vary with :func:`dataclasses.replace`."""

from __future__ import annotations

from litcode.callbacks.interval import IntervalFigures

HEALTHY = IntervalFigures(
    loss=2.0,
    samples=8,
    tokens=None,
    seconds=1.0,
    step_seconds_min=1.0,
    data_wait_fraction=0.0,
    flops=None,
    grad_norm=1.0,
    nonfinite_losses=0,
    loss_spikes=0,
    nonfinite_grads=0,
    skipped_steps=0,
    healthy_losses=(10, 20.0, 40.4),  # mean 2.0, standard deviation 0.2
)
