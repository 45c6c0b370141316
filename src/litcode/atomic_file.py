"""Write a whole file so that readers only ever see the old version or the complete new one.

The one implementation every part shares (metrics snapshot, curation report, upload journal,
``run.json``): a temp file in the same directory, fsync, then ``os.replace``.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically; see :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same directory, fsync, then ``os.replace``.

    The parent directories are created. On any error the temp file is removed and the error is
    raised; the previous file at ``path`` is left untouched. The temp name is unique per process and
    thread, so concurrent writers never share one; the last ``os.replace`` wins.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
