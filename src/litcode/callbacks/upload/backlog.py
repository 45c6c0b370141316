"""The bounded local backlog of checkpoints waiting for the remote.

While the remote is down the backlog is what keeps training going: saves keep
arriving, nothing blocks. It is bounded, because each entry pins a staged
checkpoint on local disk. The policy for what gives way, every case reported:

* a newer save under the same remote name (``last.ckpt`` re-saved) supersedes
  a queued older one: uploading the old bytes would only be overwritten;
* when full, the oldest entry that is not a ``last*`` save is superseded
  (``last`` is what a resume needs); only when every entry is a ``last`` save
  does the oldest of those give way.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from litcode.callbacks.upload.journal import PendingUpload


@dataclass(frozen=True)
class Eviction:
    """A queued upload the backlog let go of, and why (for the log and ``stats.superseded``)."""

    upload: PendingUpload
    reason: str


class UploadBacklog:
    """Uploads waiting for a worker, in save order, at most ``max_size`` of them.

    >>> backlog = UploadBacklog(max_size=2)
    >>> def save(name, seq): return PendingUpload(name, f"/s/{seq}", f"/c/{name}", seq, 0, seq)
    >>> backlog.add(save("epoch=0.ckpt", 0)) + backlog.add(save("last.ckpt", 1))
    []
    >>> [e.upload.name for e in backlog.add(save("epoch=1.ckpt", 2))]   # full: oldest non-last goes
    ['epoch=0.ckpt']
    >>> [e.upload.name for e in backlog.add(save("last.ckpt", 3))]      # same name: older superseded
    ['last.ckpt']
    """

    def __init__(self, max_size: int = 16) -> None:
        if max_size < 1:
            raise ValueError(f"max_size must be >= 1, got {max_size}")
        self.max_size = max_size
        self._uploads: list[PendingUpload] = []  # sorted by sequence

    def __len__(self) -> int:
        return len(self._uploads)

    def __iter__(self) -> Iterator[PendingUpload]:
        return iter(list(self._uploads))

    def add(self, upload: PendingUpload) -> list[Eviction]:
        """Queue a new save; return what it superseded or pushed out."""
        evicted = [
            Eviction(old, f"superseded by a newer save of {upload.name} (sequence {upload.sequence})")
            for old in self._uploads
            if old.name == upload.name and old.sequence < upload.sequence
        ]
        self._uploads = [old for old in self._uploads if not any(old is e.upload for e in evicted)]
        self._insert(upload)
        return evicted + self._trim()

    def put_back(self, upload: PendingUpload) -> list[Eviction]:
        """Return an upload that could not finish; it is dropped if a newer save of its name is queued."""
        if any(other.name == upload.name and other.sequence > upload.sequence for other in self._uploads):
            return [Eviction(upload, f"superseded while uploading by a newer save of {upload.name}")]
        self._insert(upload)
        return self._trim()

    def take(self, busy_names: set[str]) -> PendingUpload | None:
        """The oldest upload whose remote name no worker is writing (one writer per name)."""
        for index, upload in enumerate(self._uploads):
            if upload.name not in busy_names:
                return self._uploads.pop(index)
        return None

    def remove(self, name: str) -> list[PendingUpload]:
        """Take every queued upload of ``name`` out (a save rotated away under ``skip_superseded``)."""
        removed = [upload for upload in self._uploads if upload.name == name]
        self._uploads = [upload for upload in self._uploads if upload.name != name]
        return removed

    def _insert(self, upload: PendingUpload) -> None:
        keys = [queued.sequence for queued in self._uploads]
        self._uploads.insert(bisect.bisect_right(keys, upload.sequence), upload)

    def _trim(self) -> list[Eviction]:
        evicted = []
        while len(self._uploads) > self.max_size:
            victim = next((upload for upload in self._uploads if not upload.is_last), self._uploads[0])
            self._uploads.remove(victim)
            evicted.append(Eviction(victim, f"backlog full ({self.max_size} checkpoints waiting)"))
        return evicted
