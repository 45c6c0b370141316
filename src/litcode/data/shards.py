"""Token shards on disk: raw ``[windows, seq_len + 1]`` arrays plus a JSON index with checksums.

Shards are written streaming (``ndarray.tofile``-style appends, so memory stays at one batch) and read
back as read-only ``numpy.memmap`` views. ``index.json`` records each file's window count, size and
xxh3-64 checksum, so a truncated, corrupted or foreign cache is detected before it is trusted.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import xxhash

INDEX_FILE = "index.json"
INDEX_FORMAT = 2  # 2: no build times, so a rebuilt index is byte-identical
CHECKSUM_CHUNK_BYTES = 8 << 20


@dataclass(frozen=True)
class ShardInfo:
    """One shard file: how many windows it holds, its size, checksum and documents begun in it.

    >>> ShardInfo(file="train-00000.bin", windows=2, bytes=1028, xxh3_64="ab12").windows
    2
    """

    file: str
    windows: int
    bytes: int
    xxh3_64: str
    documents: int = 0


@dataclass
class ShardIndex:
    """Everything needed to open the shards of a cache: shapes, dtype and per-split shard lists.

    >>> index = ShardIndex(seq_len=4, dtype="uint16", vocab_size=257, eos_id=256)
    >>> index.windows("train")
    0
    """

    seq_len: int
    dtype: str
    vocab_size: int
    eos_id: int
    splits: dict[str, list[ShardInfo]] = field(default_factory=dict)
    format: int = INDEX_FORMAT

    def windows(self, split: str) -> int:
        return sum(shard.windows for shard in self.splits.get(split, []))

    def tokens(self, split: str) -> int:
        return self.windows(split) * (self.seq_len + 1)

    def save(self, directory: str | os.PathLike[str]) -> None:
        payload = asdict(self)
        (Path(directory) / INDEX_FILE).write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> ShardIndex:
        payload = json.loads((Path(directory) / INDEX_FILE).read_text())
        if payload.get("format") != INDEX_FORMAT:
            raise ValueError(f"shard index format {payload.get('format')!r} is not {INDEX_FORMAT}")
        splits = {
            name: [ShardInfo(**shard) for shard in shards] for name, shards in payload["splits"].items()
        }
        return cls(
            seq_len=int(payload["seq_len"]),
            dtype=str(payload["dtype"]),
            vocab_size=int(payload["vocab_size"]),
            eos_id=int(payload["eos_id"]),
            splits=splits,
        )


class ShardWriter:
    """Appends windows to ``<split>-NNNNN.bin`` files, starting a new file every ``max_windows``.

    >>> import tempfile
    >>> directory = tempfile.mkdtemp()
    >>> writer = ShardWriter(directory, "train", window=4, dtype=np.uint16, max_windows=2)
    >>> writer.add(np.arange(12, dtype=np.uint16).reshape(3, 4), documents=2)
    >>> [shard.windows for shard in writer.close()]
    [2, 1]
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        split: str,
        *,
        window: int,
        dtype: np.dtype[Any] | type,
        max_windows: int = 1 << 18,
    ) -> None:
        if max_windows < 1:
            raise ValueError(f"max_windows must be at least 1, got {max_windows}")
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.split = split
        self.window = window
        self.dtype = np.dtype(dtype)
        self.max_windows = max_windows
        self.shards: list[ShardInfo] = []
        self._file: BinaryIO | None = None
        self._hash = xxhash.xxh3_64()
        self._windows = 0
        self._documents = 0

    def add(self, windows: np.ndarray, documents: int = 0) -> None:
        """Write ``windows`` (shape ``[n, window]``); ``documents`` counts toward the current shard."""
        if windows.ndim != 2 or windows.shape[1] != self.window:
            raise ValueError(f"expected windows of shape [n, {self.window}], got {list(windows.shape)}")
        self._documents += documents
        windows = np.ascontiguousarray(windows, dtype=self.dtype)
        while windows.shape[0]:
            if self._file is None:
                self._open()
            take = min(self.max_windows - self._windows, windows.shape[0])
            data = windows[:take].tobytes()
            assert self._file is not None
            self._file.write(data)
            self._hash.update(data)
            self._windows += take
            windows = windows[take:]
            if self._windows == self.max_windows:
                self._finish()

    def close(self) -> list[ShardInfo]:
        """Finish the open shard (if any) and return every shard written."""
        if self._file is not None:
            self._finish()
        return list(self.shards)

    def _open(self) -> None:
        name = f"{self.split}-{len(self.shards):05d}.bin"
        self._file = open(self.directory / name, "wb")  # noqa: SIM115 - closed in _finish
        self._hash = xxhash.xxh3_64()
        self._windows = 0

    def _finish(self) -> None:
        assert self._file is not None
        self._file.close()
        path = Path(self._file.name)
        self.shards.append(
            ShardInfo(
                file=path.name,
                windows=self._windows,
                bytes=path.stat().st_size,
                xxh3_64=self._hash.hexdigest(),
                documents=self._documents,
            )
        )
        self._file = None
        self._documents = 0


def file_checksum(path: str | os.PathLike[str]) -> str:
    """xxh3-64 hex digest of a file, read in 8 MiB chunks (GB/s; memory stays flat)."""
    digest = xxhash.xxh3_64()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHECKSUM_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def find_shard_problems(
    directory: str | os.PathLike[str], index: ShardIndex, *, checksums: bool = True
) -> list[str]:
    """Why the shards in ``directory`` cannot be trusted (empty list: they can)."""
    problems = []
    itemsize = np.dtype(index.dtype).itemsize
    for shards in index.splits.values():
        for shard in shards:
            path = Path(directory) / shard.file
            expected = shard.windows * (index.seq_len + 1) * itemsize
            if not path.is_file():
                problems.append(f"{shard.file} is missing")
            elif path.stat().st_size != expected or shard.bytes != expected:
                problems.append(f"{shard.file} has {path.stat().st_size} bytes, expected {expected}")
            elif checksums and file_checksum(path) != shard.xxh3_64:
                problems.append(f"{shard.file} checksum mismatch")
    return problems


def open_shard(directory: str | os.PathLike[str], index: ShardIndex, shard: ShardInfo) -> np.memmap:
    """A read-only ``[windows, seq_len + 1]`` memmap over one shard."""
    return np.memmap(
        Path(directory) / shard.file,
        dtype=np.dtype(index.dtype),
        mode="r",
        shape=(shard.windows, index.seq_len + 1),
    )
