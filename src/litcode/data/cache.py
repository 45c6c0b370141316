"""Where prepared data lives and how it is published: fingerprint, file lock, atomic rename.

A cache directory is ``<cache_dir>/<fingerprint>/``. It is built in a sibling temporary directory
and renamed into place only when complete, so a crash never leaves a directory that a later run
would trust; concurrent builders (several processes on one node, or nodes sharing a filesystem)
serialize on ``fcntl.flock`` over ``<fingerprint>.lock``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import xxhash

CACHE_DIR_ENV = "LITCODE_CACHE_DIR"


def default_cache_dir() -> Path:
    """``$LITCODE_CACHE_DIR``, else ``$XDG_CACHE_HOME/litcode/data``, else ``~/.cache/litcode/data``."""
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "litcode" / "data"


def fingerprint(parts: Mapping[str, Any]) -> str:
    """A short stable hex id of JSON-able ``parts`` (key order does not matter).

    >>> fingerprint({"seq_len": 256, "kind": "byte"}) == fingerprint({"kind": "byte", "seq_len": 256})
    True
    """
    canonical = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return xxhash.xxh3_128_hexdigest(canonical.encode())[:20]


@contextlib.contextmanager
def exclusive_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if missing); other holders wait.

    The lock is released by the kernel if the process dies, so a crashed build never blocks others.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextlib.contextmanager
def staging_directory(final: str | os.PathLike[str]) -> Iterator[Path]:
    """A fresh temporary directory beside ``final``; removed unless :func:`publish` moved it."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def publish(staging: str | os.PathLike[str], final: str | os.PathLike[str]) -> None:
    """Move a complete ``staging`` directory to ``final``, replacing a stale one there.

    Call under :func:`exclusive_lock`. The stale directory is first renamed aside, so at every
    instant ``final`` is either absent, the old tree or the complete new tree.
    """
    final = Path(final)
    if final.exists():
        trash = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".stale", dir=final.parent))
        os.replace(final, trash / final.name)
        shutil.rmtree(trash, ignore_errors=True)
    os.replace(staging, final)
