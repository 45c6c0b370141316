"""Find which templates a text contains: prefilter by rare trigrams, score by containment, cover greedily.

1. **Prefilter.** The query's unique token trigrams are looked up in the inverted
   index of rare trigrams (one ``searchsorted`` and one ``bincount``); a template
   is a candidate only when enough of its rare trigrams occur (all of them for an
   exact template).
2. **Score.** An exact template (a short rule) must occur as a contiguous token
   run. Any other template is scored on the densest run of query positions whose
   trigram it holds: ``containment`` = the share of the template's trigrams found
   there. The score ``matched * containment`` prefers the template that explains
   the most of the text while missing the least of itself, which is what keeps
   near-misses apart: BSD-3-Clause is contained in the Sleepycat text, but the
   Sleepycat template is contained *and* larger, so it wins; on a plain BSD-3-Clause
   text Sleepycat misses its extra clauses and loses.
3. **Cover.** The best match claims its span; the rest are rescored on what is
   left, until nothing reaches :data:`MIN_CONTAINMENT`. A full GPL text therefore
   yields one GPL match, not also the notice its appendix quotes, while a file
   holding two license texts yields both.

>>> [match.expression for match in find_matches("Licensed under the Apache License, Version 2.0")]
['Apache-2.0']
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np

from litcode.scanning.licenses.dataset import KINDS
from litcode.scanning.licenses.index import (
    IntArray,
    LicenseIndex,
    license_index,
    numeric_positions,
    trigram_codes,
)

# A non-exact template counts when this share of its trigrams occurs in one dense run.
MIN_CONTAINMENT = 0.8
# Trigrams holding a number weigh this much more: "version 2" against "version 3" differ by
# three trigrams out of sixty, and must not pass as the same license.
NUMERIC_WEIGHT = 6.0
# What a query position whose trigram the template lacks costs a run, against 1 for a hit.
MISS_COST = 0.5
# Share of a non-exact template's rare trigrams the query must hold to be scored at all.
MIN_KEY_SHARE = 0.5


@dataclass(frozen=True)
class LicenseMatch:
    """One template found in a text: its SPDX expression ('' for a known false positive),
    the token span ``[start, end)`` it covers, and how much of the template was found.

    >>> LicenseMatch("MIT", 0, 160, 1.0, "text").expression
    'MIT'
    """

    expression: str
    start: int
    end: int
    containment: float
    kind: str


@dataclass
class _Candidate:
    template: int
    size: int  # unique trigrams of the template
    numeric: int  # of which hold a number
    exact: bool
    length: int  # tokens of the template
    bound: float  # an upper bound of its score: a real score, or the best it could reach
    positions: IntArray | None = None  # query positions: trigram hits, or run starts (exact)
    trigrams: IntArray | None = None  # the template's sorted trigrams
    scored: tuple[float, int, int, float] | None = None  # (score, start, end, containment)
    run: IntArray | None = None  # the hits the score counted
    verified: bool = False  # scored on hits in template order
    version: int = -1  # coverage version the score was computed at
    pool_index: int = 0  # its group in the pool


@dataclass(frozen=True)
class _Pool:
    """Every candidate's trigrams in one array (``groups`` delimit them), looked up in the query
    once, so that bounds for all candidates cost one vectorized pass after each claim."""

    slots: IntArray  # per trigram: its slot in the query's unique trigrams
    found: np.ndarray  # per trigram: the query holds it
    numeric: np.ndarray  # per trigram: it holds a number
    groups: IntArray
    sizes: IntArray
    weighted_sizes: np.ndarray
    exact: np.ndarray

    def bounds(self, alive: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(possible, bound) per candidate, counting only trigrams whose slot is ``alive``."""
        found = self.found if alive is None else self.found & alive[self.slots]
        found_count = np.add.reduceat(found.astype(np.int64), self.groups)
        numeric_count = np.add.reduceat((found & self.numeric).astype(np.int64), self.groups)
        weighted = found_count - numeric_count + NUMERIC_WEIGHT * numeric_count
        possible = np.where(
            self.exact, found_count == self.sizes, weighted >= MIN_CONTAINMENT * self.weighted_sizes
        )
        return possible, weighted**2 / self.weighted_sizes


@dataclass(frozen=True)
class _Query:
    """A text's trigrams: ``codes`` per position, ``unique`` sorted, ``inverse`` position -> unique,
    ``unique_numeric`` whether each unique trigram holds a number."""

    ids: IntArray
    codes: IntArray
    unique: IntArray
    inverse: IntArray
    unique_numeric: np.ndarray


def find_matches(text: str, index: LicenseIndex | None = None) -> list[LicenseMatch]:
    """Templates found in ``text``, in text order, after greedy covering.

    Lazy greedy: candidates wait in a heap under an upper bound of their score; the top one is
    scored for real (and verified) and pushed back, until the top is a real, current score:
    nothing below can beat it. Claiming text only lowers scores, so an old score stays a valid
    bound, and most candidates of a text are never scored at all.
    """
    index = index or license_index()
    ids = index.encode(text)
    codes = trigram_codes(ids, len(index.vocabulary))
    if not len(codes):
        return []
    unique, inverse = np.unique(codes, return_inverse=True)
    inverse = inverse.reshape(-1)
    unique_numeric = np.zeros(len(unique), dtype=np.bool_)
    unique_numeric[inverse] = numeric_positions(ids, index.numeric_tokens)
    query = _Query(ids, codes, unique, inverse, unique_numeric)
    candidates, pool = _candidates(index, query)
    heap = [(-candidate.bound, number) for number, candidate in enumerate(candidates)]
    bounds_version, possible, bounds = 0, None, None
    heapq.heapify(heap)
    covered = np.zeros(len(ids), dtype=np.bool_)
    version = 0
    matches: list[LicenseMatch] = []
    query_bytes = ids.astype("<i4").tobytes()
    while heap:
        _, number = heapq.heappop(heap)
        candidate = candidates[number]
        if candidate.version != version and version and pool is not None:
            if bounds_version != version:  # one vectorized pass per claim bounds every candidate
                alive = np.bincount(query.inverse[~covered[: len(query.inverse)]], minlength=len(unique)) > 0
                possible, bounds = pool.bounds(alive)
                bounds_version = version
            assert possible is not None and bounds is not None
            if not possible[candidate.pool_index]:
                continue
            if bounds[candidate.pool_index] < candidate.bound:
                candidate.bound = float(bounds[candidate.pool_index])
                heapq.heappush(heap, (-candidate.bound, number))
                continue
        if candidate.version != version or not candidate.verified:
            if candidate.positions is None:
                candidate.positions = _positions(index, candidate, query, query_bytes)
            if candidate.version != version:
                candidate.scored = _score(candidate, query, covered)
                candidate.verified = candidate.exact
                candidate.version = version
            elif not candidate.verified:
                candidate.scored, candidate.verified = _verify(candidate, query, index), True
            if candidate.scored is not None:
                candidate.bound = candidate.scored[0]
                heapq.heappush(heap, (-candidate.bound, number))
            continue
        assert candidate.scored is not None
        _, start, end, containment = candidate.scored
        covered[start:end] = True
        version += 1
        matches.append(
            LicenseMatch(
                index.expressions[candidate.template],
                start,
                end,
                containment,
                KINDS[index.kinds[candidate.template]],
            )
        )
        heapq.heappush(heap, (-candidate.scored[0], number))  # a file may hold its license twice
    return sorted(matches, key=lambda match: match.start)


def _candidates(index: LicenseIndex, query: _Query) -> tuple[list[_Candidate], _Pool | None]:
    """Templates sharing enough rare trigrams with the query, each with a bound on its score.

    One vectorized pass counts, for every passing template, how many of its trigrams the
    query holds anywhere: templates that cannot reach :data:`MIN_CONTAINMENT` (or, exact
    ones, 100%) go no further.
    """
    slots = _hit_slots(index, query.unique[query.unique >= 0])
    starts, ends = index.posting_offsets[slots], index.posting_offsets[slots + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return [], None
    templates, hits = np.unique(index.posting_templates[_ranges(starts, lengths)], return_counts=True)
    keys = index.keys_per_template[templates]
    passing = templates[(hits >= keys) | (~index.exact[templates] & (hits >= MIN_KEY_SHARE * keys))]
    if not len(passing):
        return [], None
    first, last = index.trigram_offsets[passing], index.trigram_offsets[passing + 1]
    trigrams = index.trigrams[_ranges(first, last - first)]
    slots_in = np.minimum(np.searchsorted(query.unique, trigrams), len(query.unique) - 1)
    sizes = last - first
    numerics = index.numeric_per_template[passing]
    pool = _Pool(
        slots=slots_in,
        found=query.unique[slots_in] == trigrams,
        numeric=query.unique_numeric[slots_in],
        groups=np.concatenate([[0], np.cumsum(sizes)[:-1]]),
        sizes=sizes,
        weighted_sizes=sizes - numerics + NUMERIC_WEIGHT * numerics,
        exact=index.exact[passing],
    )
    possible, bounds = pool.bounds()
    candidates = []
    for number in np.nonzero(possible)[0].tolist():
        template = int(passing[number])
        candidates.append(
            _Candidate(
                template=template,
                size=int(sizes[number]),
                numeric=int(numerics[number]),
                exact=bool(pool.exact[number]),
                length=int(index.token_offsets[template + 1] - index.token_offsets[template]),
                bound=float(bounds[number]),
                pool_index=number,
            )
        )
    return candidates, pool


def _ranges(starts: IntArray, lengths: IntArray) -> IntArray:
    """Indices ``starts[i] .. starts[i] + lengths[i]`` for every ``i``, concatenated."""
    total = int(lengths.sum())
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return np.repeat(starts - offsets, lengths) + np.arange(total)


def _positions(index: LicenseIndex, candidate: _Candidate, query: _Query, query_bytes: bytes) -> IntArray:
    """Where the candidate hits the query: run starts (exact) or positions of shared trigrams."""
    if candidate.exact:
        tokens = index.template_tokens(candidate.template)
        return _runs(query_bytes, tokens.astype("<i4").tobytes())
    trigrams = index.template_trigrams(candidate.template)
    candidate.trigrams = trigrams
    slots_in = np.minimum(np.searchsorted(query.unique, trigrams), len(query.unique) - 1)
    present = np.zeros(len(query.unique), dtype=np.bool_)
    present[slots_in[query.unique[slots_in] == trigrams]] = True
    return np.nonzero(present[query.inverse])[0]


def _hit_slots(index: LicenseIndex, unique: IntArray) -> IntArray:
    slots = np.minimum(np.searchsorted(index.posting_keys, unique), len(index.posting_keys) - 1)
    return slots[index.posting_keys[slots] == unique]


def _runs(haystack: bytes, needle: bytes) -> IntArray:
    """Token positions where ``needle`` (int32 ids) occurs in ``haystack`` as a whole run."""
    found = []
    start = haystack.find(needle)
    while start >= 0:
        if start % 4 == 0:
            found.append(start // 4)
            start = haystack.find(needle, start + 4)
        else:
            start = haystack.find(needle, start + 1)
    return np.array(found, dtype=np.int64)


def _score(candidate: _Candidate, query: _Query, covered: np.ndarray) -> tuple[float, int, int, float] | None:
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
    run = _longest_fitting_window(_densest_run(positions[around], covered), width)
    if len(run) < candidate.size * MIN_CONTAINMENT:
        return None
    candidate.run = run
    return _containment_score(candidate, query, run)


def _containment_score(
    candidate: _Candidate, query: _Query, run: IntArray
) -> tuple[float, int, int, float] | None:
    found = np.nonzero(np.bincount(query.inverse[run]))[0]
    numeric = int(np.count_nonzero(query.unique_numeric[found]))
    matched = len(found) - numeric + NUMERIC_WEIGHT * numeric
    containment = matched / (candidate.size - candidate.numeric + NUMERIC_WEIGHT * candidate.numeric)
    if containment < MIN_CONTAINMENT:
        return None
    return matched * containment, int(run[0]), int(run[-1]) + 3, containment


def _verify(
    candidate: _Candidate, query: _Query, index: LicenseIndex
) -> tuple[float, int, int, float] | None:
    """Rescore on the hits that follow the template's own order (a longest increasing run of
    template offsets): a template built of another plus extra clauses must find those clauses
    where it has them, not in the next license of the file."""
    if candidate.exact or candidate.run is None or candidate.trigrams is None:
        return candidate.scored
    run = candidate.run
    slots = np.searchsorted(candidate.trigrams, query.codes[run])
    offsets = index.template_first_offsets(candidate.template)[slots]
    in_order_hits = run[_increasing(offsets.tolist())]
    if len(in_order_hits) < candidate.size * MIN_CONTAINMENT:
        return None
    return _containment_score(candidate, query, in_order_hits)


def _increasing(values: list[int]) -> list[int]:
    """Indices of one longest strictly increasing subsequence of ``values`` (patience sorting)."""
    tails: list[int] = []  # smallest tail value of an increasing run of each length
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for position, value in enumerate(values):
        length = bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_index.append(position)
        else:
            tails[length] = value
            tail_index[length] = position
        previous[position] = tail_index[length - 1] if length else -1
    chain = []
    position = tail_index[-1] if tail_index else -1
    while position >= 0:
        chain.append(position)
        position = previous[position]
    return chain[::-1]


def _longest_fitting_window(run: IntArray, width: int) -> IntArray:
    """The hits of the ``width``-token window holding the most of them: one copy of a template,
    not two copies of it printed one after the other (each would add the other's hits)."""
    if int(run[-1]) - int(run[0]) < width:
        return run
    ends = np.searchsorted(run, run + width)
    start = int(np.argmax(ends - np.arange(len(run))))
    return run[start : ends[start]]


def _densest_run(positions: IntArray, covered: np.ndarray) -> IntArray:
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
