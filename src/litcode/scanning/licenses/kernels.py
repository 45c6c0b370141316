"""The matcher's inner loops, compiled (numba): each replaces a chain of small numpy calls.

A license text is a few hundred tokens and a candidate a few hundred hits, so a score built
of thirty numpy calls costs their call overhead, not their arithmetic; one compiled loop
over the same arrays does it in a tenth of the time. Each kernel here computes exactly what
the numpy code it replaced did (the same ties, the same float sums), which the matcher's
equivalence tests hold it to. Compiled code is cached beside this file (``cache=True``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

# What a query position whose trigram the template lacks costs a run, against 1 for a hit.
MISS_COST = 0.5


@njit(cache=True, nogil=True)
def live_hits(positions: np.ndarray, covered: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """The ``positions`` not ``covered``, in order."""
    live = np.empty(positions.shape[0], np.int64)
    count = 0
    for position in positions:
        if not covered[position]:
            live[count] = position
            count += 1
    return live[:count]


@njit(cache=True, nogil=True)
def _densest_window(
    hits: np.ndarray, low: int, high: int, width: int
) -> tuple[int, int, int]:  # pragma: no cover
    """(count, first, end) of the ``width``-token window over ``hits[low:high]`` holding the
    most of them: the first such window when several tie."""
    best, best_first, best_end, end = -1, low, low, low
    for first in range(low, high):
        limit = hits[first] + width
        while end < high and hits[end] < limit:
            end += 1
        if end - first > best:
            best, best_first, best_end = end - first, first, end
    return best, best_first, best_end


@njit(cache=True, nogil=True)
def dense_run(
    hits: np.ndarray, covered: np.ndarray, width: int, need: int
) -> tuple[int, int, int, int]:  # pragma: no cover - compiled
    """The candidate's span on the uncovered text, as index ranges into its live ``hits``:
    ``(dense_start, dense_end, run_start, run_end)``, or all -1 when it cannot reach ``need``.

    1. The densest ``width``-token window bounds any span: below ``need`` hits, stop.
    2. Around it, the segment with the most hits net of misses (a maximum-sum subarray:
       a hit +1, a miss -``MISS_COST``, a covered position ends the segment) is ``dense``.
    3. Within ``dense``, the densest ``width``-token window is ``run``: one copy of the
       template, not two printed one after the other.
    """
    count = hits.shape[0]
    if count == 0 or count < need:
        return -1, -1, -1, -1
    best, best_first, best_end = _densest_window(hits, 0, count, width)
    if best < need:
        return -1, -1, -1, -1
    around_start = np.searchsorted(hits, hits[best_first] - width)
    around_end = np.searchsorted(hits, hits[best_end - 1] + width)
    first = hits[around_start]
    span = hits[around_end - 1] + 1 - first
    total, lowest, lowest_at = 0.0, 0.0, 0
    best_sum, segment_start, segment_end = -np.inf, 0, 0
    hit = around_start
    for offset in range(span):
        if total < lowest:
            lowest, lowest_at = total, offset
        if hit < around_end and hits[hit] == first + offset:
            total += 1.0
            hit += 1
        elif covered[first + offset]:
            total -= float(span)
        else:
            total -= MISS_COST
        if total - lowest > best_sum:
            best_sum, segment_start, segment_end = total - lowest, lowest_at, offset + 1
    dense_start = np.searchsorted(hits, first + segment_start)
    dense_end = np.searchsorted(hits, first + segment_end)
    if hits[dense_end - 1] - hits[dense_start] < width:
        return dense_start, dense_end, dense_start, dense_end
    _, run_start, run_end = _densest_window(hits, dense_start, dense_end, width)
    return dense_start, dense_end, run_start, run_end


@njit(cache=True, nogil=True)
def found_trigrams(
    inverse: np.ndarray, numeric: np.ndarray, hits: np.ndarray, seen: np.ndarray
) -> tuple[int, int]:  # pragma: no cover - compiled
    """(distinct trigrams, of which numeric) at query positions ``hits``; ``seen`` is a
    scratch mask over the query's unique trigrams, all False, and left so."""
    found = 0
    numeric_found = 0
    for position in hits:
        slot = inverse[position]
        if not seen[slot]:
            seen[slot] = True
            found += 1
            if numeric[slot]:
                numeric_found += 1
    for position in hits:
        seen[inverse[position]] = False
    return found, numeric_found


@njit(cache=True, nogil=True)
def aligned_offsets(
    order: np.ndarray,
    sorted_codes: np.ndarray,
    rank: np.ndarray,
    keyed: np.ndarray,
    codes: np.ndarray,
    positions: np.ndarray,
) -> np.ndarray:  # pragma: no cover - compiled
    """For each hit (its trigram ``codes`` at query ``positions``), the template offset it copies
    (the template's layout: :class:`~.scoring.TemplateLayout`; every hit's trigram is in it).

    A trigram the template holds once has one offset. One it repeats ("the License", "of this
    License") takes the occurrence nearest where the text stands against the template there:
    the shift of the closest earlier hit that has one offset (before the first such hit, of the
    first). Taking the first occurrence instead makes every later repeat fall back, and the
    in-order run then drops hits a copy holds.
    """
    count = codes.shape[0]
    size = order.shape[0]
    first = np.searchsorted(sorted_codes, codes, "left")
    last = np.searchsorted(sorted_codes, codes, "right")
    offsets = np.empty(count, np.int64)
    first_single = -1
    for hit in range(count):
        offsets[hit] = order[min(first[hit], size - 1)]
        if first_single < 0 and last[hit] - first[hit] <= 1:
            first_single = hit
    if first_single < 0:
        return offsets
    span = size + 1
    nearest = first_single
    for hit in range(count):
        low, high = first[hit], last[hit] - 1
        if high - low < 1:  # held once: its offset stands, and sets the shift for what follows
            nearest = hit
            continue
        expected = positions[hit] + offsets[nearest] - positions[nearest]
        wanted = rank[low] * span + min(max(expected, 0), span - 1)
        after = min(max(np.searchsorted(keyed, wanted), low), high)
        before = min(max(after - 1, low), high)
        if abs(order[before] - expected) <= abs(order[after] - expected):
            offsets[hit] = order[before]
        else:
            offsets[hit] = order[after]
    return offsets


@njit(cache=True, nogil=True)
def increasing(values: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """Indices of one longest strictly increasing subsequence of ``values`` (patience sorting:
    each value replaces the first tail not below it; the run is read back from the last tail)."""
    count = values.shape[0]
    tails = np.empty(count, values.dtype)
    tail_index = np.empty(count, np.int64)
    previous = np.full(count, -1, np.int64)
    length = 0
    for position in range(count):
        value = values[position]
        if length == 0 or value > tails[length - 1]:
            slot = length
        else:
            slot = np.searchsorted(tails[:length], value, "left")
        tails[slot] = value
        tail_index[slot] = position
        if slot > 0:
            previous[position] = tail_index[slot - 1]
        if slot == length:
            length += 1
    chain = np.empty(length, np.int64)
    position = tail_index[length - 1] if length else -1
    for step in range(length - 1, -1, -1):
        chain[step] = position
        position = previous[position]
    return chain


@njit(cache=True, nogil=True)
def hit_positions(
    slots: np.ndarray, found: np.ndarray, inverse: np.ndarray, seen: np.ndarray
) -> np.ndarray:  # pragma: no cover - compiled
    """Query positions whose trigram is one of a candidate's (its pool entries ``slots``, those
    ``found`` in the query); ``seen`` is a scratch mask over the query's unique trigrams."""
    for entry in range(slots.shape[0]):
        if found[entry]:
            seen[slots[entry]] = True
    hits = np.empty(inverse.shape[0], np.int64)
    count = 0
    for position in range(inverse.shape[0]):
        if seen[inverse[position]]:
            hits[count] = position
            count += 1
    for entry in range(slots.shape[0]):
        seen[slots[entry]] = False
    return hits[:count].copy()


@njit(cache=True, nogil=True)
def gather_pool(
    template_trigrams: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    lookup: np.ndarray,
    unique_numeric: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Every candidate's trigrams (``template_trigrams[starts[i]:ends[i]]``) looked up in the
    query (``lookup``: trigram id -> query slot, or -1), in one pass.

    Returns per entry its slot (0 when absent), whether the query holds it and whether it
    holds a number; and per candidate how many it holds, and of those how many numeric.
    """
    total = 0
    for group in range(starts.shape[0]):
        total += ends[group] - starts[group]
    slots = np.zeros(total, np.int32)
    found = np.zeros(total, np.bool_)
    numeric = np.zeros(total, np.bool_)
    found_count = np.zeros(starts.shape[0], np.int64)
    numeric_count = np.zeros(starts.shape[0], np.int64)
    entry = 0
    for group in range(starts.shape[0]):
        for trigram in range(starts[group], ends[group]):
            slot = lookup[template_trigrams[trigram]]
            if slot >= 0:
                slots[entry] = slot
                found[entry] = True
                found_count[group] += 1
                if unique_numeric[slot]:
                    numeric[entry] = True
                    numeric_count[group] += 1
            entry += 1
    return slots, found, numeric, found_count, numeric_count


@njit(cache=True, nogil=True)
def holders_by_slot(
    slots: np.ndarray, found: np.ndarray, numeric: np.ndarray, sizes: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Per query slot, the candidates holding its trigram (a counting sort of the pool's found
    entries by slot): ``(holders, holds_numeric, slot_starts)``, slot ``s``'s holders being
    ``holders[slot_starts[s]:slot_starts[s + 1]]``."""
    slot_starts = np.zeros(width + 1, np.int64)
    for entry in range(slots.shape[0]):
        if found[entry]:
            slot_starts[slots[entry] + 1] += 1
    for slot in range(width):
        slot_starts[slot + 1] += slot_starts[slot]
    cursor = slot_starts[:-1].copy()
    holders = np.empty(slot_starts[width], np.int32)
    holds_numeric = np.empty(slot_starts[width], np.bool_)
    entry = 0
    for group in range(sizes.shape[0]):
        for _ in range(sizes[group]):
            if found[entry]:
                slot = slots[entry]
                holders[cursor[slot]] = group
                holds_numeric[cursor[slot]] = numeric[entry]
                cursor[slot] += 1
            entry += 1
    return holders, holds_numeric, slot_starts


@njit(cache=True, nogil=True)
def cover_span(
    covered: np.ndarray,
    start: int,
    end: int,
    inverse: np.ndarray,
    live: np.ndarray,
    holders: np.ndarray,
    holds_numeric: np.ndarray,
    slot_starts: np.ndarray,
    found_count: np.ndarray,
    numeric_count: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Take the uncovered positions of ``[start, end)`` off ``live`` (occurrences per query
    slot); a slot left with none is taken off the counts of the candidates holding it."""
    for position in range(start, min(end, inverse.shape[0])):
        if covered[position]:
            continue
        slot = inverse[position]
        live[slot] -= 1
        if live[slot] > 0:
            continue
        for place in range(slot_starts[slot], slot_starts[slot + 1]):
            found_count[holders[place]] -= 1
            if holds_numeric[place]:
                numeric_count[holders[place]] -= 1


# Fibonacci hashing: the top bits of code x 2^64/phi spread consecutive codes over the table.
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True, nogil=True)
def trigram_table(vocabulary: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """An open-addressing hash table over ``vocabulary`` (at most half full): each slot
    holds a vocabulary index + 1, or 0 when empty."""
    bits = 1
    while (1 << bits) < 2 * vocabulary.shape[0]:
        bits += 1
    table = np.zeros(1 << bits, np.int32)
    mask = np.int64((1 << bits) - 1)
    shift = np.uint64(64 - bits)
    for at in range(vocabulary.shape[0]):
        slot = np.int64((np.uint64(vocabulary[at]) * _GOLDEN) >> shift)
        while table[slot] != 0:
            slot = (slot + np.int64(1)) & mask
        table[slot] = at + 1
    return table


@njit(cache=True, nogil=True)
def known_trigrams(
    vocabulary: np.ndarray, table: np.ndarray, unique: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """(slots in ``unique``, ids in ``vocabulary``) of the query trigrams some template holds,
    looked up in ``vocabulary``'s :func:`trigram_table`."""
    slots = np.empty(unique.shape[0], np.int64)
    ids = np.empty(unique.shape[0], np.int64)
    count = 0
    mask = np.int64(table.shape[0] - 1)
    bits = 0
    while (1 << bits) < table.shape[0]:
        bits += 1
    shift = np.uint64(64 - bits)
    for slot in range(unique.shape[0]):
        code = unique[slot]
        if code < 0:
            continue
        place = np.int64((np.uint64(code) * _GOLDEN) >> shift)
        while table[place] != 0:
            at = np.int64(table[place]) - 1
            if vocabulary[at] == code:
                slots[count] = slot
                ids[count] = at
                count += 1
                break
            place = (place + np.int64(1)) & mask
    return slots[:count].copy(), ids[:count].copy()


@njit(cache=True, nogil=True)
def passing_templates(
    posting_offsets: np.ndarray,
    posting_templates: np.ndarray,
    trigram_ids: np.ndarray,
    keys: np.ndarray,
    exact: np.ndarray,
    counter: np.ndarray,
    min_share: float,
) -> np.ndarray:  # pragma: no cover - compiled
    """Templates (ascending) holding enough of their rare trigrams among ``trigram_ids``: all
    ``keys`` of an exact one, ``min_share`` of any other. ``counter`` is a scratch count per
    template, all zero, and left so."""
    total = 0
    for trigram in trigram_ids:
        total += posting_offsets[trigram + 1] - posting_offsets[trigram]
    touched = np.empty(total, np.int64)
    touched_count = 0
    for trigram in trigram_ids:
        for posting in range(posting_offsets[trigram], posting_offsets[trigram + 1]):
            template = posting_templates[posting]
            if counter[template] == 0:
                touched[touched_count] = template
                touched_count += 1
            counter[template] += 1
    passing = np.empty(touched_count, np.int64)
    passing_count = 0
    for position in range(touched_count):
        template = touched[position]
        hits = counter[template]
        if hits >= keys[template] or (not exact[template] and hits >= min_share * keys[template]):
            passing[passing_count] = template
            passing_count += 1
        counter[template] = 0
    return np.sort(passing[:passing_count])
