from __future__ import annotations

import numpy as np
import pytest

from litcode.dedup import band_keys, bucket_pairs, candidate_pairs, collision_probability, optimal_bands_rows
from litcode.dedup import lsh as lsh_module


def test_default_weights_reproduce_datasketch_choice_for_256_at_085():
    # datasketch.MinHashLSH(threshold=0.85, num_perm=256).b, .r == 13, 19
    assert optimal_bands_rows(0.85, 256) == (13, 19)


def test_recall_weighted_choice_collides_true_duplicates_more_often():
    bands, rows = optimal_bands_rows(0.85, 256, false_positive_weight=0.1, false_negative_weight=0.9)
    assert bands * rows <= 256
    assert collision_probability(0.85, bands, rows) > collision_probability(0.85, 13, 19)
    assert collision_probability(0.9, bands, rows) > 0.98


@pytest.mark.parametrize("threshold", [0.0, 1.0, -0.5])
def test_threshold_outside_open_unit_interval_is_rejected(threshold):
    with pytest.raises(ValueError, match="threshold must be in"):
        optimal_bands_rows(threshold, 256)


def test_band_keys_equal_exactly_when_band_values_equal():
    signatures = np.array([[1, 2, 3, 4, 5, 6], [1, 2, 0, 4, 5, 6], [9, 2, 3, 4, 5, 6]], dtype=np.uint32)
    keys = band_keys(signatures, bands=3, rows=2)
    assert keys.shape == (3, 3)
    assert (keys[0] == keys[1]).tolist() == [True, False, True]
    assert (keys[0] == keys[2]).tolist() == [False, True, True]


def test_same_values_in_different_bands_give_different_keys():
    keys = band_keys(np.array([[7, 7, 7, 7]], dtype=np.uint32), bands=2, rows=2)
    assert keys[0, 0] != keys[0, 1]


def test_band_keys_need_enough_values():
    with pytest.raises(ValueError, match="need 12 values"):
        band_keys(np.zeros((1, 8), dtype=np.uint32), bands=4, rows=3)


def test_candidate_pairs_link_rows_sharing_any_bucket():
    keys = np.array([[10, 20], [10, 21], [11, 21], [12, 22], [12, 23]], dtype=np.uint64)
    first, second = candidate_pairs(keys)
    assert list(zip(first.tolist(), second.tolist(), strict=True)) == [(0, 1), (1, 2), (3, 4)]


def test_rows_sharing_several_buckets_give_one_pair():
    first, second = candidate_pairs(np.array([[1, 2, 3], [1, 2, 3]], dtype=np.uint64))
    assert (first.tolist(), second.tolist()) == ([0], [1])


def test_no_shared_buckets_give_no_pairs():
    first, second = candidate_pairs(np.arange(12, dtype=np.uint64).reshape(4, 3))
    assert first.size == second.size == 0


def test_small_bucket_gives_all_pairs():
    first, _ = candidate_pairs(np.full((5, 1), 3, dtype=np.uint64))
    assert first.size == 10


def test_large_bucket_gives_linear_pairs_that_still_connect_everyone(monkeypatch):
    monkeypatch.setattr(lsh_module, "MAX_BUCKET_FOR_ALL_PAIRS", 4)
    first, second = candidate_pairs(np.full((50, 1), 3, dtype=np.uint64))
    assert first.size == 2 * 50 - 3
    reached = {0}
    for a, b in sorted(zip(first.tolist(), second.tolist(), strict=True)):
        if a in reached:
            reached.add(b)
    assert reached == set(range(50))


@pytest.mark.parametrize("size", [2, 5, 32])
def test_bucket_pairs_of_a_small_bucket_are_all_pairs(size):
    left, right = bucket_pairs(size)
    assert sorted(zip(left.tolist(), right.tolist(), strict=True)) == [
        (i, j) for i in range(size) for j in range(i + 1, size)
    ]


def test_candidate_pairs_equal_bucket_pairs_applied_per_bucket(monkeypatch):
    monkeypatch.setattr(lsh_module, "MAX_BUCKET_FOR_ALL_PAIRS", 3)
    keys = np.array([[k] for k in [7, 7, 9, 7, 9, 7, 7, 1]], dtype=np.uint64)
    expected = set()
    for key in {7, 9}:
        members = np.flatnonzero(keys[:, 0] == key)
        left, right = bucket_pairs(members.size)
        expected |= {(int(members[a]), int(members[b])) for a, b in zip(left, right, strict=True)}
    first, second = candidate_pairs(keys)
    assert set(zip(first.tolist(), second.tolist(), strict=True)) == expected
