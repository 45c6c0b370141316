"""The demo path, small: ``litcode fit --config configs/default.yaml`` on a stdlib slice, end to end."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from pathlib import Path

import pytest

from cli.tiny_run import DEFAULT_CONFIG, MAX_STEPS, TinyRun
from litcode.cli import main
from litcode.metrics import MetricsTracker


def test_fit_records_every_output_path_in_run_json(tiny_run: TinyRun) -> None:
    record = json.loads((tiny_run.run_dir / "run.json").read_text())
    assert record["global_step"] == MAX_STEPS
    assert record["finished_at"] is not None
    for key in ("checkpoint_dir", "metrics_file", "log_dir", "data_dir", "curation_dir"):
        assert record[key], key
    assert (tiny_run.run_dir / "checkpoints" / "last.ckpt").is_file()
    assert (tiny_run.run_dir / "metrics" / "metrics.json").is_file()


def test_fit_training_loss_falls(tiny_run: TinyRun) -> None:
    final = json.loads((tiny_run.run_dir / "run.json").read_text())["final"]
    assert final["last_logged_loss"] < final["first_logged_loss"] - 0.5


def test_fit_logs_validation_perplexity_as_exp_of_loss(tiny_run: TinyRun) -> None:
    final = json.loads((tiny_run.run_dir / "run.json").read_text())["final"]
    assert abs(final["val_perplexity"] - 2.718281828 ** final["val_loss"]) < 1e-3 * final["val_perplexity"]


def test_fit_uploads_checkpoints_and_latest_json_names_a_verified_copy(tiny_run: TinyRun) -> None:
    remote = tiny_run.run_dir / "remote"
    latest = json.loads((remote / "latest.json").read_text())
    uploaded = (remote / latest["checkpoint"]).read_bytes()
    assert latest["step"] == MAX_STEPS
    assert hashlib.sha256(uploaded).hexdigest() == latest["sha256"]
    assert len(uploaded) == latest["bytes"]
    upload = json.loads((tiny_run.run_dir / "run.json").read_text())["upload"]
    assert upload["pending"] == [] and upload["latest_verified"] is True


def test_fit_writes_one_step_record_per_logging_interval_and_curation_counts(tiny_run: TinyRun) -> None:
    tracker = MetricsTracker.load(tiny_run.run_dir / "metrics" / "metrics.json")
    assert [record["step"] for record in tracker.steps()] == [3, 6, 9, 12]
    assert tracker.quality_stats["total_processed"] > 0
    assert tracker.get_training_summary()["total_runs"] == 1


def test_fit_prints_a_summary_that_says_where_everything_went(tiny_run: TinyRun) -> None:
    out = tiny_run.stdout
    assert f"run directory   {tiny_run.run_dir}" in out
    assert "latest.json -> last.ckpt" in out
    assert f"litcode report {tiny_run.run_dir}" in out
    assert "notebooks/inspect_metrics.ipynb" in out


def test_fit_links_model_shape_to_the_data(tiny_run: TinyRun) -> None:
    import torch

    checkpoint = torch.load(tiny_run.run_dir / "checkpoints" / "last.ckpt", weights_only=False)
    assert checkpoint["hyper_parameters"]["vocab_size"] == 263  # the byte tokenizer: 256 bytes + 7 specials
    assert checkpoint["hyper_parameters"]["block_size"] == 32  # data.seq_len


def run_cli(args: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(args) == 0
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("subcommand", ["validate", "test"])
def test_evaluation_subcommands_load_the_fitted_checkpoint(
    subcommand: str, tiny_run: TinyRun, tmp_path: Path
) -> None:
    out = run_cli(
        [
            subcommand,
            "--config",
            str(DEFAULT_CONFIG),
            *tiny_run.flags(),
            "--trainer.default_root_dir",
            str(tmp_path / "evaluation"),
            "--ckpt_path",
            str(tiny_run.run_dir / "checkpoints" / "last.ckpt"),
        ]
    )
    assert f"{'val' if subcommand == 'validate' else 'test'}_loss" in out


@pytest.mark.slow
def test_fit_resumes_from_the_remote_copy_that_latest_json_names(tiny_run: TinyRun, tmp_path: Path) -> None:
    latest = json.loads((tiny_run.run_dir / "remote" / "latest.json").read_text())
    remote_checkpoint = f"file://{tiny_run.run_dir / 'remote' / latest['checkpoint']}"
    resumed = tmp_path / "resumed"
    run_cli(
        [
            "fit",
            "--config",
            str(DEFAULT_CONFIG),
            *tiny_run.flags(),
            "--trainer.max_steps",
            str(MAX_STEPS + 3),
            "--trainer.default_root_dir",
            str(resumed),
            "--ckpt_path",
            remote_checkpoint,
        ]
    )
    assert json.loads((resumed / "run.json").read_text())["global_step"] == MAX_STEPS + 3
    steps = MetricsTracker.load(resumed / "metrics" / "metrics.json").steps()
    assert [record["step"] for record in steps] == [MAX_STEPS + 3]
