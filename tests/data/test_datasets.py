from __future__ import annotations

import pickle

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, DistributedSampler

from litcode.data.datasets import PackedWindowDataset, collate_windows
from litcode.data.shards import ShardIndex, ShardWriter

SEQ_LEN = 6


@pytest.fixture
def dataset(tmp_path) -> PackedWindowDataset:
    """23 windows whose every token encodes (window, position), spread over 3 shards."""
    windows = (np.arange(23)[:, None] * 100 + np.arange(SEQ_LEN + 1)[None, :]).astype(np.uint16)
    writer = ShardWriter(tmp_path, "train", window=SEQ_LEN + 1, dtype=np.uint16, max_windows=10)
    writer.add(windows)
    index = ShardIndex(
        seq_len=SEQ_LEN, dtype="uint16", vocab_size=3000, eos_id=0, splits={"train": writer.close()}
    )
    return PackedWindowDataset(tmp_path, index, "train")


def test_length_counts_windows_across_shards(dataset) -> None:
    assert len(dataset) == 23


def test_item_labels_are_inputs_shifted_by_one(dataset) -> None:
    item = dataset[12]
    assert item["input_ids"].tolist() == [1200, 1201, 1202, 1203, 1204, 1205]
    assert item["labels"].tolist() == [1201, 1202, 1203, 1204, 1205, 1206]


def test_items_are_contiguous_long_tensors(dataset) -> None:
    item = dataset[0]
    assert item["input_ids"].dtype == torch.long
    assert item["labels"].is_contiguous()


def test_batched_fetch_gathers_across_shard_borders(dataset) -> None:
    batch = dataset.__getitems__([22, 0, 10, 9])
    assert batch["input_ids"][:, 0].tolist() == [2200, 0, 1000, 900]


def test_negative_index_counts_from_the_end(dataset) -> None:
    assert dataset[-1]["input_ids"][0].item() == 2200


def test_index_out_of_range_raises_index_error(dataset) -> None:
    with pytest.raises(IndexError, match="out of range"):
        dataset[23]


def test_pickled_dataset_holds_no_token_data(dataset) -> None:
    dataset[0]  # opens the memmaps
    restored = pickle.loads(pickle.dumps(dataset))
    assert len(pickle.dumps(dataset)) < 2000
    assert restored[5]["input_ids"][0].item() == 500


def test_dataloader_batches_have_batch_by_seq_len_shape(dataset) -> None:
    loader = DataLoader(dataset, batch_size=4, collate_fn=collate_windows)
    batch = next(iter(loader))
    assert batch["input_ids"].shape == batch["labels"].shape == (4, SEQ_LEN)


def test_shuffled_loader_visits_every_window_once_per_epoch(dataset) -> None:
    loader = DataLoader(
        dataset,
        batch_size=5,
        shuffle=True,
        collate_fn=collate_windows,
        generator=torch.Generator().manual_seed(0),
    )
    firsts = torch.cat([batch["input_ids"][:, 0] for batch in loader]).tolist()
    assert sorted(firsts) == [w * 100 for w in range(23)]


def test_loader_with_worker_processes_reads_same_windows(dataset) -> None:
    loader = DataLoader(dataset, batch_size=8, num_workers=2, collate_fn=collate_windows)
    firsts = torch.cat([batch["input_ids"][:, 0] for batch in loader]).tolist()
    assert firsts == [w * 100 for w in range(23)]


def test_distributed_ranks_see_disjoint_windows(dataset) -> None:
    seen = []
    for rank in range(2):
        sampler = DistributedSampler(dataset, num_replicas=2, rank=rank, shuffle=True, seed=0, drop_last=True)
        loader = DataLoader(dataset, batch_size=3, sampler=sampler, collate_fn=collate_windows)
        seen.append({int(x) for batch in loader for x in batch["input_ids"][:, 0]})
    assert seen[0].isdisjoint(seen[1])
    assert len(seen[0]) == len(seen[1]) == 11


def test_collate_stacks_a_list_of_items(dataset) -> None:
    batch = collate_windows([dataset[1], dataset[2]])
    assert batch["labels"][:, 0].tolist() == [101, 201]
