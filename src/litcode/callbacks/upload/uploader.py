"""The upload engine: background workers that put, verify and commit staged checkpoints.

Knows nothing of Lightning, so the callback, ``resume_pending`` and the CLI
share it. Each upload is one retried operation (full-jitter backoff, a
deadline, transient errors only) whose every attempt passes through the circuit
breaker: put the bytes, read them back and compare SHA-256, then move
``latest.json`` if this save is the newest committed. While the breaker is open,
workers leave the backlog alone and training goes on. One record per upload
(:class:`PendingUpload`), changed only under one lock, is the whole state.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from litcode.callbacks.upload.backlog import Eviction, UploadBook
from litcode.callbacks.upload.commit import LEDGER_NAME, CommitLedger, LatestPointer
from litcode.callbacks.upload.journal import PendingUpload, StagingArea, UploadJournal
from litcode.callbacks.upload.remote import RemoteStore
from litcode.callbacks.upload.stats import UploadStats
from litcode.callbacks.upload.transfer import UploadTransfer
from litcode.resilience import CircuitBreaker, OutageWatch, RetryPolicy

logger = logging.getLogger("litcode.callbacks.upload")

#: Uploads: full-jitter backoff from 1 s up to 30 s, at most 2 minutes of retrying per checkpoint.
DEFAULT_RETRY_POLICY = RetryPolicy(max_retries=6, base_delay=1.0, max_delay=30.0, jitter=True, deadline=120.0)
#: The breaker: open after 5 consecutive failed attempts, probe again after 30 s. A dead remote thus
#: costs the end of a fit about a minute: open through 2 x 30 s and a failed trial, then it stops waiting.
DEFAULT_FAILURE_THRESHOLD = 5
DEFAULT_RECOVERY_TIMEOUT = 30.0


def _sleep(seconds: float) -> None:
    # Looked up at call time, as in litcode.resilience, so tests that patch ``time.sleep`` see the waits.
    time.sleep(seconds)


def default_breaker(remote_url: str) -> CircuitBreaker:
    return CircuitBreaker(DEFAULT_FAILURE_THRESHOLD, DEFAULT_RECOVERY_TIMEOUT, name=f"upload {remote_url}")


class CheckpointUploader:
    """Upload staged checkpoints to a :class:`RemoteStore` on background threads, never losing one.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "step=1.ckpt").write_bytes(b"weights")
    >>> store = RemoteStore("memory://doctest-uploader")
    >>> uploader = CheckpointUploader(store, staging=StagingArea(root / "staging"))
    >>> uploader.start()
    >>> uploader.submit_file(root / "step=1.ckpt", "step=1.ckpt", step=1, epoch=0)
    >>> uploader.flush(timeout=10.0), uploader.stats.uploaded
    (True, 1)
    >>> _ = uploader.close()
    """

    def __init__(
        self,
        store: RemoteStore,
        *,
        retry: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
        staging: StagingArea | None = None,
        journal: UploadJournal | None = None,
        num_workers: int = 2,
        max_backlog: int = 16,
        keep_last: int | None = None,
        mirror_deletions: bool = False,
        skip_superseded: bool = False,
        sleep: Callable[[float], None] | None = None,
        poll_interval: float = 0.05,
    ) -> None:
        if num_workers < 1:
            raise ValueError(f"num_workers must be >= 1, got {num_workers}")
        self.store = store
        self.retry = retry or DEFAULT_RETRY_POLICY
        self.breaker = breaker or default_breaker(store.remote_url)
        self.staging = staging
        self.journal = journal
        self.num_workers = num_workers
        self.mirror_deletions = mirror_deletions
        self.skip_superseded = skip_superseded
        self.poll_interval = poll_interval
        self._sleep = sleep or _sleep
        self.book = UploadBook(max_backlog, staging)
        self._cond = self.book.cond
        self._journal_lock = threading.Lock()
        self._stop = threading.Event()
        self._next_sequence = 0
        ledger = CommitLedger(staging.directory / LEDGER_NAME if staging is not None else None)
        self.latest = LatestPointer(
            store, self.breaker, keep_last=keep_last, ledger=ledger, retry=self.retry, sleep=self._sleep
        )
        self._threads: list[threading.Thread] = []
        self._journaled = 0
        self.outage = OutageWatch(self.breaker)
        self.transfer = UploadTransfer(
            store, self.book, self.latest, self.breaker, self.retry, self._sleep, self._stop
        )
        self.dead_remote = False

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> None:
        """Start the worker threads (daemons: a hung remote never keeps the process alive)."""
        if self._threads:
            return
        self._stop.clear()
        for index in range(self.num_workers):
            thread = threading.Thread(target=self._work, name=f"litcode-upload-{index}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def flush(self, timeout: float, abort: threading.Event | None = None) -> bool:
        """Wait up to ``timeout`` seconds until nothing is queued or in flight; True when all committed.

        Returns early when waiting cannot help: ``abort`` is set (SIGTERM), the
        breaker stays open past the deadline, or the remote is dead (the breaker
        open through ``2 * recovery_timeout`` and a failed trial), whatever
        ``timeout`` is. While the breaker is open it waits on the breaker's clock
        (through ``sleep``) for the trial. Permanent failures never count as done.
        """
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                if not (self.book.backlog or self.book.uploading()):
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (abort is not None and abort.is_set()) or self.remote_is_dead():
                    break
                breaker_wait = 0.0 if self.book.uploading() else self.breaker.seconds_until_trial()
                if breaker_wait > remaining:
                    break
                if not breaker_wait:
                    self._cond.wait(min(remaining, self.poll_interval))
                    continue
            self._sleep(min(breaker_wait, 1.0))
            with self._cond:
                self._cond.notify_all()
        if self.breaker.state == "closed":  # deletions that failed earlier get one more try
            self.latest.delete_due(self.book.waiting_names())
        with self._cond:
            return not (self.book.backlog or self.book.active)

    def remote_is_dead(self) -> bool:
        """The breaker has stayed open through ``2 * recovery_timeout`` and a trial failed: stop waiting."""
        if not self.outage.is_dead():
            return False
        if not self.dead_remote:
            self.dead_remote = True
            logger.warning(
                "Remote %s unreachable for %.0fs (%d failed trial(s)): the final flush stops waiting",
                self.store.remote_url,
                self.outage.seconds_down(),
                self.outage.failed_trials,
            )
        return True

    def close(self, timeout: float = 1.0) -> list[PendingUpload]:
        """Stop the workers, write the journal, return what is pending.

        Waits at most ``timeout`` for uploads mid-request; a worker asleep in backoff
        is not waited for (a daemon thread, it stops at its next attempt).
        """
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        deadline = time.monotonic() + timeout
        for thread in self._threads:  # an upload mid-request cannot be interrupted: wait, but bounded
            thread.join(max(0.0, deadline - time.monotonic()))
        self._threads = []
        self.outage.close()
        pending = self.pending()
        self._write_journal()
        with self._cond:
            self._journaled = len(pending) if self.journal is not None else 0
        return pending

    def describe_pending(self, pending: list[PendingUpload], next_step: str) -> str:
        """What the end of a fit tells the user about checkpoints left pending, and what to run next."""
        reason = "the remote stayed unreachable" if self.dead_remote else "they did not finish"
        return (
            f"litcode: {len(pending)} checkpoint(s) not committed to {self.store.remote_url} ({reason}): "
            f"{', '.join(upload.name for upload in pending)}. Saved locally and journaled in "
            f"{self.journal.path if self.journal else '(no journal)'}; finish with:\n{next_step}"
        )

    # -- submitting ----------------------------------------------------------------

    def submit_file(self, source: Any, name: str, *, step: int, epoch: int) -> None:
        """Stage ``source`` (a file or directory) and queue it for upload as ``name``."""
        staged = self.staging.stage(source) if self.staging is not None else source
        with self._cond:
            sequence = self._next_sequence
            self._next_sequence += 1
        self.latest.forget_removal(name)
        self.submit(PendingUpload(name, str(staged), str(source), int(step), int(epoch), sequence))

    def commit_elsewhere(self, record: dict[str, Any]) -> bool:
        """Commit a set uploaded outside the workers (a sharded save) as a new save: same pointer rules."""
        with self._cond:
            sequence, self._next_sequence = self._next_sequence, self._next_sequence + 1
        name, step, epoch = record["checkpoint"], int(record["step"]), int(record["epoch"])
        upload = PendingUpload(name, "", "", step, epoch, sequence, record["bytes"], record["sha256"])
        return self.latest.commit(upload, self.book.waiting_names())

    def submit(self, upload: PendingUpload) -> None:
        """Queue an already staged upload (from :meth:`submit_file` or a journal)."""
        with self._cond:
            self._next_sequence = max(self._next_sequence, upload.sequence + 1)
            self.book.add(upload)
            self._cond.notify_all()
        self._write_journal()

    def restore(self, entries: tuple[PendingUpload, ...], latest_sequence: int | None) -> None:
        """Queue a journal's entries ahead of any new save, keeping their order and ``latest`` rule."""
        known = {entry.sequence for entry in entries}
        old = sorted(known | ({latest_sequence} if latest_sequence is not None else set()))
        renumber = {sequence: index - len(old) for index, sequence in enumerate(old)}  # before this run's 0
        self.latest.restore(renumber[latest_sequence] if latest_sequence is not None else None)
        for entry in entries:
            entry.sequence = renumber[entry.sequence]
            self.submit(entry)

    def note_local_removal(self, name: str) -> None:
        """ModelCheckpoint deleted ``name`` locally: maybe skip its queued upload, maybe delete it remote."""
        with self._cond:
            if self.skip_superseded:
                for upload in self.book.backlog.remove(name):
                    self.book.report(
                        [Eviction(upload, "rotated away locally before upload (skip_superseded)")]
                    )
            if self.mirror_deletions:
                self.latest.note_removal(name, self._next_sequence - 1)
        self._write_journal()

    # -- reading -------------------------------------------------------------------

    def pending(self) -> list[PendingUpload]:
        """Uploads not yet committed: queued, deferred, in flight, or held back by a permanent error."""
        return self.book.pending()

    @property
    def superseded(self) -> list[Eviction]:
        with self._cond:
            return list(self.book.superseded)

    @property
    def stats(self) -> UploadStats:
        return self.book.stats(
            breaker_state=str(self.breaker.state),
            journaled=self._journaled,
            deleted=self.latest.deleted,
            deletions_pending=self.latest.deletions_pending,
            dead_remote=self.dead_remote,
        )

    # -- the workers (every change to a record under ``self._cond``) ------------------------

    def _work(self) -> None:
        while True:
            with self._cond:
                upload = self._next_upload()
                while upload is None:
                    if self._stop.is_set():
                        return
                    self._cond.wait(self.poll_interval if self.book.backlog else None)
                    upload = self._next_upload()
                self.book.begin(upload)
            try:
                self.transfer.run(upload)
            finally:
                with self._cond:
                    self._cond.notify_all()
                self._write_journal()

    def _next_upload(self) -> PendingUpload | None:
        if self._stop.is_set() or not self.book.backlog or self.breaker.state == "open":
            return None
        busy = {upload.name for upload in self.book.active.values() if upload.state == "uploading"}
        return self.book.backlog.take(busy)

    def _write_journal(self) -> None:
        if self.journal is None:
            return
        with self._journal_lock:
            pending = self.pending()
            try:
                self.journal.write(self.store.remote_url, pending, self.latest.sequence)
            except OSError as error:
                logger.error("Could not write upload journal %s: %s", self.journal.path, error)
