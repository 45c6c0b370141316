from __future__ import annotations

import math

import pytest

from litcode.metrics import MetricsTracker


def test_run_without_gpu_has_no_gpu_memory(tracker, no_gpu):
    run = tracker.record_training_run(run_id=1, duration=3600.0, samples=10_000, metrics={"train_loss": 1.5})

    assert (run.gpu_memory_allocated_gb, run.gpu_memory_reserved_gb) == (None, None)


def test_run_with_gpu_records_memory_in_decimal_gb(tracker, gpu):
    tracker.record_training_run(run_id=1, duration=3600.0, samples=10_000, metrics={"train_loss": 1.5})

    recorded = tracker.training_history[0]
    assert recorded.gpu_memory_allocated_gb == 8.5
    assert recorded.gpu_memory_reserved_gb == 10.0


def test_gpu_is_looked_up_at_call_time_not_at_construction(metrics_file, mocker):
    tracker = MetricsTracker(metrics_file)  # built while CUDA is absent
    mocker.patch("torch.cuda.is_available", return_value=True)
    mocker.patch("torch.cuda.memory_allocated", return_value=2e9)
    mocker.patch("torch.cuda.memory_reserved", return_value=3e9)

    run = tracker.record_training_run(run_id=1, duration=1.0, samples=1, metrics={})

    assert (run.gpu_memory_allocated_gb, run.gpu_memory_reserved_gb) == (2.0, 3.0)


def test_run_samples_per_second_is_samples_over_duration(tracker):
    run = tracker.record_training_run(run_id="a", duration=8.0, samples=1000, metrics={})

    assert run.samples_per_second == 125.0


def test_run_with_zero_duration_has_zero_rate(tracker):
    run = tracker.record_training_run(run_id="a", duration=0.0, samples=1000, metrics={})

    assert run.samples_per_second == 0.0


def test_run_takes_loss_and_learning_rate_from_metrics(tracker):
    run = tracker.record_training_run(
        run_id=7, duration=1.0, samples=1, metrics={"train_loss": 0.75, "learning_rate": 3e-4, "epoch": 2}
    )

    assert (run.train_loss, run.learning_rate, run.epoch) == (0.75, 3e-4, 2)


def test_run_without_loss_in_metrics_has_none(tracker):
    run = tracker.record_training_run(run_id=7, duration=1.0, samples=1, metrics={})

    assert (run.train_loss, run.learning_rate) == (None, None)


def test_run_saves_the_snapshot(tracker, metrics_file):
    tracker.record_training_run(run_id=1, duration=1.0, samples=1, metrics={})

    assert metrics_file.exists()


@pytest.mark.parametrize(
    ("duration", "samples", "message"),
    [
        (-1.0, 10, "duration"),
        (math.nan, 10, "duration"),
        ("slow", 10, "duration"),
        (1.0, -5, "samples"),
        (1.0, 2.5, "samples"),
    ],
)
def test_run_with_bad_figures_raises_value_error_naming_them(tracker, duration, samples, message):
    with pytest.raises(ValueError, match=message):
        tracker.record_training_run(run_id=1, duration=duration, samples=samples, metrics={})
    assert tracker.training_history == []


def test_summary_of_no_runs_is_zeroes(tracker):
    summary = tracker.get_training_summary()

    assert (summary["total_runs"], summary["total_samples"], summary["average_samples_per_second"]) == (
        0,
        0,
        0.0,
    )
    assert summary["latest_loss"] is None


def test_summary_totals_runs_and_samples(tracker):
    tracker.record_training_run(run_id=1, duration=10.0, samples=1000, metrics={"train_loss": 2.0})
    tracker.record_training_run(run_id=2, duration=40.0, samples=1000, metrics={"train_loss": 1.5})

    summary = tracker.get_training_summary()

    assert (summary["total_runs"], summary["total_samples"]) == (2, 2000)
    assert summary["total_duration_seconds"] == 50.0


def test_summary_average_rate_is_mean_of_run_rates(tracker):
    tracker.record_training_run(run_id=1, duration=10.0, samples=1000, metrics={})  # 100/s
    tracker.record_training_run(run_id=2, duration=40.0, samples=1000, metrics={})  # 25/s

    summary = tracker.get_training_summary()

    assert summary["average_samples_per_second"] == 62.5
    assert summary["overall_samples_per_second"] == 40.0


def test_summary_latest_loss_is_last_runs_train_loss(tracker):
    tracker.record_training_run(run_id=1, duration=1.0, samples=1, metrics={"train_loss": 1.0})
    tracker.record_training_run(run_id=2, duration=1.0, samples=1, metrics={"train_loss": 3.0})

    summary = tracker.get_training_summary()

    assert (summary["latest_loss"], summary["best_loss"]) == (3.0, 1.0)
