"""Sharded (torch.distributed.checkpoint) checkpoints: each rank uploads its own files, rank 0 commits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from litcode.callbacks.upload import files_of_rank, resolve_latest, upload_sharded_checkpoint
from litcode.callbacks.upload.remote import COMPLETE_MARKER, digest_checkpoint

WORKER = textwrap.dedent(
    """
    import json, os, sys
    import torch, torch.distributed as dist, torch.multiprocessing as mp
    import torch.distributed.checkpoint as dcp
    from litcode.callbacks.upload import upload_sharded_checkpoint

    def save_and_upload(rank, root, name, step, remote):
        state = {f"shard{rank}": torch.full((4096,), float(rank + step)), "shared": torch.ones(16)}
        checkpoint = os.path.join(root, "ckpt", name)
        dcp.save(state, checkpoint_id=checkpoint)
        return upload_sharded_checkpoint(checkpoint, remote, name, step=step, epoch=0)

    def work(rank, world, root, remote):
        dist.init_process_group("gloo", init_method=f"file://{root}/pg", rank=rank, world_size=world)
        first = save_and_upload(rank, root, "step=4", 4, remote)
        # the second checkpoint: rank 1 cannot reach the remote, so nothing of it may be committed
        second = save_and_upload(rank, root, "step=8", 8, remote if rank == 0 else "nosuchprotocol://b/run")
        with open(os.path.join(root, f"rank{rank}.json"), "w") as stream:
            json.dump({"first": first, "second": second}, stream)
        dist.destroy_process_group()

    if __name__ == "__main__":
        mp.spawn(work, args=(2, sys.argv[1], sys.argv[2]), nprocs=2)
    """
)


@pytest.mark.slow
@pytest.mark.ddp
def test_two_gloo_ranks_upload_their_own_shards_and_rank_zero_commits_only_complete_sets(
    tmp_path: Path,
) -> None:
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    remote = (tmp_path / "remote").as_uri()
    completed = subprocess.run(
        [sys.executable, str(script), str(tmp_path), remote],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = [json.loads((tmp_path / f"rank{rank}.json").read_text()) for rank in range(2)]
    assert [result["first"] for result in results] == [True, True]
    assert [result["second"] for result in results] == [False, False]

    first = tmp_path / "remote" / "step=4"
    assert sorted(path.name for path in first.iterdir()) == sorted(
        [".metadata", "__0_0.distcp", "__1_0.distcp", COMPLETE_MARKER]
    )
    marker = json.loads((first / COMPLETE_MARKER).read_text())
    assert {entry["path"] for entry in marker["files"]} == {".metadata", "__0_0.distcp", "__1_0.distcp"}
    local = digest_checkpoint(tmp_path / "ckpt" / "step=4")
    latest = json.loads((tmp_path / "remote" / "latest.json").read_text())
    assert latest == {
        "checkpoint": "step=4",
        "bytes": local.bytes,
        "sha256": local.sha256,
        "step": 4,
        "epoch": 0,
    }
    assert not (tmp_path / "remote" / "step=8" / COMPLETE_MARKER).exists()  # rank 1's shard never arrived
    # the verified resume downloads the directory and checks it against latest.json
    assert digest_checkpoint(resolve_latest(remote, cache_dir=tmp_path / "cache")).sha256 == local.sha256


def test_files_of_rank_split_a_dcp_directory_by_writer(tmp_path: Path) -> None:
    for name in (".metadata", "__0_0.distcp", "__0_1.distcp", "__1_0.distcp", COMPLETE_MARKER):
        (tmp_path / name).write_bytes(b"x")
    assert files_of_rank(tmp_path, 0) == [".metadata", "__0_0.distcp", "__0_1.distcp"]
    assert files_of_rank(tmp_path, 1) == ["__1_0.distcp"]


def test_single_process_upload_commits_the_directory(tmp_path: Path) -> None:
    checkpoint = tmp_path / "ckpt"
    checkpoint.mkdir()
    (checkpoint / ".metadata").write_bytes(b"meta")
    (checkpoint / "__0_0.distcp").write_bytes(b"shard")
    remote = (tmp_path / "remote").as_uri()
    assert upload_sharded_checkpoint(checkpoint, remote, "step=1", step=1, epoch=0)
    latest = json.loads((tmp_path / "remote" / "latest.json").read_text())
    assert latest["sha256"] == digest_checkpoint(checkpoint).sha256
