"""Stable 64-bit integer mixing in numpy: the building block of every hash in dedup.

Python's ``hash`` is salted per process and numpy's random streams may change between
releases, so every constant here is derived with SplitMix64 (Steele et al., 2014) in
plain uint64 arithmetic: the same seed gives the same tables on every machine, in every
process, forever — a requirement when signatures are computed in worker processes and
compared later.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

UInt64Array = npt.NDArray[np.uint64]

_GOLDEN_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)


def mix64(values: UInt64Array) -> UInt64Array:
    """SplitMix64's finalizer, elementwise: a bijection on uint64 that spreads every input bit.

    >>> int(mix64(np.array([0, 1], dtype=np.uint64))[1]) != 1
    True
    """
    with np.errstate(over="ignore"):
        x = values ^ (values >> np.uint64(30))
        x *= _MIX_1
        x ^= x >> np.uint64(27)
        x *= _MIX_2
        x ^= x >> np.uint64(31)
    return x


def splitmix64_sequence(seed: int, count: int) -> UInt64Array:
    """``count`` pseudo-random uint64 values determined only by ``seed`` (SplitMix64 stream).

    >>> bool((splitmix64_sequence(7, 3) == splitmix64_sequence(7, 3)).all())
    True
    """
    steps = np.arange(1, count + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        state = np.uint64(seed & 0xFFFFFFFFFFFFFFFF) + steps * _GOLDEN_GAMMA
    return mix64(state)
