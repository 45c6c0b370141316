"""Line-length and character statistics of a text, computed once and shared by the filters.

Three filters (max line length, mean line length, alphanumeric fraction) read the
same numbers; :func:`text_stats` computes them in C-level passes (``splitlines``,
``map(len)``, ``bytes.translate``) and memoises the last few texts, so a pipeline
running all three pays once. Python caches a ``str``'s hash, so the cache lookup is
cheap after the first call.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache

_ASCII_ALNUM = (string.ascii_letters + string.digits).encode("ascii")
# Unicode \w is exactly str.isalnum() plus "_", so deleting [\W_] leaves the alnum chars.
_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class TextStats:
    """Numbers the line/character heuristics need, as StarCoder's filters define them.

    Lines are split on any line break (``\\n``, ``\\r\\n``, ``\\r`` ...), lengths exclude
    the break; ``alnum_fraction`` is over all characters, breaks included.

    >>> stats = text_stats("ab\\r\\ncdef")
    >>> stats.line_count, stats.max_line_length, stats.mean_line_length, stats.alnum_fraction
    (2, 4, 3.0, 0.75)
    """

    characters: int
    line_count: int
    max_line_length: int
    mean_line_length: float
    alnum_fraction: float


def count_alnum(text: str) -> int:
    """How many characters of ``text`` are letters or digits (``str.isalnum``), without a Python loop."""
    if text.isascii():
        encoded = text.encode("ascii")
        return len(encoded) - len(encoded.translate(None, _ASCII_ALNUM))
    return len(_NOT_ALNUM.sub("", text))


@lru_cache(maxsize=8)
def text_stats(text: str) -> TextStats:
    """The :class:`TextStats` of ``text`` (memoised for the last few texts)."""
    lines = text.splitlines()
    line_count = len(lines)
    if not line_count:
        return TextStats(len(text), 0, 0, 0.0, 0.0)
    lengths = list(map(len, lines))
    return TextStats(
        characters=len(text),
        line_count=line_count,
        max_line_length=max(lengths),
        mean_line_length=sum(lengths) / line_count,
        alnum_fraction=count_alnum(text) / len(text),
    )
