"""Word n-gram shingles of source text, hashed to uint32 without a per-word Python loop.

A *word* is a maximal run of ASCII letters, digits and ``_`` or of any non-ASCII
character — :data:`WORD_PATTERN` is the reference definition, and the vectorized
tokenizer here agrees with it exactly (a property test checks). Words are **not**
case-folded: in code ``Foo`` and ``foo`` are different names, as in BigCode's
near-dedup of The Stack. A shingle is ``shingle_size`` consecutive words; a text with
fewer words than that has one shingle made of all its words; a text without words has
no shingles.

How it is fast: ``bytes.translate`` classifies and compacts the UTF-8 bytes at C
speed; each word's hash is a polynomial ``sum(value[byte_k] * BASE**k) mod 2**64``
computed for all words at once from one prefix sum, then mixed with SplitMix64; each
shingle combines its words' hashes with one multiply-add per word position over the
whole array at once; a sort removes repeats.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from litcode.dedup.hashing import UInt64Array, mix64, splitmix64_sequence

__all__ = [
    "WORD_PATTERN",
    "UInt32Array",
    "UInt64Array",
    "shingle_hashes",
    "shingle_keys",
    "shingle_keys_batch",
    "word_hashes",
    "words",
]

UInt32Array = npt.NDArray[np.uint32]

WORD_PATTERN = re.compile(r"[A-Za-z0-9_\u0080-\U0010ffff]+")
"""Reference definition of a word (the vectorized tokenizer matches it)."""

# Bytes of text are processed in blocks of about this size, cut at a non-word byte,
# so a 50 MB one-line file needs tens of MB of temporaries rather than gigabytes.
BLOCK_BYTES = 1 << 20

_TABLE_SEED = 0x6C6974636F6465  # "litcode"

_WORD_BYTE = np.zeros(256, dtype=bool)
for _low, _high in ((ord("0"), ord("9")), (ord("A"), ord("Z")), (ord("a"), ord("z")), (0x80, 0xFF)):
    _WORD_BYTE[_low : _high + 1] = True
_WORD_BYTE[ord("_")] = True

_CLASS_TABLE = bytes(_WORD_BYTE.astype(np.uint8))
_NON_WORD_BYTES = np.flatnonzero(~_WORD_BYTE).astype(np.uint8).tobytes()
_BYTE_VALUES = splitmix64_sequence(_TABLE_SEED, 256)
_LENGTH_SALT = splitmix64_sequence(_TABLE_SEED + 1, 1)[0]
_SHINGLE_MULTIPLIERS = splitmix64_sequence(_TABLE_SEED + 2, 64) | np.uint64(1)
_BASE = int(splitmix64_sequence(_TABLE_SEED + 3, 1)[0]) | 1  # odd, so invertible mod 2**64


_TABLE_BITS = 16
_TABLE_SIZE = 1 << _TABLE_BITS
_INVERSE_BASE = pow(_BASE, -1, 1 << 64)


def _geometric(base: int, count: int) -> UInt64Array:
    factors = np.full(count, base, dtype=np.uint64)
    factors[0] = 1
    with np.errstate(over="ignore"):
        return np.multiply.accumulate(factors)


# BASE**i and BASE**-i (mod 2**64) for i < 65536; larger exponents split as
# i = high * 65536 + low and multiply two table entries, so the tables stay 1 MiB.
_POWERS = _geometric(_BASE, _TABLE_SIZE)
_INVERSES = _geometric(_INVERSE_BASE, _TABLE_SIZE)


def _power_lookup(table: UInt64Array, base: int, exponents: npt.NDArray[np.intp]) -> UInt64Array:
    """``base ** exponents`` mod 2**64, where ``table`` holds ``base ** i`` for small ``i``."""
    if exponents.size == 0 or int(exponents[-1]) < _TABLE_SIZE:  # exponents ascend
        return table[exponents]
    high_count = (int(exponents[-1]) >> _TABLE_BITS) + 1
    high = _geometric(pow(base, _TABLE_SIZE, 1 << 64), high_count)
    with np.errstate(over="ignore"):
        return table[exponents & (_TABLE_SIZE - 1)] * high[exponents >> _TABLE_BITS]


def words(text: str) -> list[str]:
    """The words of ``text`` by the reference regex (slow path, for tests and readers).

    >>> words("def add(a, b): return a+b  # é")
    ['def', 'add', 'a', 'b', 'return', 'a', 'b', 'é']
    """
    return WORD_PATTERN.findall(text)


def _block_word_hashes(raw: bytes) -> UInt64Array:
    return _block_words(raw)[0]


def _block_words(raw: bytes) -> tuple[UInt64Array, npt.NDArray[np.intp]]:
    """Word hashes of one block and the byte offset where each word starts."""
    # bytes.translate classifies and compacts bytes at C speed, faster than numpy indexing.
    is_word = np.frombuffer(raw.translate(_CLASS_TABLE), dtype=np.bool_)
    if is_word.size == 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.intp)
    edges = np.empty(is_word.size + 1, dtype=bool)
    edges[0], edges[-1] = is_word[0], is_word[-1]
    np.not_equal(is_word[1:], is_word[:-1], out=edges[1:-1])
    boundaries = np.flatnonzero(edges)
    if boundaries.size == 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.intp)
    lengths = boundaries[1::2] - boundaries[0::2]
    word_bytes = np.frombuffer(raw.translate(None, _NON_WORD_BYTES), dtype=np.uint8)
    offsets = np.zeros(lengths.size, dtype=np.intp)
    np.cumsum(lengths[:-1], out=offsets[1:])
    # Polynomial hash of each word, sum(value[byte_k] * BASE**k): weight every byte by
    # BASE**(index in the block), take prefix sums, and difference them at word edges;
    # multiplying by BASE**-start makes the hash independent of where the word sits.
    with np.errstate(over="ignore"):
        prefix = np.empty(word_bytes.size + 1, dtype=np.uint64)
        prefix[0] = 0
        weighted = _BYTE_VALUES[word_bytes]
        if word_bytes.size <= _TABLE_SIZE:
            weighted *= _POWERS[: word_bytes.size]
        else:
            weighted *= _power_lookup(_POWERS, _BASE, np.arange(word_bytes.size, dtype=np.intp))
        np.cumsum(weighted, out=prefix[1:])
        hashes = prefix[offsets + lengths] - prefix[offsets]
        hashes *= _power_lookup(_INVERSES, _INVERSE_BASE, offsets)
        hashes += lengths.astype(np.uint64) * _LENGTH_SALT
    return mix64(hashes), boundaries[0::2]


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


def shingle_keys(text: str, shingle_size: int = 5, seed: int = 0) -> UInt64Array:
    """The distinct uint64 hashes of the word ``shingle_size``-grams of ``text``, sorted.

    ``seed`` salts the hashes, so different seeds give independent hash functions.

    >>> shingle_keys("").size, shingle_keys("one two").size
    (0, 1)
    >>> shingle_keys("a b c d e f", shingle_size=5).size
    2
    """
    if shingle_size < 1:
        raise ValueError(f"shingle_size must be >= 1, got {shingle_size}")
    return _keys_of_words(word_hashes(text), shingle_size, seed)


def _window_keys(hashes: UInt64Array, size: int, seed: int) -> UInt64Array:
    """Unsorted keys of every ``size``-word window of ``hashes`` (needs ``hashes.size >= size``)."""
    count = hashes.size - size + 1
    with np.errstate(over="ignore"):
        combined = hashes[:count] * _SHINGLE_MULTIPLIERS[0]
        for offset in range(1, size):
            combined += hashes[offset : offset + count] * _SHINGLE_MULTIPLIERS[offset]
    if seed:
        combined ^= np.uint64((seed * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF)
    return mix64(combined)


def _keys_of_words(hashes: UInt64Array, shingle_size: int, seed: int) -> UInt64Array:
    size = min(shingle_size, hashes.size)
    if size == 0:
        return np.empty(0, dtype=np.uint64)
    return _distinct(np.sort(_window_keys(hashes, size, seed)))


# Texts up to this size are tokenized together (joined by a newline, which no word
# spans) in batches of up to _TABLE_SIZE bytes, so the fixed cost of a dozen numpy
# calls is paid once per batch rather than per file, and the power tables suffice.
SMALL_TEXT_BYTES = 1 << 14


def shingle_keys_batch(texts: Sequence[str], shingle_size: int = 5, seed: int = 0) -> list[UInt64Array]:
    """:func:`shingle_keys` of each text, identical results, faster for many small texts.

    >>> [keys.size for keys in shingle_keys_batch(["a b c d e f", "", "x"])]
    [2, 0, 1]
    """
    if shingle_size < 1:
        raise ValueError(f"shingle_size must be >= 1, got {shingle_size}")
    results: list[UInt64Array | None] = [None] * len(texts)
    pending: list[tuple[int, bytes]] = []
    pending_bytes = 0
    for index, text in enumerate(texts):
        raw = text.encode("utf-8", "surrogatepass")
        if len(raw) > SMALL_TEXT_BYTES:
            results[index] = _keys_of_words(word_hashes(text), shingle_size, seed)
            continue
        pending.append((index, raw))
        pending_bytes += len(raw) + 1
        if pending_bytes >= _TABLE_SIZE - SMALL_TEXT_BYTES:
            _batch_keys(pending, shingle_size, seed, results)
            pending, pending_bytes = [], 0
    if pending:
        _batch_keys(pending, shingle_size, seed, results)
    return [keys if keys is not None else np.empty(0, dtype=np.uint64) for keys in results]


def _batch_keys(
    pending: list[tuple[int, bytes]], shingle_size: int, seed: int, results: list[UInt64Array | None]
) -> None:
    raws = [raw for _, raw in pending]
    hashes, word_starts = _block_words(b"\n".join(raws))
    text_starts = np.zeros(len(raws), dtype=np.intp)
    np.cumsum([len(raw) + 1 for raw in raws[:-1]], out=text_starts[1:])
    word_counts = np.bincount(
        np.searchsorted(text_starts, word_starts, side="right") - 1, minlength=len(raws)
    ).tolist()
    # Windows are computed over all words at once; those crossing a text edge are never read.
    windows = _window_keys(hashes, shingle_size, seed) if hashes.size >= shingle_size else hashes
    first = 0
    for (index, _), count in zip(pending, word_counts, strict=True):
        if count >= shingle_size:
            results[index] = _distinct(np.sort(windows[first : first + count - shingle_size + 1]))
        else:
            results[index] = _keys_of_words(hashes[first : first + count], shingle_size, seed)
        first += count


def shingle_hashes(text: str, shingle_size: int = 5) -> UInt32Array:
    """The distinct uint32 hashes (top halves of :func:`shingle_keys`), sorted.

    >>> shingle_hashes("a b c d e a b c d e").size
    5
    """
    return _distinct((shingle_keys(text, shingle_size) >> np.uint64(32)).astype(np.uint32))


def _distinct(ordered: npt.NDArray[Any]) -> npt.NDArray[Any]:
    # np.unique on sorted input, without numpy 2's hash-based unique (several times slower here).
    if ordered.size < 2:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
