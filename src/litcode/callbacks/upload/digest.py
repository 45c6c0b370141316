"""Checkpoint digests: a file's size and SHA-256, a sharded directory's manifest SHA-256.

A checkpoint's digest is its size and SHA-256; a sharded checkpoint directory's is
the SHA-256 of its manifest (one ``relative/path<TAB>bytes<TAB>sha256`` line per
file, sorted by path), so the same files give the same digest wherever they are.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

#: Read size for hashing; large reads let hashlib release the GIL for most of the work.
CHUNK_BYTES = 4 * 2**20


@dataclass(frozen=True)
class FileDigest:
    """One file of a checkpoint: its path relative to the checkpoint root (posix), size and SHA-256.

    >>> FileDigest("model.pt", 3, "ab").manifest_line()
    'model.pt\\t3\\tab\\n'
    """

    relative_path: str
    bytes: int
    sha256: str

    def manifest_line(self) -> str:
        return f"{self.relative_path}\t{self.bytes}\t{self.sha256}\n"


@dataclass(frozen=True)
class CheckpointDigest:
    """Total size and SHA-256 of a checkpoint, with the per-file digests of a directory.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.ckpt"
    >>> _ = path.write_bytes(b"abc")
    >>> digest = digest_checkpoint(path)
    >>> digest.bytes, digest.sha256[:12], digest.is_directory
    (3, 'ba7816bf8f01', False)
    """

    bytes: int
    sha256: str
    files: tuple[FileDigest, ...]
    is_directory: bool


def sha256_of_stream(stream: BinaryIO) -> tuple[int, str]:
    """Bytes read and SHA-256 of a binary stream, read in chunks (bounded memory)."""
    hasher = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK_BYTES):
        hasher.update(chunk)
        size += len(chunk)
    return size, hasher.hexdigest()


#: Written by rank 0 into a sharded checkpoint directory once every rank's files are verified remote;
#: not part of the checkpoint's digest.
COMPLETE_MARKER = ".litcode-complete.json"


def _walk_files(root: Path) -> Iterator[tuple[str, Path]]:
    for directory, _, names in os.walk(root):
        for name in names:
            if name == COMPLETE_MARKER:
                continue
            path = Path(directory) / name
            yield path.relative_to(root).as_posix(), path


def combine_file_digests(files: Iterable[FileDigest]) -> tuple[int, str]:
    """Total bytes and manifest SHA-256 of a directory checkpoint's files."""
    ordered = sorted(files, key=lambda item: item.relative_path)
    hasher = hashlib.sha256()
    for item in ordered:
        hasher.update(item.manifest_line().encode())
    return sum(item.bytes for item in ordered), hasher.hexdigest()


def digest_checkpoint(path: str | os.PathLike[str]) -> CheckpointDigest:
    """Digest a checkpoint file, or every file under a checkpoint directory."""
    root = Path(path)
    if root.is_dir():
        files = []
        for relative, file_path in _walk_files(root):
            with open(file_path, "rb") as stream:
                size, sha = sha256_of_stream(stream)
            files.append(FileDigest(relative, size, sha))
        total, sha = combine_file_digests(files)
        return CheckpointDigest(total, sha, tuple(sorted(files, key=lambda f: f.relative_path)), True)
    with open(root, "rb") as stream:
        size, sha = sha256_of_stream(stream)
    return CheckpointDigest(size, sha, (FileDigest("", size, sha),), False)
