"""What one logging interval accumulates, kept on the device until the interval ends.

torchmetrics' rule: state lives in tensors where the data is and is reduced only when read.
Every step appends its detached loss tensor and its gradient norm to lists (no device op at all
for the loss, no sync for either); samples, tokens and FLOPs from shapes are host numbers. At the
interval's end one packed float64 vector holds every figure of this rank — the loss health counts
computed on the device from the stacked losses — one all-gather shares it, and one ``tolist``
reads it: the interval's single host-device synchronization.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import torch

from litcode.metrics.cuda_memory import CudaMemory

# Layout of the packed vector: host-known figures first, then those computed on the device.
HOST_FIELDS = (
    "loss_count",
    "samples",
    "host_tokens",
    "seconds",
    "data_wait",
    "flops",
    "flops_batches",
    "grad_steps",
    "allocated",
    "reserved",
    "peak",
)
DEVICE_FIELDS = (
    "loss_sum",
    "device_tokens",
    "nonfinite_losses",
    "loss_spikes",
    "healthy_count",
    "healthy_sum",
    "healthy_sum_squares",
    "grad_norm",
    "nonfinite_grads",
    "skipped_steps",
)
FIELDS = HOST_FIELDS + DEVICE_FIELDS
UNKNOWN = -1.0  # memory figures without CUDA


@dataclass(frozen=True)
class IntervalFigures:
    """Global figures of one interval (all ranks). Counts are sums over ranks; ``seconds`` is the
    slowest rank's interval time, ``step_seconds_min`` the fastest's; ``data_wait_fraction`` is the
    highest rank's share (one stalled loader holds every rank back at the next all-reduce)."""

    loss: float | None
    samples: int
    tokens: int | None
    seconds: float
    step_seconds_min: float
    data_wait_fraction: float | None
    flops: float | None
    grad_norm: float | None
    nonfinite_losses: int
    loss_spikes: int
    nonfinite_grads: int
    skipped_steps: int
    healthy_losses: tuple[int, float, float]  # (count, sum, sum of squares) of finite, non-spike losses
    memory_gb: dict[str, float] = field(default_factory=dict)  # cuda_memory_*_gb (max over ranks), *_min


def loss_from_outputs(outputs: Any) -> torch.Tensor | None:
    """The loss tensor of what ``training_step`` returned (a tensor, or a mapping with ``"loss"``)."""
    if isinstance(outputs, torch.Tensor):
        return outputs
    if isinstance(outputs, Mapping):
        loss = outputs.get("loss")
        return loss if isinstance(loss, torch.Tensor) else None
    return None


class IntervalAccumulator:
    """One rank's figures since the last read."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.losses: list[torch.Tensor] = []
        self.grad_norms: list[torch.Tensor] = []
        self.skipped: list[torch.Tensor] = []
        self.samples = 0
        self.host_tokens = 0
        self.device_tokens: torch.Tensor | None = None
        self.tokens_known = False
        self.flops = 0.0
        self.flops_batches = 0

    @property
    def empty(self) -> bool:
        return not self.losses and self.samples == 0

    def add(
        self,
        loss: torch.Tensor | None,
        samples: int | None,
        tokens: int | torch.Tensor | None,
        flops: float | None = None,
    ) -> None:
        """One training batch: its loss (kept as is, a reference, no device op), its sizes, its FLOPs."""
        if loss is not None:
            self.losses.append(loss.detach() if loss.requires_grad else loss)
        if samples:
            self.samples += samples
        if isinstance(tokens, torch.Tensor):
            counted = tokens.detach().double()
            self.device_tokens = counted if self.device_tokens is None else self.device_tokens + counted
            self.tokens_known = True
        elif tokens is not None:
            self.host_tokens += int(tokens)
            self.tokens_known = True
        if flops is not None:
            self.flops += float(flops)
            self.flops_batches += 1

    def pack(
        self,
        seconds: float,
        data_wait: float,
        memory: CudaMemory | None,
        device: torch.device,
        loss_scale: float = 1.0,
        spike_threshold: float = math.inf,
    ) -> torch.Tensor:
        """This rank's figures as one float64 vector on ``device`` (in :data:`FIELDS` order), with
        no host read of a device value.

        ``loss_scale`` undoes a scaling of every added loss (Lightning hands the callback
        ``loss / accumulate_grad_batches``), once per interval instead of once per step. A loss above
        ``spike_threshold`` counts as a spike; spikes and non-finite losses stay out of the healthy sums.
        """
        known = memory if memory is not None else (None, None, None)
        host = torch.tensor(
            [
                float(len(self.losses)),
                float(self.samples),
                float(self.host_tokens),
                seconds,
                data_wait,
                self.flops,
                float(self.flops_batches),
                float(len(self.grad_norms)),
                *(UNKNOWN if value is None else value for value in known),
            ],
            dtype=torch.float64,
        ).to(device, non_blocking=True)
        zero = torch.zeros((), dtype=torch.float64, device=device)
        loss_part = [zero] * 7
        if self.losses:
            losses = torch.stack(self.losses).to(device=device, dtype=torch.float64) * loss_scale
            finite = torch.isfinite(losses)
            spikes = finite & (losses > spike_threshold)
            healthy = finite & ~spikes
            kept = torch.where(healthy, losses, zero)
            loss_part = [
                losses.sum(),
                zero,
                (~finite).sum(dtype=torch.float64),
                spikes.sum(dtype=torch.float64),
                healthy.sum(dtype=torch.float64),
                kept.sum(),
                (kept * kept).sum(),
            ]
        if self.device_tokens is not None:
            loss_part[1] = self.device_tokens.to(device=device, dtype=torch.float64)
        grad_part = [zero, zero]
        if self.grad_norms:
            norms = torch.stack(self.grad_norms).to(device=device, dtype=torch.float64)
            grad_part = [norms[-1], (~torch.isfinite(norms)).sum(dtype=torch.float64)]
        skipped = torch.stack(self.skipped).sum(dtype=torch.float64).to(device) if self.skipped else zero
        return torch.cat([host, torch.stack([*loss_part, *grad_part, skipped])])


def reduce_gathered(rows: list[list[float]], tokens_known: bool) -> IntervalFigures:
    """Combine every rank's packed row (:data:`FIELDS` order) into the global figures."""
    column = {name: [row[index] for row in rows] for index, name in enumerate(FIELDS)}
    loss_count = sum(column["loss_count"])
    memory: dict[str, float] = {}
    for name in ("allocated", "reserved", "peak"):
        values = [value for value in column[name] if value >= 0]
        if values:
            memory[f"cuda_memory_{name}_gb"] = max(values)
            memory[f"cuda_memory_{name}_gb_min"] = min(values)
    waits = [
        wait / seconds
        for wait, seconds in zip(column["data_wait"], column["seconds"], strict=True)
        if seconds > 0
    ]
    grad_norms = [
        norm for norm, steps in zip(column["grad_norm"], column["grad_steps"], strict=True) if steps > 0
    ]
    return IntervalFigures(
        loss=sum(column["loss_sum"]) / loss_count if loss_count else None,
        samples=round(sum(column["samples"])),
        tokens=round(sum(column["host_tokens"]) + sum(column["device_tokens"])) if tokens_known else None,
        seconds=max(column["seconds"]),
        step_seconds_min=min(column["seconds"]),
        data_wait_fraction=min(1.0, max(waits)) if waits else None,
        flops=sum(column["flops"]) if sum(column["flops_batches"]) > 0 else None,
        grad_norm=max(grad_norms, key=_nan_first) if grad_norms else None,
        nonfinite_losses=round(sum(column["nonfinite_losses"])),
        loss_spikes=round(sum(column["loss_spikes"])),
        nonfinite_grads=round(sum(column["nonfinite_grads"])),
        skipped_steps=round(sum(column["skipped_steps"])),
        healthy_losses=(
            round(sum(column["healthy_count"])),
            sum(column["healthy_sum"]),
            sum(column["healthy_sum_squares"]),
        ),
        memory_gb=memory,
    )


def _nan_first(value: float) -> float:
    """Order for picking a rank's gradient norm: a non-finite one wins (it is what matters)."""
    return math.inf if not math.isfinite(value) else value
