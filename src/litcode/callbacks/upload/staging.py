"""A local staging area that keeps each checkpoint alive until its upload is committed.

``ModelCheckpoint(save_top_k=k)`` deletes older files as soon as better ones
arrive, which can be while their upload is still queued. Staging takes a hard
link at save time: O(1), no extra disk, and the bytes survive the original's
deletion. Where hard links are impossible (another filesystem, a FUSE mount
without them) it falls back to a copy, which costs time once per save; keep
the staging directory beside the checkpoints (the default) to stay on links.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import threading
from pathlib import Path

logger = logging.getLogger("litcode.callbacks.upload")


class StagingArea:
    """Hard-link (or copy) checkpoints into ``directory`` under unique names; remove them once committed.

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
        with self._lock:
            serial = next(self._counter)
        target = self.directory / f"{os.getpid()}-{serial:06d}-{source_path.name}"
        while target.exists():  # a staged file left by an earlier run with the same pid
            with self._lock:
                serial = next(self._counter)
            target = self.directory / f"{os.getpid()}-{serial:06d}-{source_path.name}"
        real = os.path.realpath(source_path)  # a symlinked `last.ckpt`: stage its target's bytes
        if source_path.is_dir():
            shutil.copytree(real, target, copy_function=self._link_or_copy)
        else:
            self._link_or_copy(real, str(target))
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
