"""A local journal of checkpoints not yet committed remote, so no exit loses one.

The uploader rewrites it (temp file + ``os.replace``, never half-written) each
time the pending set changes, not only at exit: a run killed with SIGKILL
still leaves an accurate list. A later run with the same callback, or
``litcode upload --resume DIR``, reads it and finishes the uploads.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

logger = logging.getLogger("litcode.callbacks.upload")

JOURNAL_NAME = "upload-journal.json"
JOURNAL_VERSION = 1


@dataclass
class PendingUpload:
    """One checkpoint on its way to the remote: where it is staged, its remote name, when it was saved.

    ``sequence`` orders saves within a run; ``latest.json`` only ever moves to a
    higher one. ``bytes``/``sha256`` are filled in once the staged copy is hashed.

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

    def __post_init__(self) -> None:
        if not self.enqueued_at:
            self.enqueued_at = time.time()

    @property
    def is_last(self) -> bool:
        """A ``last*.ckpt`` save: the backlog evicts these only when nothing else can go."""
        return Path(self.name).name.startswith("last")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> PendingUpload:
        known = {field.name for field in fields(cls)}
        return cls(**{key: value for key, value in record.items() if key in known})


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
    def locate(cls, journal_dir_or_file: str | os.PathLike[str]) -> UploadJournal:
        """A journal given as its file or as the directory that holds it (searched recursively once)."""
        path = Path(journal_dir_or_file)
        if path.is_dir():
            direct = path / JOURNAL_NAME
            if direct.exists():
                return cls(direct)
            found = sorted(path.rglob(JOURNAL_NAME))
            if not found:
                raise FileNotFoundError(f"no {JOURNAL_NAME} under {path}: nothing to resume")
            if len(found) > 1:
                raise ValueError(
                    f"several journals under {path}: {', '.join(map(str, found))}; pass one of them"
                )
            return cls(found[0])
        if not path.exists():
            raise FileNotFoundError(f"upload journal {path} does not exist")
        return cls(path)

    def exists(self) -> bool:
        return self.path.exists()

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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".journal-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w") as stream:
                json.dump(document, stream, indent=1)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
