"""Upload health lands in the tracker's snapshot and survives a load."""

from __future__ import annotations

from litcode.metrics import MetricsTracker


class FakeUploadStats:
    """Stands in for UploadStats: anything with ``as_dict()``."""

    def as_dict(self) -> dict[str, object]:
        return {"uploaded": 3, "failed_attempts": 2, "pending": 0, "breaker_state": "closed"}


def test_record_upload_is_saved_and_restored(tmp_path):
    path = tmp_path / "metrics.json"
    tracker = MetricsTracker(path)
    tracker.record_upload(FakeUploadStats())
    tracker.record_upload({"uploaded": 4, "failed_attempts": 2, "pending": 1, "breaker_state": "open"})
    assert tracker.save()
    restored = MetricsTracker.load(path)
    assert restored.upload_stats["uploaded"] == 4
    assert restored.upload_stats["breaker_state"] == "open"
    assert "recorded_at" in restored.upload_stats


def test_snapshot_without_uploads_has_an_empty_section(tmp_path):
    assert MetricsTracker(tmp_path / "m.json").snapshot()["uploads"] == {}
