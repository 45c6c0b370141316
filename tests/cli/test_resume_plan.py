"""``plan_resume``: what ``litcode fit`` does with a run directory, decided before anything is built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from litcode.cli.resume import (
    ResumeRefused,
    apply_plan,
    checkpoint_step,
    complete_last_checkpoint,
    follower_checkpoint,
    plan_resume,
)
from litcode.cli.run_directory import RunDirectory


def save_last(run: RunDirectory, step: int) -> Path:
    last = run.checkpoint_dir / "last.ckpt"
    last.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"global_step": step}, last)
    return last


def test_empty_directory_starts_a_new_run(tmp_path: Path) -> None:
    plan = plan_resume(RunDirectory(tmp_path), "auto", None)
    assert plan.new_run and plan.checkpoint is None and plan.previous_run_id is None


def test_last_checkpoint_is_resumed_with_the_recorded_run_id_and_step(tmp_path: Path) -> None:
    run = RunDirectory(tmp_path)
    run.update(run_id="r1", status="interrupted")
    last = save_last(run, 280)
    plan = plan_resume(run, "auto", None)
    assert (plan.new_run, plan.run_id, plan.checkpoint, plan.step) == (False, "r1", str(last), 280)


def test_a_run_without_last_checkpoint_is_refused_naming_both_ways_on(tmp_path: Path) -> None:
    run = RunDirectory(tmp_path)
    run.update(run_id="r1", status="failed", global_step=0)
    with pytest.raises(ResumeRefused, match=r"--resume never.*--trainer\.default_root_dir"):
        plan_resume(run, "auto", None)


def test_resume_never_moves_the_previous_run_aside_and_keeps_its_files(tmp_path: Path) -> None:
    run = RunDirectory(tmp_path)
    run.update(run_id="r1", status="finished")
    save_last(run, 300)
    plan = plan_resume(run, "never", None)
    apply_plan(plan, run)
    assert plan.new_run and plan.run_id != "r1"
    assert (tmp_path / "previous" / "r1" / "checkpoints" / "last.ckpt").is_file()
    assert json.loads((tmp_path / "previous" / "r1" / "run.json").read_text())["run_id"] == "r1"
    assert not run.run_file.exists() and not run.checkpoint_dir.exists()


def test_other_ranks_resume_from_the_checkpoint_rank_zero_recorded(tmp_path: Path) -> None:
    run = RunDirectory(tmp_path)
    save_last(run, 12)
    run.update(status="running", segments=[{"checkpoint": "/elsewhere/step=12.ckpt", "from_step": 12}])
    assert follower_checkpoint(run, "auto", None) == "/elsewhere/step=12.ckpt"


def test_a_signal_between_the_top_k_save_and_last_ckpt_is_finished_by_copying_the_newer_one(
    tmp_path: Path,
) -> None:
    """ModelCheckpoint writes ``step=12.ckpt`` (already uploaded) before ``last.ckpt``: a signal
    in between left last.ckpt at step 6, and run.json named it while the remote held step 12."""
    run = RunDirectory(tmp_path)
    last = save_last(run, 6)
    torch.save({"global_step": 6}, run.checkpoint_dir / "epoch=0-step=6.ckpt")
    torch.save({"global_step": 12}, run.checkpoint_dir / "epoch=0-step=12.ckpt")
    (run.checkpoint_dir / "epoch=0-step=18.ckpt").write_bytes(b"half a checkpoint")  # cut mid-write
    assert complete_last_checkpoint(run.checkpoint_dir) == 12
    assert checkpoint_step(last) == 12
    assert sorted(path.name for path in run.checkpoint_dir.iterdir()) == [
        "epoch=0-step=12.ckpt",
        "epoch=0-step=18.ckpt",
        "epoch=0-step=6.ckpt",
        "last.ckpt",
    ]  # no temporary copy left behind


def test_an_up_to_date_last_checkpoint_is_left_alone(tmp_path: Path) -> None:
    run = RunDirectory(tmp_path)
    last = save_last(run, 12)
    torch.save({"global_step": 6}, run.checkpoint_dir / "epoch=0-step=6.ckpt")
    before = last.stat().st_mtime_ns
    assert complete_last_checkpoint(run.checkpoint_dir) == 12
    assert last.stat().st_mtime_ns == before
