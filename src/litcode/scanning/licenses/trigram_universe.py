"""Every distinct template trigram numbered once, so a query's trigrams are looked up by gather.

Which of the candidates' trigrams (thousands per template, millions in a pool of a long text)
the query holds was a binary search of each in the query's sorted trigrams. Numbering the
index's trigrams once per process (about a second, with the index load) turns that into one
search of the query's few trigrams in the universe and one gather per pool entry: a scratch
table, universe-sized, holds each query trigram's slot while the pool is read.
"""

from __future__ import annotations

import threading

import numpy as np
import numpy.typing as npt

from litcode.scanning.licenses.index import IntArray, LicenseIndex


class TrigramUniverse:
    """The index's distinct trigrams (``codes``, sorted) and each template trigram's number."""

    def __init__(self, index: LicenseIndex) -> None:
        codes, numbers = np.unique(index.trigrams, return_inverse=True)
        self.codes: IntArray = codes
        self.numbers: npt.NDArray[np.int32] = numbers.reshape(-1).astype(np.int32)
        self._scratch = threading.local()  # one table per thread: lookups may run concurrently

    def slots(self, query_unique: IntArray, entries: IntArray) -> tuple[npt.NDArray[np.int32], np.ndarray]:
        """(slot in ``query_unique``, found) per template trigram ``entries``: the slot is 0
        where the query lacks the trigram (every reader masks it with ``found``)."""
        table = getattr(self._scratch, "table", None)
        if table is None:
            table = self._scratch.table = np.full(len(self.codes), -1, dtype=np.int32)
        if not len(self.codes):
            return np.zeros(len(entries), dtype=np.int32), np.zeros(len(entries), dtype=np.bool_)
        where = np.minimum(np.searchsorted(self.codes, query_unique), len(self.codes) - 1)
        known = self.codes[where] == query_unique
        numbers = where[known]
        table[numbers] = np.nonzero(known)[0]
        try:
            slots = table[self.numbers[entries]]
        finally:
            table[numbers] = -1
        found = slots >= 0
        slots[~found] = 0
        return slots, found


_UNIVERSES: dict[int, tuple[LicenseIndex, TrigramUniverse]] = {}
_LOCK = threading.Lock()


def trigram_universe(index: LicenseIndex) -> TrigramUniverse:
    """The universe of ``index``, built on its first use and kept while it is the current one."""
    kept = _UNIVERSES.get(id(index))
    if kept is not None and kept[0] is index:
        return kept[1]
    with _LOCK:
        kept = _UNIVERSES.get(id(index))
        if kept is None or kept[0] is not index:
            if len(_UNIVERSES) >= 2:  # the process's index and, at most, one a test built
                _UNIVERSES.clear()
            kept = _UNIVERSES[id(index)] = (index, TrigramUniverse(index))
    return kept[1]
