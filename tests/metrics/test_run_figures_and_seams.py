"""Typed values at the tracker's seams: run figures, upload figures, the one CUDA reader, no import circle."""

from __future__ import annotations

import ast
import logging
from pathlib import Path
from unittest.mock import patch

import pytest

import litcode.metrics
from litcode.metrics import MetricsTracker, RunFigures
from litcode.metrics.cuda_memory import cuda_memory_gb


def test_typed_run_figures_fill_every_field(tracker):
    figures = RunFigures(
        train_loss=1.25,
        epoch=3,
        global_step=120,
        tokens=4096,
        wall_seconds=12.5,
        learning_rates={"lr-AdamW": 1e-3},
        stop_reason="step 120: 1 non-finite loss(es)",
    )
    run = tracker.record_training_run("r", duration=10.0, samples=800, metrics=figures)
    assert (run.train_loss, run.epoch, run.global_step, run.tokens) == (1.25, 3, 120, 4096)
    assert (run.wall_seconds, run.learning_rates, run.samples_per_second) == (12.5, {"lr-AdamW": 1e-3}, 80.0)
    assert run.stop_reason == "step 120: 1 non-finite loss(es)"


def test_a_mapping_with_an_unknown_key_is_reported_not_silently_dropped(tracker, caplog):
    with caplog.at_level(logging.WARNING, logger="litcode.metrics"):
        run = tracker.record_training_run("r", 1.0, 1, metrics={"epochs": 2, "global_step": 7})
    assert run.epoch is None and run.global_step == 7
    assert "['epochs']" in caplog.text


def test_loss_is_read_as_train_loss_and_train_loss_wins(tracker):
    assert tracker.record_training_run("a", 1.0, 1, metrics={"loss": 2.0}).train_loss == 2.0
    assert (
        tracker.record_training_run("b", 1.0, 1, metrics={"loss": 2.0, "train_loss": 1.0}).train_loss == 1.0
    )


def test_processing_samples_are_per_batch_whatever_its_size(tracker):
    tracker.record_processing_time(2.0, files=4)
    tracker.record_processing_time(4.0, files=12)
    assert tracker.get_percentiles() == {"p50": 3.0, "p95": 3.9, "p99": 3.98}
    assert tracker.average_processing_time() == 3.0
    assert tracker.files_per_second() == pytest.approx(16 / 6.0)
    assert tracker.get_performance_metrics().sample_count == 2


def test_performance_samples_is_the_window_the_figures_come_from(metrics_file):
    tracker = MetricsTracker(metrics_file, max_samples=2)
    for seconds in (1.0, 5.0, 9.0):
        tracker.record_processing_time(seconds)
    assert list(tracker.performance_samples) == [5.0, 9.0]
    assert tracker.processing.samples is tracker.performance_samples
    assert tracker.average_processing_time() == 7.0
    assert tracker.files_per_second() == pytest.approx(3 / 15.0)  # totals keep what the window forgot


def test_cuda_reader_reads_the_given_device_and_can_reset_its_peak():
    with (
        patch("torch.cuda.is_available", return_value=True),
        patch("torch.cuda.memory_allocated", return_value=8.5e9) as allocated,
        patch("torch.cuda.memory_reserved", return_value=10.0e9),
        patch("torch.cuda.max_memory_allocated", return_value=9.25e9),
        patch("torch.cuda.reset_peak_memory_stats") as reset,
    ):
        assert cuda_memory_gb("cuda:1", reset_peak=True) == (8.5, 10.0, 9.25)
        assert cuda_memory_gb(include_peak=False) == (8.5, 10.0, None)
    allocated.assert_any_call("cuda:1")
    reset.assert_called_once_with("cuda:1")


def test_cuda_reader_without_cuda_gives_none(no_gpu):
    assert cuda_memory_gb(reset_peak=True) == (None, None, None)


def test_upload_figures_are_kept_from_a_mapping_or_an_as_dict_value(tracker):
    class Stats:
        def as_dict(self) -> dict[str, object]:
            return {"uploaded": 3, "breaker_state": "closed"}

    tracker.record_upload(Stats())
    assert (tracker.upload_stats["uploaded"], tracker.upload_stats["breaker_state"]) == (3, "closed")
    tracker.record_upload({"uploaded": 4})
    assert tracker.upload_stats["uploaded"] == 4 and "recorded_at" in tracker.upload_stats


def test_no_metrics_module_imports_the_tracker_but_the_package():
    folder = Path(litcode.metrics.__file__).parent
    importers = []
    for module in folder.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "litcode.metrics.tracker":
                importers.append(module.name)
    assert importers == ["__init__.py"]
