"""keep_last retention, the dead-remote exit of the final flush, and the full-backlog guarantee."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from litcode.callbacks.upload.commit import LatestPointer
from litcode.callbacks.upload.journal import JOURNAL_NAME, PendingUpload, StagingArea, UploadJournal
from litcode.callbacks.upload.remote import RemoteStore
from litcode.callbacks.upload.uploader import CheckpointUploader
from litcode.resilience import CircuitBreaker, RetryPolicy

from .test_uploader import make_uploader, submit_all, write_checkpoints


class AdvancingSleep:
    """A retry/breaker wait that moves the fake clock instead of the wall clock."""

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        self.total = 0.0

    def __call__(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.total += seconds


def committed(name: str, sequence: int) -> PendingUpload:
    return PendingUpload(name, f"/s/{name}", f"/c/{name}", sequence, 0, sequence, bytes=1, sha256="0")


def pointer_with(remote: Any, keep_last: int) -> tuple[LatestPointer, RemoteStore]:
    store = RemoteStore(remote.url)
    for name in ("step=1.ckpt", "step=2.ckpt", "step=3.ckpt"):
        store.filesystem.pipe_file(store.path(name), b"w")
    return LatestPointer(store, CircuitBreaker(), keep_last=keep_last), store


def test_keep_last_deletes_older_checkpoints_only_after_latest_moved_past(flaky_remote: Any) -> None:
    pointer, _ = pointer_with(flaky_remote, keep_last=1)
    pointer.commit(committed("step=1.ckpt", 1), set())
    assert flaky_remote.exists("step=1.ckpt")  # named by latest.json: kept
    pointer.commit(committed("step=2.ckpt", 2), set())
    assert not flaky_remote.exists("step=1.ckpt") and flaky_remote.exists("step=2.ckpt")
    assert flaky_remote.latest()["checkpoint"] == "step=2.ckpt"


def test_keep_last_never_deletes_the_checkpoint_the_fit_resumed_from(flaky_remote: Any) -> None:
    pointer, _ = pointer_with(flaky_remote, keep_last=1)
    pointer.protected.add("step=1.ckpt")
    for sequence, name in enumerate(("step=1.ckpt", "step=2.ckpt", "step=3.ckpt"), start=1):
        pointer.commit(committed(name, sequence), set())
    assert flaky_remote.exists("step=1.ckpt") and not flaky_remote.exists("step=2.ckpt")


def test_keep_last_never_deletes_files_this_run_did_not_commit(flaky_remote: Any) -> None:
    pointer, store = pointer_with(flaky_remote, keep_last=1)
    store.filesystem.pipe_file(store.path("other-run.ckpt"), b"theirs")
    pointer.commit(committed("step=2.ckpt", 1), set())
    pointer.commit(committed("step=3.ckpt", 2), set())
    assert flaky_remote.exists("other-run.ckpt") and flaky_remote.exists("step=1.ckpt")


def test_failed_deletion_is_retried_after_the_next_commit(flaky_remote: Any) -> None:
    pointer, _ = pointer_with(flaky_remote, keep_last=1)
    pointer.commit(committed("step=1.ckpt", 1), set())
    # The deletion fails (a transient reset), the commit itself succeeds.
    original = pointer.store.delete

    def failing_delete(name: str) -> None:
        raise ConnectionResetError(104, "reset while deleting (injected)")

    pointer.store.delete = failing_delete  # type: ignore[method-assign]
    pointer.commit(committed("step=2.ckpt", 2), set())
    assert pointer.deletions_pending == 1 and flaky_remote.exists("step=1.ckpt")
    pointer.store.delete = original  # type: ignore[method-assign]
    pointer.commit(committed("step=3.ckpt", 3), set())
    assert pointer.deletions_pending == 0
    assert not flaky_remote.exists("step=1.ckpt") and not flaky_remote.exists("step=2.ckpt")


def test_full_backlog_during_an_outage_keeps_every_checkpoint_pending_and_journaled(
    tmp_path: Path, flaky_remote: Any, fake_sleep: Any, fake_clock: Any
) -> None:
    """Issue 13 defect 6: with max_backlog=2 and 5 distinct saves, none may vanish."""
    flaky_remote.outage = True
    breaker = CircuitBreaker(failure_threshold=1, recovery_timeout=1e6, clock=fake_clock)
    uploader = make_uploader(tmp_path, flaky_remote, sleep=fake_sleep, breaker=breaker, max_backlog=2)
    paths = write_checkpoints(tmp_path / "ckpt", 5)
    submit_all(uploader, paths)
    time.sleep(0.2)
    pending = uploader.close()
    names = sorted(path.name for path in paths)
    assert sorted(upload.name for upload in pending) == names
    journal = UploadJournal(tmp_path / "staging" / JOURNAL_NAME).read()
    assert sorted(entry.name for entry in journal.pending) == names
    assert uploader.stats.superseded == 0 and uploader.stats.deferred >= 1


def test_deferred_checkpoints_are_uploaded_once_the_remote_is_back(
    tmp_path: Path, flaky_remote: Any, fake_sleep: Any
) -> None:
    uploader = make_uploader(tmp_path, flaky_remote, sleep=fake_sleep, max_backlog=1, num_workers=1)
    flaky_remote.block("step=0")
    paths = write_checkpoints(tmp_path / "ckpt", 4)
    submit_all(uploader, paths)
    flaky_remote.release()
    assert uploader.flush(timeout=20.0)
    uploader.close()
    assert all(flaky_remote.read(path.name) == path.read_bytes() for path in paths)


def test_dead_remote_ends_the_final_flush_after_two_recovery_timeouts_and_a_failed_trial(
    tmp_path: Path, flaky_remote: Any, fake_clock: Any
) -> None:
    flaky_remote.outage = True
    sleep = AdvancingSleep(fake_clock)
    breaker = CircuitBreaker(failure_threshold=3, recovery_timeout=30.0, clock=fake_clock)
    retry = RetryPolicy(max_retries=6, base_delay=1.0, max_delay=30.0, jitter=True, deadline=120.0)
    uploader = make_uploader(tmp_path, flaky_remote, sleep=sleep, breaker=breaker, retry=retry)
    submit_all(uploader, write_checkpoints(tmp_path / "ckpt", 2))
    started = time.monotonic()
    assert not uploader.flush(timeout=300.0)  # flush_timeout is long: the dead-remote rule ends it
    wall = time.monotonic() - started
    pending = uploader.close()
    assert uploader.dead_remote and uploader.stats.dead_remote
    assert 60.0 <= fake_clock.now <= 150.0, fake_clock.now  # about a minute of (fake) outage, not 300 s
    assert wall < 10.0
    assert len(pending) == 2 and (tmp_path / "staging" / JOURNAL_NAME).exists()


def test_a_remote_that_comes_back_within_the_window_is_not_declared_dead(
    tmp_path: Path, flaky_remote: Any, fake_clock: Any
) -> None:
    flaky_remote.outage = True
    breaker = CircuitBreaker(failure_threshold=2, recovery_timeout=30.0, clock=fake_clock)
    uploader = make_uploader(
        tmp_path, flaky_remote, sleep=AdvancingSleep(fake_clock), breaker=breaker, retry=RetryPolicy(0)
    )
    submit_all(uploader, write_checkpoints(tmp_path / "ckpt", 1))
    deadline = time.monotonic() + 5
    while breaker.state != "open" and time.monotonic() < deadline:
        time.sleep(0.01)
    flaky_remote.outage = False  # back before the first trial (30 s on the fake clock)
    assert uploader.flush(timeout=60.0)
    uploader.close()
    assert not uploader.dead_remote


@pytest.mark.parametrize("keep_last", [0, -1])
def test_keep_last_must_be_positive(keep_last: int) -> None:
    from litcode.callbacks.upload import CheckpointUploadCallback

    with pytest.raises(ValueError, match="keep_last"):
        CheckpointUploadCallback("memory://x", keep_last=keep_last)


def test_uploader_staging_keeps_a_ledger_beside_the_journal(tmp_path: Path, flaky_remote: Any) -> None:
    uploader = CheckpointUploader(
        RemoteStore(flaky_remote.url), staging=StagingArea(tmp_path / "staging"), keep_last=1
    )
    uploader.start()
    submit_all(uploader, write_checkpoints(tmp_path / "ckpt", 3))
    assert uploader.flush(timeout=20.0)
    uploader.close()
    assert [name for name in ("step=0.ckpt", "step=1.ckpt", "step=2.ckpt") if flaky_remote.exists(name)] == [
        "step=2.ckpt"
    ]
    assert (tmp_path / "staging" / "remote-ledger.json").exists()
