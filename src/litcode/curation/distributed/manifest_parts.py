"""Manifest rows written by the workers: one Parquet part per batch, streamed into SQLite at the end.

A batch task writes ``.staging/manifest-parts/part-NNNNNN.parquet`` (the batch's
``samples`` rows, DESIGN's columns) after its staged survivors, so a part on disk
means the whole batch is there. :func:`index_parts` then fills the SQLite
``samples`` table from the parts in batch order, many batches per transaction, one
part in memory at a time. ``bench_manifest_rows.py`` measured this layout at 10 M rows.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from litcode.curation.manifest import Manifest
from litcode.curation.manifest_schema import SAMPLE_COLUMNS
from litcode.curation.staging import SurvivorStaging

_INTEGER_COLUMNS = {"seq", "batch_index", "bytes", "stars", "forks", "secrets_redacted", "pii_redacted"}
PART_SCHEMA = pa.schema(
    [
        (column, pa.int64() if column in _INTEGER_COLUMNS else pa.float64() if column == "quality_score"
         else pa.string())
        for column in SAMPLE_COLUMNS
    ]
)  # fmt: skip
#: Rows per SQLite transaction while indexing (about 12 MB of rows; a batch never splits).
ROWS_PER_TRANSACTION = 50_000


class ManifestParts:
    """The per-batch ``samples`` parts beside the staged survivors.

    >>> import tempfile
    >>> parts = ManifestParts(Path(tempfile.mkdtemp()))
    >>> parts.path(7).name
    'part-000007.parquet'
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @classmethod
    def beside(cls, staging: SurvivorStaging) -> ManifestParts:
        return cls(staging.directory / "manifest-parts")

    def path(self, batch_index: int) -> Path:
        return self.directory / f"part-{batch_index:06d}.parquet"

    def write(self, batch_index: int, rows: Sequence[tuple[Any, ...]]) -> None:
        """Write the batch's rows (in :data:`SAMPLE_COLUMNS` order) under a temp name, then move it in."""
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(SAMPLE_COLUMNS)
        table = pa.table(
            [pa.array(values, field.type) for values, field in zip(columns, PART_SCHEMA, strict=True)],
            schema=PART_SCHEMA,
        )
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.path(batch_index)
        temporary = target.with_name(target.name + ".tmp")
        pq.write_table(table, temporary)
        os.replace(temporary, target)

    def read(self, batch_index: int) -> pa.Table:
        return pq.read_table(self.path(batch_index), schema=PART_SCHEMA)


def index_parts(
    manifest: Manifest, parts: ManifestParts, staging: SurvivorStaging, batches: list[int]
) -> int:
    """Insert the rows of every batch in ``batches`` that has none in ``samples`` yet; returns rows added.

    Batches go in order, whole, so a crash leaves each batch indexed or not (a rerun adds the
    rest). An id an earlier batch already holds gets ``#<input position>``, the local run's rule,
    and the batch's part and staged file are rewritten with it before its rows commit.
    """
    indexed = {row[0] for row in manifest.query("SELECT DISTINCT batch_index FROM samples")}
    pending = [batch_index for batch_index in batches if batch_index not in indexed]
    added = 0
    group: list[list[tuple[Any, ...]]] = []
    for position, batch_index in enumerate(pending):
        group.append(_unique_rows(manifest, parts, staging, batch_index, group))
        if sum(map(len, group)) >= ROWS_PER_TRANSACTION or position == len(pending) - 1:
            added += _insert(manifest, [row for rows in group for row in rows])
            group = []
    return added


def _unique_rows(
    manifest: Manifest,
    parts: ManifestParts,
    staging: SurvivorStaging,
    batch_index: int,
    uncommitted: list[list[tuple[Any, ...]]],
) -> list[tuple[Any, ...]]:
    table = parts.read(batch_index)
    ids = table.column("sample_id").to_pylist()
    taken = manifest.existing_ids(ids)
    if uncommitted:  # earlier batches of this transaction, not yet in SQLite
        wanted = set(ids)
        taken.update(row[0] for rows in uncommitted for row in rows if row[0] in wanted)
    if taken:
        renamed = _rename_repeats(ids, table.column("seq").to_pylist(), taken)
        table = table.set_column(0, "sample_id", pa.array([renamed.get(i, i) for i in ids], pa.string()))
        parts.write(batch_index, list(zip(*(column.to_pylist() for column in table.columns), strict=True)))
        _rename_staged(staging, batch_index, renamed)
    return list(zip(*(column.to_pylist() for column in table.columns), strict=True))


def _rename_repeats(ids: list[str], seqs: list[int], taken: set[str]) -> dict[str, str]:
    renamed = {}
    for sample_id, seq in zip(ids, seqs, strict=True):
        if sample_id in taken:
            renamed[sample_id] = f"{sample_id}#{seq}"
    return renamed


def _rename_staged(staging: SurvivorStaging, batch_index: int, renamed: dict[str, str]) -> None:
    table = staging.read(batch_index)
    ids = table.column("sample_id").to_pylist()
    index = table.schema.get_field_index("sample_id")
    table = table.set_column(index, "sample_id", pa.array([renamed.get(i, i) for i in ids], pa.string()))
    temporary = staging.path(batch_index).with_name(staging.path(batch_index).name + ".tmp")
    pq.write_table(table, temporary)
    os.replace(temporary, staging.path(batch_index))


def _insert(manifest: Manifest, rows: list[tuple[Any, ...]]) -> int:
    columns = ",".join(SAMPLE_COLUMNS)
    marks = ",".join("?" * len(SAMPLE_COLUMNS))
    manifest.transaction(
        lambda connection: connection.executemany(f"INSERT INTO samples ({columns}) VALUES ({marks})", rows)
    )
    return len(rows)
