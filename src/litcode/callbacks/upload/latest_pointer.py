"""``latest.json`` only moves forward, and rotated checkpoints leave the remote only behind it.

Two rules of the design live here. The pointer names a checkpoint only after
its bytes were verified (the uploader calls :meth:`LatestPointer.commit` last),
and only ever a newer save than the one it names, whatever order concurrent
workers finish in. A checkpoint ``ModelCheckpoint`` rotated away locally is
deleted remote (``mirror_deletions``) only once the pointer has moved to a
save made after the rotation, so the previous remote checkpoint is never
deleted before the new one is committed.
"""

from __future__ import annotations

import logging
import threading

from litcode.callbacks.upload.errors import describe_error
from litcode.callbacks.upload.journal import PendingUpload
from litcode.callbacks.upload.remote import RemoteStore
from litcode.resilience import CircuitBreaker

logger = logging.getLogger("litcode.callbacks.upload")


class LatestPointer:
    """The newest committed save, its remote ``latest.json``, and remote deletions waiting on it.

    >>> from litcode.callbacks.upload.remote import RemoteStore
    >>> from litcode.resilience import CircuitBreaker
    >>> pointer = LatestPointer(RemoteStore("memory://doctest-pointer"), CircuitBreaker())
    >>> newer = PendingUpload("b.ckpt", "/s/b", "/c/b", step=2, epoch=0, sequence=2, bytes=1, sha256="b")
    >>> older = PendingUpload("a.ckpt", "/s/a", "/c/a", step=1, epoch=0, sequence=1, bytes=1, sha256="a")
    >>> pointer.commit(newer, set()), pointer.commit(older, set())
    (True, False)
    >>> pointer.store.read_latest()["checkpoint"]
    'b.ckpt'
    """

    def __init__(self, store: RemoteStore, breaker: CircuitBreaker) -> None:
        self.store = store
        self.breaker = breaker
        self.sequence: int | None = None
        self.name: str | None = None
        self._lock = threading.Lock()
        self._deletions: dict[str, int] = {}  # remote name -> last save sequence when it was rotated

    def restore(self, sequence: int | None) -> None:
        """Start from the save a journal says the pointer named (renumbered into this run)."""
        with self._lock:
            if sequence is not None and self.sequence is None:
                self.sequence = sequence

    def note_removal(self, name: str, newest_sequence: int) -> None:
        with self._lock:
            self._deletions[name] = newest_sequence

    def forget_removal(self, name: str) -> None:
        """A new save reuses the name: the remote copy is wanted again."""
        with self._lock:
            self._deletions.pop(name, None)

    def commit(self, upload: PendingUpload, waiting_names: set[str]) -> bool:
        """Point ``latest.json`` at ``upload`` if it is the newest save; return whether it moved.

        Raises what the remote raises (the caller retries); deletions are best effort.
        """
        with self._lock:
            moved = self.sequence is None or upload.sequence > self.sequence
            if moved:
                record = {
                    "checkpoint": upload.name,
                    "bytes": upload.bytes,
                    "sha256": upload.sha256,
                    "step": upload.step,
                    "epoch": upload.epoch,
                }
                self.breaker.call(self.store.write_latest, record)
                self.sequence, self.name = upload.sequence, upload.name
            if self._deletions:
                self._delete_rotated(waiting_names)
            return moved

    def _delete_rotated(self, waiting_names: set[str]) -> None:
        due = [
            name
            for name, rotated_at in self._deletions.items()
            if self.sequence is not None
            and rotated_at <= self.sequence
            and name != self.name
            and name not in waiting_names
        ]
        for name in due:
            try:
                self.breaker.call(self.store.delete, name)
            except Exception as error:
                logger.warning(
                    "Could not delete rotated remote checkpoint %s: %s", name, describe_error(error)
                )
                continue
            del self._deletions[name]
