"""Find which templates a text contains: prefilter by rare trigrams, score by containment, cover greedily.

1. **Prefilter.** The query's unique token trigrams are looked up in the inverted
   index of rare trigrams (:func:`.kernels.known_trigrams`, :func:`.kernels.passing_templates`);
   a template is a candidate only when enough of its rare trigrams occur (all of them
   for an exact template).
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
import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from litcode.scanning.licenses import kernels
from litcode.scanning.licenses.candidate_pool import CandidatePool as _Pool
from litcode.scanning.licenses.candidate_pool import LiveBounds as _LiveBounds
from litcode.scanning.licenses.claim_checks import ClaimChecks, TemplateNames
from litcode.scanning.licenses.dataset import KINDS
from litcode.scanning.licenses.index import (
    IntArray,
    LicenseIndex,
    id_runs,
    license_index,
    numeric_positions,
    trigram_codes,
)
from litcode.scanning.licenses.scoring import (
    MIN_CONTAINMENT,
    NUMERIC_WEIGHT,
    Candidate,
    Query,
    score,
    verify,
)
from litcode.scanning.licenses.verbatim import verbatim_match

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


def find_matches(text: str, index: LicenseIndex | None = None) -> list[LicenseMatch]:
    """Templates found in ``text``, in text order, after greedy covering.

    Lazy greedy: candidates wait in a heap under an upper bound of their score; the top one is
    scored for real (and verified) and pushed back, until the top is a real, current score:
    nothing below can beat it. Claiming text only lowers scores, so an old score stays a valid
    bound, and most candidates of a text are never scored at all.
    """
    index = index or license_index()
    ids = index.encode(text)
    copy = verbatim_match(text, index, ids)
    if copy is not None and _agrees(index, copy.template, ids):
        return [LicenseMatch(copy.expression, 0, len(ids), 1.0, copy.kind)]
    query = query_of(index, ids)
    if not len(query.codes):
        return []
    rows, pool = _candidates(index, query)
    heap = [(-row[5], number) for number, row in enumerate(rows)]
    made: dict[int, Candidate] = {}  # a candidate is built when it is first scored: most never are
    live = _LiveBounds(pool, query) if pool is not None else None
    heapq.heapify(heap)
    covered = np.zeros(len(ids), dtype=np.bool_)
    version = 0
    matches: list[LicenseMatch] = []
    query_bytes = ids.astype("<i4").tobytes()
    uncovered = len(ids)
    while heap:
        negative_bound, number = heapq.heappop(heap)  # one entry per live candidate: its bound
        candidate = made.get(number)
        if (candidate is None or candidate.version != version) and version and rows[number][7] > uncovered:
            continue  # too few positions left unclaimed for it to score at all
        if (candidate is None or candidate.version != version) and version and live is not None:
            bound = live.bound(rows[number][6])  # what claims since left it
            if bound is None:
                continue
            if bound < -negative_bound:
                heapq.heappush(heap, (-bound, number))
                continue
        if candidate is None:
            candidate = made[number] = _make(rows[number])
        if candidate.version != version or not candidate.verified:
            if candidate.positions is None:
                assert pool is not None
                candidate.positions = _positions(index, candidate, query, query_bytes, pool)
            if candidate.version != version:
                candidate.scored = score(candidate, query, covered)
                candidate.verified = candidate.exact
                candidate.version = version
            elif not candidate.verified:
                candidate.scored, candidate.verified = verify(candidate, query, index), True
            if candidate.scored is not None:
                heapq.heappush(heap, (-candidate.scored[0], number))
            continue
        assert candidate.scored is not None
        _, start, end, containment = candidate.scored
        if not _agrees(index, candidate.template, ids[start:end]):
            continue  # names another GNU license than the span: never claims
        if live is not None:
            live.cover(covered, start, end)
        uncovered -= int(np.count_nonzero(~covered[start:end]))
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


# template, size, numeric, exact, length, bound, pool index, and the fewest unclaimed
# positions it can score on (its length if exact, else MIN_CONTAINMENT of its trigrams)
def query_of(index: LicenseIndex, ids: IntArray) -> Query:
    """The trigrams of a text's token ids, as every score reads them."""
    codes = trigram_codes(ids, len(index.vocabulary))
    unique, inverse = np.unique(codes, return_inverse=True)
    inverse = inverse.reshape(-1)
    unique_numeric = np.zeros(len(unique), dtype=np.bool_)
    unique_numeric[inverse] = numeric_positions(ids, index.numeric_tokens)
    return Query(ids, codes, unique, inverse, unique_numeric, np.zeros(len(unique), dtype=np.bool_))


_Row = tuple[int, int, int, bool, int, float, int, int]


def _make(row: _Row) -> Candidate:
    template, size, numeric, exact, length, bound, pool_index, _ = row
    return Candidate(template, size, numeric, exact, length, bound, pool_index=pool_index)


def _candidates(index: LicenseIndex, query: Query) -> tuple[list[_Row], _Pool | None]:
    """Templates sharing enough rare trigrams with the query, each with a bound on its score.

    One compiled pass (:func:`.kernels.gather_pool`) counts, for every passing template, how
    many of its trigrams the query holds anywhere: templates that cannot reach
    :data:`MIN_CONTAINMENT` (or, exact ones, 100%) go no further.
    """
    scratch = _scratch(index)
    query_slots, trigram_ids = kernels.known_trigrams(index.trigram_vocabulary, scratch.table, query.unique)
    passing = kernels.passing_templates(
        index.posting_offsets,
        index.posting_templates,
        trigram_ids,
        index.keys_per_template,
        index.exact,
        scratch.counter,
        MIN_KEY_SHARE,
    )
    if not len(passing):
        return [], None
    first, last = index.trigram_offsets[passing], index.trigram_offsets[passing + 1]
    lookup = scratch.lookup
    lookup[trigram_ids] = query_slots
    try:  # one pass: each template trigram's slot in the query, and what each template holds
        slots, found, numeric, found_count, numeric_count = kernels.gather_pool(
            index.trigram_ids, first, last, lookup, query.unique_numeric
        )
    finally:
        lookup[trigram_ids] = -1
    sizes = last - first
    numerics = index.numeric_per_template[passing]
    pool = _Pool(
        slots=slots,
        found=found,
        numeric=numeric,
        groups=np.concatenate([[0], np.cumsum(sizes)[:-1]]),
        sizes=sizes,
        weighted_sizes=sizes - numerics + NUMERIC_WEIGHT * numerics,
        exact=index.exact[passing],
        found_count=found_count,
        numeric_count=numeric_count,
    )
    possible, bounds = pool.bounds(found_count, numeric_count)
    chosen = np.nonzero(possible)[0]
    templates_chosen = passing[chosen]
    lengths_chosen = index.token_offsets[templates_chosen + 1] - index.token_offsets[templates_chosen]
    needs = np.where(pool.exact[chosen], lengths_chosen, np.ceil(MIN_CONTAINMENT * sizes[chosen]))
    rows = list(  # plain Python values, converted in bulk: thousands of candidates per long text
        zip(
            templates_chosen.tolist(),
            sizes[chosen].tolist(),
            numerics[chosen].tolist(),
            pool.exact[chosen].tolist(),
            lengths_chosen.tolist(),
            bounds[chosen].astype(np.float64).tolist(),
            chosen.tolist(),
            needs.astype(np.int64).tolist(),
            strict=True,
        )
    )
    return rows, pool


def _positions(
    index: LicenseIndex, candidate: Candidate, query: Query, query_bytes: bytes, pool: _Pool
) -> IntArray:
    """Where the candidate hits the query: run starts (exact) or positions of shared trigrams
    (the pool already knows which query slots the candidate's trigrams take)."""
    if candidate.exact:
        tokens = index.template_tokens(candidate.template)
        return np.fromiter(id_runs(query_bytes, tokens.astype("<i4").tobytes()), dtype=np.int64)
    candidate.trigrams = index.template_trigrams(candidate.template)
    first = int(pool.groups[candidate.pool_index])
    entries = slice(first, first + candidate.size)
    hits: IntArray = kernels.hit_positions(
        pool.slots[entries], pool.found[entries], query.inverse, query.seen
    )
    return hits


def _agrees(index: LicenseIndex, template: int, span: IntArray) -> bool:
    checks, names = _claim_checks(index)
    named = names.get(template)
    if named is None:
        named = names[template] = checks.template(index.template_tokens(template).astype(np.int64))
    return checks.agrees(named, span)


_CHECKS: dict[int, tuple[LicenseIndex, ClaimChecks, dict[int, TemplateNames]]] = {}


def _claim_checks(index: LicenseIndex) -> tuple[ClaimChecks, dict[int, TemplateNames]]:
    """The index's claim veto, and what each template names (worked out on first claim)."""
    cached = _CHECKS.get(id(index))
    if cached is None or cached[0] is not index:
        words = [""] * len(index.vocabulary)
        for word, token in index.vocabulary.items():
            words[token] = word
        cached = _CHECKS[id(index)] = (index, ClaimChecks(words), {})
    return cached[1], cached[2]


_SCRATCH = threading.local()


@dataclass(frozen=True)
class _Scratch:
    """One thread's working arrays over one index, kept between queries (each query leaves
    them as it found them), so no query pays for filling arrays the size of the index.

    ``lookup``: per trigram id, its slot in the query (-1); ``counter``: per template, its
    rare trigrams in the query (0); ``table``: the trigram vocabulary's hash table
    (:func:`.kernels.trigram_table`, shared by every thread).
    """

    index: LicenseIndex
    lookup: npt.NDArray[np.int32]
    counter: npt.NDArray[np.int32]
    table: npt.NDArray[np.int32]


_TABLES: dict[int, tuple[LicenseIndex, npt.NDArray[np.int32]]] = {}


def _scratch(index: LicenseIndex) -> _Scratch:
    held: _Scratch | None = getattr(_SCRATCH, "held", None)
    if held is None or held.index is not index:
        table = _TABLES.get(id(index))
        if table is None or table[0] is not index:  # ~10 ms per process and index
            table = _TABLES[id(index)] = (index, kernels.trigram_table(index.trigram_vocabulary))
        held = _SCRATCH.held = _Scratch(
            index,
            np.full(len(index.trigram_vocabulary), -1, dtype=np.int32),
            np.zeros(index.size, dtype=np.int32),
            table[1],
        )
    return held
