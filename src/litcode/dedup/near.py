"""Near dedup: MinHash + LSH candidates, verified on signatures, clustered by union-find.

The pieces stay separable for a distributed run (Ray): signatures are computed per
sample anywhere (:meth:`MinHashDeduplicator.signatures`), band keys group candidates
(:func:`litcode.dedup.lsh.band_keys`, :func:`~litcode.dedup.lsh.candidate_pairs`),
union-find joins verified pairs (:class:`~litcode.dedup.union_find.UnionFind`), and
:func:`~litcode.dedup.ranking.choose_kept` picks one sample per cluster.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from litcode.dedup.hashing import UInt64Array
from litcode.dedup.lsh import band_keys, bands_rows_for_recall, candidate_pairs, optimal_bands_rows
from litcode.dedup.minhash import MinHasher, Scheme, estimated_jaccard, is_empty_signature
from litcode.dedup.ranking import DedupEntry, choose_kept
from litcode.dedup.shingles import UInt32Array
from litcode.dedup.union_find import UnionFind

_VERIFY_CHUNK_PAIRS = 1 << 14


class MinHashDeduplicator:
    """Finds clusters of samples whose word-shingle Jaccard similarity is about ``threshold`` or more.

    ``scheme`` picks how signatures are computed (see :mod:`litcode.dedup.minhash`):
    the default ``"one_permutation"`` or the classic, slower ``"permutations"``.
    Bands and rows default, with ``verify=True``, to the steepest split under which a
    pair at exactly ``threshold`` becomes a candidate with probability ``min_recall``
    (0.99: 25 bands x 10 rows for 256 permutations at 0.85), because every candidate
    is then verified: a pair is linked only when its estimated Jaccard reaches
    ``verify_threshold`` — by default ``threshold`` minus two standard errors of the
    estimate, so a true 0.85 pair passes 98% of the time. Unverified, the default is
    the split minimizing ``false_positive_weight`` x false-positive area +
    ``false_negative_weight`` x false-negative area (there, candidates are links).

    >>> dedup = MinHashDeduplicator(num_perm=128, threshold=0.8)
    >>> base = " ".join(f"token{i}" for i in range(200))
    >>> texts = [base, base.replace("token7 ", "token7b "), "something else entirely"]
    >>> dedup.cluster(["a.py", "b.py", "c.py"], dedup.signatures(texts))
    {'a.py': 0, 'b.py': 0}
    """

    def __init__(
        self,
        num_perm: int = 256,
        threshold: float = 0.85,
        shingle_size: int = 5,
        seed: int = 1,
        *,
        scheme: Scheme = "one_permutation",
        bands: int | None = None,
        rows: int | None = None,
        verify: bool = True,
        verify_threshold: float | None = None,
        false_positive_weight: float = 0.1,
        false_negative_weight: float = 0.9,
        min_recall: float = 0.99,
    ) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold must be in (0, 1), got {threshold}")
        self.hasher = MinHasher(num_perm=num_perm, shingle_size=shingle_size, seed=seed, scheme=scheme)
        self.threshold = threshold
        if (bands is None) != (rows is None):
            raise ValueError("give both bands and rows, or neither")
        if bands is None or rows is None:
            bands, rows = (
                bands_rows_for_recall(threshold, num_perm, min_recall)
                if verify
                else optimal_bands_rows(threshold, num_perm, false_positive_weight, false_negative_weight)
            )
        if bands * rows > num_perm:
            raise ValueError(f"bands * rows = {bands * rows} exceeds num_perm = {num_perm}")
        self.bands = bands
        self.rows = rows
        self.verify = verify
        if verify_threshold is None:
            standard_error = math.sqrt(threshold * (1.0 - threshold) / num_perm)
            verify_threshold = max(0.0, threshold - 2.0 * standard_error)
        self.verify_threshold = verify_threshold

    @property
    def num_perm(self) -> int:
        return self.hasher.num_perm

    def __repr__(self) -> str:
        return (
            f"MinHashDeduplicator(num_perm={self.num_perm}, threshold={self.threshold}, "
            f"shingle_size={self.hasher.shingle_size}, seed={self.hasher.seed}, "
            f"scheme={self.hasher.scheme!r}, bands={self.bands}, rows={self.rows}, "
            f"verify={self.verify}, verify_threshold={self.verify_threshold:.4f})"
        )

    def signature(self, text: str) -> UInt32Array:
        return self.hasher.signature(text)

    def signatures(self, texts: Iterable[str]) -> UInt32Array:
        return self.hasher.signatures(texts)

    def band_keys(self, signatures: UInt32Array) -> UInt64Array:
        """``(n, bands)`` uint64 keys (``(bands,)`` for one signature)."""
        keys = band_keys(signatures, self.bands, self.rows)
        return keys[0] if np.ndim(signatures) == 1 else keys

    def new_index(self) -> NearDuplicateIndex:
        """An empty streaming index with this deduplicator's settings."""
        return NearDuplicateIndex(self)

    def cluster(self, sample_ids: Sequence[str], signatures: UInt32Array) -> dict[str, int]:
        """Sample id -> cluster id for every sample in a cluster of two or more.

        Cluster ids are 0, 1, ... in order of each cluster's smallest sample id, so
        they do not depend on input order.
        """
        index = self.new_index()
        index.add(sample_ids, signatures)
        return index.clusters()

    @staticmethod
    def choose_kept(
        cluster_of: Mapping[str, int], entries: Mapping[str, DedupEntry]
    ) -> dict[str, tuple[int, str]]:
        """Dropped sample id -> (cluster id, kept id), by :func:`~litcode.dedup.ranking.rank_key`."""
        return choose_kept(cluster_of, entries)


class NearDuplicateIndex:
    """Collects signatures batch by batch (e.g. from worker processes), clusters at the end.

    Memory per sample: the signature (``4 * num_perm`` bytes, 1 KiB at 256) when
    verifying, else only its band keys (``8 * bands`` bytes), plus the id string.
    Empty-text signatures are accepted and never clustered.

    >>> dedup = MinHashDeduplicator(num_perm=64, threshold=0.8)
    >>> index = dedup.new_index()
    >>> index.add(["a", "b"], dedup.signatures(["x y z w v u", "p q r s t"]))
    >>> index.add(["c"], dedup.signatures(["x y z w v u"]))
    >>> len(index), index.clusters()
    (3, {'a': 0, 'c': 0})
    """

    def __init__(self, deduplicator: MinHashDeduplicator) -> None:
        self.deduplicator = deduplicator
        self._ids: list[str] = []
        self._known: set[str] = set()
        self._blocks: list[np.ndarray] = []
        self.empty_count = 0
        """Samples added with an empty-text signature (counted, never clustered)."""

    def __len__(self) -> int:
        return len(self._known)

    def add(self, sample_ids: Sequence[str], signatures: UInt32Array) -> None:
        """Add a batch: ``signatures[k]`` is the signature of ``sample_ids[k]``."""
        signatures = np.atleast_2d(np.asarray(signatures))
        expected = (len(sample_ids), self.deduplicator.num_perm)
        if signatures.shape != expected or signatures.dtype != np.uint32:
            raise ValueError(
                f"expected uint32 signatures of shape {expected}, got {signatures.dtype} {signatures.shape}"
            )
        repeated = self._known.intersection(sample_ids)
        if repeated or len(set(sample_ids)) != len(sample_ids):
            example = next(iter(repeated)) if repeated else "(within the batch)"
            raise ValueError(f"sample ids must be unique; repeated: {example!r}")
        keep = ~is_empty_signature(signatures)
        kept_ids = [sample_id for sample_id, flag in zip(sample_ids, keep.tolist(), strict=True) if flag]
        self._ids.extend(kept_ids)
        self._known.update(sample_ids)
        block = signatures[keep]
        self._blocks.append(block if self.deduplicator.verify else self.deduplicator.band_keys(block))
        self.empty_count += int((~keep).sum())

    def clusters(self) -> dict[str, int]:
        """Sample id -> cluster id (0, 1, ... by smallest sample id) for clustered samples."""
        if not self._ids:
            return {}
        dedup = self.deduplicator
        # Rank samples by id so pairs, clusters and their numbering ignore arrival order.
        order = np.argsort(np.array(self._ids), kind="stable")
        stacked = np.concatenate(self._blocks)
        keys = (dedup.band_keys(stacked) if dedup.verify else stacked)[order]
        first, second = candidate_pairs(np.atleast_2d(keys))
        if dedup.verify:
            passed = np.zeros(first.size, dtype=bool)
            for start in range(0, first.size, _VERIFY_CHUNK_PAIRS):
                window = slice(start, start + _VERIFY_CHUNK_PAIRS)
                similarity = estimated_jaccard(stacked[order[first[window]]], stacked[order[second[window]]])
                passed[window] = similarity >= dedup.verify_threshold
            first, second = first[passed], second[passed]
        sets = UnionFind(len(order))
        sets.union_pairs(first, second)
        labels = sets.labels()
        clustered = np.flatnonzero(labels >= 0)
        return {
            self._ids[position]: label
            for position, label in zip(order[clustered].tolist(), labels[clustered].tolist(), strict=True)
        }
