"""Dedup decisions the workers wrote as Parquet, applied to the SQLite manifest in a streaming pass.

Exact duplicates arrive as ``(sample_id, kept_id)`` rows and become batched UPDATEs.
Near duplicates arrive as ``(sample_id, root)``: the component each clustered sample
is in. Which member a cluster keeps and how clusters are numbered is the local
stage's rule (:func:`litcode.curation.dedup_stage.record_near_duplicates`), here run by
SQLite over the manifest's own scores, stars and paths, so no map of samples is ever
built in Python.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from litcode.curation.manifest import Manifest
from litcode.curation.reasons import DROPPED

#: Rows per UPDATE transaction.
ROWS_PER_TRANSACTION = 65_536

#: :func:`litcode.dedup.rank_key` as an ``ORDER BY`` over ``samples AS s``: best first (highest score,
#: most stars, unknown as 0; a path before none; path, then id, in code-point order, which is
#: SQLite's byte order of UTF-8). ``tests/ray/test_worker_run.py`` checks the two agree.
RANK_ORDER = (
    "COALESCE(s.quality_score, 0.0) DESC, COALESCE(s.stars, 0) DESC, s.path IS NULL, COALESCE(s.path, ''),"
    " s.sample_id"
)


def parquet_batches(directory: Path, columns: list[str]) -> Iterator[pa.RecordBatch]:
    """The record batches of every Parquet file under ``directory`` (none when it does not exist)."""
    for path in sorted(Path(directory).glob("*.parquet")):
        yield from pq.ParquetFile(path).iter_batches(batch_size=ROWS_PER_TRANSACTION, columns=columns)


def apply_exact_duplicates(manifest: Manifest, directory: Path) -> int:
    """Drop each ``sample_id`` as an ``exact_duplicate`` of its ``kept_id``; returns how many."""
    dropped = 0
    for batch in parquet_batches(directory, ["sample_id", "kept_id"]):
        pairs = zip(batch.column("kept_id").to_pylist(), batch.column("sample_id").to_pylist(), strict=True)
        rows = [("exact_duplicate", kept, sample_id) for kept, sample_id in pairs]
        manifest.transaction(
            lambda connection, rows=rows: connection.executemany(  # type: ignore[misc]
                f"UPDATE samples SET decision = '{DROPPED}', reason = ?, duplicate_of = ?"
                " WHERE sample_id = ?",
                rows,
            )
        )
        dropped += len(rows)
    return dropped


def apply_near_clusters(manifest: Manifest, directory: Path) -> int:
    """Number the clusters of ``(sample_id, root)`` rows and drop all but the best of each; returns drops."""
    manifest.transaction(_create_roots)
    for batch in parquet_batches(directory, ["sample_id", "root"]):
        rows = list(zip(batch.column("sample_id").to_pylist(), batch.column("root").to_pylist(), strict=True))
        manifest.transaction(
            lambda connection, rows=rows: connection.executemany(  # type: ignore[misc]
                "INSERT OR IGNORE INTO temp.near_roots VALUES (?, ?)", rows
            )
        )
    return manifest.transaction(_number_clusters)


def _create_roots(connection: sqlite3.Connection) -> None:
    connection.execute("DROP TABLE IF EXISTS temp.near_roots")
    connection.execute("CREATE TEMP TABLE near_roots (sample_id TEXT PRIMARY KEY, root TEXT NOT NULL)")


def _number_clusters(connection: sqlite3.Connection) -> int:
    for statement in _NUMBERING:
        connection.execute(statement)
    cursor = connection.execute(
        f"UPDATE samples SET decision = '{DROPPED}', reason = 'near_duplicate', duplicate_of = c.kept_id"
        " FROM temp.near_ranked AS r JOIN temp.near_numbered AS c ON c.root = r.root"
        " WHERE samples.sample_id = r.sample_id AND r.place > 1"
    )
    dropped = cursor.rowcount
    for table in ("near_roots", "near_ranked", "near_numbered"):
        connection.execute(f"DROP TABLE temp.{table}")
    return dropped


_NUMBERING = (
    "DROP TABLE IF EXISTS temp.near_ranked",
    "DROP TABLE IF EXISTS temp.near_numbered",
    "CREATE TEMP TABLE near_ranked AS"
    f" SELECT r.sample_id, r.root, ROW_NUMBER() OVER (PARTITION BY r.root ORDER BY {RANK_ORDER}) AS place"
    " FROM temp.near_roots AS r JOIN samples AS s ON s.sample_id = r.sample_id",
    "CREATE TEMP TABLE near_numbered AS"
    f" SELECT r.root, r.sample_id AS kept_id, ROW_NUMBER() OVER (ORDER BY {RANK_ORDER}) AS number"
    " FROM temp.near_ranked AS r JOIN samples AS s ON s.sample_id = r.sample_id WHERE r.place = 1",
    "CREATE INDEX temp.near_numbered_by_root ON near_numbered (root)",
    "CREATE INDEX temp.near_ranked_by_id ON near_ranked (sample_id)",
    "UPDATE samples SET cluster_id = c.number"
    " FROM temp.near_ranked AS r JOIN temp.near_numbered AS c ON c.root = r.root"
    " WHERE samples.sample_id = r.sample_id",
)
