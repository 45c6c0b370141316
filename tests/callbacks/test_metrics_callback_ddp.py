"""A real 2-process DDP fit on CPU (gloo): throughput counts are global and exact, rank 0 writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent(
    """
    import sys
    import time
    import pytorch_lightning as pl
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    from litcode.callbacks import MetricsTrackerCallback
    from litcode.metrics import MetricsTracker

    class UnevenRanks(pl.LightningModule):
        # Rank r trains on batches of 4 + 2 * r samples: rank 0 x world size would be wrong.
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(4, 1)

        @property
        def flops_per_batch(self):
            return 1000 * (4 + 2 * self.global_rank)  # differs per rank: the global figure must sum them

        def training_step(self, batch, batch_idx):
            x, y = batch
            return torch.nn.functional.mse_loss(self.layer(x), y)

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.01)

        def train_dataloader(self):
            size = 4 + 2 * self.global_rank
            data = TensorDataset(torch.randn(size * 10, 4), torch.randn(size * 10, 1))
            return DataLoader(data, batch_size=size)

    class LateRankOne(pl.Callback):
        # Rank 1 starts its first batch half a second late; rank 0 waits for it at the first all-reduce.
        def on_train_batch_start(self, trainer, pl_module, batch, batch_idx):
            if trainer.global_rank == 1 and trainer.global_step == 0:
                time.sleep(0.5)

    out = sys.argv[1]
    tracker = MetricsTracker(out + "/metrics.json")
    trainer = pl.Trainer(
        accelerator="cpu", devices=2, strategy="ddp", max_steps=10, use_distributed_sampler=False,
        logger=False, enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
        default_root_dir=out,
        callbacks=[LateRankOne(), MetricsTrackerCallback(tracker, log_every_n_steps=5, run_id="ddp")],
    )
    trainer.fit(UnevenRanks())
    """
)


@pytest.mark.ddp
@pytest.mark.slow
def test_two_process_ddp_counts_every_rank_exactly_and_only_rank_zero_writes(tmp_path: Path):
    script = tmp_path / "fit_ddp.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "MASTER_PORT": str(29500 + os.getpid() % 1000)}
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    snapshot = json.loads((tmp_path / "metrics.json").read_text())
    run = snapshot["training_history"][0]
    assert run["samples_trained"] == 10 * (4 + 6)  # 100, where rank 0 x world size would say 80
    steps = [json.loads(line) for line in (tmp_path / "metrics.steps.jsonl").read_text().splitlines()]
    assert [record["step"] for record in steps] == [5, 10]  # one writer: no duplicated records
    assert [record["samples"] for record in steps] == [50, 50]
    first = steps[0]
    assert first["step_seconds_max"] - first["step_seconds_min"] > 0.4  # rank 0 waited for late rank 1
    for record in steps:
        assert record["step_seconds_max"] == record["interval_seconds"] >= record["step_seconds_min"] > 0
        assert record["flops_per_second"] * record["interval_seconds"] == pytest.approx(5 * (4000 + 6000))
        assert record["mfu"] is None  # CPU, no peak given
        assert record["grad_norm"] > 0 and 0.0 <= record["data_wait_fraction"] <= 1.0
