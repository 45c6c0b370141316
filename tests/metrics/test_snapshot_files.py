from __future__ import annotations

import json
import logging
import math
from datetime import datetime, timedelta
from unittest.mock import patch

import pytest

from litcode.metrics import SCHEMA_VERSION, MetricsTracker


def _strict_json(text: str):
    def reject(constant: str):
        raise AssertionError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=reject)


def test_tracker_creates_the_metrics_folder(tmp_path):
    MetricsTracker(tmp_path / "a" / "b" / "metrics.json")

    assert (tmp_path / "a" / "b").is_dir()


def test_save_creates_missing_parent_directories_and_file(tracker, metrics_file):
    metrics_file.parent.rmdir()

    assert tracker.save() is True

    assert metrics_file.is_file()


def test_save_writes_the_snapshot_sections(tracker, metrics_file):
    tracker.record_processing_time(0.5, files=2)
    tracker.save()

    snapshot = json.loads(metrics_file.read_text())

    assert snapshot["schema_version"] == SCHEMA_VERSION
    assert snapshot["performance"]["samples"] == [0.5]
    assert snapshot["performance"]["files_per_second"] == 4.0
    assert set(snapshot["performance"]["percentiles"]) == {"p50", "p95", "p99"}
    assert snapshot["uptime_seconds"] >= 0.0
    assert {"training_history", "quality_stats", "training_summary"} <= snapshot.keys()


@pytest.mark.parametrize("key", ["saved_at", "started_at"])
def test_snapshot_timestamps_are_iso_utc(tracker, metrics_file, key):
    tracker.save()

    stamp = datetime.fromisoformat(json.loads(metrics_file.read_text())[key])

    assert stamp.utcoffset() == timedelta(0)


def test_save_with_open_failing_logs_error_and_does_not_raise(tracker, mocker, caplog):
    mocker.patch("builtins.open", side_effect=OSError("Write failed"))

    with caplog.at_level(logging.ERROR, logger="litcode.metrics"):
        assert tracker._save_metrics() is False

    assert [r.name for r in caplog.records] == ["litcode.metrics"]
    assert "Write failed" in caplog.records[0].getMessage()


def test_failed_save_keeps_previous_snapshot_and_leaves_no_temp_file(tracker, metrics_file, mocker):
    tracker.record_training_run(run_id=1, duration=1.0, samples=10, metrics={})
    before = metrics_file.read_text()
    mocker.patch("os.fsync", side_effect=OSError("disk full"))

    tracker.record_training_run(run_id=2, duration=1.0, samples=10, metrics={})

    assert metrics_file.read_text() == before
    assert [p.name for p in metrics_file.parent.iterdir()] == [metrics_file.name]


def test_unwritable_path_logs_one_error_while_training_goes_on(tmp_path, caplog):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the metrics folder should be")
    tracker = MetricsTracker(blocker / "metrics.json")

    with caplog.at_level(logging.WARNING, logger="litcode.metrics"):
        for step in range(5):
            tracker.record_step(step, 0, 1.0, {"lr": 0.1}, samples_per_second=1.0)
            tracker.save()

    levels = [r.levelname for r in caplog.records if r.name == "litcode.metrics"]
    assert levels == ["ERROR", "WARNING"]  # the step log fails first, then the snapshot
    assert len(tracker.steps()) == 5  # the in-memory window stands in


def test_snapshot_is_strict_json_with_nan_loss(tracker, metrics_file):
    tracker.record_training_run(run_id=1, duration=1.0, samples=1, metrics={"train_loss": float("nan")})

    snapshot = _strict_json(metrics_file.read_text())

    assert snapshot["training_history"][0]["train_loss"] is None


def test_export_training_history_writes_json_list(tracker, tmp_path):
    tracker.record_training_run(run_id=1, duration=2.0, samples=10, metrics={"train_loss": 1.0})
    tracker.record_training_run(run_id=2, duration=2.0, samples=30, metrics={"train_loss": 0.5})
    out = tmp_path / "exports" / "history.json"

    assert tracker.export_training_history(out) is True

    exported = json.loads(out.read_text())
    assert [(run["run_id"], run["samples_trained"], run["train_loss"]) for run in exported] == [
        (1, 10, 1.0),
        (2, 30, 0.5),
    ]


def test_export_failure_is_logged_not_raised(tracker, tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("")

    with caplog.at_level(logging.ERROR, logger="litcode.metrics"):
        assert tracker.export_training_history(blocker / "history.json") is False

    assert "could not export" in caplog.text


def test_memory_only_tracker_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tracker = MetricsTracker(metrics_file=None)
    tracker.record_step(1, 0, 1.0, {}, samples_per_second=1.0)
    tracker.record_training_run(run_id=1, duration=1.0, samples=1, metrics={})

    assert tracker.save() is False
    assert list(tmp_path.iterdir()) == []
    assert [r["step"] for r in tracker.steps()] == [1]


def test_save_then_load_round_trips_everything(tracker, metrics_file, gpu):
    tracker.record_training_run(
        run_id="r1", duration=10.0, samples=100, metrics={"train_loss": 2.0, "epoch": 1}
    )
    tracker.record_training_run(run_id="r2", duration=5.0, samples=100, metrics={"train_loss": math.inf})
    tracker.record_quality_stats(50, 0.6, {"secret": 2})
    for seconds in (0.1, 0.4, 0.2):
        tracker.record_processing_time(seconds, files=3)
    tracker.record_step(1, 0, math.nan, {"lr-AdamW": 1e-3}, samples_per_second=8.0, tokens_per_second=2048.0)
    tracker.save()
    tracker.close()

    restored = MetricsTracker.load(metrics_file)

    volatile = {"saved_at", "uptime_seconds"}
    original = {k: v for k, v in tracker.snapshot().items() if k not in volatile}
    again = {k: v for k, v in restored.snapshot().items() if k not in volatile}
    assert json.dumps(again, sort_keys=True) == json.dumps(original, sort_keys=True)
    assert math.isinf(restored.training_history[1].train_loss)
    assert restored.get_training_summary()["nan_steps"] == 1


def test_load_carries_uptime_forward(tracker, metrics_file):
    tracker.save()
    saved_uptime = json.loads(metrics_file.read_text())["uptime_seconds"]

    assert MetricsTracker.load(metrics_file).uptime_seconds >= saved_uptime


def test_load_of_missing_metrics_names_both_files(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"metrics\.steps\.jsonl"):
        MetricsTracker.load(tmp_path / "metrics.json")


@pytest.mark.parametrize("content", ["{not json", "[1, 2]"])
def test_load_of_damaged_snapshot_raises_clear_value_error(metrics_file, content):
    metrics_file.parent.mkdir(parents=True)
    metrics_file.write_text(content)

    with pytest.raises(ValueError, match="metrics snapshot"):
        MetricsTracker.load(metrics_file)


def test_context_manager_saves_and_closes(metrics_file):
    with MetricsTracker(metrics_file) as tracker:
        tracker.record_processing_time(1.0)

    assert json.loads(metrics_file.read_text())["performance"]["samples"] == [1.0]


def test_failure_after_recovery_is_reported_again(tracker, caplog):
    with caplog.at_level(logging.ERROR, logger="litcode.metrics"):
        with patch("builtins.open", side_effect=OSError("first outage")):
            tracker.save()
        assert tracker.save() is True
        with patch("builtins.open", side_effect=OSError("second outage")):
            tracker.save()

    assert [r.getMessage().count("outage") for r in caplog.records] == [1, 1]
