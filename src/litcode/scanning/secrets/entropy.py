"""Shannon entropy of short strings: the "does this look random?" test behind generic secret rules."""

from __future__ import annotations

import math
from collections import Counter


def shannon_entropy(value: str) -> float:
    """Bits of entropy per character of ``value`` (0.0 for an empty string).

    Random base64 of length 40 scores about 4.5-5.0, random hex about 3.5-4.0,
    English identifiers about 2.5-3.5. Only candidate strings are measured, never
    whole files, so a ``Counter`` is cheap enough.

    >>> shannon_entropy("aaaa")
    0.0
    >>> round(shannon_entropy("abcd"), 2)
    2.0
    """
    if not value:
        return 0.0
    length = len(value)
    return sum(count / length * math.log2(length / count) for count in Counter(value).values())


def has_letters_and_digits(value: str) -> bool:
    """Machine-made keys mix letters and digits; words and numbers do not."""
    return any(char.isdigit() for char in value) and any(char.isalpha() for char in value)
