from __future__ import annotations

import numpy as np
import pytest

from litcode.data.shards import ShardIndex, ShardWriter, file_checksum, find_shard_problems, open_shard


def write_shards(directory, windows: np.ndarray, max_windows: int = 4) -> ShardIndex:
    writer = ShardWriter(
        directory, "train", window=windows.shape[1], dtype=np.uint16, max_windows=max_windows
    )
    writer.add(windows, documents=3)
    return ShardIndex(
        seq_len=windows.shape[1] - 1,
        dtype="uint16",
        vocab_size=257,
        eos_id=256,
        splits={"train": writer.close()},
    )


def test_writer_rolls_over_to_a_new_shard_every_max_windows(tmp_path) -> None:
    index = write_shards(tmp_path, np.zeros((10, 5), dtype=np.uint16), max_windows=4)
    assert [shard.windows for shard in index.splits["train"]] == [4, 4, 2]
    assert [shard.file for shard in index.splits["train"]] == [
        "train-00000.bin",
        "train-00001.bin",
        "train-00002.bin",
    ]


def test_shards_read_back_identical_through_memmap(tmp_path) -> None:
    windows = np.arange(50, dtype=np.uint16).reshape(10, 5)
    index = write_shards(tmp_path, windows)
    read = np.concatenate([open_shard(tmp_path, index, shard) for shard in index.splits["train"]])
    np.testing.assert_array_equal(read, windows)


def test_opened_shards_are_read_only(tmp_path) -> None:
    index = write_shards(tmp_path, np.ones((2, 5), dtype=np.uint16))
    memmap = open_shard(tmp_path, index, index.splits["train"][0])
    with pytest.raises(ValueError, match="read-only"):
        memmap[0, 0] = 7


def test_streamed_checksum_equals_checksum_of_file(tmp_path) -> None:
    index = write_shards(tmp_path, np.arange(40, dtype=np.uint16).reshape(8, 5))
    for shard in index.splits["train"]:
        assert shard.xxh3_64 == file_checksum(tmp_path / shard.file)


def test_index_survives_save_and_load(tmp_path) -> None:
    index = write_shards(tmp_path, np.ones((6, 5), dtype=np.uint16))
    index.save(tmp_path)
    assert ShardIndex.load(tmp_path) == index


def test_intact_shards_have_no_problems(tmp_path) -> None:
    index = write_shards(tmp_path, np.ones((6, 5), dtype=np.uint16))
    assert find_shard_problems(tmp_path, index) == []


def test_flipped_byte_is_a_checksum_mismatch(tmp_path) -> None:
    index = write_shards(tmp_path, np.ones((6, 5), dtype=np.uint16))
    path = tmp_path / "train-00000.bin"
    data = bytearray(path.read_bytes())
    data[3] ^= 0xFF
    path.write_bytes(bytes(data))
    assert find_shard_problems(tmp_path, index) == ["train-00000.bin checksum mismatch"]


def test_truncated_shard_is_reported_by_size(tmp_path) -> None:
    index = write_shards(tmp_path, np.ones((6, 5), dtype=np.uint16))
    path = tmp_path / "train-00001.bin"
    path.write_bytes(path.read_bytes()[:-2])
    assert find_shard_problems(tmp_path, index, checksums=False) == [
        "train-00001.bin has 18 bytes, expected 20"
    ]


def test_missing_shard_is_reported(tmp_path) -> None:
    index = write_shards(tmp_path, np.ones((6, 5), dtype=np.uint16))
    (tmp_path / "train-00000.bin").unlink()
    assert find_shard_problems(tmp_path, index) == ["train-00000.bin is missing"]


def test_writer_rejects_windows_of_the_wrong_width(tmp_path) -> None:
    writer = ShardWriter(tmp_path, "train", window=5, dtype=np.uint16)
    with pytest.raises(ValueError, match=r"shape \[n, 5\]"):
        writer.add(np.zeros((2, 4), dtype=np.uint16))


def test_writer_with_no_windows_writes_no_file(tmp_path) -> None:
    writer = ShardWriter(tmp_path, "val", window=5, dtype=np.uint16)
    writer.add(np.zeros((0, 5), dtype=np.uint16))
    assert writer.close() == []
    assert list(tmp_path.iterdir()) == []


def test_index_of_another_format_is_refused(tmp_path) -> None:
    (tmp_path / "index.json").write_text('{"format": 99}')
    with pytest.raises(ValueError, match="format 99"):
        ShardIndex.load(tmp_path)
