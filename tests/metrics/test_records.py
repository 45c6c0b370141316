from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timedelta, timezone

from litcode.metrics import PerformanceMetrics, TrainingMetrics


def test_training_metrics_round_trips_through_json():
    run = TrainingMetrics(
        run_id=3,
        duration_seconds=3600.0,
        samples_trained=10_000,
        samples_per_second=10_000 / 3600.0,
        train_loss=1.5,
        learning_rate=2e-5,
        gpu_memory_allocated_gb=8.5,
        gpu_memory_reserved_gb=10.0,
    )

    assert TrainingMetrics(**json.loads(json.dumps(asdict(run)))) == run


def test_training_metrics_gpu_fields_default_to_none():
    run = TrainingMetrics(run_id="cpu-run")

    assert (run.gpu_memory_allocated_gb, run.gpu_memory_reserved_gb) == (None, None)


def test_training_metrics_timestamp_is_current_iso_utc():
    stamp = datetime.fromisoformat(TrainingMetrics(run_id=1).timestamp)

    assert stamp.utcoffset() == timedelta(0)
    assert abs(datetime.now(timezone.utc) - stamp) < timedelta(seconds=5)


def test_performance_metrics_round_trips_through_json():
    figures = PerformanceMetrics(
        files_per_second=12.5,
        average_processing_time=0.08,
        p50_processing_time=0.07,
        p95_processing_time=0.2,
        p99_processing_time=0.3,
        sample_count=40,
    )

    assert PerformanceMetrics(**json.loads(json.dumps(asdict(figures)))) == figures


def test_performance_metrics_default_to_zero():
    assert asdict(PerformanceMetrics()) == {
        "files_per_second": 0.0,
        "average_processing_time": 0.0,
        "p50_processing_time": 0.0,
        "p95_processing_time": 0.0,
        "p99_processing_time": 0.0,
        "sample_count": 0,
    }
