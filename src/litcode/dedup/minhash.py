"""MinHash signatures of shingle sets, fully vectorized, in two schemes.

``"permutations"`` (classic MinHash): permutation ``i`` maps a 32-bit shingle hash
``h`` to ``(a_i * h + b_i) mod 2**32`` with ``a_i`` odd — the universal multiply-add
family of Dietzfelbinger et al. (1997) in native 32-bit lanes (datasketch uses
``mod 2**61 - 1`` in 64-bit lanes; a power-of-two modulus needs no division and packs
twice the lanes per SIMD instruction). Cost: shingles x ``num_perm`` operations, done
in ``(num_perm, CHUNK_SHINGLES)`` blocks so memory stays bounded for huge files.

``"one_permutation"``: one-permutation hashing with optimal densification
(Li, Owen & Zhang 2012; Shrivastava 2017). One 64-bit hash per shingle; its high bits
pick one of ``num_perm`` bins, the smallest hash in a bin is that bin's value, and an
empty bin borrows the value of the first non-empty bin on a fixed pseudo-random probe
sequence (the next non-empty bin after 64 misses). Same estimator — the fraction of
equal positions is an unbiased Jaccard estimate with the variance of classic MinHash
(slightly more for texts of only a few dozen shingles) — at the cost of one sort and
``num_perm`` binary searches instead of ``num_perm`` passes over the shingles.

``"one_permutation"`` is the default: about 2x faster end to end at the same recall
(benchmarks/README.md). Signatures of different schemes, seeds or sizes are not comparable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np

from litcode.dedup.hashing import splitmix64_sequence
from litcode.dedup.shingles import UInt32Array, UInt64Array, shingle_keys, shingle_keys_batch

Scheme = Literal["permutations", "one_permutation"]
SCHEMES: tuple[Scheme, ...] = ("permutations", "one_permutation")

CHUNK_SHINGLES = 2048
EMPTY_VALUE = np.uint32(0xFFFFFFFF)
"""A text without words gets a signature of only this value; it matches nothing."""

_TEXTS_PER_BATCH = 256
_PROBES = 64  # densification attempts before falling back to the next non-empty bin
_LOW_32 = np.uint64(0xFFFFFFFF)


def is_empty_signature(signatures: UInt32Array) -> np.ndarray:
    """True for each signature (row) that is the empty-text sentinel.

    >>> bool(is_empty_signature(MinHasher(num_perm=8).signature("")))
    True
    """
    return np.asarray((signatures == EMPTY_VALUE).all(axis=-1))


def estimated_jaccard(first: UInt32Array, second: UInt32Array) -> np.ndarray:
    """Fraction of agreeing positions: an unbiased estimate of the shingle-set Jaccard.

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

    Everything random derives from ``seed`` through SplitMix64, so signatures
    computed in different processes or runs compare directly. One instance per
    thread (it reuses a scratch buffer).

    >>> hasher = MinHasher(num_perm=128, shingle_size=5, seed=1)
    >>> sig = hasher.signature("def area(r):\\n    return 3.14159 * r * r\\n")
    >>> sig.shape, sig.dtype.name
    ((128,), 'uint32')
    >>> MinHasher(num_perm=128, scheme="permutations").signatures(["x = 1", ""]).shape
    (2, 128)
    """

    def __init__(
        self, num_perm: int = 256, shingle_size: int = 5, seed: int = 1, scheme: Scheme = "one_permutation"
    ) -> None:
        if num_perm < 1:
            raise ValueError(f"num_perm must be >= 1, got {num_perm}")
        if shingle_size < 1:
            raise ValueError(f"shingle_size must be >= 1, got {shingle_size}")
        if scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.seed = seed
        self.scheme: Scheme = scheme
        parameters = splitmix64_sequence(seed, 2 * num_perm) >> np.uint64(32)
        # Column vectors: the kernel works on (num_perm, chunk) blocks, reducing along rows.
        self._multipliers = (parameters[:num_perm].astype(np.uint32) | np.uint32(1))[:, None]
        self._increments = parameters[num_perm:].astype(np.uint32)[:, None]
        self._buffer = np.empty((num_perm, CHUNK_SHINGLES), dtype=np.uint32)
        probes = splitmix64_sequence(seed ^ 0x0DE45E, num_perm * _PROBES) % np.uint64(num_perm)
        self._probes = probes.astype(np.intp).reshape(num_perm, _PROBES)
        # Bin j holds the keys whose high 32 bits h satisfy floor(h * num_perm / 2**32) == j,
        # i.e. keys >= ceil(j * 2**32 / num_perm) << 32: sorted keys are cut at these bounds.
        self._bin_bounds = np.array(
            [(((j << 32) + num_perm - 1) // num_perm) << 32 for j in range(num_perm)], dtype=np.uint64
        )

    def __getstate__(self) -> dict[str, object]:
        # Workers get the settings and tables, not the 2 MiB scratch buffer.
        state = self.__dict__.copy()
        del state["_buffer"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._buffer = np.empty((self.num_perm, CHUNK_SHINGLES), dtype=np.uint32)

    def __repr__(self) -> str:
        return (
            f"MinHasher(num_perm={self.num_perm}, shingle_size={self.shingle_size}, "
            f"seed={self.seed}, scheme={self.scheme!r})"
        )

    def signature_of_keys(self, keys: UInt64Array) -> UInt32Array:
        """The signature of a sorted, distinct array of uint64 shingle keys."""
        if keys.size == 0:
            return np.full(self.num_perm, EMPTY_VALUE, dtype=np.uint32)
        if self.scheme == "one_permutation":
            return self._one_permutation(keys)
        return self._permutations((keys >> np.uint64(32)).astype(np.uint32))

    def _permutations(self, hashes: UInt32Array) -> UInt32Array:
        signature = np.full(self.num_perm, EMPTY_VALUE, dtype=np.uint32)
        for start in range(0, hashes.size, CHUNK_SHINGLES):
            chunk = hashes[None, start : start + CHUNK_SHINGLES]
            block = self._buffer[:, : chunk.shape[1]]
            np.multiply(self._multipliers, chunk, out=block)
            np.add(block, self._increments, out=block)
            np.minimum(signature, block.min(axis=1), out=signature)
        return signature

    def _one_permutation(self, keys: UInt64Array) -> UInt32Array:
        # Keys are sorted, so each bin is a contiguous run and its first key is its
        # minimum: num_perm binary searches, no pass over the keys.
        starts = np.searchsorted(keys, self._bin_bounds)
        ends = np.empty_like(starts)
        ends[:-1] = starts[1:]
        ends[-1] = keys.size
        occupied = starts < ends
        signature = np.full(self.num_perm, EMPTY_VALUE, dtype=np.uint32)
        signature[occupied] = (keys[starts[occupied]] & _LOW_32).astype(np.uint32)
        empty = np.flatnonzero(~occupied)
        if empty.size == 0:
            return signature
        probes = self._probes[empty]
        hits = occupied[probes]
        choice = hits.argmax(axis=1)
        rows = np.arange(empty.size)
        found = hits[rows, choice]
        signature[empty[found]] = signature[probes[rows[found], choice[found]]]
        unresolved = empty[~found]
        if unresolved.size:
            filled = np.flatnonzero(occupied)
            following = np.searchsorted(filled, unresolved) % filled.size
            signature[unresolved] = signature[filled[following]]
        return signature

    def signature(self, text: str) -> UInt32Array:
        """The ``(num_perm,)`` uint32 signature of ``text``'s shingles."""
        return self.signature_of_keys(shingle_keys(text, self.shingle_size, self.seed))

    def signatures(self, texts: Iterable[str]) -> UInt32Array:
        """An ``(n, num_perm)`` uint32 array, one signature per text, in order.

        Equal to stacking :meth:`signature` of each text; small texts are tokenized in
        batches (see :func:`~litcode.dedup.shingles.shingle_keys_batch`).
        """
        rows: list[UInt32Array] = []
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) == _TEXTS_PER_BATCH:
                rows.extend(self._signatures_of_batch(batch))
                batch = []
        rows.extend(self._signatures_of_batch(batch))
        if not rows:
            return np.empty((0, self.num_perm), dtype=np.uint32)
        return np.stack(rows)

    def _signatures_of_batch(self, texts: list[str]) -> list[UInt32Array]:
        keys = shingle_keys_batch(texts, self.shingle_size, self.seed)
        return [self.signature_of_keys(text_keys) for text_keys in keys]
