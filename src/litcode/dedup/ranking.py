"""Which copy survives: one deterministic rule shared by exact and near dedup.

The kept sample of a duplicate group is the one with the highest quality score, then
the most stars (unknown counts as 0), then the first path in sort order, then the
first sample id — so the same inputs keep the same files whatever order they arrive
in or however many workers produced them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from litcode.quality.sample import CodeSample


@dataclass(frozen=True, slots=True)
class DedupEntry:
    """What dedup needs to know about a sample — not its content.

    >>> entry = DedupEntry("a.py", "9f0c", quality_score=0.8, stars=None, path="src/a.py")
    >>> rank_key(entry) < rank_key(DedupEntry("b.py", "9f0c", quality_score=0.5))
    True
    """

    sample_id: str
    content_hash: str
    quality_score: float = 0.0
    stars: int | None = None
    path: str | None = None

    @classmethod
    def from_sample(cls, sample: CodeSample) -> DedupEntry:
        """The entry of a :class:`CodeSample` (an unassessed one ranks as score 0)."""
        return cls(
            sample_id=sample.sample_id,
            content_hash=sample.content_hash,
            quality_score=sample.quality_score or 0.0,
            stars=sample.stars,
            path=sample.path,
        )


def rank_key(entry: DedupEntry) -> tuple[float, int, bool, str, str]:
    """Sort key whose minimum is the sample to keep (see the module docstring).

    >>> best = min([DedupEntry("b", "h", 0.9, 3), DedupEntry("a", "h", 0.9, 7)], key=rank_key)
    >>> best.sample_id
    'a'
    """
    return (
        -entry.quality_score,
        -(entry.stars or 0),
        entry.path is None,
        entry.path or "",
        entry.sample_id,
    )


def choose_kept(
    cluster_of: Mapping[str, int], entries: Mapping[str, DedupEntry]
) -> dict[str, tuple[int, str]]:
    """One kept sample per cluster; returns each dropped id -> (cluster id, kept id).

    ``cluster_of`` maps sample id -> cluster id (as from
    :meth:`MinHashDeduplicator.cluster`); ``entries`` must hold every id in it.

    >>> entries = {i: DedupEntry(i, i, score) for i, score in [("x", 0.2), ("y", 0.7), ("z", 0.1)]}
    >>> choose_kept({"x": 0, "y": 0, "z": 1}, entries)
    {'x': (0, 'y')}
    """
    missing = [sample_id for sample_id in cluster_of if sample_id not in entries]
    if missing:
        raise KeyError(f"no DedupEntry for {len(missing)} clustered sample(s), e.g. {missing[0]!r}")
    members: dict[int, list[DedupEntry]] = {}
    for sample_id, cluster_id in cluster_of.items():
        members.setdefault(cluster_id, []).append(entries[sample_id])
    dropped: dict[str, tuple[int, str]] = {}
    for cluster_id in sorted(members):
        group = sorted(members[cluster_id], key=rank_key)
        for entry in group[1:]:
            dropped[entry.sample_id] = (cluster_id, group[0].sample_id)
    return dropped
