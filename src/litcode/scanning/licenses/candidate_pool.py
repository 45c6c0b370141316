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
    once, so that bounds for all candidates cost one vectorized pass after each claim."""

    slots: npt.NDArray[np.int32]  # per trigram: its slot in the query's unique trigrams
    found: np.ndarray  # per trigram: the query holds it
    numeric: np.ndarray  # per trigram: it holds a number
    groups: IntArray
    sizes: IntArray
    weighted_sizes: np.ndarray
    exact: np.ndarray

    def counts(self, alive: np.ndarray) -> tuple[IntArray, IntArray]:
        """(found, of which numeric) trigrams per candidate, counting only slots ``alive``."""
        counts: tuple[IntArray, IntArray] = kernels.live_counts(
            self.slots, self.found, self.numeric, self.sizes, alive
        )
        return counts

    def bounds(self, found_count: IntArray, numeric_count: IntArray) -> tuple[np.ndarray, np.ndarray]:
        """(possible, bound) per candidate from its live trigram counts."""
        weighted = found_count - numeric_count + NUMERIC_WEIGHT * numeric_count
        possible = np.where(
            self.exact, found_count == self.sizes, weighted >= MIN_CONTAINMENT * self.weighted_sizes
        )
        return possible, weighted**2 / self.weighted_sizes


class LiveBounds:
    """The pool's bounds on the uncovered text, kept up to date claim by claim.

    The first calls count every candidate's live trigrams in one pass; later calls only take
    away the trigrams whose last uncovered occurrence the claims since covered, so a long text
    with many claims costs about its claimed spans, not a full pass per claim. (Ordering the
    pool by slot costs a few passes, so a text with few claims never pays it.)
    """

    FULL_PASSES = 3

    def __init__(self, pool: CandidatePool, query: Query) -> None:
        self.pool, self.query = pool, query
        self.pending: list[IntArray] = []  # positions newly covered since the last call
        self.live: IntArray | None = None  # per unique trigram: its uncovered occurrences
        self.found_count: IntArray | None = None
        self.numeric_count: IntArray | None = None
        self.by_slot: IntArray | None = None  # pool entries ordered by slot
        self.slot_starts: IntArray | None = None
        self.owners: IntArray | None = None
        self.passes = 0

    def cover(self, covered: np.ndarray, start: int, end: int) -> None:
        """Note the span ``[start, end)`` is about to be claimed (``covered`` not yet set)."""
        end = min(end, len(self.query.inverse))
        if end > start:
            self.pending.append(np.nonzero(~covered[start:end])[0] + start)

    def bounds(self, covered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pool, inverse, width = self.pool, self.query.inverse, len(self.query.unique)
        if self.passes < self.FULL_PASSES or self.found_count is None or self.numeric_count is None:
            self.passes += 1
            self.live = np.bincount(inverse[~covered[: len(inverse)]], minlength=width)
            self.found_count, self.numeric_count = pool.counts(self.live > 0)
            self.pending = []
            return pool.bounds(self.found_count, self.numeric_count)
        if self.pending and self.live is not None:
            taken = np.bincount(inverse[np.concatenate(self.pending)], minlength=width)
            self.pending = []
            dead = np.nonzero((taken > 0) & (self.live == taken))[0]
            self.live -= taken
            if len(dead):
                self._remove(dead)
        return pool.bounds(self.found_count, self.numeric_count)

    def _remove(self, dead: IntArray) -> None:
        """Take the trigrams of slots ``dead`` (no longer in the uncovered text) off their candidates."""
        pool = self.pool
        if self.by_slot is None or self.slot_starts is None or self.owners is None:
            self.by_slot, self.slot_starts = kernels.entries_by_slot(pool.slots, len(self.query.unique))
            self.owners = np.repeat(np.arange(len(pool.sizes)), pool.sizes)
        assert self.found_count is not None and self.numeric_count is not None
        kernels.take_slots(
            dead,
            self.by_slot,
            self.slot_starts,
            pool.found,
            pool.numeric,
            self.owners,
            self.found_count,
            self.numeric_count,
        )
