"""``ShardedSaves``: the Trainer side of sharded checkpoints; every rank uploads its files, rank 0 commits.

A sharded checkpoint (a ``torch.distributed.checkpoint`` directory: FSDP's
``state_dict_type="sharded"``, or a strategy/``CheckpointIO`` that calls
``dcp.save``) is written by every rank, so no single rank can upload it. The
one point every rank passes after such a save is ``Trainer.save_checkpoint``
(Lightning requires it on all processes and ends it with a barrier):
:meth:`ShardedSaves.install` wraps it on the trainer instance. After each save the
ranks agree (one small collective per save, never per step) whether the path is
a sharded directory on every rank; if so each calls
:func:`~.sharded.upload_sharded_checkpoint`, which uploads and verifies its own
files through the retry policy and breaker and lets rank 0 commit the marker and
``latest.json`` through the uploader's pointer (it only moves forward, and
``keep_last`` retention counts sharded sets too). On rank 0 a set whose commit failed is staged and journaled
for the background uploader, so the fit or ``litcode upload --resume`` finishes
it. Unsharded saves and single-process runs keep the rank-0 path.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import pytorch_lightning as pl
import torch.distributed as dist

from litcode.callbacks.upload.intake import CheckpointIntake
from litcode.callbacks.upload.sharded import files_of_rank, upload_sharded_checkpoint
from litcode.callbacks.upload.uploader import CheckpointUploader, default_breaker
from litcode.resilience import CircuitBreaker, RetryPolicy

logger = logging.getLogger("litcode.callbacks.upload")


class ShardedHost(Protocol):
    """What :class:`ShardedSaves` reads from its callback: the remote and the resilience policies."""

    remote_url: str
    storage_options: dict[str, Any]
    retry: RetryPolicy | None
    breaker: CircuitBreaker | None
    sleep: Callable[[float], None] | None

    @property
    def uploader(self) -> CheckpointUploader | None: ...


def is_sharded_checkpoint(path: str | os.PathLike[str]) -> bool:
    """True for a directory holding a DCP ``.metadata`` file or ``*.distcp`` shards (as this rank sees it).

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "__1_0.distcp").write_bytes(b"x")
    >>> is_sharded_checkpoint(root), is_sharded_checkpoint(root / "__1_0.distcp")
    (True, False)
    """
    root = Path(str(path).removeprefix("file://"))
    return root.is_dir() and ((root / ".metadata").is_file() or any(root.glob("*.distcp")))


def _distributed() -> bool:
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def every_rank_agrees(value: bool) -> bool:
    """Collective: True only when ``value`` is True on every rank (a lone process: ``value``)."""
    if not _distributed():
        return value
    answers: list[Any] = [None] * dist.get_world_size()
    dist.all_gather_object(answers, bool(value))
    if any(answers) and not all(answers):
        logger.warning(
            "A checkpoint is a sharded directory on ranks %s only; it is uploaded as an unsharded one",
            [rank for rank, answer in enumerate(answers) if answer],
        )
    return all(answers)


class ShardedSaves:
    """Wrap ``trainer.save_checkpoint`` so each sharded save is uploaded by every rank before it returns.

    The upload runs in the training thread (it is a collective), so a sharded
    save returns once its set is committed or given up on; retries are bounded by
    the retry policy (``deadline``) and the breaker, the ones ``host`` uses for
    unsharded uploads (on rank 0 the uploader's breaker itself).

    >>> from litcode.callbacks.upload import CheckpointUploadCallback
    >>> saves = ShardedSaves(CheckpointUploadCallback("memory://doctest-sharded"))
    >>> saves.handled("/no/such/dir"), saves.committed
    (False, [])
    """

    def __init__(self, host: ShardedHost) -> None:
        self.host = host
        self._handled: set[str] = set()
        self.committed: list[str] = []
        self.failed: list[str] = []
        self._trainer: pl.Trainer | None = None

    def handled(self, path: str) -> bool:
        """Whether ``path`` is a sharded set this object uploads (the rank-0 file path skips it)."""
        return os.path.abspath(str(path).removeprefix("file://")) in self._handled or (
            _distributed() and is_sharded_checkpoint(path)
        )

    def install(self, trainer: pl.Trainer) -> None:
        """Wrap ``trainer.save_checkpoint`` (on every rank, once); :meth:`uninstall` undoes it."""
        if self._trainer is not None:
            return
        original, self._trainer = trainer.save_checkpoint, trainer

        def save_checkpoint(filepath: Any, *args: Any, **kwargs: Any) -> None:
            original(filepath, *args, **kwargs)
            self.after_save(trainer, str(filepath))

        trainer.save_checkpoint = save_checkpoint  # type: ignore[method-assign]

    def uninstall(self) -> None:
        if self._trainer is not None:
            self._trainer.__dict__.pop("save_checkpoint", None)
            self._trainer = None

    def after_save(self, trainer: pl.Trainer, path: str) -> None:
        """Collective: upload ``path`` from every rank if it is a sharded set on every rank."""
        if not _distributed():
            return
        here, host = is_sharded_checkpoint(path), self.host
        local = os.path.abspath(path.removeprefix("file://"))
        name = CheckpointIntake.remote_name(trainer, local)
        step, epoch = trainer.global_step, trainer.current_epoch
        if not every_rank_agrees(here):
            if here and trainer.is_global_zero and host.uploader is not None:  # the rank-0 path skipped it
                host.uploader.submit_file(local, name, step=step, epoch=epoch)
            return
        self._handled.add(local)
        host.breaker = host.breaker or default_breaker(host.remote_url)
        uploader = host.uploader if trainer.is_global_zero else None  # rank 0: its pointer and ledger
        committed = upload_sharded_checkpoint(
            local, host.remote_url, name, step=step, epoch=epoch, storage_options=host.storage_options,
            retry=host.retry, breaker=host.breaker, sleep=host.sleep,
            commit_latest=uploader.commit_elsewhere if uploader is not None else None,
        )  # fmt: skip
        (self.committed if committed else self.failed).append(name)
        if not committed and trainer.is_global_zero:
            journal_failed_set(host.uploader, local, name, step, epoch)


def journal_failed_set(
    uploader: CheckpointUploader | None, path: str, name: str, step: int, epoch: int
) -> None:
    """Rank 0: a sharded set whose commit failed goes to the background uploader, staged and journaled.

    It is uploaded whole from here (so the fit's final flush or ``litcode upload
    --resume`` finishes it) when every rank's files are on this disk (a shared
    filesystem, or one machine); otherwise the error names the ranks whose files
    only their own machines hold.
    """
    world_size = dist.get_world_size() if _distributed() else 1
    missing = [rank for rank in range(world_size) if not files_of_rank(path, rank)]
    if uploader is None or missing:
        logger.error(
            "Sharded checkpoint %s was not committed and cannot be journaled here: %s",
            name,
            f"the files of ranks {missing} are not on this machine" if missing else "no uploader",
        )
        return
    logger.warning("Sharded checkpoint %s was not committed; journaled for a background upload", name)
    try:
        uploader.submit_file(path, name, step=step, epoch=epoch)
    except OSError as error:
        logger.error("Could not stage sharded checkpoint %s (%s): it is not uploaded", name, error)
