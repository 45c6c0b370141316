"""Tiny LightningModules and loggers for callback tests (real Trainer.fit on CPU)."""

from __future__ import annotations

from typing import Any

import pytorch_lightning as pl
import torch
from pytorch_lightning.loggers.logger import Logger
from torch.utils.data import DataLoader, TensorDataset


def regression_data(samples: int = 64, features: int = 8, seed: int = 0) -> TensorDataset:
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(samples, features, generator=generator)
    y = x.sum(dim=1, keepdim=True)
    return TensorDataset(x, y)


class TinyRegressor(pl.LightningModule):
    """A linear model; two parameter groups and a per-step scheduler when asked."""

    def __init__(
        self,
        samples: int = 64,
        batch_size: int = 8,
        two_groups: bool = False,
        per_step_scheduler: bool = False,
        nan_at_step: int | None = None,
        validate: bool = False,
    ) -> None:
        super().__init__()
        self.first = torch.nn.Linear(8, 4)
        self.second = torch.nn.Linear(4, 1)
        self.samples, self.batch_size = samples, batch_size
        self.two_groups, self.per_step_scheduler = two_groups, per_step_scheduler
        self.nan_at_step = nan_at_step
        self.validate = validate

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.second(torch.relu(self.first(x)))

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        x, y = batch
        loss = torch.nn.functional.mse_loss(self(x), y)
        if self.nan_at_step is not None and self.global_step == self.nan_at_step:
            loss = loss * 0.0 + float("nan")  # NaN value, zero gradient: the weights stay finite
        return loss

    def validation_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        x, y = batch
        return torch.nn.functional.mse_loss(self(x), y)

    def configure_optimizers(self) -> Any:
        if self.two_groups:
            groups = [
                {"params": self.first.parameters(), "lr": 0.01},
                {"params": self.second.parameters(), "lr": 0.002},
            ]
        else:
            groups = [{"params": self.parameters(), "lr": 0.01}]
        optimizer = torch.optim.AdamW(groups)
        if not self.per_step_scheduler:
            return optimizer
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0 / (1 + step))
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}

    def train_dataloader(self) -> DataLoader:
        return DataLoader(regression_data(self.samples), batch_size=self.batch_size)

    def val_dataloader(self) -> DataLoader:
        return DataLoader(regression_data(16, seed=1), batch_size=8)


class ManualTwoOptimizers(TinyRegressor):
    """Manual optimization with two optimizers (GAN-style), which LearningRateMonitor users hit."""

    def __init__(self) -> None:
        super().__init__()
        self.automatic_optimization = False

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        first_opt, second_opt = self.optimizers()
        x, y = batch
        loss = torch.nn.functional.mse_loss(self(x), y)
        first_opt.zero_grad()
        second_opt.zero_grad()
        self.manual_backward(loss)
        first_opt.step()
        second_opt.step()
        return loss

    def configure_optimizers(self) -> Any:
        return [
            torch.optim.SGD(self.first.parameters(), lr=0.05),
            torch.optim.AdamW(self.second.parameters(), lr=0.001),
        ]


class CollectingLogger(Logger):
    """Keeps every logged metrics dict in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.logged: list[tuple[int | None, dict[str, float]]] = []

    @property
    def name(self) -> str:
        return "collect"

    @property
    def version(self) -> str:
        return "0"

    def log_metrics(self, metrics: dict[str, float], step: int | None = None) -> None:
        self.logged.append((step, dict(metrics)))

    def log_hyperparams(self, params: Any, *args: Any, **kwargs: Any) -> None:
        pass

    def values(self, key: str) -> list[tuple[int | None, float]]:
        return [(step, metrics[key]) for step, metrics in self.logged if key in metrics]


def trainer(tmp_path: Any, callbacks: list, **kwargs: Any) -> pl.Trainer:
    options: dict[str, Any] = {
        "default_root_dir": str(tmp_path),
        "accelerator": "cpu",
        "devices": 1,
        "max_steps": 20,
        "logger": False,
        "enable_checkpointing": False,
        "enable_progress_bar": False,
        "enable_model_summary": False,
        "num_sanity_val_steps": 0,
        "limit_val_batches": 0,
    }
    options.update(kwargs)
    return pl.Trainer(callbacks=callbacks, **options)
