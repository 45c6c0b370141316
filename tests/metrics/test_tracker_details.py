"""Tracker details a mutation probe found unpinned: conversions, defaults, messages, files, frames."""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path

import numpy as np
import pytest

from litcode.metrics import MetricsTracker, RunFigures, finite_json
from litcode.metrics.cuda_memory import cuda_memory_gb
from litcode.metrics.snapshot import make_folder


def test_every_run_figure_is_read_from_a_mapping_and_converted(caplog):
    metrics = {
        "train_loss": "1.5",
        "eval_loss": 2,
        "learning_rate": "0.001",
        "epoch": 3.0,
        "global_step": "40",
        "tokens": 4096.0,
        "wall_seconds": "12.5",
        "stop_reason": 7,
        "learning_rates": {1: "0.5"},
        "loss": 9.0,
    }
    with caplog.at_level(logging.WARNING, logger="litcode.metrics"):
        figures = RunFigures.from_mapping(metrics)
    assert figures == RunFigures(
        train_loss=1.5,
        eval_loss=2.0,
        learning_rate=0.001,
        epoch=3,
        global_step=40,
        tokens=4096,
        wall_seconds=12.5,
        stop_reason="7",
        learning_rates={"1": 0.5},
    )
    assert isinstance(figures.epoch, int) and isinstance(figures.eval_loss, float)
    assert caplog.records == []  # "loss" and "learning_rates" are known keys


def test_no_mapping_gives_empty_figures_and_none_values_are_skipped():
    assert RunFigures.from_mapping(None) == RunFigures()
    assert RunFigures.from_mapping({"epoch": None, "loss": None}) == RunFigures()


def test_unknown_keys_are_named_in_the_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="litcode.metrics"):
        RunFigures.from_mapping({"epochs": 1, "accuracy": 0.5})
    assert caplog.messages == ["record_training_run ignores unknown metrics keys ['accuracy', 'epochs']"]


def test_a_recorded_run_is_logged_with_its_figures(tracker, caplog):
    with caplog.at_level(logging.INFO, logger="litcode.metrics"):
        tracker.record_training_run("run-7", duration=4.0, samples=100)
    assert "recorded training run run-7: 100 samples in 4.0 s" in caplog.messages


@pytest.mark.parametrize(("duration", "samples", "name"), [(-1.0, 1, "duration"), (1.0, -1, "samples")])
def test_bad_run_figures_name_the_argument_first(tracker, duration, samples, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        tracker.record_training_run("r", duration=duration, samples=samples)


def test_the_run_reads_memory_without_the_peak(tracker, mocker):
    mocker.patch("torch.cuda.is_available", return_value=True)
    mocker.patch("torch.cuda.memory_allocated", return_value=1e9)
    mocker.patch("torch.cuda.memory_reserved", return_value=2e9)
    peak = mocker.patch("torch.cuda.max_memory_allocated", return_value=3e9)
    run = tracker.record_training_run("r", 1.0, 1)
    assert (run.gpu_memory_allocated_gb, run.gpu_memory_reserved_gb) == (1.0, 2.0)
    peak.assert_not_called()


def test_a_failing_cuda_counter_gives_none_and_a_debug_line(mocker, caplog):
    def memory_allocated(device=None):
        raise RuntimeError("driver gone")

    mocker.patch("torch.cuda.is_available", return_value=True)
    mocker.patch("torch.cuda.memory_allocated", memory_allocated)
    mocker.patch("torch.cuda.memory_reserved", return_value=2e9)
    mocker.patch("torch.cuda.max_memory_allocated", return_value=3e9)
    with caplog.at_level(logging.DEBUG, logger="litcode.metrics"):
        assert cuda_memory_gb() == (None, 2.0, 3.0)
    assert caplog.messages == ["could not read CUDA memory through memory_allocated: driver gone"]


def test_defaults_of_a_new_tracker(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tracker = MetricsTracker()
    assert tracker.metrics_file == Path("metrics/metrics.json")
    assert tracker.steps_file == Path("metrics/metrics.steps.jsonl")
    assert tracker.max_samples == 10_000 and tracker.performance_samples.maxlen == 10_000
    assert (tracker.steps_recorded, tracker.nan_steps, tracker.uptime_before_load) == (0, 0, 0.0)
    assert 0.0 <= tracker.uptime_seconds < 60.0
    assert (tmp_path / "metrics").is_dir()


@pytest.mark.parametrize("max_samples", [0, -1, True, 2.0, "5"])
def test_max_samples_must_be_a_positive_integer(max_samples):
    with pytest.raises(ValueError, match="max_samples must be a positive integer"):
        MetricsTracker(None, max_samples=max_samples)


def test_one_sample_is_enough():
    tracker = MetricsTracker(None, max_samples=1)
    tracker.record_processing_time(1.0)
    tracker.record_processing_time(2.0)
    assert list(tracker.performance_samples) == [2.0] and tracker.max_samples == 1


def test_steps_are_counted_one_by_one(tracker):
    for step in range(3):
        tracker.record_step(step, 0, 1.0, {}, 1.0)
    assert tracker.steps_recorded == 3 and tracker.get_training_summary()["steps_recorded"] == 3


def test_a_failing_step_log_is_reported_by_name_and_path(tracker, mocker, caplog):
    mocker.patch.object(tracker._step_log, "append", side_effect=OSError("disk full"))
    with caplog.at_level(logging.ERROR, logger="litcode.metrics"):
        tracker.record_step(1, 0, 1.0, {}, 1.0)
    (message,) = caplog.messages
    assert message.startswith(f"cannot write metrics step log {tracker.steps_file}: disk full")
    assert tracker._failures.failing == {"step log"}
    mocker.stopall()
    tracker.record_step(2, 0, 1.0, {}, 1.0)
    assert tracker._failures.failing == set()


def test_the_step_log_is_closed_when_the_tracker_is_collected(tmp_path):
    tracker = MetricsTracker(tmp_path / "metrics.json")
    tracker.record_step(1, 0, 1.0, {}, 1.0)
    log = tracker._step_log
    assert log is not None and log._handle is not None
    tracker._closer()  # what garbage collection or interpreter exit calls
    assert log._handle is None


def test_snapshot_names_its_window_size_steps_file_and_summary(tracker):
    tracker.record_step(5, 0, 2.0, {}, 1.0)
    snapshot = tracker.snapshot()
    assert snapshot["max_samples"] == 10_000
    assert snapshot["steps_file"] == "metrics.steps.jsonl"
    assert snapshot["training_summary"] == tracker.get_training_summary()
    assert snapshot["training_summary"]["latest_step"] == 5
    assert MetricsTracker(None).snapshot()["steps_file"] is None


def test_export_writes_every_run_and_logs_it(tracker, tmp_path, caplog):
    tracker.record_training_run("a", 1.0, 10, {"train_loss": math.nan})
    tracker.record_training_run("b", 2.0, 20)
    path = tmp_path / "out" / "history.json"
    with caplog.at_level(logging.INFO, logger="litcode.metrics"):
        assert tracker.export_training_history(path) is True
    exported = json.loads(path.read_text())
    assert [run["run_id"] for run in exported] == ["a", "b"]
    assert exported[0]["train_loss"] is None and exported[0]["non_finite"] == {"train_loss": "NaN"}
    assert f"exported 2 training runs to {path}" in caplog.messages


def test_a_failed_export_says_where(tracker, tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with caplog.at_level(logging.ERROR, logger="litcode.metrics"):
        assert tracker.export_training_history(blocker / "history.json") is False
    assert caplog.messages[0].startswith(f"could not export training history to {blocker / 'history.json'}: ")


def test_make_folder_logs_instead_of_raising(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with caplog.at_level(logging.DEBUG, logger="litcode.metrics"):
        make_folder(blocker / "metrics")
    assert caplog.messages[0].startswith(f"cannot create metrics folder {blocker / 'metrics'}: ")
    make_folder(tmp_path / "a" / "b")
    assert (tmp_path / "a" / "b").is_dir()


@pytest.mark.parametrize("indent", [None, 2])
def test_dumps_matches_json_and_coerces_numpy_at_any_indent(indent):
    record = {"a": np.float32(0.5), "b": [np.int64(3)], "c": "x"}
    assert finite_json.dumps(record, indent=indent) == json.dumps(
        {"a": 0.5, "b": [3], "c": "x"}, indent=indent
    )


def test_indented_dumps_of_a_non_finite_value_stays_strict_and_indented():
    text = finite_json.dumps({"loss": math.inf}, indent=2)
    assert text == json.dumps({"loss": None, "non_finite": {"loss": "Infinity"}}, indent=2)


def test_steps_frame_columns_and_types(tracker):
    pandas = pytest.importorskip("pandas")
    tracker.record_step(1, 0, 2.0, {"lr-AdamW": 0.1, "lr-AdamW/pg2": 0.2}, 3.0, tokens_per_second=4.0)
    frame = tracker.steps_frame()
    assert frame["learning_rates.lr-AdamW/pg2"].tolist() == [0.2]
    assert frame["timestamp"].dt.tz is not None and str(frame["timestamp"].dt.tz) == "UTC"
    assert frame[["step", "loss", "samples_per_second", "tokens_per_second"]].values.tolist() == [
        [1, 2.0, 3.0, 4.0]
    ]
    assert isinstance(frame, pandas.DataFrame)


def test_history_frame_columns_follow_the_dataclass(tracker):
    pytest.importorskip("pandas")
    tracker.record_training_run("a", 2.0, 10, {"epoch": 1})
    frame = tracker.history_frame()
    assert list(frame.columns)[:4] == ["run_id", "timestamp", "duration_seconds", "samples_trained"]
    assert frame["epoch"].tolist() == [1] and str(frame["timestamp"].dt.tz) == "UTC"
