"""What a metrics tracker hears from curation: one processing time per batch, quality once per run."""

from __future__ import annotations

from pathlib import Path

from curation_corpus import curate_inline, stdlib_text, write

from litcode.curation import CurationConfig
from litcode.curation.tracking import CurationTracker
from litcode.metrics import MetricsTracker

CONFIG = CurationConfig(licenses="off", min_quality_score=0.0, near_dedup=False, batch_size=2)


class RecordingTracker:
    """A fake tracker: remembers every call."""

    def __init__(self) -> None:
        self.times: list[tuple[float, int]] = []
        self.quality: list[tuple[int, float, int]] = []

    def record_quality_stats(
        self, total_processed: int, avg_quality_score: float, blocked_files: int
    ) -> None:
        self.quality.append((total_processed, avg_quality_score, blocked_files))

    def record_processing_time(self, seconds: float, files: int = 1) -> None:
        self.times.append((seconds, files))


def five_files(root: Path) -> Path:
    for name in ("colorsys.py", "shlex.py", "textwrap.py", "bisect.py"):
        write(root / "repo" / name, stdlib_text(name))
    write(root / "repo" / "empty.py", "")
    return root


def test_one_processing_time_per_batch_with_its_file_count(tmp_path: Path) -> None:
    tracker = RecordingTracker()
    curate_inline(five_files(tmp_path / "corpus"), tmp_path / "out", CONFIG, tracker=tracker)
    assert [files for _, files in tracker.times] == [2, 2, 1]
    assert all(seconds > 0 for seconds, _ in tracker.times)


def test_quality_stats_are_reported_once_with_the_kept_average(tmp_path: Path) -> None:
    tracker = RecordingTracker()
    result = curate_inline(five_files(tmp_path / "corpus"), tmp_path / "out", CONFIG, tracker=tracker)
    [(total, average, blocked)] = tracker.quality
    assert (total, blocked) == (5, 1)
    assert average == result.report["quality"]["average_score"] > 0


def test_a_real_metrics_tracker_gets_batch_percentiles(tmp_path: Path) -> None:
    tracker = MetricsTracker(tmp_path / "metrics.json")
    curate_inline(five_files(tmp_path / "corpus"), tmp_path / "out", CONFIG, tracker=tracker)
    assert tracker.files_per_second() > 0
    assert tracker.get_percentiles()["p50"] <= tracker.get_percentiles()["p99"]


def test_the_metrics_tracker_satisfies_the_curation_protocol(tmp_path: Path) -> None:
    assert isinstance(MetricsTracker(tmp_path / "metrics.json"), CurationTracker)
    assert isinstance(RecordingTracker(), CurationTracker)
