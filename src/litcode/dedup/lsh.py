"""LSH banding: which signatures are worth comparing, found by sorting uint64 keys.

A signature of ``bands * rows`` values is cut into ``bands`` bands; two samples are
candidates when all ``rows`` values of some band agree, which happens with
probability ``1 - (1 - s**rows)**bands`` for Jaccard ``s``. Each band becomes one
uint64 key (band index mixed in), so grouping is a sort — in numpy here, or a
shuffle by key on a cluster (Ray) — and candidate pairs come out per bucket.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from litcode.dedup.hashing import UInt64Array, mix64, splitmix64_sequence
from litcode.dedup.shingles import UInt32Array

IntArray = npt.NDArray[np.int64]

_ROW_MULTIPLIERS = splitmix64_sequence(0x6C7368, 1024) | np.uint64(1)
_BAND_SALTS = splitmix64_sequence(0x62616E64, 1024)

# Buckets larger than this are linked as a star plus a chain (2n pairs) instead of all
# n*(n-1)/2 pairs, so a thousand near-identical files cannot cost a million checks.
MAX_BUCKET_FOR_ALL_PAIRS = 32

_KEY_CHUNK_ROWS = 8192  # signatures per block when computing band keys (8 MiB at 256 values)


def collision_probability(similarity: npt.ArrayLike, bands: int, rows: int) -> np.ndarray:
    """Probability that two signatures of Jaccard ``similarity`` share at least one band.

    >>> round(float(collision_probability(0.9, bands=18, rows=14)), 3)
    0.991
    """
    return 1.0 - (1.0 - np.asarray(similarity, dtype=np.float64) ** rows) ** bands


def optimal_bands_rows(
    threshold: float,
    num_perm: int,
    false_positive_weight: float = 0.5,
    false_negative_weight: float = 0.5,
) -> tuple[int, int]:
    """``(bands, rows)`` minimizing the weighted false-positive + false-negative areas.

    The same objective as datasketch's ``_optimal_param``: the area under the
    collision curve below ``threshold`` (false positives) and above the curve from
    ``threshold`` to 1 (false negatives), integrated here with the trapezoid rule.

    >>> optimal_bands_rows(0.85, 256)
    (13, 19)
    >>> optimal_bands_rows(0.85, 256, false_positive_weight=0.1, false_negative_weight=0.9)
    (18, 14)
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold}")
    if num_perm < 1:
        raise ValueError(f"num_perm must be >= 1, got {num_perm}")
    return _optimal_bands_rows(threshold, num_perm, false_positive_weight, false_negative_weight)


@functools.lru_cache(maxsize=64)
def _optimal_bands_rows(
    threshold: float, num_perm: int, false_positive_weight: float, false_negative_weight: float
) -> tuple[int, int]:
    below = np.linspace(0.0, threshold, 513)
    above = np.linspace(threshold, 1.0, 513)
    best: tuple[float, int, int] | None = None
    for rows in range(1, num_perm + 1):
        bands = np.arange(1, num_perm // rows + 1)[:, None]  # every band count for this row count
        false_positive = np.trapezoid(1.0 - (1.0 - below**rows) ** bands, below, axis=1)
        false_negative = np.trapezoid((1.0 - above**rows) ** bands, above, axis=1)
        error = np.asarray(false_positive_weight * false_positive + false_negative_weight * false_negative)
        # Ties go to fewer bands, then fewer rows: the cheaper index.
        index = int(np.argmin(error))
        candidate = (float(error[index]), int(bands[index, 0]), rows)
        if best is None or (candidate[0], candidate[1]) < (best[0], best[1]):
            best = candidate
    assert best is not None
    return best[1], best[2]


def bands_rows_for_recall(threshold: float, num_perm: int, recall: float = 0.99) -> tuple[int, int]:
    """The steepest ``(bands, rows)`` whose collision probability at ``threshold`` is at least ``recall``.

    More rows per band means fewer candidates below the threshold, so the largest
    ``rows`` (with ``bands = num_perm // rows``) that still meets ``recall`` at the
    threshold wastes the least verification work.

    >>> bands_rows_for_recall(0.7, 256), bands_rows_for_recall(0.85, 256)
    ((42, 6), (25, 10))
    """
    if not 0.0 < threshold < 1.0 or not 0.0 < recall < 1.0:
        raise ValueError(f"threshold and recall must be in (0, 1), got {threshold}, {recall}")
    if num_perm < 1:
        raise ValueError(f"num_perm must be >= 1, got {num_perm}")
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if float(collision_probability(threshold, bands, rows)) >= recall:
            return bands, rows
    raise ValueError(f"no split of {num_perm} permutations reaches recall {recall} at {threshold}")


def band_keys(signatures: UInt32Array, bands: int, rows: int) -> UInt64Array:
    """``(n, bands)`` uint64 keys; equal keys mean equal bands (up to 2**-64 collisions).

    >>> sigs = np.array([[1, 2, 3, 4], [1, 2, 9, 9]], dtype=np.uint32)
    >>> keys = band_keys(sigs, bands=2, rows=2)
    >>> bool(keys[0, 0] == keys[1, 0]), bool(keys[0, 1] == keys[1, 1])
    (True, False)
    """
    signatures = np.atleast_2d(signatures)
    if bands * rows > signatures.shape[1]:
        raise ValueError(f"{bands} bands x {rows} rows need {bands * rows} values per signature")
    if rows > _ROW_MULTIPLIERS.size or bands > _BAND_SALTS.size:
        raise ValueError(f"at most {_ROW_MULTIPLIERS.size} rows and {_BAND_SALTS.size} bands")
    combined = np.empty((signatures.shape[0], bands), dtype=np.uint64)
    for start in range(0, signatures.shape[0], _KEY_CHUNK_ROWS):
        block = signatures[start : start + _KEY_CHUNK_ROWS, : bands * rows]
        # (rows, samples, bands): each row position of every band becomes one contiguous slab.
        slabs = np.ascontiguousarray(block.reshape(-1, bands, rows).transpose(2, 0, 1))
        out = combined[start : start + _KEY_CHUNK_ROWS]
        out[:] = _BAND_SALTS[:bands]
        with np.errstate(over="ignore"):
            for row in range(rows):
                values = slabs[row].astype(np.uint64)
                values *= _ROW_MULTIPLIERS[row]
                out += values
    return mix64(combined)


def bucket_pairs(size: int) -> tuple[IntArray, IntArray]:
    """Positions ``(left, right)`` of the member pairs linked inside one bucket of ``size``.

    All pairs up to :data:`MAX_BUCKET_FOR_ALL_PAIRS` members; beyond, a star from the
    first member plus a chain through the rest (2n pairs that still connect the bucket).
    A distributed run applies this to each bucket it gathers by key.

    >>> [positions.tolist() for positions in bucket_pairs(3)]
    [[0, 0, 1], [1, 2, 2]]
    """
    if size <= MAX_BUCKET_FOR_ALL_PAIRS:
        left, right = np.triu_indices(size, k=1)
        return left.astype(np.int64), right.astype(np.int64)
    left = np.r_[np.zeros(size - 1, dtype=np.int64), np.arange(1, size - 1, dtype=np.int64)]
    right = np.r_[np.arange(1, size, dtype=np.int64), np.arange(2, size, dtype=np.int64)]
    return left, right


def candidate_pairs(keys: UInt64Array) -> tuple[IntArray, IntArray]:
    """Row index pairs ``(i, j)``, ``i < j``, unique, of rows sharing any band key.

    Within each bucket the pairs are those of :func:`bucket_pairs`; buckets of equal
    size are handled together, so the work is a sort plus a few array operations.

    >>> keys = np.array([[1, 5], [1, 6], [2, 6], [3, 7]], dtype=np.uint64)
    >>> [pair.tolist() for pair in candidate_pairs(keys)]
    [[0, 1], [1, 2]]
    """
    keys = np.atleast_2d(keys)
    count = keys.shape[0]
    flat = keys.ravel()
    order = np.argsort(flat, kind="stable")
    sorted_keys = flat[order]
    members = (order // keys.shape[1]).astype(np.int64)
    run_starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    run_lengths = np.diff(np.r_[run_starts, flat.size])
    firsts: list[IntArray] = []
    seconds: list[IntArray] = []
    for size in np.unique(run_lengths[run_lengths > 1]).tolist():
        grid = members[run_starts[run_lengths == size][:, None] + np.arange(size)]
        left, right = bucket_pairs(size)
        firsts.append(grid[:, left].ravel())
        seconds.append(grid[:, right].ravel())
    if not firsts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    first = np.concatenate(firsts)
    second = np.concatenate(seconds)
    low = np.minimum(first, second)
    high = np.maximum(first, second)
    codes = np.sort(low * count + high)
    unique = codes[np.r_[True, codes[1:] != codes[:-1]]]
    return unique // count, unique % count
