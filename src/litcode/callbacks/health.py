"""Loss and gradient health: the gradient norm per optimizer step, loss spikes, and what to do about them.

Everything per step stays on the device: the norm is a device scalar appended to the interval, the
"skip" action zeroes gradients through a device-side mask. Only at the logging interval, when the
counts arrive with the other figures, does the host decide to warn or stop.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Literal

import pytorch_lightning as pl
import torch
from torch.optim import Optimizer

from litcode.callbacks.interval import IntervalFigures

logger = logging.getLogger("litcode.callbacks")

#: What the callback does when a loss is NaN/inf or spikes: log a warning, zero that step's
#: gradients (the optimizer still steps, with zero gradients), or stop the fit cleanly.
AnomalyAction = Literal["warn", "skip", "stop"]
ANOMALY_ACTIONS = ("warn", "skip", "stop")


class LossBaseline:
    """Mean and standard deviation of the healthy losses of the last ``intervals`` logging intervals.

    A loss more than ``spike_std`` standard deviations above that mean is a spike. Until
    ``min_losses`` healthy losses are known (and with ``spike_std=None``) nothing is a spike.
    Spikes and non-finite losses never enter the baseline, so one spike does not hide the next.

    >>> baseline = LossBaseline(spike_std=3.0)
    >>> baseline.add(count=10, total=20.0, total_squares=40.4)  # mean 2.0, variance 0.04
    >>> round(baseline.threshold(), 6)
    2.6
    """

    def __init__(self, spike_std: float | None, intervals: int = 5, min_losses: int = 10) -> None:
        if spike_std is not None and not spike_std > 0:
            raise ValueError(
                f"spike_std must be a positive number of standard deviations or None, got {spike_std}"
            )
        self.spike_std = spike_std
        self.min_losses = min_losses
        self._window: deque[tuple[int, float, float]] = deque(maxlen=intervals)

    def add(self, count: int, total: float, total_squares: float) -> None:
        if count > 0:
            self._window.append((count, total, total_squares))

    def threshold(self) -> float:
        """The spike threshold for the next interval's losses; ``inf`` while there is no baseline."""
        count = sum(entry[0] for entry in self._window)
        if self.spike_std is None or count < self.min_losses:
            return math.inf
        mean = sum(entry[1] for entry in self._window) / count
        variance = max(0.0, sum(entry[2] for entry in self._window) / count - mean * mean)
        return mean + self.spike_std * math.sqrt(variance)


def parameters_of(optimizer: Optimizer) -> list[torch.nn.Parameter]:
    """Every parameter the optimizer steps, in group order."""
    return [parameter for group in optimizer.param_groups for parameter in group["params"]]


def gradient_norm(parameters: Iterable[torch.nn.Parameter]) -> torch.Tensor | None:
    """Total 2-norm of the gradients, as a device scalar (no sync); ``None`` when none has a gradient.

    One fused ``_foreach_norm`` over the gradients when they share a device and dtype (the common
    case, about half the host time of ``torch.nn.utils.get_total_norm``, which groups them first);
    that function otherwise.
    """
    gradients = [parameter.grad for parameter in parameters if parameter.grad is not None]
    if not gradients:
        return None
    try:
        return torch.linalg.vector_norm(torch.stack(torch._foreach_norm(gradients, 2.0)), 2.0)
    except RuntimeError:  # gradients on several devices or of several dtypes
        return torch.nn.utils.get_total_norm(gradients, norm_type=2.0, error_if_nonfinite=False)


def zero_gradients_if_bad(
    parameters: Iterable[torch.nn.Parameter],
    norm: torch.Tensor | None,
    step_losses: Sequence[torch.Tensor],
    loss_scale: float,
    spike_threshold: float,
) -> torch.Tensor | None:
    """The "skip" action, on the device: when this step's gradient norm is non-finite or one of its
    losses is non-finite or above ``spike_threshold``, zero every gradient. Returns the device flag
    (``True`` where skipped), never read here."""
    checks = []
    if norm is not None:
        checks.append(~torch.isfinite(norm))
    if step_losses:
        losses = torch.stack([loss.detach() for loss in step_losses]).double() * loss_scale
        checks.append((~torch.isfinite(losses) | (losses > spike_threshold)).any())
    if not checks:
        return None
    bad = torch.stack(checks).any()
    for parameter in parameters:
        if parameter.grad is not None:
            parameter.grad.masked_fill_(bad, 0.0)  # a masked fill, not a multiply: NaN * 0 is NaN
    return bad


def describe_anomalies(figures: IntervalFigures, spike_threshold: float) -> str | None:
    """One sentence naming what went wrong in the interval, or ``None`` when nothing did."""
    problems = []
    if figures.nonfinite_losses:
        problems.append(f"{figures.nonfinite_losses} non-finite loss(es)")
    if figures.loss_spikes:
        problems.append(f"{figures.loss_spikes} loss spike(s) above {spike_threshold:.6g}")
    if figures.nonfinite_grads:
        problems.append(f"{figures.nonfinite_grads} step(s) with non-finite gradients")
    if not problems:
        return None
    text = ", ".join(problems)
    if figures.skipped_steps:
        text += f"; {figures.skipped_steps} step(s) skipped (gradients zeroed)"
    return text


class HealthMonitor:
    """The callback's loss and gradient watch: spike baseline, the "skip" check, the warn/stop decision.

    >>> monitor = HealthMonitor("stop", spike_std=6.0)
    >>> monitor.threshold, monitor.stop_reason
    (inf, None)
    """

    def __init__(self, on_anomaly: AnomalyAction, spike_std: float | None) -> None:
        if on_anomaly not in ANOMALY_ACTIONS:
            raise ValueError(f"on_anomaly must be one of {ANOMALY_ACTIONS}, got {on_anomaly!r}")
        self.on_anomaly = on_anomaly
        self.baseline = LossBaseline(spike_std)
        self.threshold = self.baseline.threshold()  # for the losses of the interval under way
        self.stop_reason: str | None = None
        self._step_losses: list[torch.Tensor] = []

    def before_backward(self, loss: torch.Tensor) -> None:
        if self.on_anomaly == "skip":
            self._step_losses.append(loss.detach())

    def before_optimizer_step(
        self, parameters: Sequence[torch.nn.Parameter], norm: torch.Tensor | None, loss_scale: float
    ) -> torch.Tensor | None:
        """Under "skip", zero this step's gradients when it is bad; the device flag, or ``None``."""
        if self.on_anomaly != "skip":
            return None
        skipped = zero_gradients_if_bad(parameters, norm, self._step_losses, loss_scale, self.threshold)
        self._step_losses.clear()
        return skipped

    def interval_closed(self, trainer: pl.Trainer, figures: IntervalFigures) -> None:
        """Update the baseline; warn about (and under "stop", stop on) what went wrong. Every rank
        sees the same gathered counts, so every rank takes the same decision."""
        threshold = self.threshold
        self.baseline.add(*figures.healthy_losses)
        self.threshold = self.baseline.threshold()
        anomaly = describe_anomalies(figures, threshold)
        if anomaly is None:
            return
        message = f"step {trainer.global_step}: {anomaly}"
        if self.on_anomaly == "stop":
            if self.stop_reason is None:
                self.stop_reason = message
            trainer.should_stop = True
            message += "; stopping (on_anomaly='stop')"
        if trainer.is_global_zero:
            logger.warning("MetricsTrackerCallback: %s", message)
