"""``plan_resume``: what ``litcode fit`` does with a run directory, decided before anything is built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from litcode.cli.resume import ResumeRefused, apply_plan, follower_checkpoint, plan_resume
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
