"""Learning rates of every parameter group, named the way Lightning's LearningRateMonitor names them.

Users compare our records with LearningRateMonitor's, so the names must match:
``lr-AdamW`` for a one-group optimizer, ``lr-AdamW/pg1``, ``lr-AdamW/pg2`` (or the
groups' ``name`` keys) for several, ``lr-AdamW-1`` for a second optimizer of the same
type, and a scheduler config's ``name`` when it has one. Optimizers with a scheduler
are named first, as LearningRateMonitor does. Reading ``param_group["lr"]`` is a
host-side float: no device synchronization.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from torch.optim import Optimizer


def _unwrap(optimizer: Any) -> Optimizer:
    # LightningOptimizer and DeepSpeed wrappers keep the real optimizer in ``.optimizer``.
    return optimizer.optimizer if hasattr(optimizer, "optimizer") else optimizer


def _group_names(base: str, param_groups: Sequence[dict[str, Any]]) -> list[str]:
    if len(param_groups) == 1:
        group_name = param_groups[0].get("name")
        return [f"{base}/{group_name}" if group_name else base]
    return [f"{base}/{group.get('name', f'pg{index}')}" for index, group in enumerate(param_groups, start=1)]


def learning_rate_slots(
    optimizers: Sequence[Any], scheduler_configs: Sequence[Any]
) -> list[tuple[str, dict]]:
    """``(name, param_group)`` pairs for every group of every optimizer, in LearningRateMonitor's order."""
    ordered: list[tuple[Optimizer, str | None, bool]] = []
    seen: list[Optimizer] = []
    for config in scheduler_configs:
        optimizer = _unwrap(config.scheduler.optimizer)
        ordered.append((optimizer, getattr(config, "name", None), True))
        seen.append(optimizer)
    for optimizer in map(_unwrap, optimizers):
        if not any(optimizer is known for known in seen):
            ordered.append((optimizer, None, False))
            seen.append(optimizer)

    type_counts: Counter[type] = Counter()
    slots: list[tuple[str, dict]] = []
    for optimizer, config_name, _ in ordered:
        if config_name is not None:
            base = config_name
        else:
            type_counts[type(optimizer)] += 1
            count = type_counts[type(optimizer)]
            base = f"lr-{type(optimizer).__name__}" + (f"-{count - 1}" if count > 1 else "")
        slots.extend(zip(_group_names(base, optimizer.param_groups), optimizer.param_groups, strict=True))
    return slots


def read_learning_rates(slots: Sequence[tuple[str, dict]]) -> dict[str, float]:
    """The current rate of each slot (call before the optimizer step to get the rate that step uses)."""
    return {name: float(group["lr"]) for name, group in slots}
