"""The bounded local backlog of checkpoints waiting for the remote (upload figures: :mod:`.stats`).

While the remote is down the backlog is what keeps training going: saves keep
arriving, nothing blocks. Every checkpoint ends uploaded or reported as pending
(DESIGN), so nothing is ever dropped for lack of room; the policy, every case reported:

* a newer save under the same remote name (``last.ckpt`` re-saved) supersedes
  a queued older one: uploading the old bytes would only be overwritten;
* beyond ``max_size`` queued saves, the oldest that is not a ``last*`` save is
  *deferred*: still staged and journaled (``pending()`` lists it), uploaded once
  the queue has room, or by ``litcode upload --resume`` after the run.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from litcode.callbacks.upload.journal import PendingUpload, StagingArea
from litcode.callbacks.upload.stats import COUNTERS, UploadStats, UploadStatsSink

logger = logging.getLogger("litcode.callbacks.upload")

# UploadStats and UploadStatsSink lived here first; importable from here still.
__all__ = ["Eviction", "UploadBacklog", "UploadBook", "UploadStats", "UploadStatsSink"]


@dataclass(frozen=True)
class Eviction:
    """A queued upload the backlog let go of, and why (for the log and ``stats.superseded``)."""

    upload: PendingUpload
    reason: str


class UploadBacklog:
    """Uploads waiting for a worker, in save order: ``max_size`` queued, the rest deferred.

    >>> backlog = UploadBacklog(max_size=2)
    >>> def save(name, seq): return PendingUpload(name, f"/s/{seq}", f"/c/{name}", seq, 0, seq)
    >>> backlog.add(save("epoch=0.ckpt", 0)) + backlog.add(save("last.ckpt", 1))
    []
    >>> backlog.add(save("epoch=1.ckpt", 2)), [u.name for u in backlog.deferred]   # full: deferred, kept
    ([], ['epoch=0.ckpt'])
    >>> [e.upload.name for e in backlog.add(save("last.ckpt", 3))]      # same name: older superseded
    ['last.ckpt']
    >>> len(backlog)
    3
    """

    def __init__(self, max_size: int = 16) -> None:
        if max_size < 1:
            raise ValueError(f"max_size must be >= 1, got {max_size}")
        self.max_size = max_size
        self._uploads: list[PendingUpload] = []  # queued, sorted by sequence
        self._deferred: list[PendingUpload] = []  # over max_size, sorted by sequence

    def __len__(self) -> int:
        return len(self._uploads) + len(self._deferred)

    def __iter__(self) -> Iterator[PendingUpload]:
        """Queued then deferred uploads (all of them pending)."""
        return iter([*self._uploads, *self._deferred])

    @property
    def deferred(self) -> list[PendingUpload]:
        return list(self._deferred)

    def add(self, upload: PendingUpload) -> list[Eviction]:
        """Queue a new save; return what it superseded or pushed out."""
        evicted = [
            Eviction(old, f"superseded by a newer save of {upload.name} (sequence {upload.sequence})")
            for old in self
            if old.name == upload.name and old.sequence < upload.sequence
        ]
        gone = {id(eviction.upload) for eviction in evicted}
        self._uploads = [old for old in self._uploads if id(old) not in gone]
        self._deferred = [old for old in self._deferred if id(old) not in gone]
        self._insert(upload)
        self._trim()
        return evicted

    def put_back(self, upload: PendingUpload) -> list[Eviction]:
        """Return an upload that could not finish; it is dropped if a newer save of its name is queued."""
        if any(other.name == upload.name and other.sequence > upload.sequence for other in self):
            return [Eviction(upload, f"superseded while uploading by a newer save of {upload.name}")]
        self._insert(upload)
        self._trim()
        return []

    def take(self, busy_names: set[str]) -> PendingUpload | None:
        """The oldest queued upload whose remote name no worker is writing (one writer per name)."""
        for index, upload in enumerate(self._uploads):
            if upload.name not in busy_names:
                taken = self._uploads.pop(index)
                self._refill()
                return taken
        return None

    def remove(self, name: str) -> list[PendingUpload]:
        """Take every waiting upload of ``name`` out (a save rotated away under ``skip_superseded``)."""
        removed = [upload for upload in self if upload.name == name]
        self._uploads = [upload for upload in self._uploads if upload.name != name]
        self._deferred = [upload for upload in self._deferred if upload.name != name]
        self._refill()
        return removed

    def _insert(self, upload: PendingUpload) -> None:
        upload.state = "queued"
        keys = [queued.sequence for queued in self._uploads]
        self._uploads.insert(bisect.bisect_right(keys, upload.sequence), upload)

    def _trim(self) -> None:
        while len(self._uploads) > self.max_size:
            victim = next((upload for upload in self._uploads if not upload.is_last), self._uploads[0])
            self._uploads.remove(victim)
            victim.state = "deferred"
            keys = [deferred.sequence for deferred in self._deferred]
            self._deferred.insert(bisect.bisect_right(keys, victim.sequence), victim)

    def _refill(self) -> None:
        while self._deferred and len(self._uploads) < self.max_size:
            self._insert(self._deferred.pop(0))


class UploadBook:
    """Every upload of one uploader, one :class:`PendingUpload` each, changed only under ``cond``.

    Waiting uploads are in the ``backlog`` (queued or deferred); ``active`` holds
    those ``uploading`` now and those ``held`` after a permanent error, by sequence.
    Methods that say "under the lock" expect the caller to hold ``cond``.

    >>> book = UploadBook(max_backlog=4)
    >>> with book.cond:
    ...     book.add(PendingUpload("a.ckpt", "/s/a", "/c/a", 1, 0, 0))
    >>> [upload.name for upload in book.pending()], book.stats(breaker_state="closed").pending
    (['a.ckpt'], 1)
    """

    def __init__(self, max_backlog: int = 16, staging: StagingArea | None = None) -> None:
        self.cond = threading.Condition()
        self.backlog = UploadBacklog(max_backlog)
        self.active: dict[int, PendingUpload] = {}
        self.superseded: list[Eviction] = []
        self.counts = dict.fromkeys(COUNTERS, 0)
        self.upload_seconds = 0.0
        self.last_error: str | None = None
        self.staging = staging

    def pending(self) -> list[PendingUpload]:
        """Not yet committed: queued, deferred, uploading, or held, in save order."""
        with self.cond:
            return sorted([*self.backlog, *self.active.values()], key=lambda upload: upload.sequence)

    def waiting_names(self) -> set[str]:
        with self.cond:
            return {upload.name for upload in [*self.backlog, *self.active.values()]}

    def uploading(self) -> int:
        """How many uploads a worker holds now (under the lock)."""
        return sum(upload.state == "uploading" for upload in self.active.values())

    def add(self, upload: PendingUpload) -> None:
        """Queue a save; an older one of its name held by a permanent error gives way (under the lock)."""
        for old in [
            held for held in self.active.values() if held.state == "held" and held.name == upload.name
        ]:
            if old.sequence < upload.sequence:
                del self.active[old.sequence]
                self.report([Eviction(old, f"superseded by a newer save of {upload.name} while held")])
        self.report(self.backlog.add(upload))

    def begin(self, upload: PendingUpload) -> None:
        """A worker took ``upload`` from the backlog (under the lock)."""
        upload.state = "uploading"
        self.active[upload.sequence] = upload

    def put_back(self, upload: PendingUpload) -> None:
        """An upload that could not finish now goes back to the backlog (under the lock)."""
        self.active.pop(upload.sequence, None)
        self.report(self.backlog.put_back(upload))

    def hold(self, upload: PendingUpload, reason: str) -> None:
        """A permanent error: keep it pending (journaled) until ``upload --resume`` (under the lock).

        When a newer save of the same name is already waiting, that one is what matters: this gives way.
        """
        waiting = [*self.backlog, *self.active.values()]
        if any(other.name == upload.name and other.sequence > upload.sequence for other in waiting):
            self.active.pop(upload.sequence, None)
            self.report([Eviction(upload, f"superseded by a newer save of {upload.name} ({reason})")])
            return
        upload.error, upload.state = reason, "held"

    def committed(self, upload: PendingUpload, seconds: float) -> None:
        """Under the lock."""
        self.active.pop(upload.sequence, None)
        self.counts["uploaded"] += 1
        self.counts["bytes_uploaded"] += upload.bytes or 0
        self.upload_seconds += seconds

    def report(self, evictions: list[Eviction]) -> None:
        """Log and count uploads let go on purpose; release their staged copies (under the lock)."""
        for eviction in evictions:
            logger.warning("Checkpoint %s will not be uploaded: %s", eviction.upload.name, eviction.reason)
            self.superseded.append(eviction)
            if self.staging is not None:
                self.staging.release(eviction.upload.staged_path)

    def stats(self, **figures: Any) -> UploadStats:
        """A snapshot of the counters, with the figures the caller adds (breaker state, deletions, ...)."""
        with self.cond:
            deferred = len(self.backlog.deferred)
            return UploadStats(
                **self.counts,  # type: ignore[arg-type]  # the int counters, named as the fields
                pending=len(self.backlog) + len(self.active),
                backlog=len(self.backlog) - deferred,
                deferred=deferred,
                in_flight=self.uploading(),
                permanent_failures=len(self.active) - self.uploading(),
                superseded=len(self.superseded),
                upload_seconds=self.upload_seconds,
                last_error=self.last_error,
                **figures,
            )
