"""Finish the uploads a run journaled: ``litcode upload --resume DIR`` calls :func:`resume_pending`."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from litcode.callbacks.upload.journal import UploadJournal
from litcode.callbacks.upload.remote import RemoteStore, VerifyMode
from litcode.callbacks.upload.staging import StagingArea
from litcode.callbacks.upload.stats import UploadStats
from litcode.callbacks.upload.uploader import CheckpointUploader
from litcode.resilience import CircuitBreaker, RetryPolicy

logger = logging.getLogger("litcode.callbacks.upload")


@dataclass(frozen=True)
class ResumeResult:
    """What a resume did: names committed now, names still pending (with their last error), the stats.

    >>> ResumeResult(remote_url="memory://x", uploaded=["last.ckpt"]).complete
    True
    """

    remote_url: str
    uploaded: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    superseded: list[str] = field(default_factory=list)
    stats: UploadStats = field(default_factory=UploadStats)

    @property
    def complete(self) -> bool:
        """True when nothing is left in the journal."""
        return not self.pending


def resume_pending(
    journal_dir_or_file: str | os.PathLike[str],
    remote_url: str | None = None,
    *,
    retry: RetryPolicy | None = None,
    breaker: CircuitBreaker | None = None,
    storage_options: Mapping[str, Any] | None = None,
    timeout: float = 600.0,
    num_workers: int = 2,
    verify: VerifyMode = "sha256",
    sleep: Callable[[float], None] | None = None,
) -> ResumeResult:
    """Upload, verify and commit every checkpoint listed in a journal; rewrite the journal with the rest.

    ``journal_dir_or_file`` is the staging directory (``<dirpath>/.upload-staging``),
    any directory above it, or the journal file. ``remote_url`` overrides the one
    the journal recorded (credentials are never journaled: pass ``storage_options``).
    ``latest.json`` moves only if a resumed save is newer than the one it named
    when the journal was written.

    >>> import tempfile, pathlib
    >>> from litcode.callbacks.upload.journal import PendingUpload, JOURNAL_NAME
    >>> staging = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (staging / "1-last.ckpt").write_bytes(b"weights")
    >>> UploadJournal(staging / JOURNAL_NAME).write("memory://doctest-resume",
    ...     [PendingUpload("last.ckpt", str(staging / "1-last.ckpt"), "/gone/last.ckpt", 4, 0, 1)])
    >>> result = resume_pending(staging)
    >>> result.uploaded, result.complete
    (['last.ckpt'], True)
    """
    journal = UploadJournal.locate(journal_dir_or_file)
    contents = journal.read()
    target = remote_url or contents.remote_url
    if not target:
        raise ValueError(f"journal {journal.path} names no remote; pass remote_url=")
    uploader = CheckpointUploader(
        RemoteStore(target, storage_options, verify=verify),
        retry=retry,
        breaker=breaker,
        staging=StagingArea(journal.path.parent),
        journal=journal,
        num_workers=num_workers,
        sleep=sleep,
    )
    names = {entry.sequence: entry.name for entry in contents.pending}
    uploader.restore(contents.pending, contents.latest_sequence)
    uploader.start()
    uploader.flush(timeout)
    left = uploader.close()
    left_names = {upload.name for upload in left}
    superseded = [eviction.upload.name for eviction in uploader.superseded]
    uploaded = [name for name in names.values() if name not in left_names and name not in superseded]
    result = ResumeResult(
        remote_url=target,
        uploaded=uploaded,
        pending=[upload.name for upload in left],
        errors={upload.name: upload.error for upload in left if upload.error},
        superseded=superseded,
        stats=uploader.stats,
    )
    if result.pending:
        logger.warning(
            "%d checkpoint(s) still pending after resume: %s", len(left), ", ".join(result.pending)
        )
    return result
