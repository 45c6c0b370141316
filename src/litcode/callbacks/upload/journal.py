"""The local side of an upload: one record per checkpoint, its staged copy, and the journal on disk.

A :class:`PendingUpload` is the one record of a checkpoint on its way to the
remote, from the save to the commit: the uploader, the journal and the CLI all
read the same object. :class:`StagingArea` keeps the bytes alive (a hard link
taken at save time survives ``ModelCheckpoint`` rotating the file away).
:class:`UploadJournal` is rewritten atomically each time the pending set
changes, not only at exit, so a run killed with SIGKILL still leaves an accurate
list; a later fit with the same callback, or ``litcode upload --resume DIR``,
finishes it.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from litcode.atomic_file import atomic_write_text
from litcode.callbacks.upload.digest import CheckpointDigest

logger = logging.getLogger("litcode.callbacks.upload")

JOURNAL_NAME = "upload-journal.json"
JOURNAL_VERSION = 1

#: Where a retried upload resumes: send the bytes, read them back, or move ``latest.json``.
Stage = Literal["put", "verify", "commit"]
#: ``queued`` for a worker, ``deferred`` (backlog full: kept staged and journaled, uploaded after the
#: queue), ``uploading``, or ``held`` after a permanent error (journaled until ``upload --resume``).
UploadState = Literal["queued", "deferred", "uploading", "held"]


@dataclass
class PendingUpload:
    """One checkpoint on its way to the remote: where it is staged, its remote name, when it was saved.

    ``sequence`` orders saves within a run; ``latest.json`` only ever moves to a
    higher one. ``bytes``/``sha256`` are filled in once the staged copy is hashed
    (``digest`` keeps the per-file digests of a directory, in memory only).

    >>> PendingUpload(name="last.ckpt", staged_path="/tmp/x", source_path="/ckpt/last.ckpt",
    ...               step=10, epoch=1, sequence=3).is_last
    True
    """

    name: str
    staged_path: str
    source_path: str
    step: int
    epoch: int
    sequence: int
    bytes: int | None = None
    sha256: str | None = None
    attempts: int = 0
    error: str | None = None
    enqueued_at: float = 0.0
    stage: Stage = "put"
    state: UploadState = "queued"
    digest: CheckpointDigest | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.enqueued_at:
            self.enqueued_at = time.time()

    @property
    def is_last(self) -> bool:
        """A ``last*.ckpt`` save: the backlog defers these only when nothing else can wait."""
        return Path(self.name).name.startswith("last")

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record.pop("digest")
        return record

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> PendingUpload:
        """Read a journal entry; a journaled upload starts over from a read-back (never trusts ``commit``)."""
        known = {item.name for item in fields(cls)} - {"digest"}
        upload = cls(**{key: value for key, value in record.items() if key in known})
        upload.stage = "verify" if upload.stage == "commit" else upload.stage
        upload.state, upload.error = "queued", None
        return upload


@dataclass(frozen=True)
class JournalContents:
    """What a journal file says: the remote it was bound for and its pending uploads, oldest first."""

    remote_url: str | None
    pending: tuple[PendingUpload, ...]
    #: The sequence of the save ``latest.json`` named when the journal was written (None: none yet).
    latest_sequence: int | None = None


class UploadJournal:
    """Read and atomically rewrite the pending-upload journal at ``path``.

    >>> import tempfile, pathlib
    >>> journal = UploadJournal(pathlib.Path(tempfile.mkdtemp()) / JOURNAL_NAME)
    >>> journal.write("memory://run", [PendingUpload("a.ckpt", "/s/a", "/c/a", 1, 0, 0)])
    >>> [entry.name for entry in journal.read().pending]
    ['a.ckpt']
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    @classmethod
    def locate(cls, journal_dir_or_file: str | os.PathLike[str]) -> UploadJournal | None:
        """The journal given as its file or a directory above it; ``None`` when there is none.

        A path that does not exist at all is a ``FileNotFoundError``; several journals a ``ValueError``.
        """
        path = Path(journal_dir_or_file)
        if not path.exists():
            raise FileNotFoundError(f"{path} does not exist")
        if not path.is_dir():
            return cls(path)
        if (path / JOURNAL_NAME).exists():
            return cls(path / JOURNAL_NAME)
        found = sorted(path.rglob(JOURNAL_NAME))
        if len(found) > 1:
            raise ValueError(f"several journals under {path}: {', '.join(map(str, found))}; pass one of them")
        return cls(found[0]) if found else None

    def read(self) -> JournalContents:
        """Parse the journal; a missing file is an empty journal, a corrupt one a clear error."""
        if not self.path.exists():
            return JournalContents(None, ())
        try:
            document = json.loads(self.path.read_text())
            entries = tuple(PendingUpload.from_json(record) for record in document.get("pending", []))
        except (json.JSONDecodeError, TypeError, AttributeError) as error:
            raise ValueError(f"upload journal {self.path} is not valid: {error}") from error
        return JournalContents(document.get("remote_url"), entries, document.get("latest_sequence"))

    def write(
        self, remote_url: str, pending: Iterable[PendingUpload], latest_sequence: int | None = None
    ) -> None:
        """Replace the journal with ``pending`` (an empty list removes the file)."""
        entries = [entry.to_json() for entry in sorted(pending, key=lambda entry: entry.sequence)]
        if not entries:
            self.path.unlink(missing_ok=True)
            return
        document = {
            "version": JOURNAL_VERSION,
            "remote_url": remote_url,
            "latest_sequence": latest_sequence,
            "pending": entries,
        }
        atomic_write_text(self.path, json.dumps(document, indent=1))


class StagingArea:
    """Hard-link (or copy) checkpoints into ``directory`` under unique names; remove them once committed.

    Where hard links are impossible (another filesystem, a FUSE mount) it copies,
    once per save; keep the staging directory beside the checkpoints (the default).

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "epoch=0.ckpt").write_bytes(b"weights")
    >>> staging = StagingArea(root / ".upload-staging")
    >>> staged = staging.stage(root / "epoch=0.ckpt")
    >>> (root / "epoch=0.ckpt").unlink()      # ModelCheckpoint rotates it away
    >>> staged.read_bytes()
    b'weights'
    >>> staging.release(staged)
    >>> staged.exists()
    False
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._counter = itertools.count()
        self._lock = threading.Lock()
        self.copies = 0  # how many stagings had to copy instead of link

    def stage(self, source: str | os.PathLike[str]) -> Path:
        """Link or copy ``source`` (a file or a directory) into the staging area; return the staged path."""
        source_path = Path(source)
        if not source_path.exists():
            raise FileNotFoundError(f"cannot stage checkpoint {source_path}: it does not exist")
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self._fresh_name(source_path.name)
        real = os.path.realpath(source_path)  # a symlinked `last.ckpt`: stage its target's bytes
        if source_path.is_dir():
            shutil.copytree(real, target, copy_function=self._link_or_copy)
        else:
            self._link_or_copy(real, str(target))
        return target

    def _fresh_name(self, name: str) -> Path:
        while True:  # skip staged files an earlier run with the same pid left
            with self._lock:
                serial = next(self._counter)
            target = self.directory / f"{os.getpid()}-{serial:06d}-{name}"
            if not target.exists():
                return target

    def _link_or_copy(self, source: str, target: str) -> str:
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
            self.copies += 1
        return target

    def release(self, staged: str | os.PathLike[str]) -> None:
        """Delete a staged checkpoint; a missing one is fine (released twice, or cleaned by hand)."""
        path = Path(staged)
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:
            return
        except OSError as error:
            logger.warning("Could not remove staged checkpoint %s: %s", path, error)
