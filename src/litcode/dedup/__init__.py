"""Exact and near-duplicate detection for code corpora.

- :class:`ExactDeduplicator` — identical content (line endings normalized).
- :class:`MinHashDeduplicator` — MinHash over word 5-gram shingles, LSH banding,
  verified pairs, union-find clusters; :class:`NearDuplicateIndex` for batch-by-batch use;
  :data:`NEAR_DEDUP_PRESETS` (litcode, BigCode, datatrove settings) and their :func:`s_curve`.
- :func:`rank_key` / :func:`choose_kept` — the one rule deciding which copy is kept.
- :func:`signatures_to_bytes` / :func:`signatures_from_bytes` and :data:`MINHASH_SEED` — how
  signatures are staged and which permutations curation uses.
"""

from __future__ import annotations

from litcode.dedup.exact import ExactDeduplicator
from litcode.dedup.lsh import (
    band_keys,
    bands_rows_for_recall,
    bucket_pairs,
    candidate_pairs,
    collision_probability,
    optimal_bands_rows,
)
from litcode.dedup.minhash import SCHEMES, MinHasher, Scheme, estimated_jaccard, is_empty_signature
from litcode.dedup.near import MinHashDeduplicator, NearDuplicateIndex
from litcode.dedup.presets import NEAR_DEDUP_PRESETS, NearDedupPreset, s_curve
from litcode.dedup.ranking import DedupEntry, choose_kept, rank_key
from litcode.dedup.shingles import WORD_PATTERN, shingle_hashes, word_hashes, words
from litcode.dedup.signature_bytes import (
    MINHASH_SEED,
    SIGNATURE_DTYPE,
    signatures_from_bytes,
    signatures_to_bytes,
)
from litcode.dedup.union_find import UnionFind

__all__ = [
    "MINHASH_SEED",
    "NEAR_DEDUP_PRESETS",
    "SCHEMES",
    "SIGNATURE_DTYPE",
    "WORD_PATTERN",
    "DedupEntry",
    "ExactDeduplicator",
    "MinHashDeduplicator",
    "MinHasher",
    "NearDedupPreset",
    "NearDuplicateIndex",
    "Scheme",
    "UnionFind",
    "band_keys",
    "bands_rows_for_recall",
    "bucket_pairs",
    "candidate_pairs",
    "choose_kept",
    "collision_probability",
    "estimated_jaccard",
    "is_empty_signature",
    "optimal_bands_rows",
    "rank_key",
    "s_curve",
    "shingle_hashes",
    "signatures_from_bytes",
    "signatures_to_bytes",
    "word_hashes",
    "words",
]
