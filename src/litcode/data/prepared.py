"""Read side of a prepared-data cache directory: metadata, tokenizer, shard index, datasets.

Layout of ``<cache_dir>/<fingerprint>/``::

    curation/            manifest.sqlite, report.json, report.md, kept/*.parquet
    tokenizer/           tokenizer_config.json (+ tokenizer.json for BPE / file tokenizers)
    train-00000.bin ...  packed windows, [windows, seq_len + 1] of uint16 or uint32
    val-00000.bin ...
    index.json           shard list with sizes and xxh3-64 checksums
    split_repos.json     {"train": [...], "val": [...]}
    meta.json            fingerprint, settings, curation counts, token and window counts
    COMPLETE             written last; a directory without it is never trusted
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

from litcode.data.datasets import PackedWindowDataset
from litcode.data.shards import INDEX_FILE, ShardIndex, find_shard_problems
from litcode.data.tokenizers import Tokenizer, load_tokenizer

META_FILE = "meta.json"
SPLIT_REPOS_FILE = "split_repos.json"
TOKENIZER_DIR = "tokenizer"
COMPLETE_MARKER = "COMPLETE"


class PreparedData:
    """A finished cache directory, opened read-only.

    >>> PreparedData("/nonexistent").problems()
    ['/nonexistent is not a complete prepared-data directory (no COMPLETE marker)']
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def problems(self, *, checksums: bool = True) -> list[str]:
        """Why this directory cannot be trusted (empty: it can); ``checksums=False`` checks sizes only."""
        if not (self.directory / COMPLETE_MARKER).is_file():
            return [
                f"{self.directory} is not a complete prepared-data directory (no {COMPLETE_MARKER} marker)"
            ]
        try:
            index = ShardIndex.load(self.directory)
            owner = json.loads((self.directory / META_FILE).read_text())["fingerprint"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            return [f"{INDEX_FILE} or {META_FILE} unreadable: {error}"]
        if owner != self.directory.name:
            return [f"{self.directory} holds data built for fingerprint {owner} (a foreign cache)"]
        return find_shard_problems(self.directory, index, checksums=checksums)

    @functools.cached_property
    def index(self) -> ShardIndex:
        return ShardIndex.load(self.directory)

    @functools.cached_property
    def meta(self) -> dict[str, Any]:
        return dict(json.loads((self.directory / META_FILE).read_text()))

    @functools.cached_property
    def tokenizer(self) -> Tokenizer:
        return load_tokenizer(self.directory / TOKENIZER_DIR)

    @functools.cached_property
    def split_repos(self) -> dict[str, set[str]]:
        sides = json.loads((self.directory / SPLIT_REPOS_FILE).read_text())
        return {split: set(repos) for split, repos in sides.items()}

    @property
    def fingerprint(self) -> str:
        return str(self.meta["fingerprint"])

    def dataset(self, split: str) -> PackedWindowDataset:
        return PackedWindowDataset(self.directory, self.index, split)
