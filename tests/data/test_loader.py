from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, DistributedSampler

from litcode.data.datasets import PackedWindowDataset, collate_windows
from litcode.data.loader import PackedWindowLoader, batches_per_fetch_for
from litcode.data.loader_state import EpochShuffleSampler
from litcode.data.shards import ShardIndex, ShardWriter

SEQ_LEN = 4


@pytest.fixture
def dataset(tmp_path) -> PackedWindowDataset:
    """37 windows, window w starting with token w * 10, over two shards."""
    windows = (np.arange(37)[:, None] * 10 + np.arange(SEQ_LEN + 1)[None, :]).astype(np.uint16)
    writer = ShardWriter(tmp_path, "train", window=SEQ_LEN + 1, dtype=np.uint16, max_windows=20)
    writer.add(windows)
    index = ShardIndex(
        seq_len=SEQ_LEN, dtype="uint16", vocab_size=500, eos_id=0, splits={"train": writer.close()}
    )
    return PackedWindowDataset(tmp_path, index, "train")


def firsts(loader) -> list[list[int]]:
    return [batch["input_ids"][:, 0].tolist() for batch in loader]


@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize("batches_per_fetch", [1, 3, 16])
def test_batches_equal_those_of_a_plain_dataloader(dataset, drop_last, batches_per_fetch) -> None:
    plain = DataLoader(
        dataset,
        batch_size=5,
        sampler=EpochShuffleSampler(dataset, seed=3),
        drop_last=drop_last,
        collate_fn=collate_windows,
    )
    fetched = PackedWindowLoader(
        dataset,
        batch_size=5,
        shuffle=True,
        drop_last=drop_last,
        batches_per_fetch=batches_per_fetch,
        generator=torch.Generator().manual_seed(3),
    )
    assert firsts(fetched) == firsts(plain)
    assert len(fetched) == len(plain)


def test_labels_stay_inputs_shifted_by_one_after_splitting(dataset) -> None:
    for batch in PackedWindowLoader(dataset, batch_size=4, batches_per_fetch=4):
        assert torch.equal(batch["labels"][:, :-1], batch["input_ids"][:, 1:])


def test_worker_processes_serve_the_same_batches(dataset) -> None:
    loader = PackedWindowLoader(dataset, batch_size=3, batches_per_fetch=2, num_workers=2)
    assert firsts(loader) == [[w * 10 for w in range(s, min(s + 3, 37))] for s in range(0, 37, 3)]


def test_injected_distributed_sampler_gives_ranks_disjoint_windows(dataset) -> None:
    seen = []
    for rank in range(2):
        sampler = DistributedSampler(dataset, num_replicas=2, rank=rank, shuffle=True, seed=0, drop_last=True)
        loader = PackedWindowLoader(
            dataset, batch_size=4, sampler=sampler, batches_per_fetch=2, batch_sampler=None
        )
        seen.append({x for batch in firsts(loader) for x in batch})
    assert seen[0].isdisjoint(seen[1])
    assert len(seen[0]) == len(seen[1]) == 18


@pytest.mark.parametrize(
    ("batch_size", "seq_len", "expected"), [(8, 256, 255), (1, 1, 256), (64, 2048, 3), (4096, 4096, 1)]
)
def test_batches_per_fetch_targets_a_bounded_token_count(batch_size, seq_len, expected) -> None:
    assert batches_per_fetch_for(batch_size, seq_len) == expected


@pytest.mark.parametrize("drop_last", [False, True])
def test_lightning_recreates_the_loader_with_a_distributed_sampler(dataset, drop_last) -> None:
    from pytorch_lightning.utilities.data import _update_dataloader

    loader = PackedWindowLoader(dataset, batch_size=4, shuffle=True, drop_last=drop_last, batches_per_fetch=2)
    seen = []
    for rank in range(2):
        sampler = DistributedSampler(dataset, num_replicas=2, rank=rank, shuffle=True, seed=0, drop_last=True)
        recreated = _update_dataloader(loader, sampler)
        assert isinstance(recreated, PackedWindowLoader)
        batches = firsts(recreated)
        assert [len(batch) for batch in batches] == ([4] * 4 if drop_last else [4] * 4 + [2])
        seen.append({x for batch in batches for x in batch})
    assert seen[0].isdisjoint(seen[1])
