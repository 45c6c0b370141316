"""Exact figures of the metrics helpers: summaries, validation, timestamps, snapshots, failure logging."""

from __future__ import annotations

import json
import logging
import math
import re
from collections import deque

import pytest

from litcode.metrics import finite_json
from litcode.metrics.cuda_memory import CudaProbe
from litcode.metrics.processing_times import ProcessingTimes
from litcode.metrics.quality_totals import add_quality_batch, empty_quality_stats
from litcode.metrics.records import TrainingMetrics, utc_now_iso
from litcode.metrics.snapshot import parse_snapshot, read_snapshot, training_run_from_dict
from litcode.metrics.step_log import iter_step_records
from litcode.metrics.step_records import build_step_record, has_non_finite_loss
from litcode.metrics.training_summary import training_summary
from litcode.metrics.validation import require_count, require_seconds
from litcode.metrics.write_failures import WriteFailures


def run(duration: float, samples: int, loss: float | None) -> TrainingMetrics:
    return TrainingMetrics("r", duration_seconds=duration, samples_trained=samples,
                           samples_per_second=samples / duration, train_loss=loss)  # fmt: skip


def test_summary_figures_of_two_runs_of_different_length():
    runs = [run(10.0, 1000, 2.0), run(30.0, 1500, math.nan), run(10.0, 500, 1.5)]
    summary = training_summary(runs, {"step": 40, "loss": 1.25}, steps_recorded=4, nan_steps=1)
    assert summary["total_runs"] == 3 and summary["total_samples"] == 3000
    assert summary["total_duration_seconds"] == 50.0
    assert summary["average_samples_per_second"] == pytest.approx((100.0 + 50.0 + 50.0) / 3)
    assert summary["overall_samples_per_second"] == 60.0
    assert summary["latest_loss"] == 1.5 and summary["best_loss"] == 1.5  # NaN is never the best
    assert (summary["latest_step"], summary["latest_step_loss"]) == (40, 1.25)
    assert (summary["steps_recorded"], summary["nan_steps"]) == (4, 1)


def test_summary_without_finite_losses_or_time():
    summary = training_summary([TrainingMetrics("r")], None, 0, 0)
    assert summary["best_loss"] is None and summary["latest_loss"] is None
    assert summary["overall_samples_per_second"] == 0.0 and summary["latest_step"] is None


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (3, 3), (2.0, 2)])
def test_counts_accept_whole_numbers(value, expected):
    assert require_count("n", value) == expected


@pytest.mark.parametrize("value", [True, 2.5, -1, "3", None])
def test_counts_refuse_the_rest_naming_the_field(value):
    with pytest.raises(ValueError, match=r"^files "):
        require_count("files", value)


@pytest.mark.parametrize(("value", "expected"), [(0, 0.0), ("1.5", 1.5), (2, 2.0)])
def test_seconds_accept_finite_non_negative_numbers(value, expected):
    assert require_seconds("s", value) == expected


@pytest.mark.parametrize("value", [-0.001, math.nan, math.inf, "soon", None])
def test_seconds_refuse_the_rest_naming_the_field(value):
    with pytest.raises(ValueError, match=r"^duration must"):
        require_seconds("duration", value)


def test_timestamps_are_utc_with_microseconds():
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", utc_now_iso())


def test_quality_batches_weight_the_score_by_files_and_keep_reasons():
    stats = empty_quality_stats()
    add_quality_batch(stats, 0, 0.9, 0)  # an empty batch leaves the average at its own score
    assert stats["avg_quality_score"] == 0.9
    add_quality_batch(stats, 30, 0.5, {"secret": 2, "license": 0})
    add_quality_batch(stats, 10, 0.9, {"secret": 1})
    assert stats["avg_quality_score"] == pytest.approx(0.6)
    assert stats["blocked_by_reason"] == {"secret": 3, "license": 0}
    assert (stats["total_processed"], stats["blocked_files"], stats["batches"]) == (40, 3, 3)


def test_a_bad_quality_batch_changes_nothing():
    stats = empty_quality_stats()
    for bad in ({"secret": -1}, -2):
        with pytest.raises(ValueError):
            add_quality_batch(stats, 10, 0.5, bad)
    with pytest.raises(ValueError, match="avg_quality_score"):
        add_quality_batch(stats, 10, math.nan, 0)
    assert stats == empty_quality_stats()


def test_processing_figures_of_a_restored_window():
    times = ProcessingTimes(deque(maxlen=3))
    times.restore({"samples": [1.0, 2.0], "total_files": 9, "total_processing_seconds": 6.0})
    times.add(3.0, files=3)
    assert list(times.samples) == [1.0, 2.0, 3.0]
    assert times.files_per_second() == 12 / 9.0 and times.average() == 2.0
    figures = times.to_dict()
    assert figures["total_files"] == 12 and figures["total_processing_seconds"] == 9.0
    assert figures["percentiles"] == {"p50": 2.0, "p95": 2.9, "p99": pytest.approx(2.98)}


def test_snapshot_parts_are_parsed_with_defaults():
    state = parse_snapshot({"quality_stats": {"total_processed": 4}, "max_samples": "7", "uptime_seconds": 2})
    assert state.quality_stats == {"total_processed": 4, "blocked_by_reason": {}}
    assert (state.max_samples, state.uptime_seconds, state.started_at) == (7, 2.0, None)
    assert parse_snapshot({}).max_samples is None


def test_unknown_run_fields_are_dropped_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="litcode.metrics"):
        restored = training_run_from_dict({"run_id": 1, "samples_trained": 5, "from_the_future": 1})
    assert restored == TrainingMetrics(1, timestamp=restored.timestamp, samples_trained=5)
    assert "from_the_future" in caplog.text


def test_a_snapshot_from_a_newer_litcode_is_read_with_a_warning(tmp_path, caplog):
    path = tmp_path / "metrics.json"
    path.write_text(json.dumps({"schema_version": 99, "training_history": []}))
    with caplog.at_level(logging.WARNING, logger="litcode.metrics"):
        assert read_snapshot(path)["schema_version"] == 99
    assert "schema version 99" in caplog.text


def test_a_json_list_is_not_a_snapshot(tmp_path):
    path = tmp_path / "metrics.json"
    path.write_text("[1, 2]")
    with pytest.raises(ValueError, match="holds a JSON list"):
        read_snapshot(path)


def test_step_log_skips_blank_and_non_object_lines_naming_them(tmp_path, caplog):
    path = tmp_path / "run.steps.jsonl"
    path.write_text('{"step": 1}\n\n[1, 2]\n{"step": 2}\n{"step": 3')
    with caplog.at_level(logging.WARNING, logger="litcode.metrics"):
        assert [record["step"] for record in iter_step_records(path)] == [1, 2]
    assert "skipped unreadable line 3" in caplog.text and "skipped torn last line 5" in caplog.text


def test_step_record_loss_checks():
    assert has_non_finite_loss({"loss": math.inf}) and has_non_finite_loss({"loss": math.nan})
    assert not has_non_finite_loss({"loss": None}) and not has_non_finite_loss({"loss": 0.0})
    record = build_step_record(1, 0, None, None, 2, 3, (1.0, 2.0, 3.0), {})
    assert (record["loss"], record["learning_rates"], record["samples_per_second"]) == (None, {}, 2.0)
    assert record["tokens_per_second"] == 3.0 and record["cuda_memory_reserved_gb"] == 2.0


def test_nested_non_finite_values_round_trip_and_stay_strict():
    record = {"a": [1.0, -math.inf], "b": {"c": math.nan}}
    text = finite_json.dumps(record)
    assert json.loads(text)["non_finite"] == {"a": {"1": "-Infinity"}, "b": {"c": "NaN"}}
    restored = finite_json.loads(text)
    assert restored["a"][1] == -math.inf and math.isnan(restored["b"]["c"])
    assert finite_json.loads("[1]") == [1]


def test_write_failures_log_error_then_warning_then_debug(caplog):
    failures = WriteFailures()
    with caplog.at_level(logging.DEBUG, logger="litcode.metrics"):
        failures.failed("snapshot", "a", OSError("full"))
        failures.failed("step log", "b", OSError("full"))
        failures.failed("snapshot", "a", OSError("full"))
    assert [record.levelno for record in caplog.records] == [logging.ERROR, logging.WARNING, logging.DEBUG]
    failures.succeeded("snapshot")
    assert failures.failing == {"step log"}


def test_cuda_probe_sees_a_patched_is_available(monkeypatch):
    import torch

    probe = CudaProbe()
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert probe.available() is True
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert probe.available() is False
