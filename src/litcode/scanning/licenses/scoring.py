"""How well one candidate template covers the query: its densest span, containment and order.

Scores are ``matched * containment`` over the template's unique trigrams, numbers weighted
(:data:`NUMERIC_WEIGHT`); a span is the maximum-sum segment of hits net of misses, cut to
one copy of the template; verification keeps only hits in the template's own order.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from litcode.scanning.licenses.index import IntArray, LicenseIndex, trigram_codes

# A non-exact template counts when this share of its trigrams occurs in one dense run.
MIN_CONTAINMENT = 0.8
# Trigrams holding a number weigh this much more: "version 2" against "version 3" differ by
# three trigrams out of sixty, and must not pass as the same license.
NUMERIC_WEIGHT = 6.0
# What a query position whose trigram the template lacks costs a run, against 1 for a hit.
MISS_COST = 0.5


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


def score(candidate: Candidate, query: Query, covered: np.ndarray) -> tuple[float, int, int, float] | None:
    """(score, start, end, containment) of the candidate on the uncovered text, or None."""
    assert candidate.positions is not None
    if candidate.exact:
        for start in candidate.positions.tolist():
            end = start + candidate.length
            if not covered[start:end].any():
                weighted = candidate.size - candidate.numeric + NUMERIC_WEIGHT * candidate.numeric
                return weighted, start, end, 1.0
        return None
    positions = candidate.positions[~covered[candidate.positions]]
    if len(positions) < candidate.size * MIN_CONTAINMENT:
        return None
    width = int(candidate.length * 1.25) + 12
    # The densest template-sized window bounds what any span can score: most candidates of a
    # long file (hits of common phrases scattered through it) stop here, before the span search.
    ends = np.searchsorted(positions, positions + width)
    densest = int(np.argmax(ends - np.arange(len(positions))))
    if ends[densest] - densest < candidate.size * MIN_CONTAINMENT:
        return None
    around = (positions >= positions[densest] - width) & (positions < positions[ends[densest] - 1] + width)
    dense = densest_run(positions[around], covered)
    run = longest_fitting_window(dense, width)
    if len(run) < candidate.size * MIN_CONTAINMENT:
        return None
    candidate.run, candidate.dense = run, dense
    return _containmentscore(candidate, query, run)


def _containmentscore(
    candidate: Candidate, query: Query, run: IntArray
) -> tuple[float, int, int, float] | None:
    found = np.nonzero(np.bincount(query.inverse[run]) > 0)[0]
    numeric = int(np.count_nonzero(query.unique_numeric[found]))
    matched = len(found) - numeric + NUMERIC_WEIGHT * numeric
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
    offsets = aligned_offsets(layout, query.codes[run], run)
    if _restarts(offsets, len(layout.order)).any() and candidate.dense is not None:
        run, offsets = one_copy(layout, query.codes, candidate.dense)
    if len(offsets) > 1 and bool((offsets[1:] <= offsets[:-1]).any()):
        in_order_hits = run[increasing(offsets.tolist())]
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
    offsets = aligned_offsets(layout, codes[dense], dense)
    bounds = [0, *_restarts(offsets, len(layout.order)).tolist(), len(dense)]
    start, end = max(pairwise(bounds), key=lambda bound: bound[1] - bound[0])
    return dense[start:end], offsets[start:end]


def aligned_offsets(layout: TemplateLayout, codes: IntArray, positions: IntArray) -> IntArray:
    """For each hit (its trigram ``codes`` at query ``positions``), the template offset it copies
    (``layout``: the template's trigram per position, sorted; every hit's trigram is among them).

    A trigram the template holds once has one offset. One it repeats ("the License", "of this
    License") takes the occurrence nearest where the text stands against the template there:
    the shift of the closest earlier hit that has one offset. Taking the first occurrence instead
    makes every later repeat fall back, and the in-order run then drops hits a copy holds.

    >>> layout = TemplateLayout.of(np.array([5, 6, 7, 5, 8]))
    >>> aligned_offsets(layout, np.array([5, 7, 5, 8]), np.array([10, 12, 13, 14]))
    array([0, 2, 3, 4])
    """
    order, sorted_codes = layout.order, layout.sorted_codes
    first = np.searchsorted(sorted_codes, codes, "left")
    last = np.searchsorted(sorted_codes, codes, "right")
    offsets = order[np.minimum(first, len(order) - 1)]
    repeated = last - first > 1
    single = np.flatnonzero(~repeated)
    if not repeated.any() or not len(single):
        return offsets
    # The shift (template offset - query position) of the nearest earlier single hit, else the first.
    nearest = np.maximum.accumulate(np.where(~repeated, np.arange(len(codes)), -1))
    nearest[nearest < 0] = single[0]
    expected = positions + (offsets - positions)[nearest]
    span = len(order) + 1
    rank, keyed = layout.rank, layout.keyed
    which = np.flatnonzero(repeated)
    wanted = rank[first[which]] * span + np.clip(expected[which], 0, span - 1)
    after = np.clip(np.searchsorted(keyed, wanted), first[which], last[which] - 1)
    before = np.clip(after - 1, first[which], last[which] - 1)
    closer = np.abs(order[before] - expected[which]) <= np.abs(order[after] - expected[which])
    offsets[which] = np.where(closer, order[before], order[after])
    return offsets


_STRETCHES_FROM = 48


def increasing(values: list[int]) -> list[int]:
    """Indices of one longest strictly increasing subsequence of ``values`` (patience sorting).

    Hits mostly follow the template, so the values come in strictly increasing stretches: a
    stretch that starts above every tail extends the longest run in one step, and only the
    values that fall back cost a bisect.

    >>> increasing([3, 1, 2, 5, 4, 6])
    [1, 2, 4, 5]
    """
    tails: list[int] = []  # smallest tail value of an increasing run of each length
    tail_index: list[int] = []
    previous = [-1] * len(values)
    if len(values) < _STRETCHES_FROM:  # numpy costs more than it saves: one value a stretch
        stretch_bounds = list(range(len(values) + 1))
    else:
        falls = np.flatnonzero(np.diff(np.asarray(values, dtype=np.int64)) <= 0) + 1
        stretch_bounds = [0, *falls.tolist(), len(values)]
    for start, end in pairwise(stretch_bounds):
        for position in range(start, end):
            value = values[position]
            if not tails or value > tails[-1]:  # the rest of the stretch extends the longest run
                if tail_index:
                    previous[position] = tail_index[-1]
                previous[position + 1 : end] = range(position, end - 1)
                tails.extend(values[position:end])
                tail_index.extend(range(position, end))
                break
            length = bisect_left(tails, value)
            tails[length] = value
            tail_index[length] = position
            if length:
                previous[position] = tail_index[length - 1]
    chain = []
    position = tail_index[-1] if tail_index else -1
    while position >= 0:
        chain.append(position)
        position = previous[position]
    return chain[::-1]


def longest_fitting_window(run: IntArray, width: int) -> IntArray:
    """The hits of the ``width``-token window holding the most of them: one copy of a template,
    not two copies of it printed one after the other (each would add the other's hits)."""
    if int(run[-1]) - int(run[0]) < width:
        return run
    ends = np.searchsorted(run, run + width)
    start = int(np.argmax(ends - np.arange(len(run))))
    return run[start : ends[start]]


def densest_run(positions: IntArray, covered: np.ndarray) -> IntArray:
    """The hits of the text segment with the most hits net of misses (each miss costs
    :data:`MISS_COST`, a covered position ends the segment): a maximum-sum subarray.

    Sporadic hits of common phrases in a neighbouring license ("the following
    conditions") cost more than they add, so a long template's span never swallows
    the short license printed before it.
    """
    first, last = int(positions[0]), int(positions[-1]) + 1
    values = np.full(last - first, -MISS_COST)
    values[covered[first:last]] = -float(last - first)
    values[positions - first] = 1.0
    sums = np.concatenate([[0.0], np.cumsum(values)])
    lowest_before = np.minimum.accumulate(sums[:-1])
    end = int(np.argmax(sums[1:] - lowest_before)) + 1
    start = int(np.argmin(sums[:end]))
    return positions[(positions >= first + start) & (positions < first + end)]
