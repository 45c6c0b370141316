"""The upload engine against an in-process remote with injected faults (fake sleeps, fake clock)."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import pytest

from litcode.callbacks.upload.journal import JOURNAL_NAME, PendingUpload, StagingArea, UploadJournal
from litcode.callbacks.upload.remote import RemoteStore
from litcode.callbacks.upload.uploader import CheckpointUploader
from litcode.resilience import CircuitBreaker, RetryPolicy


def write_checkpoints(root: Path, count: int) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = root / f"step={index}.ckpt"
        path.write_bytes(hashlib.sha256(str(index).encode()).digest() * (100 + index))
        paths.append(path)
    return paths


def make_uploader(tmp_path: Path, remote: Any, **kwargs: Any) -> CheckpointUploader:
    options: dict[str, Any] = {
        "staging": StagingArea(tmp_path / "staging"),
        "journal": UploadJournal(tmp_path / "staging" / JOURNAL_NAME),
    }
    options.update(kwargs)
    uploader = CheckpointUploader(RemoteStore(remote.url), **options)
    uploader.start()
    return uploader


def submit_all(uploader: CheckpointUploader, paths: list[Path]) -> None:
    for step, path in enumerate(paths):
        uploader.submit_file(path, path.name, step=step, epoch=0)


def test_every_checkpoint_is_committed_under_30_percent_failures(
    tmp_path: Path,
    flaky_remote: Any,
    fake_sleep: Any,
    fast_retry: RetryPolicy,
    patient_breaker: CircuitBreaker,
) -> None:
    flaky_remote.failure_rate = 0.3
    paths = write_checkpoints(tmp_path / "ckpt", 12)
    uploader = make_uploader(
        tmp_path, flaky_remote, retry=fast_retry, breaker=patient_breaker, sleep=fake_sleep
    )
    submit_all(uploader, paths)
    assert uploader.flush(timeout=30.0)
    uploader.close()
    assert all(flaky_remote.read(path.name) == path.read_bytes() for path in paths)
    stats = uploader.stats
    assert stats.uploaded == 12 and stats.pending == 0
    assert stats.failed_attempts == flaky_remote.failures > 0
    assert stats.retries == len(fake_sleep.delays)


def test_retry_waits_are_full_jitter_within_the_policy_cap(
    tmp_path: Path, flaky_remote: Any, fake_sleep: Any, patient_breaker: CircuitBreaker
) -> None:
    flaky_remote.failure_rate = 0.5
    policy = RetryPolicy(max_retries=8, base_delay=1.0, max_delay=2.0, jitter=True, deadline=60.0)
    uploader = make_uploader(tmp_path, flaky_remote, retry=policy, breaker=patient_breaker, sleep=fake_sleep)
    submit_all(uploader, write_checkpoints(tmp_path / "ckpt", 8))
    assert uploader.flush(timeout=30.0)
    uploader.close()
    assert fake_sleep.delays and all(0.0 <= delay <= 2.0 for delay in fake_sleep.delays)
    assert len(set(fake_sleep.delays)) > 1  # jittered, not a fixed schedule


def test_permanent_error_is_reported_at_once_without_retries(
    tmp_path: Path,
    flaky_remote: Any,
    fake_sleep: Any,
    fast_retry: RetryPolicy,
    caplog: pytest.LogCaptureFixture,
) -> None:
    flaky_remote.permanent = PermissionError(13, "InvalidAccessKeyId: the key does not exist")
    uploader = make_uploader(tmp_path, flaky_remote, retry=fast_retry, sleep=fake_sleep)
    submit_all(uploader, write_checkpoints(tmp_path / "ckpt", 1))
    assert uploader.flush(timeout=5.0) is False
    stats = uploader.stats
    assert (stats.attempts, stats.retries, stats.permanent_failures) == (1, 0, 1)
    assert fake_sleep.delays == []
    assert "InvalidAccessKeyId" in (uploader.pending()[0].error or "")
    assert "not retried" in caplog.text
    uploader.close()


def test_open_breaker_keeps_training_side_unblocked_and_journals_the_backlog(
    tmp_path: Path, flaky_remote: Any, fake_sleep: Any, fake_clock: Any, fast_retry: RetryPolicy
) -> None:
    flaky_remote.outage = True
    breaker = CircuitBreaker(failure_threshold=3, recovery_timeout=30.0, clock=fake_clock)
    uploader = make_uploader(tmp_path, flaky_remote, retry=fast_retry, breaker=breaker, sleep=fake_sleep)
    paths = write_checkpoints(tmp_path / "ckpt", 4)
    started = time.monotonic()
    submit_all(uploader, paths)
    assert uploader.flush(timeout=10.0) is False
    assert time.monotonic() - started < 5.0  # gave up early: the breaker stays open past the deadline
    assert breaker.state == "open"
    pending = uploader.close()
    assert sorted(upload.name for upload in pending) == sorted(path.name for path in paths)
    journaled = UploadJournal(tmp_path / "staging" / JOURNAL_NAME).read().pending
    assert sorted(entry.name for entry in journaled) == sorted(path.name for path in paths)
    assert all(Path(entry.staged_path).exists() for entry in journaled)


def test_backlog_drains_once_the_breaker_half_opens(
    tmp_path: Path, flaky_remote: Any, fake_sleep: Any, fake_clock: Any, fast_retry: RetryPolicy
) -> None:
    flaky_remote.outage = True
    breaker = CircuitBreaker(failure_threshold=3, recovery_timeout=30.0, clock=fake_clock)
    uploader = make_uploader(tmp_path, flaky_remote, retry=fast_retry, breaker=breaker, sleep=fake_sleep)
    paths = write_checkpoints(tmp_path / "ckpt", 3)
    submit_all(uploader, paths)
    assert uploader.flush(timeout=5.0) is False
    flaky_remote.outage = False
    fake_clock.advance(30.0)
    assert uploader.flush(timeout=10.0)
    uploader.close()
    assert breaker.state == "closed"
    assert all(flaky_remote.read(path.name) == path.read_bytes() for path in paths)


def test_latest_json_names_the_newest_save_even_when_an_older_upload_finishes_last(
    tmp_path: Path, flaky_remote: Any, fake_sleep: Any
) -> None:
    old, new = write_checkpoints(tmp_path / "ckpt", 2)
    flaky_remote.block(old.name)
    uploader = make_uploader(tmp_path, flaky_remote, sleep=fake_sleep, num_workers=2)
    uploader.submit_file(old, old.name, step=1, epoch=0)
    assert flaky_remote.gate_entered.wait(5)
    uploader.submit_file(new, new.name, step=2, epoch=0)
    deadline = time.monotonic() + 5
    while uploader.stats.uploaded < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    flaky_remote.release()
    assert uploader.flush(timeout=10.0)
    uploader.close()
    latest = flaky_remote.latest()
    assert latest["checkpoint"] == new.name and latest["step"] == 2
    assert latest["sha256"] == hashlib.sha256(new.read_bytes()).hexdigest()
    assert latest["bytes"] == new.stat().st_size


def test_rotated_checkpoint_is_deleted_remote_only_after_a_newer_one_is_committed(
    tmp_path: Path, flaky_remote: Any, fake_sleep: Any
) -> None:
    first, second = write_checkpoints(tmp_path / "ckpt", 2)
    uploader = make_uploader(tmp_path, flaky_remote, sleep=fake_sleep, mirror_deletions=True)
    uploader.submit_file(first, first.name, step=1, epoch=0)
    assert uploader.flush(timeout=5.0)
    flaky_remote.block(second.name)
    uploader.submit_file(second, second.name, step=2, epoch=0)
    uploader.note_local_removal(first.name)  # ModelCheckpoint rotates the older file away
    assert flaky_remote.gate_entered.wait(5)
    assert flaky_remote.exists(first.name)  # the newer one is not committed yet
    flaky_remote.release()
    assert uploader.flush(timeout=5.0)
    uploader.close()
    assert not flaky_remote.exists(first.name)
    assert flaky_remote.latest()["checkpoint"] == second.name


def test_skip_superseded_drops_a_queued_upload_rotated_away_and_reports_it(
    tmp_path: Path, flaky_remote: Any, fake_sleep: Any
) -> None:
    stuck, rotated = write_checkpoints(tmp_path / "ckpt", 2)
    flaky_remote.block(stuck.name)
    uploader = make_uploader(tmp_path, flaky_remote, sleep=fake_sleep, num_workers=1, skip_superseded=True)
    uploader.submit_file(stuck, stuck.name, step=1, epoch=0)
    assert flaky_remote.gate_entered.wait(5)
    uploader.submit_file(rotated, rotated.name, step=2, epoch=0)
    uploader.note_local_removal(rotated.name)
    flaky_remote.release()
    assert uploader.flush(timeout=5.0)
    uploader.close()
    assert uploader.stats.superseded == 1
    assert [eviction.upload.name for eviction in uploader.superseded] == [rotated.name]
    assert not flaky_remote.exists(rotated.name)


def test_close_does_not_wait_for_a_worker_in_backoff_and_journals_its_upload(
    tmp_path: Path, flaky_remote: Any
) -> None:
    flaky_remote.outage = True
    policy = RetryPolicy(max_retries=5, base_delay=60.0, max_delay=60.0, deadline=600.0)
    uploader = make_uploader(tmp_path, flaky_remote, retry=policy)  # the real time.sleep, 60 s
    submit_all(uploader, write_checkpoints(tmp_path / "ckpt", 1))
    deadline = time.monotonic() + 5
    while uploader.stats.failed_attempts < 1 and time.monotonic() < deadline:
        time.sleep(0.005)
    started = time.monotonic()
    pending = uploader.close(timeout=0.05)
    assert time.monotonic() - started < 0.5
    assert [upload.name for upload in pending] == ["step=0.ckpt"]
    journaled = UploadJournal(tmp_path / "staging" / JOURNAL_NAME).read().pending
    assert [entry.name for entry in journaled] == ["step=0.ckpt"]


def test_retry_waits_go_through_time_sleep_by_default(
    tmp_path: Path, flaky_remote: Any, mocker: Any, patient_breaker: CircuitBreaker
) -> None:
    sleep = mocker.patch("time.sleep")
    flaky_remote.failure_rate = 0.5
    policy = RetryPolicy(max_retries=8, base_delay=1.0, max_delay=1.0, deadline=600.0)
    uploader = make_uploader(tmp_path, flaky_remote, retry=policy, breaker=patient_breaker)
    submit_all(uploader, write_checkpoints(tmp_path / "ckpt", 4))
    assert uploader.flush(timeout=10.0)
    uploader.close()
    retry_waits = [call.args[0] for call in sleep.call_args_list if call.args == (1.0,)]
    assert len(retry_waits) == uploader.stats.retries > 0


def test_restored_journal_entry_older_than_latest_does_not_move_latest(
    tmp_path: Path, flaky_remote: Any, fake_sleep: Any
) -> None:
    (old,) = write_checkpoints(tmp_path / "ckpt", 1)
    staged = StagingArea(tmp_path / "staging").stage(old)
    flaky_remote.filesystem_class().pipe_file(
        f"{flaky_remote.url}/latest.json", b'{"checkpoint": "newer.ckpt"}'
    )
    uploader = make_uploader(tmp_path, flaky_remote, sleep=fake_sleep)
    entry = PendingUpload(old.name, str(staged), str(old), step=1, epoch=0, sequence=3)
    uploader.restore((entry,), latest_sequence=5)
    assert uploader.flush(timeout=5.0)
    uploader.close()
    assert flaky_remote.read(old.name) == old.read_bytes()
    assert flaky_remote.latest() == {"checkpoint": "newer.ckpt"}


def test_restored_journal_entry_newer_than_latest_moves_latest(
    tmp_path: Path, flaky_remote: Any, fake_sleep: Any
) -> None:
    (newer,) = write_checkpoints(tmp_path / "ckpt", 1)
    staged = StagingArea(tmp_path / "staging").stage(newer)
    uploader = make_uploader(tmp_path, flaky_remote, sleep=fake_sleep)
    entry = PendingUpload(newer.name, str(staged), str(newer), step=7, epoch=1, sequence=1)
    uploader.restore((entry,), latest_sequence=0)
    assert uploader.flush(timeout=5.0)
    uploader.close()
    assert (flaky_remote.latest()["checkpoint"], flaky_remote.latest()["step"]) == (newer.name, 7)
