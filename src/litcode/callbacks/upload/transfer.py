"""One checkpoint's way to the remote: put the bytes, read them back, move ``latest.json``, retried.

Each stage is one call through the circuit breaker, and the record remembers the
stage it reached (``PendingUpload.stage``), so a retry after a failed read-back
does not re-send bytes that arrived, unless the read-back proved them wrong. How
it ended goes into the :class:`~litcode.callbacks.upload.backlog.UploadBook`:
committed, put back (breaker open, transient failure past the retry budget,
shutting down), or held with one line saying what to fix (a permanent error).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from litcode.callbacks.upload.backlog import UploadBook
from litcode.callbacks.upload.commit import LatestPointer, retried
from litcode.callbacks.upload.errors import (
    UploadCancelledError,
    UploadVerificationError,
    describe_error,
    is_transient_upload_error,
    what_to_fix,
)
from litcode.callbacks.upload.journal import PendingUpload, Stage
from litcode.callbacks.upload.remote import RemoteStore, digest_checkpoint
from litcode.resilience import CircuitBreaker, CircuitBreakerOpenError, RetryPolicy

logger = logging.getLogger("litcode.callbacks.upload")


class UploadTransfer:
    """Run uploads taken from ``book`` to ``store``; used by the uploader's worker threads.

    >>> import tempfile, pathlib, threading
    >>> from litcode.resilience import RetryPolicy
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.ckpt"
    >>> _ = path.write_bytes(b"weights")
    >>> store, book, breaker = RemoteStore("memory://doctest-transfer"), UploadBook(), CircuitBreaker()
    >>> transfer = UploadTransfer(store, book, LatestPointer(store, breaker), breaker,
    ...                           RetryPolicy(max_retries=0), lambda s: None, threading.Event())
    >>> transfer.run(PendingUpload("a.ckpt", str(path), str(path), 1, 0, 0))
    >>> book.counts["uploaded"], store.read_latest()["checkpoint"]
    (1, 'a.ckpt')
    """

    def __init__(
        self,
        store: RemoteStore,
        book: UploadBook,
        latest: LatestPointer,
        breaker: CircuitBreaker,
        retry: RetryPolicy,
        sleep: Callable[[float], None],
        stop: threading.Event,
    ) -> None:
        self.store = store
        self.book = book
        self.latest = latest
        self.breaker = breaker
        self.retry = retry
        self.sleep = sleep
        self.stop = stop
        self._last_permanent: str | None = None

    def run(self, upload: PendingUpload) -> None:
        """Hash (once), then put, verify and commit ``upload``, retried; the book says how it ended."""
        started = time.monotonic()
        try:
            if upload.digest is None:
                digest = digest_checkpoint(upload.staged_path)
                with self.book.cond:
                    upload.digest, upload.bytes, upload.sha256 = digest, digest.bytes, digest.sha256
            name = f"upload of {upload.name}"
            retried(self.retry, name, self.sleep, self.breaker.clock, self._count_retry)(
                self._attempt, upload
            )
        except (CircuitBreakerOpenError, UploadCancelledError) as error:
            with self.book.cond:
                self.book.counts["rejected_by_breaker"] += isinstance(error, CircuitBreakerOpenError)
                self.book.put_back(upload)
            return
        except Exception as error:
            self._on_failure(upload, error)
            return
        with self.book.cond:
            self.book.committed(upload, time.monotonic() - started)
        if self.book.staging is not None:
            self.book.staging.release(upload.staged_path)
        logger.info(
            "Checkpoint %s committed at %s (%s bytes)", upload.name, self.store.remote_url, upload.bytes
        )

    def _attempt(self, upload: PendingUpload) -> None:
        """One try, resuming at the stage the last one failed in: put, verify, commit.

        Each stage is one breaker call, so a retry after a failed read-back does not
        re-send bytes that arrived, unless the read-back proved them wrong.
        """
        if self.stop.is_set():  # closed while this upload slept in backoff: it stays journaled
            raise UploadCancelledError(f"uploader closed; {upload.name} stays pending")
        digest = upload.digest
        assert digest is not None  # hashed in _process before the first attempt
        with self.book.cond:
            self.book.counts["attempts"] += 1
            upload.attempts += 1
        try:
            if upload.stage == "put":
                self.breaker.call(self.store.put, upload.staged_path, upload.name, digest)
                self._set_stage(upload, "verify")
            if upload.stage == "verify":
                try:
                    self.breaker.call(self.store.verify, upload.name, digest)
                except UploadVerificationError:
                    self._set_stage(upload, "put")
                    raise
                except FileNotFoundError as error:  # the copy vanished (a journaled upload): send it again
                    self._set_stage(upload, "put")
                    raise UploadVerificationError(f"{upload.name}: the remote copy is missing") from error
                self._set_stage(upload, "commit")
            self.latest.commit(upload, self.book.waiting_names() - {upload.name})
        except (CircuitBreakerOpenError, UploadCancelledError):
            raise
        except Exception as error:
            with self.book.cond:
                self.book.counts["failed_attempts"] += 1
                self.book.last_error = f"{upload.name}: {describe_error(error)}"
            raise

    def _set_stage(self, upload: PendingUpload, stage: Stage) -> None:
        with self.book.cond:
            upload.stage = stage

    def _on_failure(self, upload: PendingUpload, error: Exception) -> None:
        if is_transient_upload_error(error):
            logger.warning(
                "Upload of %s still failing after %d attempts (%s); it stays queued",
                upload.name,
                upload.attempts,
                describe_error(error),
            )
            with self.book.cond:
                self.book.put_back(upload)
            return
        hint = what_to_fix(error, self.store.remote_url)
        with self.book.cond:  # workers share this transfer: check and set under one lock
            first_of_its_kind = hint != self._last_permanent
            self._last_permanent = hint
            self.book.hold(upload, hint)
        if first_of_its_kind:  # one line per distinct cause, not one per checkpoint
            logger.error("Checkpoint upload failed, not retried: %s", hint)

    def _count_retry(self, error: BaseException, attempt: int) -> None:
        with self.book.cond:
            self.book.counts["retries"] += 1
