"""``litcode fit``'s progress bar: tokens per second shown once, whoever measures it."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch.utils.data import DataLoader

from litcode.callbacks import MetricsTrackerCallback
from litcode.cli.progress_bar import TokenRateProgressBar, batch_tokens
from litcode.metrics import MetricsTracker
from support.tiny_models import TinyRegressor, trainer


class TokenBatches(TinyRegressor):
    """Dict batches of 8 x 8 ``input_ids`` feeding the tiny linear model: 64 tokens per step."""

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        x = batch["input_ids"].float()
        return torch.nn.functional.mse_loss(self(x), x.sum(dim=1, keepdim=True))

    def train_dataloader(self) -> DataLoader:
        rows = torch.randint(0, 5, (64, 8))
        return DataLoader([{"input_ids": row} for row in rows], batch_size=8)


def shown(bar: TokenRateProgressBar, fit: Any) -> dict[str, Any]:
    return bar.get_metrics(fit, fit.lightning_module)


def test_the_bar_alone_shows_its_own_token_rate(tmp_path):
    bar = TokenRateProgressBar()
    fit = trainer(tmp_path, [bar], max_steps=4, enable_progress_bar=True)
    fit.fit(TokenBatches())
    metrics = shown(bar, fit)
    assert "tok/s" in metrics and "tokens/s" not in metrics
    assert float(metrics["tok/s"].replace(",", "")) > 0


def test_with_the_metrics_callback_the_rate_is_shown_once(tmp_path):
    bar = TokenRateProgressBar()
    tracker = MetricsTracker(tmp_path / "metrics" / "metrics.json")
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=4)
    fit = trainer(tmp_path, [callback, bar], max_steps=8, enable_progress_bar=True)
    fit.fit(TokenBatches())
    metrics = shown(bar, fit)
    assert metrics["tokens/s"] == pytest.approx(tracker.steps()[-1]["tokens_per_second"], rel=1e-5)
    assert "tok/s" not in metrics


@pytest.mark.parametrize(
    ("batch", "tokens"),
    [({"input_ids": torch.zeros(4, 16)}, 64), (torch.zeros(2, 3), 6), ((torch.zeros(2, 3),), 0), ({}, 0)],
)
def test_batch_tokens_counts_input_ids_or_a_bare_tensor(batch, tokens):
    assert batch_tokens(batch) == tokens
