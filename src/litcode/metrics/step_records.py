"""One step record: the dict ``MetricsTracker.record_step`` appends to the step log.

The keys are the contract of DESIGN's ``record_step``; the callback adds its own (``samples``,
``flops_per_second``, ``mfu``, ``data_wait_fraction``, ``grad_norm``, ...) as extra keys.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from litcode.metrics.cuda_memory import CudaMemory
from litcode.metrics.records import SCHEMA_VERSION, utc_now_iso

CUDA_STEP_KEYS = ("cuda_memory_allocated_gb", "cuda_memory_reserved_gb", "cuda_memory_peak_gb")


def build_step_record(
    step: int,
    epoch: int,
    loss: float | None,
    learning_rates: Mapping[str, float] | None,
    samples_per_second: float,
    tokens_per_second: float | None,
    cuda_memory: CudaMemory | None,
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    """The record, stamped now. ``cuda_memory`` fills the ``cuda_memory_*_gb`` keys (``None`` leaves
    them ``None``); ``extra`` keys are stored as given and win over the built ones.

    >>> record = build_step_record(3, 0, 2.5, {"lr-AdamW": 1e-3}, 8.0, None, None, {"samples": 16})
    >>> record["step"], record["loss"], record["cuda_memory_peak_gb"], record["samples"]
    (3, 2.5, None, 16)
    """
    allocated, reserved, peak = cuda_memory if cuda_memory is not None else (None, None, None)
    record: dict[str, Any] = {
        "step": step,
        "epoch": epoch,
        "loss": None if loss is None else float(loss),
        "learning_rates": dict(learning_rates) if learning_rates else {},
        "samples_per_second": float(samples_per_second),
        "tokens_per_second": None if tokens_per_second is None else float(tokens_per_second),
        "cuda_memory_allocated_gb": allocated,
        "cuda_memory_reserved_gb": reserved,
        "cuda_memory_peak_gb": peak,
        "timestamp": utc_now_iso(),
        "schema_version": SCHEMA_VERSION,
    }
    if extra:
        record.update(extra)
    return record


def has_non_finite_loss(record: Mapping[str, Any]) -> bool:
    """Whether a record's loss is NaN or infinite (``None``, no loss measured, is not)."""
    loss = record.get("loss")
    return loss is not None and not math.isfinite(loss)
