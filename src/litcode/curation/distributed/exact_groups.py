"""Exact dedup by hash partitioning: survivors grouped by content hash, one kept per group.

Each group picks its kept sample with :func:`litcode.dedup.rank_key`, the rule the
local :class:`~litcode.dedup.ExactDeduplicator` applies, so both give the same map.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

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

    Collects the whole map here; a run uses :func:`mark_exact_groups`, which leaves it in Ray.

    >>> import ray  # doctest: +SKIP
    >>> table = survivors_table([("a", "h1", 0.5, None, "a"), ("b", "h1", 0.9, None, "b")])  # doctest: +SKIP
    >>> exact_duplicates(ray.data.from_arrow(table))  # doctest: +SKIP
    {'a': 'b'}
    """
    settings = settings or ShuffleSettings()
    pairs: dict[str, str] = {}
    with ray_data_context(settings):
        marked = mark_exact_groups(survivors, settings)
        for batch in marked.map_batches(duplicates_only, batch_format="pyarrow").iter_batches(
            batch_format="pyarrow"
        ):
            pairs.update(
                zip(batch.column("sample_id").to_pylist(), batch.column("kept_id").to_pylist(), strict=True)
            )
    return dict(sorted(pairs.items()))


def mark_exact_groups(survivors: Any, settings: ShuffleSettings) -> Any:
    """Every survivor with ``kept_id`` (null for the one its content group keeps), materialized.

    A ``signature`` column, when present, rides along, so near dedup can go on from the
    rows left without a join. Call inside :func:`ray_data_context`.
    """
    grouped = survivors.groupby("content_hash", num_partitions=settings.partitions())
    return grouped.map_groups(_mark_group, batch_format="pyarrow").materialize()


def duplicates_only(batch: pa.Table) -> pa.Table:
    """``(sample_id, kept_id)`` of the rows :func:`mark_exact_groups` marked as duplicates."""
    return batch.filter(pc.is_valid(batch.column("kept_id"))).select(DUPLICATE_SCHEMA.names)


def unique_only(batch: pa.Table) -> pa.Table:
    """``(sample_id, signature)`` of the rows each content group keeps."""
    return batch.filter(pc.is_null(batch.column("kept_id"))).select(["sample_id", "signature"])


def _mark_group(group: pa.Table) -> pa.Table:
    scores = [score or 0.0 for score in group.column("quality_score").to_pylist()]
    entries = [
        DedupEntry(sample_id, digest, quality_score=score, stars=stars, path=path)
        for sample_id, digest, score, stars, path in zip(
            group.column("sample_id").to_pylist(),
            group.column("content_hash").to_pylist(),
            scores,
            group.column("stars").to_pylist(),
            group.column("path").to_pylist(),
            strict=True,
        )
    ]
    order = sorted(range(len(entries)), key=lambda index: rank_key(entries[index]))
    kept = entries[order[0]].sample_id
    ordered = group.take(pa.array(order, pa.int64()))
    kept_ids = pa.array([None] + [kept] * (len(order) - 1), pa.string())
    columns = {"sample_id": ordered.column("sample_id"), "kept_id": kept_ids}
    if "signature" in group.column_names:
        columns["signature"] = ordered.column("signature")
    return pa.table(columns)
