"""Exact dedup by hash partitioning: survivors grouped by content hash, one kept per group.

Each group picks its kept sample with :func:`litcode.dedup.rank_key`, the rule the
local :class:`~litcode.dedup.ExactDeduplicator` applies, so both give the same map.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from litcode.curation.distributed.shuffle import ShuffleSettings, ray_data_context
from litcode.dedup import DedupEntry, rank_key

#: Columns of the survivors table (as :meth:`litcode.curation.Manifest.survivors` yields them).
SURVIVOR_COLUMNS = ("sample_id", "content_hash", "quality_score", "stars", "path")
DUPLICATE_SCHEMA = pa.schema([("sample_id", pa.string()), ("kept_id", pa.string())])


def survivors_table(rows: list[tuple[Any, ...]]) -> pa.Table:
    """The survivors' dedup facts as an Arrow table (scores of unscored samples count as 0)."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(SURVIVOR_COLUMNS)
    return pa.table(
        {
            "sample_id": pa.array(columns[0], pa.string()),
            "content_hash": pa.array(columns[1], pa.string()),
            "quality_score": pa.array([score or 0.0 for score in columns[2]], pa.float64()),
            "stars": pa.array(columns[3], pa.int64()),
            "path": pa.array(columns[4], pa.string()),
        }
    )


def exact_duplicates(survivors: Any, settings: ShuffleSettings | None = None) -> dict[str, str]:
    """Duplicate id -> kept id for a Ray ``Dataset`` with :data:`SURVIVOR_COLUMNS`, sorted by duplicate id.

    >>> import ray  # doctest: +SKIP
    >>> table = survivors_table([("a", "h1", 0.5, None, "a"), ("b", "h1", 0.9, None, "b")])  # doctest: +SKIP
    >>> exact_duplicates(ray.data.from_arrow(table))  # doctest: +SKIP
    {'a': 'b'}
    """
    settings = settings or ShuffleSettings()
    pairs: dict[str, str] = {}
    with ray_data_context(settings):
        grouped = survivors.groupby("content_hash", num_partitions=settings.partitions())
        batches = list(
            grouped.map_groups(_group_duplicates, batch_format="pyarrow").iter_batches(batch_format="pyarrow")
        )
    for batch in batches:
        pairs.update(
            zip(batch.column("sample_id").to_pylist(), batch.column("kept_id").to_pylist(), strict=True)
        )
    return dict(sorted(pairs.items()))


def _group_duplicates(group: pa.Table) -> pa.Table:
    if group.num_rows < 2:
        return DUPLICATE_SCHEMA.empty_table()
    entries = sorted(
        (
            DedupEntry(sample_id, digest, quality_score=score, stars=stars, path=path)
            for sample_id, digest, score, stars, path in zip(
                *(group.column(name).to_pylist() for name in SURVIVOR_COLUMNS), strict=True
            )
        ),
        key=rank_key,
    )
    kept = entries[0].sample_id
    return pa.table(
        {"sample_id": [entry.sample_id for entry in entries[1:]], "kept_id": [kept] * (len(entries) - 1)},
        schema=DUPLICATE_SCHEMA,
    )
