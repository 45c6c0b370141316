"""Checks on the figures callers hand the tracker: bad input fails at the call, with a clear message."""

from __future__ import annotations

import math
import numbers
from typing import Any


def require_seconds(name: str, value: Any) -> float:
    """``value`` as a float of seconds, or ``ValueError`` if it is not a finite, non-negative number."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number of seconds, got {value!r}") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{name} must be a finite, non-negative number of seconds, got {value!r}")
    return seconds


def require_count(name: str, value: Any) -> int:
    """``value`` as an int, or ``ValueError`` if it is not a whole, non-negative number."""
    whole = isinstance(value, numbers.Integral) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole:
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    return int(value)
