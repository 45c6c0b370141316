"""``CheckpointIntake``: which checkpoint files go to the uploader, each once, under which remote name."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytorch_lightning as pl

from litcode.callbacks.upload.lightning_io import (
    FileIdentity,
    checkpoint_roots,
    file_identity,
    is_local_path,
    remote_name,
    tracked_checkpoint_paths,
)
from litcode.callbacks.upload.uploader import CheckpointUploader

logger = logging.getLogger("litcode.callbacks.upload")


class CheckpointIntake:
    """Queue local checkpoint files on an uploader, each file (by device and inode) once.

    A save reaches the callback twice when ``CheckpointIO`` saw it and a sweep of
    the checkpoint callbacks' paths finds it again; the file identity makes the
    second one a no-op. Files not on a local filesystem are reported, not uploaded.

    >>> import tempfile, os
    >>> intake = CheckpointIntake()
    >>> intake.remote_name(None, os.path.join(tempfile.gettempdir(), "epoch=0.ckpt"))
    'epoch=0.ckpt'
    """

    def __init__(self, skip: Callable[[str], bool] | None = None) -> None:
        self._seen: set[FileIdentity] = set()
        self._skip = skip  # paths another path uploads (sharded sets, from every rank)

    def submit(
        self,
        uploader: CheckpointUploader | None,
        trainer: pl.Trainer | None,
        path: str,
        step: int,
        epoch: int,
    ) -> None:
        """Queue ``path`` (saved at ``step``/``epoch``) unless it was queued before or is not local."""
        if not is_local_path(path):
            logger.warning("Checkpoint %s is not on a local filesystem; it is not uploaded", path)
            return
        if uploader is None or (self._skip is not None and self._skip(path)):
            return
        key = file_identity(path)
        if key is None or key in self._seen:
            return
        self._seen.add(key)
        uploader.submit_file(path, self.remote_name(trainer, path), step=step, epoch=epoch)

    def sweep(self, uploader: CheckpointUploader | None, trainer: pl.Trainer) -> None:
        """Queue checkpoint-callback files that did not pass through ``CheckpointIO`` (symlinked ``last``)."""
        if uploader is None:
            return
        for path in tracked_checkpoint_paths(trainer):
            if file_identity(path) not in self._seen:
                self.submit(uploader, trainer, path, trainer.global_step, trainer.current_epoch)

    @staticmethod
    def remote_name(trainer: pl.Trainer | None, path: str) -> str:
        """``path``'s name on the remote: relative to the trainer's checkpoint directories."""
        return remote_name(path, checkpoint_roots(trainer) if trainer is not None else [])
