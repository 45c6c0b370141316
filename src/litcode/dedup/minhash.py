"""MinHash signatures of shingle sets, vectorized over shingles x permutations.

Permutation ``i`` maps a 32-bit shingle hash ``h`` to ``(a_i * h + b_i) mod 2**32``
with ``a_i`` odd: the universal multiply-add family of Dietzfelbinger et al. (1997)
computed in native 32-bit lanes. datasketch uses ``(a*h + b) mod (2**61 - 1)`` in
64-bit lanes; the power-of-two modulus needs no division and packs twice as many
lanes per SIMD instruction, and the benchmark shows the Jaccard estimates are as good.
The minimum over a document's shingles is taken chunk by chunk so memory stays at
``num_perm * CHUNK_SHINGLES * 4`` bytes however large the file.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from litcode.dedup.hashing import splitmix64_sequence
from litcode.dedup.shingles import UInt32Array, shingle_hashes

CHUNK_SHINGLES = 2048
EMPTY_VALUE = np.uint32(0xFFFFFFFF)
"""A text without words gets a signature of only this value; it matches nothing."""


def is_empty_signature(signatures: UInt32Array) -> np.ndarray:
    """True for each signature (row) that is the empty-text sentinel.

    >>> bool(is_empty_signature(MinHasher(num_perm=8).signature("")))
    True
    """
    return np.asarray((signatures == EMPTY_VALUE).all(axis=-1))


def estimated_jaccard(first: UInt32Array, second: UInt32Array) -> np.ndarray:
    """Fraction of agreeing permutations: an unbiased estimate of the shingle-set Jaccard.

    Works on single signatures or row-aligned batches; an empty-text signature
    estimates 0.0 against anything, itself included.

    >>> hasher = MinHasher(num_perm=64)
    >>> float(estimated_jaccard(hasher.signature("a b c d e f"), hasher.signature("a b c d e f")))
    1.0
    """
    agreement = (first == second).mean(axis=-1)
    empty = is_empty_signature(first) | is_empty_signature(second)
    return np.where(empty, 0.0, agreement)


class MinHasher:
    """Computes ``num_perm``-wide uint32 MinHash signatures of texts' word shingles.

    The permutations depend only on ``seed``, so signatures computed in different
    processes or runs compare directly.

    >>> hasher = MinHasher(num_perm=128, shingle_size=5, seed=1)
    >>> sig = hasher.signature("def area(r):\\n    return 3.14159 * r * r\\n")
    >>> sig.shape, sig.dtype.name
    ((128,), 'uint32')
    >>> hasher.signatures(["x = 1", ""]).shape
    (2, 128)
    """

    def __init__(self, num_perm: int = 256, shingle_size: int = 5, seed: int = 1) -> None:
        if num_perm < 1:
            raise ValueError(f"num_perm must be >= 1, got {num_perm}")
        if shingle_size < 1:
            raise ValueError(f"shingle_size must be >= 1, got {shingle_size}")
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.seed = seed
        parameters = splitmix64_sequence(seed, 2 * num_perm) >> np.uint64(32)
        # Column vectors: the kernel works on (num_perm, chunk) blocks, reducing along rows.
        self._multipliers = (parameters[:num_perm].astype(np.uint32) | np.uint32(1))[:, None]
        self._increments = parameters[num_perm:].astype(np.uint32)[:, None]
        self._buffer = np.empty((num_perm, CHUNK_SHINGLES), dtype=np.uint32)

    def __repr__(self) -> str:
        return f"MinHasher(num_perm={self.num_perm}, shingle_size={self.shingle_size}, seed={self.seed})"

    def signature_of_shingles(self, shingles: UInt32Array) -> UInt32Array:
        """The signature of a set of uint32 shingle hashes (duplicates are harmless)."""
        signature = np.full(self.num_perm, EMPTY_VALUE, dtype=np.uint32)
        for start in range(0, shingles.size, CHUNK_SHINGLES):
            chunk = shingles[None, start : start + CHUNK_SHINGLES]
            block = self._buffer[:, : chunk.shape[1]]
            np.multiply(self._multipliers, chunk, out=block)
            np.add(block, self._increments, out=block)
            np.minimum(signature, block.min(axis=1), out=signature)
        return signature

    def signature(self, text: str) -> UInt32Array:
        """The ``(num_perm,)`` uint32 signature of ``text``'s shingles."""
        return self.signature_of_shingles(shingle_hashes(text, self.shingle_size))

    def signatures(self, texts: Iterable[str]) -> UInt32Array:
        """An ``(n, num_perm)`` uint32 array, one signature per text, in order."""
        rows = [self.signature(text) for text in texts]
        if not rows:
            return np.empty((0, self.num_perm), dtype=np.uint32)
        return np.stack(rows)
