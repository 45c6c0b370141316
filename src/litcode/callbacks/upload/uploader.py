"""The upload engine: background workers that put, verify and commit staged checkpoints.

Knows nothing of Lightning, so the callback, ``resume_pending`` and the CLI
share it. Each upload is one retried operation (``litcode.resilience``: full
jitter backoff, a deadline, transient errors only) whose every attempt passes
through the circuit breaker: put the bytes, read them back and compare
SHA-256, then move ``latest.json`` if this save is the newest committed. While
the breaker is open, workers leave the backlog alone and training goes on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from litcode.callbacks.upload.backlog import Eviction, UploadBacklog
from litcode.callbacks.upload.digest import CheckpointDigest, digest_checkpoint
from litcode.callbacks.upload.errors import (
    UploadCancelledError,
    UploadVerificationError,
    describe_error,
    is_transient_upload_error,
)
from litcode.callbacks.upload.journal import PendingUpload, UploadJournal
from litcode.callbacks.upload.latest_pointer import LatestPointer
from litcode.callbacks.upload.remote import RemoteStore
from litcode.callbacks.upload.staging import StagingArea
from litcode.callbacks.upload.stats import UploadStats
from litcode.resilience import CircuitBreaker, CircuitBreakerOpenError, RetryPolicy, build_retrying

logger = logging.getLogger("litcode.callbacks.upload")

#: Uploads: full-jitter backoff from 1 s up to 30 s, at most 2 minutes of retrying per checkpoint.
DEFAULT_RETRY_POLICY = RetryPolicy(max_retries=6, base_delay=1.0, max_delay=30.0, jitter=True, deadline=120.0)


#: The counters kept by the uploader, named as in :class:`UploadStats`.
_COUNTERS = (
    "uploaded",
    "attempts",
    "failed_attempts",
    "retries",
    "bytes_uploaded",
    "rejected_by_breaker",
    "journaled",
)


def _sleep(seconds: float) -> None:
    # Looked up at call time, as in litcode.resilience, so tests that patch ``time.sleep`` see the waits.
    time.sleep(seconds)


def default_breaker(remote_url: str) -> CircuitBreaker:
    """Open after 5 consecutive failed attempts, probe again after 30 s."""
    return CircuitBreaker(failure_threshold=5, recovery_timeout=30.0, name=f"upload {remote_url}")


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
        mirror_deletions: bool = False,
        skip_superseded: bool = False,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
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
        self.clock = clock or self.breaker.clock
        self.poll_interval = poll_interval
        self._sleep = sleep or _sleep
        self._cond = threading.Condition()
        self._journal_lock = threading.Lock()
        self._stop = threading.Event()
        self._backlog = UploadBacklog(max_backlog)
        self._in_flight: dict[int, PendingUpload] = {}
        self._held: dict[int, PendingUpload] = {}  # permanent failures, kept for the journal
        self._digests: dict[int, CheckpointDigest] = {}
        self._stages: dict[int, str] = {}  # where a retried upload resumes: put, verify, commit
        self._superseded: list[Eviction] = []
        self._next_sequence = 0
        self.latest = LatestPointer(store, self.breaker)
        self._threads: list[threading.Thread] = []
        self._counts = dict.fromkeys(_COUNTERS, 0)
        self._upload_seconds = 0.0
        self._last_error: str | None = None

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

        Returns early when waiting cannot help: the breaker stays open past the
        deadline, or ``abort`` is set (SIGTERM). Permanent failures never count as done.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._backlog or self._in_flight:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (abort is not None and abort.is_set()):
                    break
                if not self._in_flight and self._breaker_wait() > remaining:
                    break
                self._cond.wait(min(remaining, self.poll_interval))
            return not (self._backlog or self._in_flight or self._held)

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
        pending = self.pending()
        self._write_journal()
        with self._cond:
            self._counts["journaled"] = len(pending) if self.journal is not None else 0
        return pending

    # -- submitting ----------------------------------------------------------------

    def submit_file(self, source: Any, name: str, *, step: int, epoch: int) -> None:
        """Stage ``source`` (a file or directory) and queue it for upload as ``name``."""
        staged = self.staging.stage(source) if self.staging is not None else source
        with self._cond:
            sequence = self._next_sequence
            self._next_sequence += 1
        self.latest.forget_removal(name)
        upload = PendingUpload(name, str(staged), str(source), int(step), int(epoch), sequence)
        self.submit(upload)

    def submit(self, upload: PendingUpload) -> None:
        """Queue an already staged upload (from :meth:`submit_file` or a journal)."""
        with self._cond:
            self._next_sequence = max(self._next_sequence, upload.sequence + 1)
            self._report(self._backlog.add(upload))
            self._cond.notify_all()
        self._write_journal()

    def restore(self, entries: tuple[PendingUpload, ...], latest_sequence: int | None) -> None:
        """Queue a journal's entries ahead of any new save, keeping their order and ``latest`` rule."""
        known = {entry.sequence for entry in entries}
        old = sorted(known | ({latest_sequence} if latest_sequence is not None else set()))
        renumber = {sequence: index - len(old) for index, sequence in enumerate(old)}
        self.latest.restore(renumber[latest_sequence] if latest_sequence is not None else None)
        for entry in entries:
            entry.sequence = renumber[entry.sequence]
            entry.error = None
            self.submit(entry)

    def note_local_removal(self, name: str) -> None:
        """ModelCheckpoint deleted ``name`` locally: maybe skip its queued upload, maybe delete it remote."""
        with self._cond:
            if self.skip_superseded:
                for upload in self._backlog.remove(name):
                    self._report([Eviction(upload, "rotated away locally before upload (skip_superseded)")])
            if self.mirror_deletions:
                self.latest.note_removal(name, self._next_sequence - 1)
        self._write_journal()

    # -- reading -------------------------------------------------------------------

    def pending(self) -> list[PendingUpload]:
        """Uploads not yet committed: queued, in flight, or held back by a permanent error."""
        with self._cond:
            everything = [*self._backlog, *self._in_flight.values(), *self._held.values()]
        return sorted(everything, key=lambda upload: upload.sequence)

    @property
    def superseded(self) -> list[Eviction]:
        with self._cond:
            return list(self._superseded)

    @property
    def stats(self) -> UploadStats:
        with self._cond:
            backlog, in_flight, held = len(self._backlog), len(self._in_flight), len(self._held)
            return UploadStats(
                **self._counts,
                pending=backlog + in_flight + held,
                backlog=backlog,
                in_flight=in_flight,
                permanent_failures=held,
                superseded=len(self._superseded),
                upload_seconds=self._upload_seconds,
                breaker_state=str(self.breaker.state),
                last_error=self._last_error,
            )

    # -- the workers -----------------------------------------------------------------

    def _work(self) -> None:
        while True:
            with self._cond:
                upload = self._next_upload()
                while upload is None:
                    if self._stop.is_set():
                        return
                    self._cond.wait(self.poll_interval if self._backlog else None)
                    upload = self._next_upload()
                self._in_flight[upload.sequence] = upload
            try:
                self._process(upload)
            finally:
                with self._cond:
                    self._in_flight.pop(upload.sequence, None)
                    self._cond.notify_all()
                self._write_journal()

    def _next_upload(self) -> PendingUpload | None:
        if self._stop.is_set() or not self._backlog or self.breaker.state == "open":
            return None
        busy = {upload.name for upload in self._in_flight.values()}
        return self._backlog.take(busy)

    def _process(self, upload: PendingUpload) -> None:
        started = time.monotonic()
        try:
            digest = self._digests.get(upload.sequence)
            if digest is None:
                digest = digest_checkpoint(upload.staged_path)
                self._digests[upload.sequence] = digest
                upload.bytes, upload.sha256 = digest.bytes, digest.sha256
            engine = build_retrying(
                self.retry,
                name=f"upload of {upload.name}",
                classifier=is_transient_upload_error,
                clock=self.clock,
                on_retry=self._count_retry,
            ).copy(sleep=self._sleep)
            engine(self._attempt, upload, digest)
        except (CircuitBreakerOpenError, UploadCancelledError) as error:
            with self._cond:
                self._counts["rejected_by_breaker"] += isinstance(error, CircuitBreakerOpenError)
                self._report(self._backlog.put_back(upload))
            return
        except Exception as error:
            self._on_failure(upload, error)
            return
        with self._cond:
            self._counts["uploaded"] += 1
            self._counts["bytes_uploaded"] += digest.bytes
            self._upload_seconds += time.monotonic() - started
            self._digests.pop(upload.sequence, None)
            self._stages.pop(upload.sequence, None)
        if self.staging is not None:
            self.staging.release(upload.staged_path)
        logger.info(
            "Checkpoint %s committed at %s (%d bytes)", upload.name, self.store.remote_url, digest.bytes
        )

    def _attempt(self, upload: PendingUpload, digest: CheckpointDigest) -> None:
        """One try, resuming at the stage the last one failed in: put, verify, commit.

        Each stage is one breaker call, so a retry after a failed read-back does not
        re-send bytes that arrived, unless the read-back proved them wrong.
        """
        if self._stop.is_set():  # closed while this upload slept in backoff: it stays journaled
            raise UploadCancelledError(f"uploader closed; {upload.name} stays pending")
        with self._cond:
            self._counts["attempts"] += 1
            upload.attempts += 1
        try:
            stage = self._stages.get(upload.sequence, "put")
            if stage == "put":
                self.breaker.call(self.store.put, upload.staged_path, upload.name, digest)
                stage = self._stages[upload.sequence] = "verify"
            if stage == "verify":
                try:
                    self.breaker.call(self.store.verify, upload.name, digest)
                except UploadVerificationError:
                    self._stages[upload.sequence] = "put"
                    raise
                self._stages[upload.sequence] = "commit"
            self._commit(upload)
        except (CircuitBreakerOpenError, UploadCancelledError):
            raise
        except Exception as error:
            with self._cond:
                self._counts["failed_attempts"] += 1
                self._last_error = f"{upload.name}: {describe_error(error)}"
            raise

    def _commit(self, upload: PendingUpload) -> None:
        with self._cond:
            waiting = {u.name for u in [*self._backlog, *self._in_flight.values(), *self._held.values()]}
        waiting.discard(upload.name)
        self.latest.commit(upload, waiting)

    def _on_failure(self, upload: PendingUpload, error: Exception) -> None:
        description = describe_error(error)
        if is_transient_upload_error(error):
            logger.warning(
                "Upload of %s still failing after %d attempts (%s); it stays queued",
                upload.name,
                upload.attempts,
                description,
            )
            with self._cond:
                self._report(self._backlog.put_back(upload))
            return
        logger.error(
            "Upload of %s to %s failed permanently: %s. It is kept in the journal; fix the remote "
            "and run `litcode upload --resume` on the staging directory.",
            upload.name,
            self.store.remote_url,
            description,
        )
        with self._cond:
            upload.error = description
            self._held[upload.sequence] = upload

    def _count_retry(self, error: BaseException, attempt: int) -> None:
        with self._cond:
            self._counts["retries"] += 1

    def _breaker_wait(self) -> float:
        """Seconds (on the breaker's clock) until an open breaker lets a trial through; 0 otherwise."""
        if self.breaker.state != "open":
            return 0.0
        opened_at = self.breaker.stats.opened_at or self.breaker.clock()
        return max(0.0, opened_at + self.breaker.recovery_timeout - self.breaker.clock())

    def _report(self, evictions: list[Eviction]) -> None:
        """Log and count uploads let go on purpose; release their staged copies. Called under the lock."""
        for eviction in evictions:
            logger.warning("Checkpoint %s will not be uploaded: %s", eviction.upload.name, eviction.reason)
            self._superseded.append(eviction)
            self._digests.pop(eviction.upload.sequence, None)
            if self.staging is not None:
                self.staging.release(eviction.upload.staged_path)

    def _write_journal(self) -> None:
        if self.journal is None:
            return
        with self._journal_lock:
            pending = self.pending()
            try:
                self.journal.write(self.store.remote_url, pending, self.latest.sequence)
            except OSError as error:
                logger.error("Could not write upload journal %s: %s", self.journal.path, error)
