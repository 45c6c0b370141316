"""Line-length and character statistics of a text, computed once and shared by the filters.

Three filters (max line length, mean line length, alphanumeric fraction) read the
same numbers; :func:`text_stats` computes them in C-level passes (numpy over the
code points, ``bytes.translate``) without splitting the text into line objects, and
memoises the last few texts (a bounded cache), so a pipeline running all three pays
once. Python caches a ``str``'s hash, so the cache lookup is cheap after the first call.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from litcode.quality.sample import normalize_newlines

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


@lru_cache(maxsize=4)
def utf8_bytes(text: str) -> bytes:
    """``text`` in UTF-8 (lone surrogates kept), memoised so the filters encode a text once."""
    return text.encode("utf-8", "surrogatepass")


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
def text_stats(text: str) -> TextStats:
    """The :class:`TextStats` of ``text`` (memoised for the last few texts)."""
    text = normalize_newlines(text)
    if not text:
        return TextStats(0, 0, 0, 0.0, 0.0)
    breaks = _line_break_positions(text)
    line_count = len(breaks) + (not text.endswith("\n"))
    return TextStats(
        characters=len(text),
        line_count=line_count,
        max_line_length=_longest_between(breaks, len(text)),
        mean_line_length=(len(text) - len(breaks)) / line_count,
        alnum_fraction=count_alnum(text) / len(text),
    )
