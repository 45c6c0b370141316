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
    mocker.patch.object(tracker._files.step_log, "append", side_effect=OSError("disk full"))
    with caplog.at_level(logging.ERROR, logger="litcode.metrics"):
        tracker.record_step(1, 0, 1.0, {}, 1.0)
    (message,) = caplog.messages
    assert message.startswith(f"cannot write metrics step log {tracker.steps_file}: disk full")
    assert tracker._files.failures.failing == {"step log"}
    mocker.stopall()
    tracker.record_step(2, 0, 1.0, {}, 1.0)
    assert tracker._files.failures.failing == set()


def test_the_step_log_is_closed_when_the_tracker_is_collected(tmp_path):
    tracker = MetricsTracker(tmp_path / "metrics.json")
    tracker.record_step(1, 0, 1.0, {}, 1.0)
    log = tracker._files.step_log
    assert log is not None and log._handle is not None
    tracker._files._closer()  # what garbage collection or interpreter exit calls
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


def test_write_failure_messages_name_the_file_kind_path_and_error(caplog):
    from litcode.metrics.write_failures import WriteFailures

    failures = WriteFailures()
    with caplog.at_level(logging.DEBUG, logger="litcode.metrics"):
        failures.failed("snapshot", "/m/metrics.json", OSError("full"))
        failures.failed("snapshot", "/m/metrics.json", OSError("still full"))
    assert caplog.messages == [
        "cannot write metrics snapshot /m/metrics.json: full (training goes on; figures stay in memory)",
        "still cannot write metrics snapshot /m/metrics.json: still full",
    ]


def test_the_step_log_makes_missing_folders(tmp_path):
    from litcode.metrics.step_log import StepLog

    log = StepLog(tmp_path / "a" / "b" / "run.steps.jsonl")
    log.append('{"step": 1}')
    log.close()
    assert log.path.read_text() == '{"step": 1}\n'


@pytest.mark.parametrize(
    ("before", "after"),
    [('{"step": 1}\n', '{"step": 1}\n{"step": 2}\n'), ("x", 'x\n{"step": 2}\n'), ("", '{"step": 2}\n')],
)
def test_appending_ends_a_torn_line_and_only_a_torn_one(tmp_path, before, after):
    from litcode.metrics.step_log import StepLog

    path = tmp_path / "run.steps.jsonl"
    path.write_text(before)
    log = StepLog(path)
    log.append('{"step": 2}')
    log.close()
    assert path.read_text() == after


def test_a_skipped_line_warning_names_file_line_and_size(tmp_path, caplog):
    from litcode.metrics.step_log import read_step_records

    path = tmp_path / "run.steps.jsonl"
    path.write_bytes(b'{"step": 1}\n{"st')
    with caplog.at_level(logging.WARNING, logger="litcode.metrics"):
        assert read_step_records(path) == [{"step": 1}]
    assert caplog.messages == [f"skipped torn last line 2 of {path} (4 bytes)"]


def test_timestamps_format_the_current_second_and_microseconds(monkeypatch):
    from litcode.metrics import records

    monkeypatch.setattr(records, "_second_cache", (-1, ""))
    monkeypatch.setattr(records.time, "time", lambda: 1_700_000_000.25)
    assert records.utc_now_iso() == "2023-11-14T22:13:20.250000+00:00"


@pytest.mark.parametrize(("seconds", "files", "name"), [(-1.0, 1, "seconds"), (1.0, -1, "files")])
def test_bad_processing_figures_name_the_argument(tracker, seconds, files, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        tracker.record_processing_time(seconds, files=files)


def test_performance_metrics_hold_every_figure(tracker):
    from litcode.metrics import PerformanceMetrics

    for seconds in (1.0, 2.0, 3.0, 4.0):
        tracker.record_processing_time(seconds, files=1)
    assert tracker.get_performance_metrics() == PerformanceMetrics(
        files_per_second=0.4,
        average_processing_time=2.5,
        p50_processing_time=2.5,
        p95_processing_time=pytest.approx(3.85),
        p99_processing_time=pytest.approx(3.97),
        sample_count=4,
    )
    saved = tracker.processing.to_dict()
    assert (saved["average_processing_time"], saved["sample_count"]) == (2.5, 4)
    assert set(saved) == {
        "files_per_second",
        "average_processing_time",
        "percentiles",
        "sample_count",
        "total_files",
        "total_processing_seconds",
        "samples",
    }


def test_json_coercion_of_arrays_tensors_and_the_rest():
    import torch

    assert finite_json.dumps({"a": np.array([1.0, 2.0]), "t": torch.tensor(3)}) == '{"a": [1.0, 2.0], "t": 3}'
    with pytest.raises(TypeError, match="of type object cannot be stored as JSON"):
        finite_json.dumps({"x": object()})


def test_cuda_reader_passes_the_device_to_every_counter(mocker, caplog):
    mocker.patch("torch.cuda.is_available", return_value=True)
    calls = {
        name: mocker.patch(f"torch.cuda.{name}", return_value=1e9)
        for name in ("memory_allocated", "memory_reserved", "max_memory_allocated")
    }
    mocker.patch("torch.cuda.reset_peak_memory_stats", side_effect=RuntimeError("no counters"))
    with caplog.at_level(logging.DEBUG, logger="litcode.metrics"):
        assert cuda_memory_gb("cuda:3", reset_peak=True) == (1.0, 1.0, 1.0)
    for read in calls.values():
        read.assert_called_once_with("cuda:3")
    assert caplog.messages == ["could not reset the CUDA peak memory counter: no counters"]


def test_a_sub_second_run_still_has_a_rate_and_keeps_its_eval_loss(tracker):
    run = tracker.record_training_run("short", duration=0.5, samples=10, metrics={"eval_loss": 1.25})
    assert (run.samples_per_second, run.eval_loss) == (20.0, 1.25)
    assert tracker.get_training_summary()["overall_samples_per_second"] == 20.0


def test_restoring_an_empty_performance_section_starts_from_zero():
    from collections import deque

    from litcode.metrics.processing_times import ProcessingTimes

    times = ProcessingTimes(deque(maxlen=4))
    times.restore({})
    assert (times.total_files, times.total_seconds, list(times.samples)) == (0, 0.0, [])
    times.add(2.0, files=4)
    assert times.files_per_second() == 2.0


def test_numpy_non_finite_values_are_stored_strictly():
    text = finite_json.dumps({"loss": np.float64("nan"), "ok": np.float32(1.5)})
    assert json.loads(text) == {"loss": None, "ok": 1.5, "non_finite": {"loss": "NaN"}}
