"""Exact dedup: one kept copy per group of byte-identical files (line endings aside).

Groups by :func:`litcode.quality.sample.content_hash` (xxh3-128 of the content with
CRLF/CR turned into LF). Streaming: it holds, per distinct hash, the best entry so
far and the ids of the others — never any content.
"""

from __future__ import annotations

from collections.abc import Iterable

from litcode.dedup.ranking import DedupEntry, rank_key


class ExactDeduplicator:
    """Finds exact duplicates; the kept one per group follows :func:`rank_key`.

    Feed entries with :meth:`add` (any order, any number of batches) and read
    :meth:`duplicates` at the end, or call :meth:`find_duplicates` on a whole list.

    >>> from litcode.quality.sample import content_hash
    >>> dedup = ExactDeduplicator()
    >>> dedup.find_duplicates([
    ...     DedupEntry("unix.py", content_hash("x = 1\\n"), quality_score=0.4),
    ...     DedupEntry("windows.py", content_hash("x = 1\\r\\n"), quality_score=0.9),
    ... ])
    {'unix.py': 'windows.py'}
    """

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._best: dict[str, DedupEntry] = {}
        self._others: dict[str, list[str]] = {}
        self._seen_ids: set[str] = set()

    def __len__(self) -> int:
        return len(self._seen_ids)

    def add(self, entry: DedupEntry) -> None:
        """Account for one sample; a sample id seen before is an error (ids must be unique)."""
        if entry.sample_id in self._seen_ids:
            raise ValueError(f"sample id {entry.sample_id!r} was added twice; ids must be unique")
        self._seen_ids.add(entry.sample_id)
        best = self._best.get(entry.content_hash)
        if best is None:
            self._best[entry.content_hash] = entry
            return
        loser = entry
        if rank_key(entry) < rank_key(best):
            self._best[entry.content_hash] = entry
            loser = best
        self._others.setdefault(entry.content_hash, []).append(loser.sample_id)

    def add_all(self, entries: Iterable[DedupEntry]) -> None:
        for entry in entries:
            self.add(entry)

    def duplicates(self) -> dict[str, str]:
        """Each duplicate sample id -> the id kept in its place, sorted by duplicate id."""
        pairs = (
            (duplicate, self._best[digest].sample_id)
            for digest, duplicates in self._others.items()
            for duplicate in duplicates
        )
        return dict(sorted(pairs))

    def kept(self) -> dict[str, str]:
        """Content hash -> the sample id kept for it, for every distinct content seen."""
        return {digest: entry.sample_id for digest, entry in self._best.items()}

    def find_duplicates(self, entries: Iterable[DedupEntry]) -> dict[str, str]:
        """The duplicates among ``entries`` alone (resets any earlier state)."""
        self._reset()
        self.add_all(entries)
        return self.duplicates()
