"""Line-length and character statistics of a text, each in a few C-level passes.

Three filters (max line length, mean line length, alphanumeric fraction) read these
numbers. Each has its own function that makes only the passes it needs (``str.count``,
``bytes.translate``, ``str.find``), never splitting the text into line objects;
:func:`text_stats` gathers all of them (plus the exact longest line, through numpy) for
callers who want the whole picture. The newline-normalized text and its UTF-8 bytes are
memoised for the last few texts, so a chain running all three filters normalizes and
encodes once (Python caches a ``str``'s hash, so the cache lookups are cheap).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from litcode.quality.sample import normalize_newlines, utf8_bytes

_ASCII_ALNUM = (string.ascii_letters + string.digits).encode("ascii")
_ASCII_ALNUM_TABLE = np.array([chr(code).isalnum() for code in range(128)], dtype=np.int64)


@dataclass(frozen=True)
class TextStats:
    """Numbers the line/character heuristics need, as StarCoder's filters define them.

    Lines end at ``\\n``, ``\\r\\n`` or ``\\r``; lengths exclude the break and a final
    break does not start an empty line. ``alnum_fraction`` is over all characters
    (each ``\\r\\n`` counted as one).

    >>> stats = text_stats("ab\\r\\ncdef")
    >>> stats.line_count, stats.max_line_length, stats.mean_line_length, round(stats.alnum_fraction, 3)
    (2, 4, 3.0, 0.857)
    """

    characters: int
    line_count: int
    max_line_length: int
    mean_line_length: float
    alnum_fraction: float


def _code_points(text: str) -> np.ndarray:
    if text.isascii():
        return np.frombuffer(utf8_bytes(text), dtype=np.uint8)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def count_alnum(text: str) -> int:
    """How many characters of ``text`` are letters or digits (``str.isalnum``), without a Python loop.

    ASCII text is counted with ``bytes.translate``; otherwise the code points go through
    numpy and only the distinct non-ASCII ones are asked ``isalnum`` one by one.
    """
    if text.isascii():
        encoded = utf8_bytes(text)
        return len(encoded) - len(encoded.translate(None, _ASCII_ALNUM))
    code_points = _code_points(text)
    ascii_points = code_points[code_points < 128]
    count = int(_ASCII_ALNUM_TABLE[ascii_points].sum())
    others, others_count = np.unique(code_points[code_points >= 128], return_counts=True)
    alnum = np.fromiter((chr(point).isalnum() for point in others.tolist()), dtype=bool, count=len(others))
    return count + int(others_count[alnum].sum())


def _line_break_positions(text: str) -> np.ndarray:
    return np.flatnonzero(_code_points(text) == 10)


def _longest_between(breaks: np.ndarray, length: int) -> int:
    if not breaks.size:
        return length
    inner = int(np.diff(breaks).max()) - 1 if breaks.size > 1 else 0
    return max(int(breaks[0]), inner, length - int(breaks[-1]) - 1)


@lru_cache(maxsize=4)
def normalized(text: str) -> str:
    """``text`` with CRLF and CR turned into LF (memoised), the text every statistic is taken on."""
    return normalize_newlines(text)


def _line_count(text: str, breaks: int) -> int:
    return breaks + (not text.endswith("\n"))


def mean_line_length(text: str) -> float:
    """Characters per line, line breaks left out; 0.0 for an empty text.

    >>> mean_line_length("ab\\r\\ncdef\\n"), mean_line_length("")
    (3.0, 0.0)
    """
    text = normalized(text)
    if not text:
        return 0.0
    breaks = text.count("\n")
    return (len(text) - breaks) / _line_count(text, breaks)


def alnum_fraction(text: str) -> float:
    """Share of the characters that are letters or digits (each CRLF counted as one character)."""
    text = normalized(text)
    return count_alnum(text) / len(text) if text else 0.0


def longest_line_exceeds(text: str, limit: int) -> bool:
    """Whether some line of ``text`` is longer than ``limit`` characters.

    Most files are proven clear without locating every line break: cut the text into
    aligned blocks of ``limit // 2 + 1`` characters; a line over ``limit`` covers one
    block whole, so when each block holds a break (one ``str.find`` per block) none is
    that long. Only a file with a break-free block gets the exact numpy pass.

    >>> longest_line_exceeds("x = 1\\n" * 1000, 5), longest_line_exceeds("x = 1\\n" * 1000, 4)
    (False, True)
    """
    if limit < 0:
        return bool(text)
    text = normalized(text)
    block = limit // 2 + 1
    find = text.find
    if all(find("\n", start, start + block) >= 0 for start in range(0, len(text) - block + 1, block)):
        return False
    return text_stats(text).max_line_length > limit


@lru_cache(maxsize=4)
def text_stats(text: str) -> TextStats:
    """The :class:`TextStats` of ``text`` (memoised for the last few texts)."""
    text = normalized(text)
    if not text:
        return TextStats(0, 0, 0, 0.0, 0.0)
    breaks = _line_break_positions(text)
    return TextStats(
        characters=len(text),
        line_count=_line_count(text, len(breaks)),
        max_line_length=_longest_between(breaks, len(text)),
        mean_line_length=mean_line_length(text),
        alnum_fraction=alnum_fraction(text),
    )
