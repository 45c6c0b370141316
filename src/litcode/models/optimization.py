"""AdamW parameter groups and the warmup-then-cosine learning-rate schedule the model trains with."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from torch import nn


def weight_decay_groups(module: nn.Module, weight_decay: float) -> list[dict[str, Any]]:
    """Two AdamW groups: matrices (decayed) and biases, norms and other vectors (not decayed).

    Decaying LayerNorm gains or biases only pulls them towards zero for no regularising benefit;
    the usual GPT recipe decays weights of dimension >= 2 only. Tied parameters appear once.

    >>> groups = weight_decay_groups(nn.Sequential(nn.Linear(4, 4), nn.LayerNorm(4)), 0.1)
    >>> [(group["weight_decay"], len(group["params"])) for group in groups]
    [(0.1, 1), (0.0, 3)]
    """
    decayed: list[nn.Parameter] = []
    not_decayed: list[nn.Parameter] = []
    for parameter in module.parameters():  # parameters() yields a tied tensor once
        if not parameter.requires_grad:
            continue
        (decayed if parameter.dim() >= 2 else not_decayed).append(parameter)
    return [
        {"params": decayed, "weight_decay": weight_decay},
        {"params": not_decayed, "weight_decay": 0.0},
    ]


@dataclass(frozen=True)
class WarmupCosineSchedule:
    """Learning-rate multiplier per optimizer step, for ``torch.optim.lr_scheduler.LambdaLR``.

    Linear warmup from ``1 / (warmup_steps + 1)`` to 1 over ``warmup_steps``, then a cosine decay to
    ``min_ratio`` at ``total_steps``, flat after. A dataclass rather than a closure so a checkpointed
    scheduler pickles.

    >>> schedule = WarmupCosineSchedule(warmup_steps=10, total_steps=110, min_ratio=0.1)
    >>> [round(schedule(step), 3) for step in (0, 9, 10, 60, 110, 500)]
    [0.091, 0.909, 1.0, 0.55, 0.1, 0.1]
    """

    warmup_steps: int
    total_steps: int
    min_ratio: float = 0.1

    def __post_init__(self) -> None:
        if self.warmup_steps < 0:
            raise ValueError(f"warmup_steps must be >= 0, got {self.warmup_steps}")
        if not 0.0 <= self.min_ratio <= 1.0:
            raise ValueError(f"min_ratio must be in [0, 1], got {self.min_ratio}")

    def __call__(self, step: int) -> float:
        if step < self.warmup_steps:
            return (step + 1) / (self.warmup_steps + 1)
        decay_steps = self.total_steps - self.warmup_steps
        if decay_steps <= 0:
            return 1.0
        progress = min(1.0, (step - self.warmup_steps) / decay_steps)
        cosine = 0.5 * (1.0 + math.cos(math.pi * progress))
        return self.min_ratio + (1.0 - self.min_ratio) * cosine
