"""Where a Trainer's checkpoints are and what they are called remote.

A checkpoint's remote name is its path relative to the ``dirpath`` of the
``ModelCheckpoint`` that wrote it (posix separators), so ``remote_url`` mirrors
the local checkpoint folder, subfolders included.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytorch_lightning as pl
from pytorch_lightning.callbacks import ModelCheckpoint

STAGING_DIRNAME = ".upload-staging"

#: What identifies one saved file: absolute path, inode and mtime (symlinks followed).
FileIdentity = tuple[str, int, int]


def is_local_path(path: str) -> bool:
    """True for plain paths and ``file://`` URLs; a checkpoint written straight to a remote is not ours."""
    return "://" not in path or path.startswith("file://")


def file_identity(path: str) -> FileIdentity | None:
    """Identity of the file at ``path`` now (a re-saved ``last.ckpt`` gets a new one), None when gone."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (os.path.abspath(path), info.st_ino, info.st_mtime_ns)


def checkpoint_roots(trainer: pl.Trainer) -> list[Path]:
    """The local ``dirpath`` of every ``ModelCheckpoint``, then the Trainer's ``default_root_dir``."""
    roots = [
        Path(str(callback.dirpath).removeprefix("file://")).absolute()
        for callback in trainer.checkpoint_callbacks
        if isinstance(callback, ModelCheckpoint) and callback.dirpath and is_local_path(str(callback.dirpath))
    ]
    roots.append(Path(trainer.default_root_dir).absolute())
    return roots


def remote_name(path: str, roots: list[Path]) -> str:
    """``path`` relative to the first root that holds it (posix), else its file name.

    >>> remote_name("/runs/a/checkpoints/epoch0/step2.ckpt", [Path("/runs/a/checkpoints")])
    'epoch0/step2.ckpt'
    >>> remote_name("/elsewhere/last.ckpt", [Path("/runs/a/checkpoints")])
    'last.ckpt'
    """
    absolute = Path(path.removeprefix("file://")).absolute()
    for root in roots:
        if root in absolute.parents:
            return absolute.relative_to(root).as_posix()
    return absolute.name


def default_staging_dir(trainer: pl.Trainer) -> Path:
    """``<ModelCheckpoint.dirpath>/.upload-staging``: beside the checkpoints, so hard links work."""
    dirpath = getattr(trainer.checkpoint_callback, "dirpath", None)
    if not dirpath or not is_local_path(str(dirpath)):
        dirpath = os.path.join(trainer.default_root_dir, "checkpoints")
    return Path(str(dirpath).removeprefix("file://")) / STAGING_DIRNAME


def tracked_checkpoint_paths(trainer: pl.Trainer) -> Iterator[str]:
    """The files the checkpoint callbacks currently keep: top-k and ``last`` (which may be a symlink)."""
    for callback in trainer.checkpoint_callbacks:
        if isinstance(callback, ModelCheckpoint):
            yield from (path for path in (*callback.best_k_models, callback.last_model_path) if path)
