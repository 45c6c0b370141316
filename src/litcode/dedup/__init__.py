"""Exact and near-duplicate detection for code corpora.

- :class:`ExactDeduplicator` — identical content (line endings normalized).
- :class:`MinHashDeduplicator` — MinHash over word 5-gram shingles, LSH banding,
  verified pairs, union-find clusters; :class:`NearDuplicateIndex` for batch-by-batch use.
- :func:`rank_key` / :func:`choose_kept` — the one rule deciding which copy is kept.
"""

from __future__ import annotations

from litcode.dedup.exact import ExactDeduplicator
from litcode.dedup.lsh import (
    band_keys,
    bucket_pairs,
    candidate_pairs,
    collision_probability,
    optimal_bands_rows,
)
from litcode.dedup.minhash import SCHEMES, MinHasher, Scheme, estimated_jaccard, is_empty_signature
from litcode.dedup.near import MinHashDeduplicator, NearDuplicateIndex
from litcode.dedup.ranking import DedupEntry, choose_kept, rank_key
from litcode.dedup.shingles import WORD_PATTERN, shingle_hashes, word_hashes, words
from litcode.dedup.union_find import UnionFind

__all__ = [
    "SCHEMES",
    "WORD_PATTERN",
    "DedupEntry",
    "ExactDeduplicator",
    "MinHashDeduplicator",
    "MinHasher",
    "NearDuplicateIndex",
    "Scheme",
    "UnionFind",
    "band_keys",
    "bucket_pairs",
    "candidate_pairs",
    "choose_kept",
    "collision_probability",
    "estimated_jaccard",
    "is_empty_signature",
    "optimal_bands_rows",
    "rank_key",
    "shingle_hashes",
    "word_hashes",
    "words",
]
