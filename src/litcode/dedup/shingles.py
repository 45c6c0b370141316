"""Word n-gram shingles of source text, hashed to uint32 without a per-word Python loop.

A *word* is a maximal run of ASCII letters, digits and ``_`` or of any non-ASCII
character — :data:`WORD_PATTERN` is the reference definition, and the vectorized
tokenizer here agrees with it exactly (a property test checks). Words are **not**
case-folded: in code ``Foo`` and ``foo`` are different names, as in BigCode's
near-dedup of The Stack. A shingle is ``shingle_size`` consecutive words; a text with
fewer words than that has one shingle made of all its words; a text without words has
no shingles.

How it is fast: the UTF-8 bytes are classified with a lookup table, each word's hash is
a sum of per-(position, byte) random table entries (tabulation hashing, summed with
``np.add.reduceat``), mixed with SplitMix64, and each shingle combines its words'
hashes with one multiply-add per word position over the whole array at once.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

from litcode.dedup.hashing import UInt64Array, mix64, splitmix64_sequence

UInt32Array = npt.NDArray[np.uint32]

WORD_PATTERN = re.compile(r"[A-Za-z0-9_\u0080-\U0010ffff]+")
"""Reference definition of a word (the vectorized tokenizer matches it)."""

# Bytes of text are processed in blocks of about this size, cut at a non-word byte,
# so a 50 MB one-line file needs tens of MB of temporaries rather than gigabytes.
BLOCK_BYTES = 1 << 22

_POSITIONS = 64  # tabulation rows; position p in a word uses row p % 64
_TABLE_SEED = 0x6C6974636F6465  # "litcode"

_WORD_BYTE = np.zeros(256, dtype=bool)
for _low, _high in ((ord("0"), ord("9")), (ord("A"), ord("Z")), (ord("a"), ord("z")), (0x80, 0xFF)):
    _WORD_BYTE[_low : _high + 1] = True
_WORD_BYTE[ord("_")] = True

_CLASS_TABLE = bytes(_WORD_BYTE.astype(np.uint8))
_NON_WORD_BYTES = np.flatnonzero(~_WORD_BYTE).astype(np.uint8).tobytes()
_BYTE_TABLE = splitmix64_sequence(_TABLE_SEED, _POSITIONS * 256)
_LENGTH_SALT = splitmix64_sequence(_TABLE_SEED + 1, 1)[0]
_SHINGLE_MULTIPLIERS = splitmix64_sequence(_TABLE_SEED + 2, 64) | np.uint64(1)


def words(text: str) -> list[str]:
    """The words of ``text`` by the reference regex (slow path, for tests and readers).

    >>> words("def add(a, b): return a+b  # é")
    ['def', 'add', 'a', 'b', 'return', 'a', 'b', 'é']
    """
    return WORD_PATTERN.findall(text)


def _block_word_hashes(raw: bytes) -> UInt64Array:
    # bytes.translate classifies and compacts bytes at C speed, faster than numpy indexing.
    is_word = np.frombuffer(raw.translate(_CLASS_TABLE), dtype=np.int8)
    boundaries = np.flatnonzero(np.diff(is_word, prepend=np.int8(0), append=np.int8(0)))
    if boundaries.size == 0:
        return np.empty(0, dtype=np.uint64)
    starts = boundaries[0::2]
    lengths = boundaries[1::2] - starts
    word_bytes = np.frombuffer(raw.translate(None, _NON_WORD_BYTES), dtype=np.uint8)
    offsets = np.zeros(starts.size, dtype=np.intp)
    np.cumsum(lengths[:-1], out=offsets[1:])
    position = np.arange(word_bytes.size, dtype=np.intp) - np.repeat(offsets, lengths)
    position &= _POSITIONS - 1
    position <<= 8
    position |= word_bytes
    hashes = np.add.reduceat(_BYTE_TABLE[position], offsets)
    with np.errstate(over="ignore"):
        hashes += lengths.astype(np.uint64) * _LENGTH_SALT
    return mix64(hashes)


def word_hashes(text: str) -> UInt64Array:
    """One stable uint64 hash per word of ``text``, in order.

    >>> first, second = word_hashes("x = x")
    >>> bool(first == second), bool(word_hashes("x")[0] == word_hashes("y")[0])
    (True, False)
    """
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw) <= BLOCK_BYTES:
        return _block_word_hashes(raw)
    is_word = np.frombuffer(raw.translate(_CLASS_TABLE), dtype=np.bool_)
    blocks: list[UInt64Array] = []
    start = 0
    while start < len(raw):
        stop = min(start + BLOCK_BYTES, len(raw))
        if stop < len(raw):
            # Cut after the last non-word byte so no word straddles two blocks.
            non_word = np.flatnonzero(~is_word[start:stop])
            if non_word.size:
                stop = start + int(non_word[-1]) + 1
            else:  # one word longer than a block: extend to its end
                after = np.flatnonzero(~is_word[stop:])
                stop = stop + int(after[0]) + 1 if after.size else len(raw)
        blocks.append(_block_word_hashes(raw[start:stop]))
        start = stop
    return np.concatenate(blocks)


def shingle_hashes(text: str, shingle_size: int = 5) -> UInt32Array:
    """The distinct uint32 hashes of the word ``shingle_size``-grams of ``text``, sorted.

    >>> shingle_hashes("").size, shingle_hashes("one two").size
    (0, 1)
    >>> shingle_hashes("a b c d e f", shingle_size=5).size
    2
    """
    if shingle_size < 1:
        raise ValueError(f"shingle_size must be >= 1, got {shingle_size}")
    hashes = word_hashes(text)
    size = min(shingle_size, hashes.size)
    if size == 0:
        return np.empty(0, dtype=np.uint32)
    count = hashes.size - size + 1
    with np.errstate(over="ignore"):
        combined = hashes[:count] * _SHINGLE_MULTIPLIERS[0]
        for offset in range(1, size):
            combined += hashes[offset : offset + count] * _SHINGLE_MULTIPLIERS[offset]
    return sorted_distinct((mix64(combined) >> np.uint64(32)).astype(np.uint32))


def sorted_distinct(values: UInt32Array) -> UInt32Array:
    """``np.unique`` by sort + mask: several times faster than numpy 2's hashing ``unique`` here."""
    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
