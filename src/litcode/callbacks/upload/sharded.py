"""Sharded checkpoints (a ``torch.distributed.checkpoint`` directory): every rank uploads its own files.

``dcp.save`` writes one ``__{rank}_{n}.distcp`` file (or more) per rank and a
``.metadata`` file from the coordinator. Shipping all of it from rank 0 would
need every shard on rank 0's disk and network; instead, after ``dcp.save``,
each rank calls :func:`upload_sharded_checkpoint` (a collective): it uploads its
own files, reads each back and checks its SHA-256, and reports one
:class:`~litcode.callbacks.upload.remote.FileDigest` per file. Rank 0 gathers
the reports and commits only when every rank's files are verified: first the
completion marker (every file with its digest), then ``latest.json``, whose
``sha256`` is the directory digest that :func:`~.remote.digest_checkpoint` and
the verified resume (:func:`~.resume.resolve_latest`) compute. A reader that sees
``latest.json`` name a directory therefore finds every shard already in place.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch.distributed as dist

from litcode.callbacks.upload.commit import retried
from litcode.callbacks.upload.digest import (
    COMPLETE_MARKER,
    CheckpointDigest,
    FileDigest,
    combine_file_digests,
    sha256_of_stream,
)
from litcode.callbacks.upload.errors import describe_error
from litcode.callbacks.upload.remote import RemoteStore
from litcode.callbacks.upload.uploader import DEFAULT_RETRY_POLICY, default_breaker
from litcode.resilience import CircuitBreaker, RetryPolicy

logger = logging.getLogger("litcode.callbacks.upload")

_SHARD = re.compile(r"^__(\d+)_\d+\.distcp$")


@dataclass(frozen=True)
class ShardReport:
    """What one rank uploaded and verified (or the error that stopped it)."""

    rank: int
    files: tuple[FileDigest, ...]
    error: str | None = None


def files_of_rank(directory: str | os.PathLike[str], rank: int) -> list[str]:
    """The files of a DCP directory that ``rank`` wrote: its ``__{rank}_*.distcp``; rank 0 also the rest.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for name in (".metadata", "__0_0.distcp", "__1_0.distcp"): _ = (root / name).write_bytes(b"x")
    >>> files_of_rank(root, 0), files_of_rank(root, 1)
    (['.metadata', '__0_0.distcp'], ['__1_0.distcp'])
    """
    root = Path(directory)
    mine = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name == COMPLETE_MARKER:
            continue
        match = _SHARD.match(path.name)
        owner = int(match.group(1)) if match else 0
        if owner == rank:
            mine.append(path.relative_to(root).as_posix())
    return mine


def upload_sharded_checkpoint(
    directory: str | os.PathLike[str],
    remote_url: str,
    name: str,
    *,
    step: int,
    epoch: int,
    storage_options: Mapping[str, Any] | None = None,
    retry: RetryPolicy | None = None,
    breaker: CircuitBreaker | None = None,
    sleep: Callable[[float], None] | None = None,
    commit_latest: Callable[[dict[str, Any]], object] | None = None,
) -> bool:
    """Collective: upload this rank's files of DCP checkpoint ``directory`` as ``name``; True once committed.

    Call it on every rank after ``dcp.save``. Each file goes through the retry
    policy and breaker, then is read back and checked. Rank 0 writes
    ``name/.litcode-complete.json`` and then ``latest.json`` only when every rank
    verified all its files; otherwise nothing is committed, the failing ranks are
    logged, and every rank gets False (the local directory is untouched).
    ``commit_latest(record)`` (rank 0) moves ``latest.json``; default: write it.
    """
    rank = dist.get_rank() if dist.is_available() and dist.is_initialized() else 0
    world_size = dist.get_world_size() if dist.is_available() and dist.is_initialized() else 1
    store: RemoteStore | None = None
    try:  # any failure becomes this rank's report: raising here would leave the others in the gather
        store = RemoteStore(remote_url, storage_options)
        report = _upload_own_files(Path(directory), store, name, rank, retry, breaker, sleep)
    except Exception as error:
        logger.error("Rank %d cannot upload its shards of %s: %s", rank, name, describe_error(error))
        report = ShardReport(rank, (), describe_error(error))
    reports: list[ShardReport | None] = [None] * world_size
    if world_size > 1:
        dist.all_gather_object(reports, report)
    else:
        reports = [report]
    committed = [False]
    if rank == 0 and store is not None:
        try:
            done = [r for r in reports if r is not None]
            committed[0] = _commit(store, name, done, world_size, step, epoch, commit_latest)
        except Exception as error:  # the marker or latest.json did not land: not committed, say so
            logger.error("Sharded checkpoint %s not committed: %s", name, describe_error(error))
    if world_size > 1:
        dist.broadcast_object_list(committed, src=0)
    return bool(committed[0])


def _upload_own_files(
    root: Path,
    store: RemoteStore,
    name: str,
    rank: int,
    retry: RetryPolicy | None,
    breaker: CircuitBreaker | None,
    sleep: Callable[[float], None] | None,
) -> ShardReport:
    breaker = breaker or default_breaker(store.remote_url)
    verified = []
    try:
        for relative in files_of_rank(root, rank):
            with open(root / relative, "rb") as stream:
                size, sha = sha256_of_stream(stream)
            digest = CheckpointDigest(size, sha, (FileDigest(relative, size, sha),), False)
            remote_name = posixpath.join(name, relative)

            engine = retried(
                retry or DEFAULT_RETRY_POLICY, f"upload of {remote_name}", sleep or _sleep, breaker.clock
            )
            engine(_put_and_verify, store, breaker, root / relative, remote_name, digest)
            verified.append(digest.files[0])
    except Exception as error:
        logger.error("Rank %d could not upload its shards of %s: %s", rank, name, describe_error(error))
        return ShardReport(rank, tuple(verified), describe_error(error))
    return ShardReport(rank, tuple(verified))


def _put_and_verify(
    store: RemoteStore, breaker: CircuitBreaker, local: Path, target: str, digest: CheckpointDigest
) -> None:
    breaker.call(store.put, local, target, digest)
    breaker.call(store.verify, target, digest)


def _commit(
    store: RemoteStore,
    name: str,
    reports: list[ShardReport],
    world_size: int,
    step: int,
    epoch: int,
    commit_latest: Callable[[dict[str, Any]], object] | None,
) -> bool:
    failed = [report for report in reports if report.error is not None]
    if failed or len(reports) != world_size:
        for report in failed:
            logger.error(
                "Sharded checkpoint %s not committed: rank %d failed (%s)", name, report.rank, report.error
            )
        return False
    files = sorted((item for report in reports for item in report.files), key=lambda item: item.relative_path)
    total, sha = combine_file_digests(files)
    marker = {
        "checkpoint": name,
        "bytes": total,
        "sha256": sha,
        "step": step,
        "epoch": epoch,
        "files": [{"path": item.relative_path, "bytes": item.bytes, "sha256": item.sha256} for item in files],
        "ranks": world_size,
    }
    store.write_json(posixpath.join(name, COMPLETE_MARKER), marker)
    latest = {"checkpoint": name, "bytes": total, "sha256": sha, "step": step, "epoch": epoch}
    (commit_latest or store.write_latest)(latest)
    logger.info("Sharded checkpoint %s committed: %d files from %d ranks", name, len(files), world_size)
    return True


def _sleep(seconds: float) -> None:
    time.sleep(seconds)  # looked up at call time, so a patched time.sleep sees it
