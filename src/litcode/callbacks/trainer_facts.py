"""What the metrics callback reads off the Trainer and module, beyond what a hook hands it.

>>> import pytorch_lightning as pl
>>> from pytorch_lightning.demos.boring_classes import BoringModel
>>> trainer = pl.Trainer(max_steps=7, logger=False, enable_progress_bar=False, enable_model_summary=False)
>>> loss_scale(trainer, BoringModel()), default_run_id(trainer).startswith("run-")
(1.0, True)
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

import pytorch_lightning as pl
import torch


def loss_scale(trainer: pl.Trainer, pl_module: pl.LightningModule) -> float:
    """What the loss Lightning hands to backward was divided by: ``accumulate_grad_batches`` under
    automatic optimization (it hands over loss / accumulate_grad_batches), else 1."""
    return float(trainer.accumulate_grad_batches) if pl_module.automatic_optimization else 1.0


def last_optimizer_step(trainer: pl.Trainer) -> int:
    """The fit's last optimizer step (max_steps, or epochs x batches), -1 when it can't be known."""
    try:
        last = trainer.estimated_stepping_batches
    except Exception:  # an iterable loader without a length
        return -1
    return int(last) if math.isfinite(last) else -1


def cuda_in_use(pl_module: pl.LightningModule) -> bool:
    """True when the module lives on a CUDA device (and CUDA is there to ask)."""
    return pl_module.device.type == "cuda" and torch.cuda.is_available()


def default_run_id(trainer: pl.Trainer) -> str:
    """``<logger name>-<version>``, or ``run-<UTC time>`` without a logger."""
    if trainer.logger is not None:
        return f"{trainer.logger.name}-{trainer.logger.version}"
    return "run-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
