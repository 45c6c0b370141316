"""A ``CheckpointIO`` wrapper: the one place that knows when a checkpoint file is complete.

``Callback.on_save_checkpoint`` fires before the file exists. The strategy's
``checkpoint_io.save_checkpoint`` returning is the moment it is whole on disk,
and ``remove_checkpoint`` is how ``ModelCheckpoint`` rotates top-k files away,
so wrapping both sees every save and every rotation, for any strategy that
writes through its ``CheckpointIO`` (on global rank 0 only, as Lightning calls it).
Under ``AsyncCheckpointIO`` the wrapper goes around the inner plugin, so it
still runs after the write, on the async writer's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lightning_fabric.plugins import CheckpointIO
from lightning_fabric.utilities.types import _PATH
from pytorch_lightning.plugins.io.wrapper import _WrappingCheckpointIO

SaveListener = Callable[[str, dict[str, Any]], None]
RemoveListener = Callable[[str], None]
RemoteLoader = Callable[[str, Any, "bool | None"], "dict[str, Any] | None"]


class UploadingCheckpointIO(CheckpointIO):
    """Delegate to ``inner``, then tell the uploader what was saved or removed.

    ``remote_loader(path, map_location, weights_only)`` may load a checkpoint
    path itself (a URL under the upload remote, opened with its storage
    options) or return ``None`` to let ``inner`` load it.

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
        if self.remote_loader is not None:
            loaded = self.remote_loader(str(path), map_location, weights_only)
            if loaded is not None:
                return loaded
        return self.inner.load_checkpoint(path, map_location=map_location, weights_only=weights_only)

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
