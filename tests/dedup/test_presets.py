"""Near-dedup presets: BigCode's and datatrove's settings, and recall at the threshold."""

from __future__ import annotations

import random
import re

import pytest

from litcode.dedup import NEAR_DEDUP_PRESETS, bands_rows_for_recall, collision_probability, s_curve


def shingle_set(text: str, size: int = 5) -> set[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text)
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def jaccard(first: str, second: str) -> float:
    a, b = shingle_set(first), shingle_set(second)
    return len(a & b) / len(a | b)


def test_bigcode_preset_uses_their_threshold_and_shingles() -> None:
    dedup = NEAR_DEDUP_PRESETS["bigcode"].deduplicator()
    assert (dedup.threshold, dedup.hasher.shingle_size, dedup.num_perm, dedup.verify) == (0.7, 5, 256, True)


def test_datatrove_preset_is_fourteen_bands_of_eight_unverified() -> None:
    dedup = NEAR_DEDUP_PRESETS["datatrove"].deduplicator()
    assert (dedup.bands, dedup.rows, dedup.num_perm, dedup.verify) == (14, 8, 112, False)


def test_bigcode_s_curve_reaches_recall_target_at_threshold() -> None:
    at_threshold, below = s_curve(NEAR_DEDUP_PRESETS["bigcode"], [0.7, 0.4])
    assert at_threshold >= 0.99
    assert below < 0.2


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.7, 256), (0.85, 256), (0.8, 128)])
def test_bands_rows_for_recall_is_the_steepest_split_meeting_recall(threshold: float, num_perm: int) -> None:
    bands, rows = bands_rows_for_recall(threshold, num_perm)
    assert bands * rows <= num_perm
    assert collision_probability(threshold, bands, rows) >= 0.99
    steeper = rows + 1
    assert collision_probability(threshold, num_perm // steeper, steeper) < 0.99


def test_bands_rows_for_recall_rejects_a_threshold_outside_zero_one() -> None:
    with pytest.raises(ValueError, match="threshold"):
        bands_rows_for_recall(1.0, 256)


def test_bigcode_preset_finds_pairs_at_or_above_its_threshold() -> None:
    rng = random.Random(7)
    vocabulary = [f"name{i}" for i in range(5000)]
    originals, copies = [], []
    for _ in range(60):
        tokens = rng.sample(vocabulary, 400)
        edited = list(tokens)
        for position in rng.sample(range(400), 12):  # up to 12 x 5 of 396 shingles change: Jaccard >= 0.72
            edited[position] = rng.choice(vocabulary)
        originals.append(" ".join(tokens))
        copies.append(" ".join(edited))
    similarities = [jaccard(a, b) for a, b in zip(originals, copies, strict=True)]
    assert 0.7 <= min(similarities) < 0.76  # the pairs sit just above the threshold
    dedup = NEAR_DEDUP_PRESETS["bigcode"].deduplicator()
    ids = [f"a{i}" for i in range(60)] + [f"b{i}" for i in range(60)]
    clusters = dedup.cluster(ids, dedup.signatures(originals + copies))
    found = sum(f"a{i}" in clusters and clusters[f"a{i}"] == clusters.get(f"b{i}") for i in range(60))
    assert found / 60 >= 0.99
