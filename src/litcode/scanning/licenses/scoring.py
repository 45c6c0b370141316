"""How well one candidate template covers the query: its densest span, containment and order.

Scores are ``matched * containment`` over the template's unique trigrams, numbers weighted
(:data:`NUMERIC_WEIGHT`); a span is the maximum-sum segment of hits net of misses, cut to
one copy of the template (:func:`.kernels.dense_run`); verification keeps only hits in the
template's own order.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from math import ceil

import numpy as np

from litcode.scanning.licenses import kernels
from litcode.scanning.licenses.index import IntArray, LicenseIndex, trigram_codes

# A non-exact template counts when this share of its trigrams occurs in one dense run.
MIN_CONTAINMENT = 0.8
# Trigrams holding a number weigh this much more: "version 2" against "version 3" differ by
# three trigrams out of sixty, and must not pass as the same license.
NUMERIC_WEIGHT = 6.0


@dataclass
class Candidate:
    template: int
    size: int  # unique trigrams of the template
    numeric: int  # of which hold a number
    exact: bool
    length: int  # tokens of the template
    bound: float  # an upper bound of its score when the pool was built (the heap keeps it current)
    positions: IntArray | None = None  # query positions: trigram hits, or run starts (exact)
    trigrams: IntArray | None = None  # the template's sorted trigrams
    scored: tuple[float, int, int, float] | None = None  # (score, start, end, containment)
    run: IntArray | None = None  # the hits the score counted
    dense: IntArray | None = None  # the dense segment ``run`` was cut from (may hold several copies)
    verified: bool = False  # scored on hits in template order
    version: int = -1  # coverage version the score was computed at
    pool_index: int = 0  # its group in the pool


@dataclass(frozen=True)
class Query:
    """A text's trigrams: ``codes`` per position, ``unique`` sorted, ``inverse`` position -> unique,
    ``unique_numeric`` whether each unique trigram holds a number."""

    ids: IntArray
    codes: IntArray
    unique: IntArray
    inverse: IntArray
    unique_numeric: np.ndarray
    seen: np.ndarray  # scratch: one False per unique trigram, for counting distinct hits


def score(candidate: Candidate, query: Query, covered: np.ndarray) -> tuple[float, int, int, float] | None:
    """(score, start, end, containment) of the candidate on the uncovered text, or None.

    The densest template-sized window bounds what any span can score: most candidates of a
    long file (hits of common phrases scattered through it) stop there, before the span search
    (:func:`~.kernels.dense_run`).
    """
    assert candidate.positions is not None
    if candidate.exact:
        for start in candidate.positions.tolist():
            end = start + candidate.length
            if not covered[start:end].any():
                weighted = candidate.size - candidate.numeric + NUMERIC_WEIGHT * candidate.numeric
                return weighted, start, end, 1.0
        return None
    need = ceil(candidate.size * MIN_CONTAINMENT)
    hits = kernels.live_hits(candidate.positions, covered)
    width = int(candidate.length * 1.25) + 12
    dense_start, dense_end, run_start, run_end = kernels.dense_run(hits, covered, width, need)
    if run_end - run_start < need:  # also when no window reached it (all -1)
        return None
    candidate.run, candidate.dense = hits[run_start:run_end], hits[dense_start:dense_end]
    return _containmentscore(candidate, query, candidate.run)


def _containmentscore(
    candidate: Candidate, query: Query, run: IntArray
) -> tuple[float, int, int, float] | None:
    found, numeric = kernels.found_trigrams(query.inverse, query.unique_numeric, run, query.seen)
    matched = found - numeric + NUMERIC_WEIGHT * numeric
    containment = matched / (candidate.size - candidate.numeric + NUMERIC_WEIGHT * candidate.numeric)
    if containment < MIN_CONTAINMENT:
        return None
    return matched * containment, int(run[0]), int(run[-1]) + 3, containment


def verify(candidate: Candidate, query: Query, index: LicenseIndex) -> tuple[float, int, int, float] | None:
    """Rescore on the hits that follow the template's own order (a longest increasing run of
    template offsets): a template built of another plus extra clauses must find those clauses
    where it has them, not in the next license of the file."""
    if candidate.exact or candidate.run is None or candidate.trigrams is None:
        return candidate.scored
    run = candidate.run
    layout = template_layout(index, candidate.template)
    offsets = layout.offsets(query.codes[run], run)
    if _restarts(offsets, len(layout.order)).any() and candidate.dense is not None:
        run, offsets = one_copy(layout, query.codes, candidate.dense)
    if len(offsets) > 1 and bool((offsets[1:] <= offsets[:-1]).any()):
        in_order_hits = run[kernels.increasing(offsets)]
    else:  # a faithful copy: every hit already in the template's order
        in_order_hits = run
    if len(in_order_hits) < candidate.size * MIN_CONTAINMENT:
        return None
    return _containmentscore(candidate, query, in_order_hits)


@dataclass(frozen=True)
class TemplateLayout:
    """A template's trigrams sorted once, to look up which offset each hit copies.

    ``order``: template positions sorted by trigram (stably: offsets ascend within one
    trigram); ``sorted_codes``: the trigrams in that order; ``keyed``: rank of the trigram
    times ``span`` plus offset, sorted too, to find a repeated trigram's nearest offset.
    """

    order: IntArray
    sorted_codes: IntArray
    rank: IntArray
    keyed: IntArray

    @classmethod
    def of(cls, template_codes: IntArray) -> TemplateLayout:
        order = np.argsort(template_codes, kind="stable")
        sorted_codes = template_codes[order]
        rank = np.concatenate([[0], np.cumsum(sorted_codes[1:] != sorted_codes[:-1])])
        return cls(order, sorted_codes, rank, rank * (len(order) + 1) + order)

    def offsets(self, codes: IntArray, positions: IntArray) -> IntArray:
        """The template offset each hit copies (its trigram ``codes`` at query ``positions``):
        :func:`.kernels.aligned_offsets`.

        >>> layout = TemplateLayout.of(np.array([5, 6, 7, 5, 8]))
        >>> layout.offsets(np.array([5, 7, 5, 8]), np.array([10, 12, 13, 14]))
        array([0, 2, 3, 4])
        """
        offsets: IntArray = kernels.aligned_offsets(
            self.order, self.sorted_codes, self.rank, self.keyed, codes, positions
        )
        return offsets


# Layouts of recently verified templates: a bundle verifies one template at every copy it holds.
_LAYOUTS: dict[int, tuple[LicenseIndex, dict[int, TemplateLayout]]] = {}
_LAYOUTS_KEPT = 2048


def template_layout(index: LicenseIndex, template: int) -> TemplateLayout:
    held = _LAYOUTS.get(id(index))
    if held is None or held[0] is not index:
        held = _LAYOUTS[id(index)] = (index, {})
    layouts = held[1]
    layout = layouts.get(template)
    if layout is None:
        if len(layouts) >= _LAYOUTS_KEPT:
            layouts.clear()
        tokens = index.template_tokens(template).astype(np.int64)
        layout = layouts[template] = TemplateLayout.of(trigram_codes(tokens, len(index.vocabulary)))
    return layout


def _restarts(offsets: IntArray, template_length: int) -> IntArray:
    """Where the template starts over: the next hit copies an offset half a template back."""
    return np.flatnonzero(np.diff(offsets) < -(template_length // 2)) + 1


def one_copy(layout: TemplateLayout, codes: IntArray, dense: IntArray) -> tuple[IntArray, IntArray]:
    """The hits (and their template offsets) of the fullest copy of the template in ``dense``.

    A file printing one license twice, a few lines apart (a bundle's BSD-3-Clause for each
    library), has one dense segment; a template-sized window of it holds the tail of one copy
    and the head of the next, which no in-order run can verify. Cut where the template starts
    over and keep the copy with the most hits.

    >>> layout = TemplateLayout.of(np.array([1, 2, 3, 4]))
    >>> one_copy(layout, np.array([1, 2, 3, 4, 9, 1, 2, 3]), np.array([0, 1, 2, 3, 5, 6, 7]))
    (array([0, 1, 2, 3]), array([0, 1, 2, 3]))
    """
    offsets = layout.offsets(codes[dense], dense)
    bounds = [0, *_restarts(offsets, len(layout.order)).tolist(), len(dense)]
    start, end = max(pairwise(bounds), key=lambda bound: bound[1] - bound[0])
    return dense[start:end], offsets[start:end]
