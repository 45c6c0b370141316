"""A map-style torch ``Dataset`` over the packed windows of one split, read from memmapped shards.

Each item is ``{"input_ids", "labels"}``, two ``LongTensor[seq_len]`` views of one ``seq_len + 1``
window. The dataset also implements ``__getitems__`` so a ``DataLoader`` fetches a whole batch with
one numpy gather per shard instead of one Python call per window (the hot path of the loader).
Memmaps are opened lazily in each process and never pickled: worker processes reopen them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset

from litcode.data.shards import ShardIndex, open_shard

Batch = dict[str, torch.Tensor]


class PackedWindowDataset(Dataset[Batch]):
    """Windows of one split (``"train"`` or ``"val"``) of a prepared cache directory.

    >>> import tempfile, numpy as np
    >>> from litcode.data.shards import ShardIndex, ShardWriter
    >>> directory = tempfile.mkdtemp()
    >>> writer = ShardWriter(directory, "train", window=4, dtype=np.uint16)
    >>> writer.add(np.arange(8, dtype=np.uint16).reshape(2, 4))
    >>> index = ShardIndex(seq_len=3, dtype="uint16", vocab_size=257, eos_id=256,
    ...                    splits={"train": writer.close()})
    >>> item = PackedWindowDataset(directory, index, "train")[1]
    >>> item["input_ids"].tolist(), item["labels"].tolist()
    ([4, 5, 6], [5, 6, 7])
    """

    def __init__(self, directory: str | os.PathLike[str], index: ShardIndex, split: str) -> None:
        self.directory = Path(directory)
        self.index = index
        self.split = split
        self.shards = list(index.splits.get(split, []))
        counts = np.array([shard.windows for shard in self.shards], dtype=np.int64)
        # starts[k] = global index of shard k's first window; starts[-1] = total.
        self._starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._memmaps: list[np.memmap] | None = None

    def __len__(self) -> int:
        return int(self._starts[-1])

    def __getitem__(self, index: int) -> Batch:
        if not -len(self) <= index < len(self):
            raise IndexError(f"window {index} out of range for {len(self)} windows in split {self.split!r}")
        batch = self.__getitems__([index % len(self)])
        return {key: value[0] for key, value in batch.items()}

    def __getitems__(self, indices: Sequence[int]) -> Batch:
        return windows_to_batch(self.windows(indices))

    def windows(self, indices: Sequence[int] | np.ndarray) -> np.ndarray:
        """The raw ``[len(indices), seq_len + 1]`` token windows (shard dtype), gathered per shard."""
        indices = np.asarray(indices, dtype=np.int64)
        memmaps = self._open()
        if len(memmaps) == 1:
            return np.asarray(memmaps[0][indices])
        shard_of = np.searchsorted(self._starts, indices, side="right") - 1
        out = np.empty((indices.size, self.index.seq_len + 1), dtype=np.dtype(self.index.dtype))
        for shard in np.unique(shard_of):
            rows = np.nonzero(shard_of == shard)[0]
            out[rows] = memmaps[shard][indices[rows] - self._starts[shard]]
        return out

    def _open(self) -> list[np.memmap]:
        if self._memmaps is None:
            self._memmaps = [open_shard(self.directory, self.index, shard) for shard in self.shards]
        return self._memmaps

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_memmaps"] = None  # a pickled memmap would copy the whole shard into the pickle
        return state


def windows_to_batch(windows: np.ndarray) -> Batch:
    """``[n, seq_len + 1]`` windows -> ``input_ids`` (all but the last token), ``labels`` (all but the first).

    Contiguous int64 copies: models call ``.view()`` on labels, which a strided slice would refuse.
    """
    return {
        "input_ids": torch.from_numpy(windows[:, :-1].astype(np.int64)),
        "labels": torch.from_numpy(windows[:, 1:].astype(np.int64)),
    }


def collate_windows(batch: Batch | list[Batch]) -> Batch:
    """``DataLoader`` collate: pass a batch from ``__getitems__`` through; stack a list of items."""
    if isinstance(batch, dict):
        return batch
    return {key: torch.stack([item[key] for item in batch]) for key in batch[0]}
