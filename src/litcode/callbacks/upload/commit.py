"""What the remote holds: ``latest.json`` only moves forward, and old checkpoints leave only behind it.

Rules of the design that live here:

* ``latest.json`` names a checkpoint only after its bytes were verified (the
  uploader calls :meth:`LatestPointer.commit` last), only ever a newer save than
  the one it names, whatever order concurrent workers finish in, and never a
  lower step than the remote named when this run started (a rerun at step 0
  does not drag the pointer back).
* Retention (``keep_last=N``) and ``mirror_deletions`` delete a remote
  checkpoint only after the pointer has moved past it, never the one it names,
  never the one the fit resumed from, never one a queued upload is about to
  rewrite, and never a file another run wrote: only names in this run's
  :class:`CommitLedger` are candidates.
* Deletions go through the same retry policy and breaker as uploads, on the
  upload workers; one that fails stays due and is tried again after the next
  commit (and at the final flush), so it never blocks training.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from litcode.atomic_file import atomic_write_text
from litcode.callbacks.upload.errors import describe_error, is_transient_upload_error
from litcode.callbacks.upload.journal import PendingUpload
from litcode.callbacks.upload.remote import RemoteStore
from litcode.resilience import CircuitBreaker, OnRetry, RetryPolicy, build_retrying

logger = logging.getLogger("litcode.callbacks.upload")

LEDGER_NAME = "remote-ledger.json"


def retried(
    policy: RetryPolicy,
    name: str,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    on_retry: OnRetry | None = None,
) -> Any:
    """The retry engine every remote operation of the uploader goes through (transient errors only)."""
    engine = build_retrying(
        policy, name=name, classifier=is_transient_upload_error, clock=clock, on_retry=on_retry
    )
    return engine.copy(sleep=sleep)


class CommitLedger:
    """The remote names this run committed, in save order, kept beside the journal across resumes.

    Each name carries the sequence of its newest committed save; names an earlier
    segment of the run committed come first (negative sequences, as journaled saves).

    >>> import tempfile, pathlib
    >>> ledger = CommitLedger(pathlib.Path(tempfile.mkdtemp()) / LEDGER_NAME)
    >>> ledger.committed("a.ckpt", 0); ledger.committed("c.ckpt", 2); ledger.committed("b.ckpt", 1)
    >>> ledger.committed("a.ckpt", 3)
    >>> CommitLedger(ledger.path).names
    ['b.ckpt', 'c.ckpt', 'a.ckpt']
    """

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = Path(path) if path is not None else None
        self.sequences: dict[str, int] = {}
        if self.path is None or not self.path.exists():
            return
        try:
            earlier = [str(name) for name in json.loads(self.path.read_text())["committed"]]
        except (ValueError, KeyError, TypeError) as error:
            logger.warning("Ignoring unreadable %s (%s): no retention for its files", self.path, error)
            return
        self.sequences = {name: index - len(earlier) for index, name in enumerate(earlier)}

    @property
    def names(self) -> list[str]:
        """Oldest save first."""
        return sorted(self.sequences, key=self.sequences.__getitem__)

    def committed(self, name: str, sequence: int) -> None:
        self.sequences[name] = max(sequence, self.sequences.get(name, sequence))
        self._write()

    def deleted(self, name: str) -> None:
        if self.sequences.pop(name, None) is not None:
            self._write()

    def _write(self) -> None:
        if self.path is None:
            return
        try:
            atomic_write_text(self.path, json.dumps({"committed": self.names}, indent=1))
        except OSError as error:
            logger.error("Could not write %s: %s", self.path, error)


class LatestPointer:
    """The newest committed save, its remote ``latest.json``, and the deletions waiting behind it.

    >>> from litcode.resilience import CircuitBreaker
    >>> pointer = LatestPointer(RemoteStore("memory://doctest-pointer"), CircuitBreaker())
    >>> newer = PendingUpload("b.ckpt", "/s/b", "/c/b", step=2, epoch=0, sequence=2, bytes=1, sha256="b")
    >>> older = PendingUpload("a.ckpt", "/s/a", "/c/a", step=1, epoch=0, sequence=1, bytes=1, sha256="a")
    >>> pointer.commit(newer, set()), pointer.commit(older, set())
    (True, False)
    >>> pointer.store.read_latest()["checkpoint"]
    'b.ckpt'
    """

    def __init__(
        self,
        store: RemoteStore,
        breaker: CircuitBreaker,
        *,
        keep_last: int | None = None,
        ledger: CommitLedger | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        if keep_last is not None and keep_last < 1:
            raise ValueError(f"keep_last must be >= 1 (or None to keep everything), got {keep_last}")
        self.store = store
        self.breaker = breaker
        self.keep_last = keep_last
        self.ledger = ledger or CommitLedger(None)
        self.retry = retry or RetryPolicy(max_retries=0)
        self.sleep = sleep or (lambda seconds: None)
        self.sequence: int | None = None
        self.name: str | None = None
        self.protected: set[str] = set()  # the checkpoint the fit resumed from
        self.deleted = 0
        self._floor_step: int | None = None  # the step latest.json named before this run's first commit
        # Two locks: ``_commit_lock`` orders the remote writes of latest.json (held across I/O, by upload
        # workers only); ``_lock`` guards the bookkeeping, held briefly, so the training thread (a save,
        # a rotation, the per-batch stats) never waits on the remote.
        self._commit_lock = threading.Lock()
        self._lock = threading.Lock()
        self._rotated: dict[str, int] = {}  # mirror_deletions: name -> last save sequence when rotated away
        self._due: set[str] = set()  # deletions that failed, tried again after the next commit
        self._deleting: set[str] = set()  # deletions a worker is making now

    def restore(self, sequence: int | None) -> None:
        """Start from the save a journal says the pointer named (renumbered into this run)."""
        with self._lock:
            if sequence is not None and self.sequence is None:
                self.sequence = sequence

    def note_removal(self, name: str, newest_sequence: int) -> None:
        with self._lock:
            self._rotated[name] = newest_sequence

    def forget_removal(self, name: str) -> None:
        """A new save reuses the name: the remote copy is wanted again."""
        with self._lock:
            self._rotated.pop(name, None)
            self._due.discard(name)

    @property
    def deletions_pending(self) -> int:
        with self._lock:
            return len(self._due)

    def commit(self, upload: PendingUpload, waiting_names: set[str]) -> bool:
        """Point ``latest.json`` at ``upload`` if it is the newest save; return whether it moved.

        Raises what the remote raises (the caller retries); deletions never raise.
        """
        with self._commit_lock:
            if self._floor_step is None:
                self._floor_step = self._remote_step()
            floor = self._floor_step or 0
            with self._lock:
                moved = (self.sequence is None or upload.sequence > self.sequence) and upload.step >= floor
            if moved:
                record = {
                    "checkpoint": upload.name,
                    "bytes": upload.bytes,
                    "sha256": upload.sha256,
                    "step": upload.step,
                    "epoch": upload.epoch,
                }
                self.breaker.call(self.store.write_latest, record)
            with self._lock:
                if moved:
                    self.sequence, self.name = upload.sequence, upload.name
                self.ledger.committed(upload.name, upload.sequence)
        self.delete_due(waiting_names)
        return moved

    def delete_due(self, waiting_names: set[str]) -> None:
        """Delete what retention and mirrored rotations say may go now; failures stay due."""
        with self._lock:
            due = self._due_names(waiting_names)
            self._deleting.update(due)  # one worker per deletion
        for name in due:
            try:
                retried(self.retry, f"deletion of {name}", self.sleep, self.breaker.clock)(
                    self.breaker.call, self.store.delete, name
                )
            except Exception as error:
                logger.warning(
                    "Could not delete remote checkpoint %s (%s); tried again after the next commit",
                    name,
                    describe_error(error),
                )
                with self._lock:
                    self._due.add(name)
                    self._deleting.discard(name)
                continue
            with self._lock:
                self._due.discard(name)
                self._deleting.discard(name)
                self._rotated.pop(name, None)
                self.ledger.deleted(name)
                self.deleted += 1
            logger.info("Deleted remote checkpoint %s (behind latest.json %s)", name, self.name)

    def _due_names(self, waiting_names: set[str]) -> list[str]:
        if self.sequence is None or self.name is None:
            return []
        keep = {self.name, *self.protected, *waiting_names}
        due = {name for name, rotated_at in self._rotated.items() if rotated_at <= self.sequence}
        if self.keep_last is not None:
            newest = self.ledger.names[-self.keep_last :]
            behind = (name for name, sequence in self.ledger.sequences.items() if sequence < self.sequence)
            due.update(name for name in behind if name not in newest)
        self._due &= set(self.ledger.sequences) | set(self._rotated)  # gone from both: nothing left to do
        due.update(self._due)
        return sorted(due - keep - self._deleting)

    def _remote_step(self) -> int | None:
        """The step the remote's ``latest.json`` names now; None when unreadable (asked again next time)."""
        try:
            return int(self.store.read_latest().get("step") or 0)
        except FileNotFoundError:
            return 0
        except Exception as error:  # unreadable now: do not block the commit on it
            logger.debug("Could not read the remote latest.json before the first commit: %s", error)
            return None
