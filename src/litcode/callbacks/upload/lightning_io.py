"""The Trainer side of uploads: where checkpoints are, when a save is complete, and SIGTERM.

* A checkpoint's remote name is its path relative to the ``dirpath`` of the
  ``ModelCheckpoint`` that wrote it (posix separators), so ``remote_url`` mirrors
  the local checkpoint folder, subfolders included.
* ``Callback.on_save_checkpoint`` fires before the file exists. The strategy's
  ``checkpoint_io.save_checkpoint`` returning is the moment it is whole on disk,
  and ``remove_checkpoint`` is how ``ModelCheckpoint`` rotates top-k files away,
  so :class:`UploadingCheckpointIO` sees every save and every rotation (on
  global rank 0, as Lightning calls it). Under ``AsyncCheckpointIO`` it goes
  around the inner plugin, so it still runs after the write.
* Inside ``Trainer.fit`` Lightning installs its own SIGTERM handler, which keeps
  (and calls) the one found in place. :class:`SigtermHook`, installed at
  ``on_train_start``, only marks an event, so the final flush is cut short, and
  chains to the previous handler. The journal on disk is current either way.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytorch_lightning as pl
from lightning_fabric.plugins import CheckpointIO
from lightning_fabric.utilities.types import _PATH
from pytorch_lightning.callbacks import ModelCheckpoint
from pytorch_lightning.plugins.io.wrapper import _WrappingCheckpointIO

logger = logging.getLogger("litcode.callbacks.upload")


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


def resumed_checkpoint_name(trainer: pl.Trainer, remote_url: str, cache_dir: Path) -> str | None:
    """The remote name of the checkpoint the fit resumed from (``ckpt_path``): a URL under ``remote_url``,
    a verified download in ``cache_dir``, or a local checkpoint; None when the fit started fresh."""
    path = str(getattr(trainer, "ckpt_path", None) or "")
    if not path:
        return None
    if path.startswith(remote_url.rstrip("/") + "/"):
        return path[len(remote_url.rstrip("/")) + 1 :]
    absolute = Path(path.removeprefix("file://")).absolute()
    if cache_dir in absolute.parents:
        return absolute.relative_to(cache_dir).as_posix()
    return remote_name(path, checkpoint_roots(trainer)) if is_local_path(path) else None


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


SaveListener = Callable[[str, dict[str, Any]], None]
RemoveListener = Callable[[str], None]
#: ``remote_loader(path)``: a local, verified copy to load instead of ``path``, or None to load ``path``.
RemoteLoader = Callable[[str], "str | None"]


class UploadingCheckpointIO(CheckpointIO):
    """Delegate to ``inner``, then tell the uploader what was saved or removed.

    ``remote_loader(path)`` may swap a checkpoint path for a local copy (a URL
    under the upload remote: downloaded and verified against ``latest.json``)
    or return ``None`` to let ``inner`` load the path as given.

    >>> import tempfile, os
    >>> from lightning_fabric.plugins import TorchCheckpointIO
    >>> saved = []
    >>> io = UploadingCheckpointIO(TorchCheckpointIO(), lambda path, ckpt: saved.append(path), print)
    >>> path = os.path.join(tempfile.mkdtemp(), "a.ckpt")
    >>> io.save_checkpoint({"global_step": 1}, path)
    >>> saved == [path]
    True
    """

    def __init__(
        self,
        inner: CheckpointIO,
        on_saved: SaveListener,
        on_removed: RemoveListener,
        remote_loader: RemoteLoader | None = None,
    ) -> None:
        self.inner = inner
        self.on_saved = on_saved
        self.on_removed = on_removed
        self.remote_loader = remote_loader

    def save_checkpoint(
        self, checkpoint: dict[str, Any], path: _PATH, storage_options: Any | None = None
    ) -> None:
        self.inner.save_checkpoint(checkpoint, path, storage_options=storage_options)
        self.on_saved(str(path), checkpoint)

    def load_checkpoint(
        self, path: _PATH, map_location: Any | None = None, weights_only: bool | None = None
    ) -> dict[str, Any]:
        local = self.remote_loader(str(path)) if self.remote_loader is not None else None
        return self.inner.load_checkpoint(local or path, map_location=map_location, weights_only=weights_only)

    def remove_checkpoint(self, path: _PATH) -> None:
        self.inner.remove_checkpoint(path)
        self.on_removed(str(path))

    def teardown(self) -> None:
        self.inner.teardown()


def install_uploading_io(
    strategy: Any, make_wrapper: Callable[[CheckpointIO], CheckpointIO]
) -> Callable[[], None]:
    """Put ``make_wrapper(current)`` in place of the strategy's checkpoint writer; return an undo function.

    Under a wrapping plugin such as ``AsyncCheckpointIO`` the real writer inside it is
    wrapped, so uploads start after the bytes are written, not when the write is queued.
    """
    owner: Any = strategy
    current = owner.checkpoint_io
    if isinstance(current, _WrappingCheckpointIO) and current.checkpoint_io is not None:
        owner, current = current, current.checkpoint_io
    if isinstance(current, UploadingCheckpointIO):
        return lambda: None
    wrapper = make_wrapper(current)
    _set_checkpoint_io(owner, wrapper)
    return lambda: _set_checkpoint_io(owner, current)


def _set_checkpoint_io(owner: Any, checkpoint_io: CheckpointIO) -> None:
    if isinstance(owner, _WrappingCheckpointIO):
        owner._checkpoint_io = checkpoint_io  # its public setter refuses to replace a configured plugin
    else:
        owner.checkpoint_io = checkpoint_io


class SigtermHook:
    """Set ``event`` on SIGTERM, then hand the signal on to the previous handler.

    >>> import threading
    >>> hook = SigtermHook(threading.Event())
    >>> hook.install()
    >>> hook.uninstall()
    >>> hook.event.is_set()
    False
    """

    def __init__(self, event: threading.Event) -> None:
        self.event = event
        self._previous: Any = None
        self._installed = False

    def install(self) -> None:
        """Install in the main thread (Python allows signal handlers nowhere else); elsewhere do nothing."""
        if self._installed or threading.current_thread() is not threading.main_thread():
            return
        self._previous = signal.getsignal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, self.handle)
        self._installed = True

    def uninstall(self) -> None:
        """Put the previous handler back, unless someone replaced ours meanwhile (then leave theirs)."""
        if not self._installed:
            return
        self._installed = False
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) == self.handle
        ):
            signal.signal(signal.SIGTERM, self._previous if self._previous is not None else signal.SIG_DFL)

    def handle(self, signum: int, frame: FrameType | None) -> None:
        logger.warning("SIGTERM received: checkpoint uploads get a short final flush, the rest is journaled")
        self.event.set()
        if signal.getsignal(signal.SIGTERM) != self.handle:
            return  # called from a handler that wraps ours (Lightning's): it decides what happens next
        previous = self._previous
        if callable(previous):
            previous(signum, frame)
        elif previous in (None, signal.SIG_DFL):
            self.uninstall()
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
