"""What one logging interval accumulates, kept on the device until the interval ends.

torchmetrics' rule: state lives in tensors where the data is and is reduced only
when read. Every step adds a detached loss tensor (a device op, no sync); samples
are host ints from shapes. At the interval's end one packed tensor holds all
figures of this rank; one all-gather shares them, and one ``tolist`` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

# Order of the packed vector; memory figures are -1 when unknown (no CUDA).
_FIELDS = ("loss_sum", "loss_count", "samples", "tokens", "seconds", "allocated", "reserved", "peak")


@dataclass(frozen=True)
class IntervalFigures:
    """Global figures of one interval (all ranks)."""

    loss: float | None
    samples: int
    tokens: int | None
    seconds: float
    memory_gb: dict[str, float]  # cuda_memory_{allocated,reserved,peak}_gb (max over ranks) and their _min


class IntervalAccumulator:
    """Sums of one rank's loss, samples and tokens since the last read."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.loss_sum: torch.Tensor | None = None
        self.loss_count = 0
        self.samples = 0
        self.host_tokens = 0
        self.device_tokens: torch.Tensor | None = None
        self.tokens_known = False

    @property
    def empty(self) -> bool:
        return self.loss_count == 0 and self.samples == 0

    def add(self, loss: torch.Tensor | None, samples: int | None, tokens: int | torch.Tensor | None) -> None:
        if loss is not None:
            if loss.requires_grad:  # Lightning's automatic outputs are detached already
                loss = loss.detach()
            if self.loss_sum is None:
                self.loss_sum = loss.to(torch.float32, copy=True)
            else:
                self.loss_sum.add_(loss)  # one in-place device op, no sync
            self.loss_count += 1
        if samples:
            self.samples += samples
        if isinstance(tokens, torch.Tensor):
            counted = tokens.detach().double()
            self.device_tokens = counted if self.device_tokens is None else self.device_tokens + counted
            self.tokens_known = True
        elif tokens is not None:
            self.host_tokens += int(tokens)
            self.tokens_known = True

    def pack(
        self,
        seconds: float,
        memory: tuple[float, float, float] | None,
        device: torch.device,
        loss_scale: float = 1.0,
    ) -> torch.Tensor:
        """This rank's figures as one float64 vector on ``device`` (no host read of device values).

        ``loss_scale`` undoes a scaling of every added loss (Lightning hands the callback
        ``loss / accumulate_grad_batches``), once per interval instead of once per step.
        """
        host = torch.tensor(
            [
                0.0,
                float(self.loss_count),
                float(self.samples),
                float(self.host_tokens),
                seconds,
                *(memory if memory is not None else (-1.0, -1.0, -1.0)),
            ],
            dtype=torch.float64,
        ).to(device, non_blocking=True)
        device_part = torch.zeros(len(_FIELDS), dtype=torch.float64, device=device)
        if self.loss_sum is not None:
            device_part[0] = self.loss_sum.to(device=device, dtype=torch.float64) * loss_scale
        if self.device_tokens is not None:
            device_part[3] = self.device_tokens.to(device=device, dtype=torch.float64)
        return host + device_part


def reduce_gathered(rows: list[list[float]], tokens_known: bool) -> IntervalFigures:
    """Combine every rank's packed row: sums for counts, max for time, max/min for memory."""
    column = {name: [row[index] for row in rows] for index, name in enumerate(_FIELDS)}
    loss_count = sum(column["loss_count"])
    memory: dict[str, float] = {}
    for field in ("allocated", "reserved", "peak"):
        values = [value for value in column[field] if value >= 0]
        if values:
            memory[f"cuda_memory_{field}_gb"] = max(values)
            memory[f"cuda_memory_{field}_gb_min"] = min(values)
    return IntervalFigures(
        loss=sum(column["loss_sum"]) / loss_count if loss_count else None,
        samples=round(sum(column["samples"])),
        tokens=round(sum(column["tokens"])) if tokens_known else None,
        seconds=max(column["seconds"]),
        memory_gb=memory,
    )
