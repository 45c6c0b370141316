"""A real 2-process DDP fit on CPU (gloo): prepare_data curates once and the ranks read disjoint windows."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path

    import pytorch_lightning as pl
    import torch
    from torch import nn

    import litcode.curation
    from litcode.curation import CurationConfig
    from litcode.data import CodeDataModule

    source, cache_dir, out = (Path(arg) for arg in sys.argv[1:4])
    real_curate = litcode.curation.curate

    def logged_curate(*args, **kwargs):
        with open(out / "curate_calls.log", "a") as handle:
            handle.write(f"{os.getpid()}\\n")
        return real_curate(*args, **kwargs)

    litcode.curation.curate = logged_curate


    class Recorder(pl.LightningModule):
        def __init__(self, vocab_size):
            super().__init__()
            self.embed = nn.Embedding(vocab_size, 8)
            self.head = nn.Linear(8, vocab_size)

        def training_step(self, batch, batch_idx):
            with open(out / f"rank{self.global_rank}.txt", "a") as handle:
                for row in batch["input_ids"].tolist():
                    handle.write(" ".join(map(str, row)) + "\\n")
            logits = self.head(self.embed(batch["input_ids"]))
            return nn.functional.cross_entropy(logits.flatten(0, 1), batch["labels"].flatten())

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.1)


    dm = CodeDataModule(
        source=source, cache_dir=cache_dir, seq_len=32, batch_size=4, val_fraction=0.25, curation_workers=0,
        curation=CurationConfig(licenses="off", secrets="off", insecure="off"),
    )
    trainer = pl.Trainer(
        accelerator="cpu", devices=2, strategy="ddp", max_steps=3, logger=False, enable_checkpointing=False,
        enable_progress_bar=False, enable_model_summary=False, limit_val_batches=0,
    )
    trainer.fit(Recorder(dm.vocab_size), datamodule=dm)
    """
)


@pytest.mark.ddp
@pytest.mark.slow
def test_two_rank_ddp_fit_curates_once_and_ranks_see_disjoint_windows(
    repo_tree: Path, tmp_path: Path
) -> None:
    script = tmp_path / "ddp_fit.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    completed = subprocess.run(
        [sys.executable, str(script), str(repo_tree), str(tmp_path / "cache"), str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert len((tmp_path / "curate_calls.log").read_text().splitlines()) == 1
    ranks = [set((tmp_path / f"rank{rank}.txt").read_text().splitlines()) for rank in range(2)]
    assert len(ranks[0]) == len(ranks[1]) == 12  # 3 steps x batch 4 on each rank
    assert ranks[0].isdisjoint(ranks[1])
