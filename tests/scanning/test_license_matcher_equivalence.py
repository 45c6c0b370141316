"""The matcher's compiled kernels give what the plain numpy code gives, on real license texts
and on random inputs.

The reference functions below are the matcher's earlier numpy and Python versions (a binary
search per template trigram, a prefix-sum maximum segment, patience sorting with bisect),
kept here as the answer key for :mod:`litcode.scanning.licenses.kernels`.
"""

from __future__ import annotations

import sysconfig
from bisect import bisect_left
from pathlib import Path

import numpy as np
import pytest

from litcode.scanning.licenses import kernels, matcher
from litcode.scanning.licenses.candidate_pool import LiveBounds
from litcode.scanning.licenses.index import LicenseIndex, license_index
from litcode.scanning.licenses.scoring import (
    MIN_CONTAINMENT,
    NUMERIC_WEIGHT,
    Candidate,
    Query,
    TemplateLayout,
)
from support.license_evaluation import near_miss_texts, notice_texts, package_texts

SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])


def sample_texts() -> list[str]:
    """Notices, near-misses and the first installed packages' license files (bundles included)."""
    packages = sorted(package_texts(SITE_PACKAGES), key=lambda item: len(item.text))
    chosen = packages[:: max(1, len(packages) // 12)] + packages[-2:]
    return [item.text for item in notice_texts()[:10] + near_miss_texts() + chosen]


def query_of(index: LicenseIndex, text: str) -> Query:
    return matcher.query_of(index, index.encode(text))


def reference_positions(index: LicenseIndex, candidate: Candidate, query: Query) -> np.ndarray:
    trigrams = index.template_trigrams(candidate.template)
    slots = np.minimum(np.searchsorted(query.unique, trigrams), len(query.unique) - 1)
    present = np.zeros(len(query.unique), dtype=np.bool_)
    present[slots[query.unique[slots] == trigrams]] = True
    return np.nonzero(present[query.inverse])[0]


def reference_passing(index: LicenseIndex, trigram_ids: np.ndarray) -> np.ndarray:
    """Templates holding all rare trigrams of an exact one, half of any other, among ``trigram_ids``."""
    hits = np.zeros(index.size, dtype=np.int64)
    for trigram in trigram_ids:
        postings = index.posting_templates[
            index.posting_offsets[trigram] : index.posting_offsets[trigram + 1]
        ]
        np.add.at(hits, postings, 1)
    keys = index.keys_per_template
    return np.nonzero((hits > 0) & ((hits >= keys) | (~index.exact & (hits >= 0.5 * keys))))[0]


def reference_candidates(index: LicenseIndex, query: Query) -> list[tuple[int, float, bool, int]]:
    """(template, bound, exact, size) of every candidate, by whole-array numpy steps."""
    vocabulary = index.trigram_vocabulary
    ids = np.minimum(np.searchsorted(vocabulary, query.unique), len(vocabulary) - 1)
    known = np.nonzero(vocabulary[ids] == query.unique)[0]
    passing = reference_passing(index, ids[known])
    chosen = []
    for template in passing.tolist():
        trigrams = index.template_trigrams(template)
        slots = np.minimum(np.searchsorted(query.unique, trigrams), len(query.unique) - 1)
        found = query.unique[slots] == trigrams
        numeric = found & query.unique_numeric[slots]
        size, numerics = len(trigrams), int(index.numeric_per_template[template])
        found_count, numeric_count = int(found.sum()), int(numeric.sum())
        weighted = found_count - numeric_count + NUMERIC_WEIGHT * numeric_count
        weighted_size = size - numerics + NUMERIC_WEIGHT * numerics
        exact = bool(index.exact[template])
        if (found_count == size) if exact else (weighted >= MIN_CONTAINMENT * weighted_size):
            chosen.append((template, weighted**2 / weighted_size, exact, size))
    return chosen


@pytest.mark.slow
@pytest.mark.parametrize("text", sample_texts(), ids=lambda text: f"{len(text)}-chars")
def test_candidates_and_positions_match_the_reference(text: str) -> None:
    index = license_index()
    query = query_of(index, text)
    rows, pool = matcher._candidates(index, query)
    candidates = [matcher._make(row) for row in rows]
    expected = reference_candidates(index, query)
    assert [(c.template, c.exact, c.size) for c in candidates] == [(t, e, s) for t, _, e, s in expected]
    assert [c.bound for c in candidates] == pytest.approx([bound for _, bound, _, _ in expected], rel=1e-12)
    if pool is None:
        return
    query_bytes = query.ids.astype("<i4").tobytes()
    for candidate in candidates:
        assert candidate.length == len(index.template_tokens(candidate.template))
        if not candidate.exact:
            found = matcher._positions(index, candidate, query, query_bytes, pool)
            assert np.array_equal(found, reference_positions(index, candidate, query))


@pytest.mark.slow
@pytest.mark.parametrize("text", sample_texts()[-4:], ids=lambda text: f"{len(text)}-chars")
def test_live_bounds_after_claims_match_a_full_recount(text: str) -> None:
    """Claims taken off incrementally leave the counts a fresh count of the uncovered text gives."""
    index = license_index()
    query = query_of(index, text)
    _, pool = matcher._candidates(index, query)
    assert pool is not None
    live = LiveBounds(pool, query)
    possible_at_first = sum(live.bound(candidate) is not None for candidate in range(len(pool.sizes)))
    covered = np.zeros(len(query.ids), dtype=np.bool_)
    rng = np.random.default_rng(len(text))
    for _ in range(8):
        start = int(rng.integers(0, len(covered)))
        end = min(len(covered), start + int(rng.integers(1, 400)))
        live.cover(covered, start, end)
        covered[start:end] = True
        alive = np.bincount(query.inverse[~covered[: len(query.inverse)]], minlength=len(query.unique)) > 0
        entry_alive = pool.found & alive[pool.slots]
        found_count = np.add.reduceat(entry_alive.astype(np.int64), pool.groups)
        numeric_count = np.add.reduceat((entry_alive & pool.numeric).astype(np.int64), pool.groups)
        expected_possible, expected_bounds = pool.bounds(found_count, numeric_count)
        bounds = [live.bound(candidate) for candidate in range(len(pool.sizes))]
        assert [bound is not None for bound in bounds] == expected_possible.tolist()
        assert [bound for bound in bounds if bound is not None] == expected_bounds[expected_possible].tolist()
    assert sum(bound is not None for bound in bounds) < possible_at_first  # the claims took some out


def reference_dense_run(positions: np.ndarray, covered: np.ndarray, width: int, need: int) -> tuple | None:
    """(dense, run) hits of the numpy scoring path, or None where it gives up."""
    live = positions[~covered[positions]]
    if len(live) < need or not len(live):
        return None
    ends = np.searchsorted(live, live + width)
    densest = int(np.argmax(ends - np.arange(len(live))))
    if ends[densest] - densest < need:
        return None
    around = live[(live >= live[densest] - width) & (live < live[ends[densest] - 1] + width)]
    first, last = int(around[0]), int(around[-1]) + 1
    values = np.full(last - first, -kernels.MISS_COST)
    values[covered[first:last]] = -float(last - first)
    values[around - first] = 1.0
    sums = np.concatenate([[0.0], np.cumsum(values)])
    end = int(np.argmax(sums[1:] - np.minimum.accumulate(sums[:-1]))) + 1
    start = int(np.argmin(sums[:end]))
    dense = around[(around >= first + start) & (around < first + end)]
    if int(dense[-1]) - int(dense[0]) < width:
        return dense, dense
    window_ends = np.searchsorted(dense, dense + width)
    best = int(np.argmax(window_ends - np.arange(len(dense))))
    return dense, dense[best : window_ends[best]]


def test_dense_run_matches_the_numpy_path_on_random_hits() -> None:
    rng = np.random.default_rng(7)
    for _ in range(3000):
        length = int(rng.integers(20, 2500))
        covered = rng.random(length) < rng.choice([0.0, 0.05, 0.3])
        scattered = rng.integers(0, length, int(rng.integers(1, 150)))
        copy_start = int(rng.integers(0, length))
        copy = np.arange(copy_start, min(length, copy_start + int(rng.integers(0, 500))))
        positions = np.unique(np.concatenate([scattered, copy[rng.random(len(copy)) < 0.9]]))
        width = int(int(rng.integers(5, 400)) * 1.25) + 12
        need = int(rng.integers(1, 250))
        expected = reference_dense_run(positions, covered, width, need)
        hits = kernels.live_hits(positions, covered)
        dense_start, dense_end, run_start, run_end = kernels.dense_run(hits, covered, width, need)
        if expected is None:
            assert dense_start == -1
            continue
        assert np.array_equal(hits[dense_start:dense_end], expected[0])
        assert np.array_equal(hits[run_start:run_end], expected[1])


def reference_aligned_offsets(
    template_codes: np.ndarray, codes: np.ndarray, positions: np.ndarray
) -> np.ndarray:
    order = np.argsort(template_codes, kind="stable")
    sorted_codes = template_codes[order]
    first = np.searchsorted(sorted_codes, codes, "left")
    last = np.searchsorted(sorted_codes, codes, "right")
    offsets = order[np.minimum(first, len(order) - 1)]
    repeated = last - first > 1
    single = np.flatnonzero(~repeated)
    if not repeated.any() or not len(single):
        return offsets
    nearest = np.maximum.accumulate(np.where(~repeated, np.arange(len(codes)), -1))
    nearest[nearest < 0] = single[0]
    expected = positions + (offsets - positions)[nearest]
    span = len(order) + 1
    rank = np.concatenate([[0], np.cumsum(sorted_codes[1:] != sorted_codes[:-1])])
    keyed = rank * span + order
    which = np.flatnonzero(repeated)
    wanted = rank[first[which]] * span + np.clip(expected[which], 0, span - 1)
    after = np.clip(np.searchsorted(keyed, wanted), first[which], last[which] - 1)
    before = np.clip(after - 1, first[which], last[which] - 1)
    closer = np.abs(order[before] - expected[which]) <= np.abs(order[after] - expected[which])
    offsets[which] = np.where(closer, order[before], order[after])
    return offsets


def reference_increasing(values: list[int]) -> list[int]:
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for position, value in enumerate(values):
        length = bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_index.append(position)
        else:
            tails[length] = value
            tail_index[length] = position
        if length:
            previous[position] = tail_index[length - 1]
    chain = []
    position = tail_index[-1] if tail_index else -1
    while position >= 0:
        chain.append(position)
        position = previous[position]
    return chain[::-1]


def test_offsets_and_in_order_runs_match_the_reference_on_random_copies() -> None:
    """A template of repeated phrases, copied with edits, shuffles and a second copy."""
    rng = np.random.default_rng(11)
    for _ in range(1500):
        template = rng.integers(0, int(rng.integers(2, 60)), int(rng.integers(1, 300))).astype(np.int64)
        copy = np.arange(len(template))
        copy = copy[rng.random(len(copy)) < 0.85]
        if rng.random() < 0.3:  # a stretch moved, or a second copy after the first
            copy = np.concatenate([copy, copy[: len(copy) // 2]])
        rng.shuffle(copy[: int(rng.integers(0, 6))])
        positions = np.sort(rng.choice(np.arange(10 * len(template) + 10), len(copy), replace=False)).astype(
            np.int64
        )
        codes = template[copy]
        layout = TemplateLayout.of(template)
        offsets = layout.offsets(codes, positions)
        assert np.array_equal(offsets, reference_aligned_offsets(template, codes, positions))
        assert kernels.increasing(offsets).tolist() == reference_increasing(offsets.tolist())
    assert kernels.increasing(np.array([3, 1, 2, 5, 4, 6])).tolist() == [1, 2, 4, 5]
    assert kernels.increasing(np.empty(0, dtype=np.int64)).tolist() == []


def test_known_trigrams_and_passing_templates_match_whole_array_lookups() -> None:
    index = license_index()
    scratch = matcher._scratch(index)
    rng = np.random.default_rng(3)
    vocabulary = index.trigram_vocabulary
    for _ in range(20):
        present = rng.choice(vocabulary, 300, replace=False)
        absent = rng.integers(-1, int(vocabulary[-1]) + 10, 300)
        unique = np.unique(np.concatenate([present, absent]))
        slots, ids = kernels.known_trigrams(vocabulary, scratch.table, unique)
        found = np.minimum(np.searchsorted(vocabulary, unique), len(vocabulary) - 1)
        known = np.nonzero(vocabulary[found] == unique)[0]
        assert np.array_equal(slots, known)
        assert np.array_equal(ids, found[known])
        passing = kernels.passing_templates(
            index.posting_offsets,
            index.posting_templates,
            ids,
            index.keys_per_template,
            index.exact,
            scratch.counter,
            0.5,
        )
        assert np.array_equal(passing, reference_passing(index, ids))
        assert not scratch.counter.any()  # the scratch is left as found
