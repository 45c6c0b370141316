"""The candidates' trigrams in one pool, and their containment bounds as claims cover the text.

Split out of :mod:`litcode.scanning.licenses.matcher`, which claims spans best match first and
asks these bounds, after each claim, which candidates can still win on the uncovered text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from litcode.scanning.licenses import kernels
from litcode.scanning.licenses.index import IntArray
from litcode.scanning.licenses.scoring import MIN_CONTAINMENT, NUMERIC_WEIGHT, Query


@dataclass(frozen=True)
class CandidatePool:
    """Every candidate's trigrams in one array (``groups`` delimit them), looked up in the query
    once; ``found_count`` and ``numeric_count``: per candidate, how many the query holds, and
    of those how many hold a number."""

    slots: npt.NDArray[np.int32]  # per trigram: its slot in the query's unique trigrams
    found: np.ndarray  # per trigram: the query holds it
    numeric: np.ndarray  # per trigram: it holds a number
    groups: IntArray
    sizes: IntArray
    weighted_sizes: np.ndarray
    exact: np.ndarray
    found_count: IntArray
    numeric_count: IntArray

    def bounds(self, found_count: IntArray, numeric_count: IntArray) -> tuple[np.ndarray, np.ndarray]:
        """(possible, bound) per candidate from its live trigram counts."""
        weighted = found_count - numeric_count + NUMERIC_WEIGHT * numeric_count
        possible = np.where(
            self.exact, found_count == self.sizes, weighted >= MIN_CONTAINMENT * self.weighted_sizes
        )
        return possible, weighted**2 / self.weighted_sizes


class LiveBounds:
    """Each candidate's bound on the uncovered text, kept up to date claim by claim.

    A claim takes one occurrence off each trigram it covers; a trigram whose last uncovered
    occurrence goes is taken off the candidates holding it (:func:`.kernels.cover_span`). A
    long text with many claims so costs about its claimed spans, not a pass over every
    candidate per claim; a bound is worked out only for the candidate that asks.
    """

    def __init__(self, pool: CandidatePool, query: Query) -> None:
        self.pool, self.query = pool, query
        self.found_count, self.numeric_count = pool.found_count.copy(), pool.numeric_count.copy()
        self.live: IntArray | None = None  # per unique trigram: its uncovered occurrences
        self.holders: tuple[np.ndarray, np.ndarray, IntArray] | None = None  # candidates by slot
        self.weighted_sizes = pool.weighted_sizes.tolist()
        self.sizes = pool.sizes.tolist()
        self.exact = pool.exact.tolist()

    def cover(self, covered: np.ndarray, start: int, end: int) -> None:
        """Take the span ``[start, end)`` off the counts (``covered`` not yet set for it)."""
        pool, query = self.pool, self.query
        if self.live is None or self.holders is None:  # built at the first claim: most texts have one or none
            self.live = np.bincount(query.inverse, minlength=len(query.unique))
            self.holders = kernels.holders_by_slot(
                pool.slots, pool.found, pool.numeric, pool.sizes, len(query.unique)
            )
        holders, holds_numeric, slot_starts = self.holders
        kernels.cover_span(
            covered,
            start,
            end,
            query.inverse,
            self.live,
            holders,
            holds_numeric,
            slot_starts,
            self.found_count,
            self.numeric_count,
        )

    def bound(self, candidate: int) -> float | None:
        """The candidate's bound on what is uncovered, or None when it can no longer pass.

        The same float arithmetic as :meth:`CandidatePool.bounds`, on one candidate.
        """
        found, numeric = int(self.found_count[candidate]), int(self.numeric_count[candidate])
        weighted = found - numeric + NUMERIC_WEIGHT * numeric
        if self.exact[candidate]:
            if found != self.sizes[candidate]:
                return None
        elif weighted < MIN_CONTAINMENT * self.weighted_sizes[candidate]:
            return None
        bound: float = weighted**2 / self.weighted_sizes[candidate]
        return bound
