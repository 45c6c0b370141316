"""The embedded default: no source, no config — this interpreter's whole standard library."""

from __future__ import annotations

import pytest
import torch

from litcode.data import CodeDataModule


@pytest.mark.slow
def test_default_datamodule_serves_the_standard_library(tmp_path) -> None:
    dm = CodeDataModule(cache_dir=tmp_path, seq_len=128, batch_size=4)
    dm.prepare_data()
    dm.setup("fit")
    meta = dm.prepared.meta
    assert meta["curation"]["kept"] > 500
    assert len(dm.split_repos["train"]) > len(dm.split_repos["val"]) >= 1
    assert dm.split_repos["train"].isdisjoint(dm.split_repos["val"])
    batch = next(iter(dm.train_dataloader()))
    assert batch["input_ids"].shape == (4, 128)
    assert torch.equal(batch["labels"][:, :-1], batch["input_ids"][:, 1:])
