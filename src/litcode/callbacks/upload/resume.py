"""The remote seen from a run's two ends: a preflight check, verified resume, finishing journaled uploads.

``check_remote(url)`` runs before any data is prepared, so a remote that cannot
work (unknown protocol, no credentials, no bucket, no permission) is one line
saying what to fix, not a traceback after the first checkpoint.

``resolve_latest(url)`` reads ``latest.json``, downloads the checkpoint it names
into a local cache, checks size and SHA-256 against it, and returns the local
path to pass as ``trainer.fit(..., ckpt_path=...)``; ``CheckpointUploadCallback``
does the same for a ``ckpt_path`` URL under its remote. A mismatch is a
:class:`CorruptCheckpointError` that names both hashes, never a silent resume
from damaged weights. ``litcode upload --resume DIR`` calls :func:`resume_pending`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import posixpath
import shutil
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litcode.callbacks.upload.errors import (
    CorruptCheckpointError,
    RemoteConfigurationError,
    is_transient_upload_error,
    what_to_fix,
)
from litcode.callbacks.upload.journal import StagingArea, UploadJournal
from litcode.callbacks.upload.remote import LATEST_NAME, RemoteStore, VerifyMode, digest_checkpoint
from litcode.callbacks.upload.stats import UploadStats
from litcode.callbacks.upload.uploader import CheckpointUploader
from litcode.resilience import CircuitBreaker, RetryPolicy

logger = logging.getLogger("litcode.callbacks.upload")


def check_remote(remote_url: str, storage_options: Mapping[str, Any] | None = None) -> None:
    """Preflight: fail at once, in one line, when ``remote_url`` cannot work (before any data is prepared).

    An unknown protocol, missing credentials, a missing bucket or no permission
    raise :class:`RemoteConfigurationError` saying what to fix; a transient error
    (the remote is down right now) only logs a warning, since uploads retry.

    >>> check_remote("memory://preflight/run")
    >>> check_remote("nosuchproto://bucket/run")
    Traceback (most recent call last):
    ...
    litcode.callbacks.upload.errors.RemoteConfigurationError: cannot open remote ...
    """
    store = RemoteStore(remote_url, storage_options)
    try:
        bucket_or_root = store.root.split("/")[0] if store.atomic_put else store.root
        if bucket_or_root:
            store.filesystem.ls(bucket_or_root, detail=False)
    except FileNotFoundError as error:
        if store.atomic_put:  # object store: the bucket itself is missing
            raise RemoteConfigurationError(what_to_fix(error, remote_url)) from None
    except Exception as error:
        if is_transient_upload_error(error):
            logger.warning("Remote %s is not reachable right now (%s); uploads will retry", remote_url, error)
            return
        raise RemoteConfigurationError(what_to_fix(error, remote_url)) from None


def default_cache_dir(remote_url: str) -> Path:
    """``$LITCODE_CHECKPOINT_CACHE`` (default ``~/.cache/litcode/checkpoints``)/<hash of the URL>."""
    root = os.environ.get("LITCODE_CHECKPOINT_CACHE") or Path.home() / ".cache" / "litcode" / "checkpoints"
    return Path(root) / hashlib.sha256(remote_url.rstrip("/").encode()).hexdigest()[:16]


def fetch_verified(store: RemoteStore, name: str, cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Download checkpoint ``name`` (file or directory) into the cache and verify it against ``latest.json``.

    A cached copy that still matches is used as is. When ``latest.json`` names
    another checkpoint there is no recorded digest to check, and that is logged.
    """
    latest = _read_latest(store)
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir(store.remote_url)
    target = cache / name
    expected = latest.get("sha256") if latest.get("checkpoint") == name else None
    if target.exists() and expected and digest_checkpoint(target).sha256 == expected:
        return target
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    temporary.parent.mkdir(parents=True, exist_ok=True)
    remote = store.path(name)
    try:
        if store.filesystem.isdir(remote):
            store.filesystem.get(posixpath.join(remote, ""), str(temporary), recursive=True)
        else:
            store.filesystem.get_file(remote, str(temporary))
        if expected is None:
            logger.warning(
                "%s: latest.json names %s, so there is no SHA-256 to check", name, latest.get("checkpoint")
            )
        else:
            digest = digest_checkpoint(temporary)
            if digest.sha256 != expected:
                raise CorruptCheckpointError(
                    f"remote checkpoint {store.url(name)} is corrupt: latest.json records sha256 {expected} "
                    f"({latest.get('bytes')} bytes), the downloaded copy has sha256 {digest.sha256} "
                    f"({digest.bytes} bytes). Do not resume from it; pick an earlier checkpoint."
                )
        _replace(temporary, target)
    finally:
        _remove(temporary)
    logger.info("Fetched %s into %s (sha256 verified)", store.url(name), target)
    return target


def resolve_latest(
    remote_url: str,
    storage_options: Mapping[str, Any] | None = None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
) -> str:
    """Download the checkpoint ``latest.json`` names, verify its SHA-256, return the local path.

    Pass the result to ``trainer.fit(model, ckpt_path=...)`` to resume. Raises
    ``FileNotFoundError`` when nothing was committed there yet, and
    :class:`CorruptCheckpointError` (naming both hashes) when the copy is damaged.

    >>> import tempfile
    >>> store = RemoteStore("memory://doctest-resolve")
    >>> store.filesystem.pipe_file(store.path("last.ckpt"), b"w")
    >>> store.write_latest({"checkpoint": "last.ckpt", "bytes": 1, "step": 2, "epoch": 0,
    ...     "sha256": "50e721e49c013f00c62cf59f2163542a9d8df02464efeb615d31051b0fddc326"})
    >>> open(resolve_latest("memory://doctest-resolve", cache_dir=tempfile.mkdtemp()), "rb").read()
    b'w'
    """
    store = RemoteStore(remote_url, storage_options)
    return str(fetch_verified(store, str(_read_latest(store)["checkpoint"]), cache_dir))


def _read_latest(store: RemoteStore) -> dict[str, Any]:
    try:
        return store.read_latest()
    except FileNotFoundError as error:
        raise FileNotFoundError(
            f"no committed checkpoint at {store.remote_url!r}: {LATEST_NAME} is missing "
            "(no upload has been verified there yet)"
        ) from error


def _replace(source: Path, target: Path) -> None:
    if target.is_dir():
        shutil.rmtree(target)
    os.replace(source, target)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


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
    journal: Path | None = None

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
    any directory above it, or the journal file; with no journal there, nothing is
    pending and the result is complete. ``remote_url`` overrides the one the journal
    recorded (credentials are never journaled: pass ``storage_options``).
    ``latest.json`` moves only if a resumed save is newer than the one it named.

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
    contents = journal.read() if journal is not None else None
    target = remote_url or (contents.remote_url if contents else None)
    if journal is None or contents is None or not contents.pending:
        return ResumeResult(remote_url=target or "", journal=journal.path if journal else None)
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
    names = [entry.name for entry in contents.pending]
    uploader.restore(contents.pending, contents.latest_sequence)
    uploader.start()
    uploader.flush(timeout)
    left = uploader.close()
    left_names = {upload.name for upload in left}
    superseded = [eviction.upload.name for eviction in uploader.superseded]
    result = ResumeResult(
        remote_url=target,
        uploaded=[name for name in names if name not in left_names and name not in superseded],
        pending=[upload.name for upload in left],
        errors={upload.name: upload.error for upload in left if upload.error},
        superseded=superseded,
        stats=uploader.stats,
        journal=journal.path,
    )
    if result.pending:
        logger.warning(
            "%d checkpoint(s) still pending after resume: %s", len(left), ", ".join(result.pending)
        )
    return result
