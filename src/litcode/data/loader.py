"""A ``DataLoader`` that fetches many batches of raw windows per worker request.

Reading packed windows is a memmap gather: about a microsecond per window. What costs is the
``DataLoader`` round trip per batch (index lists to a worker, two int64 tensors back through shared
memory): near a millisecond, ten times the read itself at ``batch_size=8, seq_len=256``. So a
worker request carries ``batches_per_fetch`` batches of raw ``uint16``/``uint32`` windows (one
gather, one shared-memory tensor, 4x fewer bytes than int64); the main process widens the whole
block to int64 at once and hands out row slices of it, zero-copy. Batches, their order and
``len()`` are those of a plain ``DataLoader(batch_size=...)`` over the same sampler.

Under DDP, Lightning re-creates this loader with a ``DistributedSampler`` in place of ``sampler``
(it records the arguments given in the ``*_dataloader`` hook), so each rank gets disjoint windows.

The loader is resumable (``state_dict``/``load_state_dict``, see ``loader_state``): Lightning saves
its position in every checkpoint and restores it before the resumed fit asks for a batch.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler, SequentialSampler

from litcode.data.datasets import Batch, PackedWindowDataset
from litcode.data.loader_state import (
    EpochShuffleSampler,
    LoaderPosition,
    ResumableBatchSampler,
    sampler_layout,
)

# 1 MiB of uint16 per request. Measured on a loaded 2-core machine, where each worker round trip
# waits on the scheduler: 63 batches per fetch gave loader/raw ~0.2-0.3, 255 gave ~0.4-0.6.
TOKENS_PER_FETCH = 1 << 19
MAX_BATCHES_PER_FETCH = 256


def batches_per_fetch_for(batch_size: int, seq_len: int) -> int:
    """How many batches one worker request should carry: ~``TOKENS_PER_FETCH`` tokens, at most 256."""
    return max(1, min(MAX_BATCHES_PER_FETCH, TOKENS_PER_FETCH // (batch_size * (seq_len + 1))))


class _RawWindows(Dataset[np.ndarray]):
    """The dataset as workers see it: raw windows in, no tensor conversion in the worker."""

    def __init__(self, dataset: PackedWindowDataset) -> None:
        self.packed = dataset

    def __len__(self) -> int:
        return len(self.packed)

    def __getitem__(self, index: int) -> np.ndarray:
        return self.packed.windows([index])[0]

    def __getitems__(self, indices: Sequence[int]) -> np.ndarray:
        return self.packed.windows(indices)


_SIGNED_SAME_WIDTH = {np.dtype(np.uint16): np.int16, np.dtype(np.uint32): np.int32}


def _share_windows(windows: Any) -> torch.Tensor:
    """Collate: the gathered windows as one tensor, which a worker hands over through shared memory.

    A tensor crosses the process boundary as a file descriptor; a pickled ``ndarray`` would be
    copied through a pipe in 64 KiB pieces, each a context switch. The bytes are viewed as the
    signed type of the same width, which every torch version can hold.
    """
    return torch.from_numpy(windows.view(_SIGNED_SAME_WIDTH.get(windows.dtype, windows.dtype)))


class PackedWindowLoader(DataLoader[Any]):
    """``DataLoader`` over a :class:`PackedWindowDataset` with batched worker fetches.

    Takes ``DataLoader``'s arguments (``batch_size`` is the training batch size) plus
    ``batches_per_fetch``; ``collate_fn`` and ``batch_sampler`` are fixed by the loader.
    ``shuffle=True`` draws each epoch's order from ``(seed, epoch)``, the seed being ``generator``'s
    (``torch.Generator().manual_seed(seed)``); the epoch advances when an epoch is read to its end, or
    by ``sampler.set_epoch`` (Lightning calls it each epoch).

    >>> import tempfile, numpy as np
    >>> from litcode.data.shards import ShardIndex, ShardWriter
    >>> directory = tempfile.mkdtemp()
    >>> writer = ShardWriter(directory, "train", window=4, dtype=np.uint16)
    >>> writer.add(np.arange(40, dtype=np.uint16).reshape(10, 4))
    >>> index = ShardIndex(seq_len=3, dtype="uint16", vocab_size=257, eos_id=256,
    ...                    splits={"train": writer.close()})
    >>> loader = PackedWindowLoader(PackedWindowDataset(directory, index, "train"), batch_size=4,
    ...                             batches_per_fetch=2)
    >>> [batch["input_ids"].shape[0] for batch in loader], len(loader)
    ([4, 4, 2], 3)
    """

    def __init__(
        self,
        dataset: PackedWindowDataset,
        batch_size: int | None = 1,
        shuffle: bool | None = False,
        sampler: Sampler[int] | None = None,
        drop_last: bool = False,
        batches_per_fetch: int = 16,
        *,
        training_batch_size: int | None = None,
        drop_incomplete_batch: bool | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("collate_fn", None)
        given = kwargs.pop("batch_sampler", None)
        if isinstance(given, ResumableBatchSampler):
            # Lightning injected its DistributedSampler into our batch sampler and re-creates the loader
            # with batch_size=1, drop_last=False; the batch sampler carries the real layout.
            sampler = sampler or given.sampler  # type: ignore[assignment]
            if training_batch_size is None:
                training_batch_size = given.training_batch_size
                drop_incomplete_batch = given.drop_incomplete_batch
        # Re-created from its attributes (Lightning does so for a loader made outside a *_dataloader
        # hook), DataLoader's own batch_size/drop_last read None/False; ours carry the real values.
        batch_size = training_batch_size or batch_size or 1
        drop_last = drop_last if drop_incomplete_batch is None else drop_incomplete_batch
        if batch_size < 1 or batches_per_fetch < 1:
            raise ValueError(
                f"batch_size and batches_per_fetch must be >= 1, got {batch_size}, {batches_per_fetch}"
            )
        if isinstance(dataset, _RawWindows):
            dataset = dataset.packed
        if sampler is None:
            generator = kwargs.get("generator")
            seed = (
                generator.initial_seed()
                if generator is not None
                else int(torch.empty((), dtype=torch.int64).random_())
            )
            sampler = EpochShuffleSampler(dataset, seed=seed) if shuffle else SequentialSampler(dataset)
        self.packed_dataset = dataset
        self.batches_per_fetch = batches_per_fetch
        self.training_batch_size = batch_size
        self.drop_incomplete_batch = drop_last
        self._fetches = ResumableBatchSampler(
            sampler,
            batch_size * batches_per_fetch,
            training_batch_size=batch_size,
            drop_incomplete_batch=drop_last,
        )
        self._epoch = 0
        self._batches_taken = 0  # batches of the current epoch handed to the caller
        self._resume: LoaderPosition | None = None
        super().__init__(
            _RawWindows(dataset), batch_sampler=self._fetches, collate_fn=_share_windows, **kwargs
        )

    def __iter__(self) -> Iterator[Batch]:  # type: ignore[override]
        # A generator: nothing below runs before the first next(), i.e. after Lightning's
        # set_epoch and load_state_dict, so the epoch and the resume position are the final ones.
        size = self.training_batch_size
        pin = self.pin_memory
        dtype = np.dtype(self.packed_dataset.index.dtype)
        sampler = self._fetches.sampler
        self._epoch = int(getattr(sampler, "epoch", self._epoch))
        resume, self._resume = self._resume, None
        start_batch = resume.batches if resume is not None and resume.epoch == self._epoch else 0
        self._fetches.skip = start_batch * size
        self._batches_taken = start_batch
        for shared in super().__iter__():
            fetched = shared.numpy().view(dtype)
            # One wide conversion per fetch; each batch is then a zero-copy (contiguous) row slice.
            inputs, labels = fetched[:, :-1].astype(np.int64), fetched[:, 1:].astype(np.int64)
            rows = fetched.shape[0]
            for start in range(0, rows, size):
                if start + size > rows and self.drop_incomplete_batch:
                    self._end_epoch(sampler)
                    return  # only the very last fetch can be short
                batch = {
                    "input_ids": torch.from_numpy(inputs[start : start + size]),
                    "labels": torch.from_numpy(labels[start : start + size]),
                }
                self._batches_taken += 1  # counted when handed out: prefetched batches are not "seen"
                yield {key: value.pin_memory() for key, value in batch.items()} if pin else batch
        self._end_epoch(sampler)

    def state_dict(self) -> dict[str, Any]:
        """Epoch, seed, world size, rank and batches handed out this epoch (Lightning checkpoints it)."""
        return self.position().to_dict()

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Continue from ``state_dict`` at the next iteration; ``ValueError`` when that cannot be exact."""
        saved = LoaderPosition.from_dict(state_dict)
        saved.check_resumable(self.position(), len(self))
        self._resume = saved
        self._epoch = saved.epoch if saved.batches < len(self) else saved.epoch + 1
        if hasattr(self._fetches.sampler, "set_epoch"):
            self._fetches.sampler.set_epoch(self._epoch)

    def position(self) -> LoaderPosition:
        world_size, rank, seed = sampler_layout(self._fetches.sampler)
        return LoaderPosition(
            epoch=self._epoch,
            seed=seed,
            batches=self._batches_taken,
            batch_size=self.training_batch_size,
            windows=len(self.packed_dataset),
            world_size=world_size,
            rank=rank,
        )

    def _end_epoch(self, sampler: Any) -> None:
        """An epoch read to its end: the next one has the next order (Lightning sets the same number)."""
        self._fetches.skip = 0
        self._epoch += 1
        self._batches_taken = 0
        if hasattr(sampler, "set_epoch"):
            sampler.set_epoch(self._epoch)

    def __len__(self) -> int:
        assert self.batch_sampler is not None
        windows = len(self.batch_sampler.sampler)  # type: ignore[attr-defined]
        if self.drop_incomplete_batch:
            return windows // self.training_batch_size
        return math.ceil(windows / self.training_batch_size)
