"""Exact mid-epoch resume: a resumed fit sees the batches the uninterrupted fit saw, step for step."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pytest
import torch
from torch.utils.data import DistributedSampler

from data.resume_fit import FitPlan, read_hashes, run_fit
from litcode.data.datasets import PackedWindowDataset
from litcode.data.loader import PackedWindowLoader
from litcode.data.shards import ShardIndex, ShardWriter

SEQ_LEN = 4


@pytest.fixture
def dataset(tmp_path) -> PackedWindowDataset:
    """40 windows, window w starting with token w * 10."""
    windows = (np.arange(40)[:, None] * 10 + np.arange(SEQ_LEN + 1)[None, :]).astype(np.uint16)
    writer = ShardWriter(tmp_path, "train", window=SEQ_LEN + 1, dtype=np.uint16)
    writer.add(windows)
    index = ShardIndex(
        seq_len=SEQ_LEN, dtype="uint16", vocab_size=500, eos_id=0, splits={"train": writer.close()}
    )
    return PackedWindowDataset(tmp_path, index, "train")


def loader_for(dataset, **overrides) -> PackedWindowLoader:
    settings = {
        "batch_size": 3,
        "shuffle": True,
        "batches_per_fetch": 2,
        "generator": torch.Generator().manual_seed(7),
    }
    settings.update(overrides)
    return PackedWindowLoader(dataset, **settings)


def firsts(batches) -> list[list[int]]:
    return [batch["input_ids"][:, 0].tolist() for batch in batches]


# --- the loader on its own ---------------------------------------------------------------------


@pytest.mark.parametrize("num_workers", [0, 2])
def test_loaded_state_continues_with_the_next_batch_of_the_epoch(dataset, num_workers) -> None:
    whole = firsts(loader_for(dataset))
    first = loader_for(dataset, num_workers=num_workers)
    iterator = iter(first)
    taken = firsts(next(iterator) for _ in range(5))  # workers have prefetched beyond these
    state = first.state_dict()
    resumed = loader_for(dataset, num_workers=num_workers)
    resumed.load_state_dict(state)
    assert state["batches"] == 5
    assert taken + firsts(resumed) == whole


def test_state_names_epoch_seed_and_layout(dataset) -> None:
    loader = loader_for(dataset)
    for _ in loader:
        pass
    iterator = iter(loader)
    next(iterator)
    assert loader.state_dict() == {
        "epoch": 1,
        "seed": 7,
        "batches": 1,
        "batch_size": 3,
        "windows": 40,
        "world_size": 1,
        "rank": 0,
    }


def test_each_epoch_has_its_own_order_fixed_by_seed_and_epoch(dataset) -> None:
    loader = loader_for(dataset)
    epochs = [firsts(loader) for _ in range(2)]
    again = loader_for(dataset)
    again.load_state_dict({**loader_for(dataset).state_dict(), "epoch": 1})
    assert epochs[0] != epochs[1]
    assert firsts(again) == epochs[1]


def test_a_state_saved_at_the_end_of_an_epoch_starts_the_next_epoch(dataset) -> None:
    loader = loader_for(dataset)
    iterator = iter(loader)
    for _ in range(len(loader)):
        next(iterator)  # Lightning stops here, without the final StopIteration
    resumed = loader_for(dataset)
    resumed.load_state_dict(loader.state_dict())
    reference = loader_for(dataset)
    firsts(reference)
    assert firsts(resumed) == firsts(reference)


def test_resuming_mid_epoch_under_another_world_size_is_refused(dataset) -> None:
    sampler = DistributedSampler(dataset, num_replicas=2, rank=0, shuffle=True, seed=0)
    two_ranks = PackedWindowLoader(dataset, batch_size=3, sampler=sampler, batches_per_fetch=2)
    iterator = iter(two_ranks)
    next(iterator)
    with pytest.raises(
        ValueError, match=r"saved 1 batches into epoch 0 with 2 ranks \(world_size\).*world_size=2"
    ):
        loader_for(dataset).load_state_dict(two_ranks.state_dict())


def test_resuming_at_an_epoch_boundary_under_another_world_size_is_allowed(dataset) -> None:
    sampler = DistributedSampler(dataset, num_replicas=2, rank=0, shuffle=True, seed=0)
    two_ranks = PackedWindowLoader(dataset, batch_size=3, sampler=sampler, batches_per_fetch=2)
    one_rank = loader_for(dataset)
    one_rank.load_state_dict(two_ranks.state_dict())  # 0 batches into epoch 0
    assert len(firsts(one_rank)) == len(one_rank)


def test_resuming_mid_epoch_with_another_batch_size_is_refused(dataset) -> None:
    loader = loader_for(dataset)
    next(iter(loader))
    with pytest.raises(ValueError, match="batch_size=3"):
        loader_for(dataset, batch_size=4).load_state_dict(loader.state_dict())


def test_a_state_from_another_loader_kind_is_a_clear_error(dataset) -> None:
    with pytest.raises(ValueError, match="not a PackedWindowLoader state"):
        loader_for(dataset).load_state_dict({"epoch": 0})


# --- real fits through Lightning's checkpoints ------------------------------------------------------


@pytest.fixture(scope="module")
def prepared_cache(repo_tree, tmp_path_factory) -> Path:
    """One curated cache shared by every fit below."""
    cache = tmp_path_factory.mktemp("resume_cache")
    run_fit(FitPlan(str(repo_tree), str(cache), str(cache / "warmup"), max_steps=1, checkpoint_every=100))
    return cache


def plan(repo_tree, cache: Path, out: Path, **changes) -> FitPlan:
    return replace(FitPlan(str(repo_tree), str(cache), str(out)), **changes)


def checkpoint(out: Path, run: str, step: int) -> str:
    return str(out / f"{run}.ckpt" / f"step{step}.ckpt")


def assert_same_weights(out: Path, run: str, reference: str) -> None:
    ours, theirs = (torch.load(out / f"{name}.weights.pt") for name in (run, reference))
    assert all(torch.equal(ours[key], theirs[key]) for key in theirs)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("num_workers", "step"),
    [(0, 6), (2, 6), (0, 4)],
    ids=["mid-epoch", "mid-epoch-persistent-workers", "at-an-epoch-end"],
)
def test_fit_resumed_from_a_checkpoint_sees_the_uninterrupted_batches(
    repo_tree, prepared_cache, tmp_path, num_workers, step
) -> None:
    # epochs are 4 batches (limit_train_batches=4): step 6 is 2 batches into the second epoch,
    # step 4 the end of the first
    whole = run_fit(plan(repo_tree, prepared_cache, tmp_path, num_workers=num_workers, run_name="whole"))
    resumed = run_fit(
        plan(
            repo_tree,
            prepared_cache,
            tmp_path,
            num_workers=num_workers,
            run_name="resumed",
            ckpt_path=checkpoint(tmp_path, "whole", step),
        )
    )
    assert sorted(resumed) == list(range(step, 10))
    assert resumed == {later: whole[later] for later in range(step, 10)}
    assert_same_weights(tmp_path, "resumed", "whole")


@pytest.mark.slow
def test_fit_resumed_twice_sees_the_uninterrupted_batches(repo_tree, prepared_cache, tmp_path) -> None:
    whole = run_fit(plan(repo_tree, prepared_cache, tmp_path, run_name="whole"))
    first = run_fit(
        plan(
            repo_tree,
            prepared_cache,
            tmp_path,
            run_name="first",
            max_steps=7,
            ckpt_path=checkpoint(tmp_path, "whole", 1),
        )
    )
    second = run_fit(
        plan(
            repo_tree, prepared_cache, tmp_path, run_name="second", ckpt_path=checkpoint(tmp_path, "first", 7)
        )
    )
    assert {**first, **second} == {step: whole[step] for step in range(1, 10)}
    assert_same_weights(tmp_path, "second", "whole")


@pytest.mark.slow
def test_fit_killed_mid_epoch_and_resumed_matches_the_uninterrupted_fit(
    repo_tree, prepared_cache, tmp_path
) -> None:
    """SIGKILL of the training subprocess at step 7; resume from the newest checkpoint (step 6)."""
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    script = Path(__file__).with_name("resume_fit.py")

    def fit_in_subprocess(fit_plan: FitPlan) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(script), json.dumps(asdict(fit_plan))],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    common = {"num_workers": 2, "checkpoint_every": 3}
    whole = fit_in_subprocess(plan(repo_tree, prepared_cache, tmp_path, run_name="whole", **common))
    assert whole.returncode == 0, whole.stderr[-2000:]
    killed = fit_in_subprocess(
        plan(repo_tree, prepared_cache, tmp_path, run_name="killed", kill_at_step=7, **common)
    )
    assert killed.returncode == -signal.SIGKILL
    newest = max((tmp_path / "killed.ckpt").glob("step*.ckpt"), key=lambda path: int(path.stem[4:]))
    assert newest.name == "step6.ckpt"
    resumed = fit_in_subprocess(
        plan(repo_tree, prepared_cache, tmp_path, run_name="resumed", ckpt_path=str(newest), **common)
    )
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    reference = read_hashes(tmp_path / "whole.hashes.jsonl")
    before_kill, after = (read_hashes(tmp_path / f"{run}.hashes.jsonl") for run in ("killed", "resumed"))
    assert before_kill == {step: reference[step] for step in range(7)}
    assert after == {step: reference[step] for step in range(6, 10)}
    assert_same_weights(tmp_path, "resumed", "whole")
