"""Near-dedup candidates on a cluster: one row per (band key, sample), grouped by key, pairs verified.

The same pairs as the local :func:`litcode.dedup.candidate_pairs`: members of a
bucket are ordered by sample id (the local index ranks rows that way) and linked
by :func:`litcode.dedup.bucket_pairs`; a pair becomes an edge only when its
estimated Jaccard reaches the deduplicator's verification threshold. Each
band row carries its sample's signature, so a bucket verifies its own pairs
without a join (``bands`` x 1 KiB shuffled per sample at 256 permutations).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Set
from typing import Any

import numpy as np
import pyarrow as pa

from litcode.curation.distributed.shuffle import ShuffleSettings, ray_data_context
from litcode.curation.staging import signature_rows
from litcode.dedup import (
    MinHashDeduplicator,
    bucket_pairs,
    estimated_jaccard,
    is_empty_signature,
    signatures_from_bytes,
)

BAND_ROW_SCHEMA = pa.schema(
    [("band_key", pa.uint64()), ("sample_id", pa.string()), ("signature", pa.binary())]
)
EDGE_SCHEMA = pa.schema([("a", pa.string()), ("b", pa.string())])


def verified_edges(
    signatures: Any,
    keep: Set[str] | None,
    deduplicator: MinHashDeduplicator,
    settings: ShuffleSettings | None = None,
) -> Any:
    """A Ray ``Dataset`` of edges ``(a, b)``, ``a < b``, between verified near-duplicate samples.

    ``signatures``: a ``Dataset`` with ``sample_id`` and ``signature`` (uint32
    little-endian bytes, as staged); rows whose id is not in ``keep`` (exact
    duplicates, filtered samples; None keeps every row) or whose signature is empty are left out.
    Edges may repeat when two samples share several bands.
    """
    settings = settings or ShuffleSettings()
    with ray_data_context(settings):
        wanted: Container[str] = _Every() if keep is None else frozenset(keep)
        band_rows = signatures.map_batches(_band_rows(wanted, deduplicator), batch_format="pyarrow")
        buckets = band_rows.groupby("band_key", num_partitions=settings.partitions())
        return buckets.map_groups(_bucket_edges(deduplicator), batch_format="pyarrow").materialize()


class _Every:
    """The container that holds every id (a dataset already narrowed to the rows to band)."""

    def __contains__(self, item: object) -> bool:
        return True


def _band_rows(keep: Container[str], deduplicator: MinHashDeduplicator) -> Callable[[pa.Table], pa.Table]:
    def explode(batch: pa.Table) -> pa.Table:
        ids, rows, matrix = signature_rows(batch, keep)
        if not rows:
            return BAND_ROW_SCHEMA.empty_table()
        present = ~is_empty_signature(matrix)
        matrix = matrix[present]
        ids = [sample_id for sample_id, flag in zip(ids, present.tolist(), strict=True) if flag]
        rows = [row for row, flag in zip(rows, present.tolist(), strict=True) if flag]
        keys = np.atleast_2d(deduplicator.band_keys(matrix)) if ids else np.empty((0, deduplicator.bands))
        bands = keys.shape[1]
        return pa.table(
            {
                "band_key": pa.array(keys.ravel(), pa.uint64()),
                "sample_id": pa.array(np.repeat(np.array(ids, dtype=object), bands), pa.string()),
                "signature": pa.array(np.repeat(np.array(rows, dtype=object), bands), pa.binary()),
            },
            schema=BAND_ROW_SCHEMA,
        )

    return explode


def _bucket_edges(deduplicator: MinHashDeduplicator) -> Callable[[pa.Table], pa.Table]:
    def link(bucket: pa.Table) -> pa.Table:
        if bucket.num_rows < 2:
            return EDGE_SCHEMA.empty_table()
        ordered = bucket.sort_by("sample_id")
        ids = ordered.column("sample_id").to_pylist()
        left, right = bucket_pairs(len(ids))
        if deduplicator.verify:
            matrix = signatures_from_bytes(ordered.column("signature").to_pylist())
            passed = estimated_jaccard(matrix[left], matrix[right]) >= deduplicator.verify_threshold
            left, right = left[passed], right[passed]
        return pa.table(
            {"a": [ids[index] for index in left.tolist()], "b": [ids[index] for index in right.tolist()]},
            schema=EDGE_SCHEMA,
        )

    return link
