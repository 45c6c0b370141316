"""``CheckpointUploadCallback`` in a real 2-process gloo ``Trainer.fit`` whose strategy saves DCP checkpoints.

Every rank uploads its own shard files of each save and rank 0 commits the set;
a set whose commit failed (rank 1's shard cannot land) is journaled on rank 0 and
``resume_pending`` (what ``litcode upload --resume`` runs) finishes it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from litcode.callbacks.upload import resolve_latest, resume_pending
from litcode.callbacks.upload.remote import COMPLETE_MARKER, digest_checkpoint

pytestmark = [pytest.mark.slow, pytest.mark.ddp]

FIT = textwrap.dedent(
    """
    import json, os, shutil, sys
    import torch, torch.distributed as dist, torch.distributed.checkpoint as dcp
    import pytorch_lightning as pl
    from lightning_fabric.plugins import CheckpointIO
    from pytorch_lightning.callbacks import ModelCheckpoint
    from pytorch_lightning.demos.boring_classes import BoringModel
    from pytorch_lightning.strategies import DDPStrategy
    from litcode.callbacks.upload import CheckpointUploadCallback
    from litcode.resilience import RetryPolicy

    class DCPCheckpointIO(CheckpointIO):
        def save_checkpoint(self, checkpoint, path, storage_options=None):
            rank = dist.get_rank()  # a tensor only this rank holds, so every rank writes a shard file
            state = {"state_dict": checkpoint["state_dict"], f"rank{rank}": torch.full((256,), float(rank))}
            dcp.save(state, checkpoint_id=str(path))

        def load_checkpoint(self, path, map_location=None, weights_only=None):
            raise NotImplementedError

        def remove_checkpoint(self, path):
            shutil.rmtree(path, ignore_errors=True)

    class ShardedDDP(DDPStrategy):
        def save_checkpoint(self, checkpoint, filepath, storage_options=None):
            self.checkpoint_io.save_checkpoint(checkpoint, filepath, storage_options=storage_options)

    if __name__ == "__main__":
        root, remote = sys.argv[1], sys.argv[2]
        upload = CheckpointUploadCallback(
            remote, retry=RetryPolicy(max_retries=1, base_delay=0.0), sleep=lambda seconds: None
        )
        trainer = pl.Trainer(
            default_root_dir=root, accelerator="cpu", devices=2, max_steps=4, logger=False,
            strategy=ShardedDDP(process_group_backend="gloo", checkpoint_io=DCPCheckpointIO()),
            callbacks=[upload, ModelCheckpoint(dirpath=os.path.join(root, "ckpt"), every_n_train_steps=2,
                                               save_top_k=-1)],
            enable_progress_bar=False, enable_model_summary=False, limit_val_batches=0,
        )
        trainer.fit(BoringModel())
        with open(os.path.join(root, f"rank{trainer.global_rank}.json"), "w") as stream:
            json.dump({"uploaded": upload.stats["uploaded"], "pending": upload.pending()}, stream)
    """
)


@pytest.fixture(scope="module")
def sharded_fit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = tmp_path_factory.mktemp("sharded-fit")
    (root / "fit.py").write_text(FIT)
    # rank 1's shard of the second save cannot land: a directory sits where its file would go
    (root / "remote" / "epoch=0-step=4.ckpt" / "__1_0.distcp" / "blocker").mkdir(parents=True)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MASTER_PORT": str(29700 + os.getpid() % 1000)}
    completed = subprocess.run(
        [sys.executable, str(root / "fit.py"), str(root), (root / "remote").as_uri()],
        cwd=root, env=env, capture_output=True, text=True, timeout=400,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-4000:]
    return root, completed


def test_every_rank_uploads_its_own_shards_and_rank_zero_commits_the_set(
    sharded_fit: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    root, _ = sharded_fit
    remote, local = root / "remote" / "epoch=0-step=2.ckpt", root / "ckpt" / "epoch=0-step=2.ckpt"
    marker = json.loads((remote / COMPLETE_MARKER).read_text())
    expected = {item.relative_path: item.sha256 for item in digest_checkpoint(local).files}
    assert {entry["path"]: entry["sha256"] for entry in marker["files"]} == expected
    assert {".metadata", "__0_0.distcp", "__1_0.distcp"} <= set(expected)
    assert marker["ranks"] == 2
    # committed through rank 0's pointer: its ledger (what keep_last retention reads) lists the set
    ledger = json.loads((root / "ckpt" / ".upload-staging" / "remote-ledger.json").read_text())
    assert "epoch=0-step=2.ckpt" in ledger["committed"]
    # rank 0's background uploader sent nothing of it: rank 1 uploaded its own shard
    assert json.loads((root / "rank0.json").read_text())["uploaded"] == 0


def test_a_set_whose_commit_failed_is_journaled_and_resume_finishes_it(
    sharded_fit: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    root, completed = sharded_fit
    assert "Rank 1 could not upload its shards of epoch=0-step=4.ckpt" in completed.stderr
    assert json.loads((root / "rank0.json").read_text())["pending"] == ["epoch=0-step=4.ckpt"]
    latest = json.loads((root / "remote" / "latest.json").read_text())
    assert latest["checkpoint"] == "epoch=0-step=2.ckpt"  # the failed set was never named
    shutil.rmtree(root / "remote" / "epoch=0-step=4.ckpt" / "__1_0.distcp")
    result = resume_pending(root / "ckpt" / ".upload-staging", sleep=lambda seconds: None)
    assert result.uploaded == ["epoch=0-step=4.ckpt"] and result.complete
    local = digest_checkpoint(root / "ckpt" / "epoch=0-step=4.ckpt")
    resolved = resolve_latest((root / "remote").as_uri(), cache_dir=root / "cache")
    assert digest_checkpoint(resolved).sha256 == local.sha256
