"""Where the training loader stands in its data, so a fit resumed mid-epoch continues exactly there.

Three parts make a resume exact:

- :class:`EpochShuffleSampler`: the shuffle order is a function of ``(seed, epoch)`` (as in
  ``DistributedSampler``), not of a generator's history, so epoch 3 after a restart has epoch 3's order;
- :class:`LoaderPosition`: epoch, seed, world size, rank and the number of batches *handed to the
  training loop* this epoch. Batches that worker prefetch had fetched but the loop had not taken
  are not counted, so they are served again after the resume, never lost;
- :class:`ResumableBatchSampler`: starts an epoch that many batches in, without reading them.

Ranks of a DDP fit step in lockstep (Lightning's ``DistributedSampler`` gives each the same number
of batches), so the position of rank 0, which writes the checkpoint, is every rank's. A checkpoint
saved mid-epoch under one world size is refused under another (:meth:`LoaderPosition.check_resumable`):
a ``DistributedSampler`` deals windows to ranks by ``rank::world_size``, so the windows already
seen under 2 ranks are not a prefix of any rank's share under 4. At an epoch boundary any world
size resumes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sized
from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch.utils.data import BatchSampler, DistributedSampler, RandomSampler, Sampler


class EpochShuffleSampler(RandomSampler):
    """A permutation of ``range(len(data_source))`` fixed by ``seed + epoch``; ``set_epoch`` moves on.

    A ``RandomSampler`` subclass, so Lightning still sees a shuffled loader and swaps in its own
    ``DistributedSampler`` under DDP.

    >>> sampler = EpochShuffleSampler(range(5), seed=3)
    >>> first = list(sampler); sampler.set_epoch(1)
    >>> first == list(EpochShuffleSampler(range(5), seed=3)), first == list(sampler)
    (True, False)
    """

    def __init__(self, data_source: Sized, seed: int = 0) -> None:
        super().__init__(data_source)
        self.seed = seed
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __iter__(self) -> Iterator[int]:
        generator = torch.Generator().manual_seed(self.seed + self.epoch)
        yield from torch.randperm(len(self.data_source), generator=generator).tolist()


class ResumableBatchSampler(BatchSampler):
    """Lists of ``batch_size`` indices from ``sampler``, after skipping its first ``skip`` indices.

    >>> batches = ResumableBatchSampler(range(7), batch_size=3)
    >>> batches.skip = 2
    >>> list(batches), len(batches)
    ([[2, 3, 4], [5, 6]], 2)
    """

    def __init__(
        self,
        sampler: Sampler[int] | range,
        batch_size: int,
        drop_last: bool = False,
        *,
        training_batch_size: int | None = None,
        drop_incomplete_batch: bool = False,
    ) -> None:
        super().__init__(sampler, batch_size, drop_last=drop_last)
        # The loader's own batch layout, kept here because Lightning re-creates the loader from
        # this sampler with batch_size=1 and drop_last=False when it injects a DistributedSampler.
        self.training_batch_size = training_batch_size or batch_size
        self.drop_incomplete_batch = drop_incomplete_batch
        self.skip = 0

    def __iter__(self) -> Iterator[list[int]]:
        indices = itertools.islice(iter(self.sampler), self.skip, None)
        while batch := list(itertools.islice(indices, self.batch_size)):
            if self.drop_last and len(batch) < self.batch_size:
                return
            yield batch

    def __len__(self) -> int:
        remaining = max(0, len(self.sampler) - self.skip)  # type: ignore[arg-type]
        return remaining // self.batch_size if self.drop_last else -(-remaining // self.batch_size)


@dataclass(frozen=True)
class LoaderPosition:
    """A loader's place in its data: what ``PackedWindowLoader.state_dict()`` returns, as a value.

    >>> position = LoaderPosition(epoch=1, seed=0, batches=5, batch_size=8, windows=400, world_size=1, rank=0)
    >>> LoaderPosition.from_dict(position.to_dict()) == position
    True
    """

    epoch: int
    seed: int | None
    batches: int
    batch_size: int
    windows: int
    world_size: int
    rank: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> LoaderPosition:
        try:
            return cls(**{name: state[name] for name in cls.__dataclass_fields__})
        except KeyError as missing:
            raise ValueError(f"not a PackedWindowLoader state (no {missing}): {sorted(state)}") from None

    def check_resumable(self, here: LoaderPosition, batches_per_epoch: int) -> None:
        """Raise ``ValueError`` when resuming this saved position in the loader at ``here`` is not exact."""
        if self.batches == 0 or self.batches >= batches_per_epoch:
            return  # an epoch boundary: nothing to skip, any layout continues exactly
        for name, unit in (
            ("world_size", "ranks"),
            ("batch_size", "windows per batch"),
            ("windows", "windows"),
        ):
            saved, now = getattr(self, name), getattr(here, name)
            if saved != now:
                raise ValueError(
                    f"cannot resume mid-epoch: the checkpoint was saved {self.batches} batches into epoch "
                    f"{self.epoch} with {saved} {unit} ({name}), this fit has {now}. The batches after the "
                    f"saved position would differ from the uninterrupted fit's. Resume with {name}={saved}, "
                    "or from a checkpoint saved at the end of an epoch."
                )
        if self.seed is not None and here.seed is not None and self.seed != here.seed:
            raise ValueError(
                f"cannot resume mid-epoch: the checkpoint's shuffle seed is {self.seed}, this loader's is "
                f"{here.seed}. Resume with seed={self.seed}."
            )


def sampler_layout(sampler: Any) -> tuple[int, int, int | None]:
    """``(world_size, rank, seed)`` of a window sampler (a ``DistributedSampler`` under DDP)."""
    if isinstance(sampler, DistributedSampler):
        return sampler.num_replicas, sampler.rank, sampler.seed if sampler.shuffle else None
    return 1, 0, getattr(sampler, "seed", None)
