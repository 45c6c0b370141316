"""A small real fit that records a hash of every batch's ``input_ids`` per global step.

Used in-process by ``test_loader_resume.py`` and as a subprocess that is SIGKILLed mid-epoch:
``python resume_fit.py CONFIG_JSON``. The record is a JSON line per batch, flushed and fsynced
before the step runs, so a killed process leaves every batch it trained on.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytorch_lightning as pl
import torch
from torch import nn


@dataclass
class FitPlan:
    source: str
    cache_dir: str
    out_dir: str
    max_steps: int = 10
    limit_train_batches: int = 4  # short epochs, so the fit crosses epoch boundaries
    num_workers: int = 0
    ckpt_path: str | None = None
    checkpoint_every: int = 1
    kill_at_step: int | None = None  # SIGKILL this process when global_step reaches it
    run_name: str = "run"


class TinyLanguageModel(pl.LightningModule):
    def __init__(self, vocab_size: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, 16)
        self.head = nn.Linear(16, vocab_size)

    def training_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> torch.Tensor:
        logits = self.head(self.embed(batch["input_ids"]))
        return nn.functional.cross_entropy(logits.flatten(0, 1), batch["labels"].flatten())

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.AdamW(self.parameters(), lr=1e-2)


class BatchHashRecorder(pl.Callback):
    def __init__(self, path: Path, kill_at_step: int | None) -> None:
        self.path = path
        self.kill_at_step = kill_at_step

    def on_train_batch_start(self, trainer: pl.Trainer, pl_module: Any, batch: Any, batch_idx: int) -> None:
        if trainer.global_step == self.kill_at_step:
            os.kill(os.getpid(), signal.SIGKILL)
        digest = hashlib.sha256(batch["input_ids"].numpy().tobytes()).hexdigest()[:16]
        with open(self.path, "a") as handle:
            handle.write(
                json.dumps({"step": trainer.global_step, "epoch": trainer.current_epoch, "hash": digest})
            )
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())


def run_fit(plan: FitPlan) -> dict[int, str]:
    """Fit as planned; return ``{global_step: hash of that step's input_ids}`` of this run."""
    from litcode.curation import CurationConfig
    from litcode.data import CodeDataModule

    out = Path(plan.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    hashes = out / f"{plan.run_name}.hashes.jsonl"
    hashes.unlink(missing_ok=True)
    pl.seed_everything(0, verbose=False)
    dm = CodeDataModule(
        source=plan.source,
        cache_dir=plan.cache_dir,
        seq_len=32,
        batch_size=4,
        val_fraction=0.25,
        num_workers=plan.num_workers,
        curation=CurationConfig(licenses="off"),
        curation_workers=0,
    )
    checkpoints = pl.callbacks.ModelCheckpoint(
        dirpath=out / f"{plan.run_name}.ckpt",
        filename="step{step}",
        auto_insert_metric_name=False,
        every_n_train_steps=plan.checkpoint_every,
        save_top_k=-1,
    )
    trainer = pl.Trainer(
        accelerator="cpu",
        devices=1,
        max_steps=plan.max_steps,
        limit_train_batches=plan.limit_train_batches,
        limit_val_batches=0,
        logger=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        callbacks=[BatchHashRecorder(hashes, plan.kill_at_step), checkpoints],
    )
    model = TinyLanguageModel(dm.vocab_size)
    trainer.fit(model, datamodule=dm, ckpt_path=plan.ckpt_path)
    torch.save(model.state_dict(), out / f"{plan.run_name}.weights.pt")
    return read_hashes(hashes)


def read_hashes(path: Path) -> dict[int, str]:
    return {row["step"]: row["hash"] for row in map(json.loads, path.read_text().splitlines())}


if __name__ == "__main__":
    torch.set_num_threads(1)
    run_fit(FitPlan(**json.loads(sys.argv[1])))
    print(json.dumps(asdict(FitPlan(**json.loads(sys.argv[1])))))
