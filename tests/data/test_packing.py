from __future__ import annotations

import numpy as np
import pytest

from litcode.data.packing import WindowPacker


def test_documents_are_joined_with_end_of_text_into_full_windows() -> None:
    packer = WindowPacker(seq_len=3, eos_id=99)
    windows = packer.add([np.array([1, 2]), np.array([3, 4, 5])])
    assert windows.tolist() == [[1, 2, 99, 3]]
    assert packer.pending_tokens == 3


def test_tokens_carry_over_between_calls_without_loss() -> None:
    packer = WindowPacker(seq_len=2, eos_id=0)
    first = packer.add([np.array([1, 2, 3, 4])])
    second = packer.add([np.array([5])])
    stream = np.concatenate([first.ravel(), second.ravel()]).tolist()
    assert stream == [1, 2, 3, 4, 0, 5]


def test_windows_have_seq_len_plus_one_columns_and_packer_dtype() -> None:
    packer = WindowPacker(seq_len=7, eos_id=256, dtype=np.uint16)
    windows = packer.add([np.arange(100, dtype=np.uint32)])
    assert windows.shape == (101 // 8, 8)
    assert windows.dtype == np.uint16


def test_counts_documents_and_tokens_including_end_of_text() -> None:
    packer = WindowPacker(seq_len=4, eos_id=0)
    packer.add([np.array([1, 2]), np.array([3])])
    assert (packer.documents, packer.tokens) == (2, 5)


def test_empty_batch_gives_no_windows() -> None:
    assert WindowPacker(seq_len=4, eos_id=0).add([]).shape == (0, 5)


def test_seq_len_below_one_is_rejected() -> None:
    with pytest.raises(ValueError, match="seq_len"):
        WindowPacker(seq_len=0, eos_id=0)
