from __future__ import annotations

import numpy as np
import pytest

from litcode.metrics import MetricsTracker


def test_quality_stats_are_recorded(tracker):
    tracker.record_quality_stats(total_processed=1000, avg_quality_score=0.8, blocked_files=18)

    stats = tracker.quality_stats
    assert (stats["total_processed"], stats["avg_quality_score"], stats["blocked_files"]) == (1000, 0.8, 18)


def test_quality_stats_aggregate_with_score_weighted_by_files(tracker):
    tracker.record_quality_stats(total_processed=300, avg_quality_score=0.9, blocked_files=3)
    tracker.record_quality_stats(total_processed=100, avg_quality_score=0.5, blocked_files=2)

    stats = tracker.quality_stats
    assert stats["total_processed"] == 400
    assert stats["avg_quality_score"] == pytest.approx((300 * 0.9 + 100 * 0.5) / 400)
    assert (stats["blocked_files"], stats["batches"]) == (5, 2)


def test_quality_stats_accept_blocked_files_by_reason(tracker):
    tracker.record_quality_stats(100, 0.7, {"secret": 2, "license": 1})
    tracker.record_quality_stats(100, 0.7, {"secret": 1})

    assert tracker.quality_stats["blocked_by_reason"] == {"secret": 3, "license": 1}
    assert tracker.quality_stats["blocked_files"] == 4


def test_quality_stats_with_negative_count_raise(tracker):
    with pytest.raises(ValueError, match="total_processed"):
        tracker.record_quality_stats(total_processed=-1, avg_quality_score=0.5, blocked_files=0)


def test_processing_times_are_kept(tracker):
    for seconds in (0.1, 0.2, 0.3):
        tracker.record_processing_time(seconds)

    assert list(tracker.performance_samples) == [0.1, 0.2, 0.3]


def test_processing_times_keep_only_the_last_max_samples(metrics_file):
    tracker = MetricsTracker(metrics_file, max_samples=5)
    for seconds in range(12):
        tracker.record_processing_time(float(seconds))

    assert list(tracker.performance_samples) == [7.0, 8.0, 9.0, 10.0, 11.0]
    assert tracker.performance_samples.maxlen == 5


@pytest.mark.parametrize(("seconds", "files"), [(-0.1, 1), (float("inf"), 1), (0.1, -1)])
def test_processing_time_with_bad_figures_raises(tracker, seconds, files):
    with pytest.raises(ValueError):
        tracker.record_processing_time(seconds, files=files)


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        ([], {"p50": 0.0, "p95": 0.0, "p99": 0.0}),
        ([0.25], {"p50": 0.25, "p95": 0.25, "p99": 0.25}),
        ([1.0, 2.0], {"p50": 1.5, "p95": 1.95, "p99": 1.99}),
        ([float(i) for i in range(1, 101)], {"p50": 50.5, "p95": 95.05, "p99": 99.01}),
    ],
)
def test_percentiles_interpolate_linearly(tracker, samples, expected):
    for seconds in samples:
        tracker.record_processing_time(seconds)

    assert tracker.get_percentiles() == pytest.approx(expected)


def test_percentiles_ignore_insertion_order(tracker):
    for seconds in (5.0, 1.0, 3.0, 2.0, 4.0):
        tracker.record_processing_time(seconds)

    assert tracker.get_percentiles()["p50"] == 3.0


def test_files_per_second_is_total_files_over_total_time(tracker):
    tracker.record_processing_time(2.0, files=10)
    tracker.record_processing_time(3.0, files=15)

    assert tracker.files_per_second() == 5.0


@pytest.mark.parametrize("samples", [[], [0.0, 0.0]])
def test_files_per_second_without_time_is_zero(tracker, samples):
    for seconds in samples:
        tracker.record_processing_time(seconds)

    assert tracker.files_per_second() == 0.0


def test_average_processing_time_is_mean_of_window(tracker):
    for seconds in (0.1, 0.2, 0.6):
        tracker.record_processing_time(seconds)

    assert tracker.average_processing_time() == pytest.approx(0.3)


def test_average_processing_time_when_empty_is_zero(tracker):
    assert tracker.average_processing_time() == 0.0


def test_performance_metrics_gather_the_figures(tracker):
    for seconds in (1.0, 2.0, 3.0):
        tracker.record_processing_time(seconds, files=2)

    figures = tracker.get_performance_metrics()

    assert (figures.files_per_second, figures.p50_processing_time, figures.sample_count) == (1.0, 2.0, 3)


@pytest.mark.slow
def test_a_million_processing_times_match_numpy(metrics_file):
    rng = np.random.default_rng(0)
    samples = rng.lognormal(mean=-2.0, sigma=0.5, size=1_000_000)
    tracker = MetricsTracker(metrics_file, max_samples=1_000_000)
    for seconds in samples.tolist():
        tracker.record_processing_time(seconds)

    assert tracker.get_percentiles() == pytest.approx(
        dict(zip(("p50", "p95", "p99"), np.percentile(samples, [50, 95, 99]), strict=True))
    )
    assert tracker.average_processing_time() == pytest.approx(samples.mean())
