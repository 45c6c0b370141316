"""The SQLite manifest: atomic batches, complete reason counts, and writers that wait out a lock."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from litcode.curation import REASONS, Manifest
from litcode.curation.outcome import SampleOutcome


def outcomes(*reasons: str | None) -> list[SampleOutcome]:
    return [SampleOutcome(f"file{i}.py", reason=reason, size_bytes=10) for i, reason in enumerate(reasons)]


def test_counts_list_every_reason_in_vocabulary_order(tmp_path: Path) -> None:
    with Manifest(tmp_path / "m.sqlite") as manifest:
        manifest.record_batch(0, 0, outcomes(None, "empty", "binary", None), seconds=0.1)
        inputs, kept, dropped = manifest.counts()
    assert (inputs, kept) == (4, 2)
    assert list(dropped) == list(REASONS)
    assert (dropped["empty"], dropped["binary"], dropped["size"]) == (1, 1, 0)


def test_recording_a_batch_again_replaces_it(tmp_path: Path) -> None:
    with Manifest(tmp_path / "m.sqlite") as manifest:
        manifest.record_batch(0, 0, outcomes(None, None), seconds=0.1)
        manifest.record_batch(0, 0, outcomes("empty", None), seconds=0.1)
        assert manifest.counts()[:2] == (2, 1)
        assert manifest.completed_batches() == {0}


def test_a_failed_batch_write_leaves_neither_rows_nor_completion(tmp_path: Path) -> None:
    with Manifest(tmp_path / "m.sqlite") as manifest:
        duplicate_ids = [SampleOutcome("same.py"), SampleOutcome("same.py")]
        with pytest.raises(sqlite3.IntegrityError):
            manifest.record_batch(0, 0, duplicate_ids, seconds=0.1)
        assert manifest.counts()[0] == 0
        assert manifest.completed_batches() == set()


def test_the_manifest_uses_write_ahead_logging(tmp_path: Path) -> None:
    Manifest(tmp_path / "m.sqlite").close()
    with sqlite3.connect(tmp_path / "m.sqlite") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_locked_database_is_retried_until_the_lock_is_released(tmp_path: Path, mocker) -> None:
    path = tmp_path / "m.sqlite"
    manifest = Manifest(path, busy_timeout=0.0)
    holder = sqlite3.connect(path, isolation_level=None, timeout=0.0)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    sleep = mocker.patch("time.sleep", side_effect=lambda seconds: holder.execute("ROLLBACK"))

    manifest.record_batch(0, 0, outcomes(None), seconds=0.1)

    assert sleep.call_count == 1
    assert manifest.counts()[:2] == (1, 1)
    manifest.close()
    holder.close()


def test_a_lock_that_never_clears_fails_with_the_sqlite_error(tmp_path: Path, mocker) -> None:
    path = tmp_path / "m.sqlite"
    manifest = Manifest(path, busy_timeout=0.0, max_retries=2)
    holder = sqlite3.connect(path, isolation_level=None, timeout=0.0)
    holder.execute("BEGIN IMMEDIATE")
    sleep = mocker.patch("time.sleep")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        manifest.record_batch(0, 0, outcomes(None), seconds=0.1)
    assert sleep.call_count == 2
    holder.execute("ROLLBACK")
    manifest.close()
    holder.close()


def test_other_operational_errors_are_not_retried(tmp_path: Path, mocker) -> None:
    manifest = Manifest(tmp_path / "m.sqlite")
    sleep = mocker.patch("time.sleep")
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        manifest._transaction(lambda connection: connection.execute("SELECT * FROM missing"))
    assert sleep.call_count == 0
    manifest.close()
