"""Lightning's TQDM progress bar with the training throughput in tokens per second beside the loss."""

from __future__ import annotations

import time
from typing import Any

import pytorch_lightning as pl
from pytorch_lightning.callbacks import TQDMProgressBar

from litcode.callbacks.step_report import PROGRESS_BAR

#: The name under which the metrics callback shows tokens per second on the bar.
TRACKER_RATE = PROGRESS_BAR["tokens_per_second"]


class TokenRateProgressBar(TQDMProgressBar):
    """``TQDMProgressBar`` plus ``tok/s``: global input tokens per second since the bar last redrew.

    When a :class:`~litcode.callbacks.MetricsTrackerCallback` already puts its ``tokens/s`` on the
    bar, that one figure is shown and ``tok/s`` is left out, so the bar never shows the rate twice.

    Tokens are counted from the batch's shape (``input_ids``), so no step reads the device; the rate
    is computed only when the bar redraws (every ``refresh_rate`` batches) and multiplied by the
    world size, since every rank trains on a batch of the same shape.

    Example (what ``litcode fit`` adds when the config names no progress bar)::

        trainer = pl.Trainer(callbacks=[TokenRateProgressBar(refresh_rate=50)])
    """

    def __init__(self, refresh_rate: int = 1, process_position: int = 0, leave: bool = False) -> None:
        super().__init__(refresh_rate=refresh_rate, process_position=process_position, leave=leave)
        self._tokens = 0
        self._since = time.perf_counter()
        self._rate: float | None = None

    def on_train_batch_end(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        self._tokens += batch_tokens(batch)
        super().on_train_batch_end(trainer, pl_module, outputs, batch, batch_idx)

    def get_metrics(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule
    ) -> dict[str, int | str | float | dict[str, float]]:
        metrics = super().get_metrics(trainer, pl_module)
        now = time.perf_counter()
        if self._tokens and now > self._since:
            self._rate = self._tokens * max(1, trainer.world_size) / (now - self._since)
            self._tokens, self._since = 0, now
        if self._rate is not None and TRACKER_RATE not in metrics:
            metrics["tok/s"] = f"{self._rate:,.0f}"
        return metrics


def batch_tokens(batch: Any) -> int:
    """Tokens in a ``{"input_ids": Tensor[batch, seq]}`` batch (or a bare tensor); 0 when unknown.

    >>> import torch
    >>> batch_tokens({"input_ids": torch.zeros(4, 16, dtype=torch.long)})
    64
    """
    ids = batch.get("input_ids") if isinstance(batch, dict) else batch
    numel = getattr(ids, "numel", None)
    return int(numel()) if callable(numel) else 0
