"""Can the manifest hold 10 M rows with resume? SQLite fed in large batches vs Parquet parts + an index.

Synthetic ``samples`` rows (DESIGN's columns, from :mod:`litcode.curation.manifest_schema`)
in batches of ``--batch-rows``. Each layout is written the way curation writes it —
rows of a batch plus its ``batches`` row in one transaction, or one Parquet part per
batch written atomically — and is interrupted half way: the writer is closed, reopened,
asks which batches are done and writes only the rest. Then the queries curation makes
at the end (counts by decision and reason, one lookup by id) are timed.

* **sqlite** — today's manifest: one SQLite file, ``executemany`` per batch.
* **parquet+index** — workers write ``samples/part-<batch>.parquet``; the driver lists
  the parts to resume; at the end one pass builds the same SQLite ``samples`` table
  from the parts (DESIGN's queryable face).

Run: ``.venv/bin/python benchmarks/bench_manifest_rows.py --rows 10000000``.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from litcode.curation.manifest_schema import SAMPLE_COLUMNS, SCHEMA

REASONS = ("empty", "size", "max_line_length", "low_quality", "exact_duplicate", "near_duplicate")


def batch_rows(batch_index: int, rows: int) -> list[tuple[Any, ...]]:
    """``rows`` plausible rows in :data:`SAMPLE_COLUMNS` order (columns it does not know stay NULL)."""
    first = batch_index * rows
    out = []
    for seq in range(first, first + rows):
        dropped = seq % 3 == 0
        values = {
            "sample_id": f"repo{seq // 50}/pkg/module_{seq}.py", "seq": seq, "batch_index": batch_index,
            "source": "bench", "path": f"pkg/module_{seq}.py", "repo": f"repo{seq // 50}",
            "language": "python", "language_method": "extension", "bytes": 4000 + seq % 997,
            "content_hash": f"{seq * 2654435761 % 2**64:032x}", "quality_score": 0.5 + (seq % 50) / 100,
            "stars": seq % 1000, "forks": seq % 100, "license": "MIT", "frameworks": "[]",
            "decision": "dropped" if dropped else "kept",
            "reason": REASONS[seq % len(REASONS)] if dropped else None, "issues": "[]",
            "secrets_redacted": 0, "pii_redacted": 0, "insecure_rules": "{}", "encoding": "utf-8",
        }  # fmt: skip
        out.append(tuple(values.get(column) for column in SAMPLE_COLUMNS))
    return out


def sqlite_connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.executescript(SCHEMA)
    return connection


INSERT = f"INSERT INTO samples ({', '.join(SAMPLE_COLUMNS)}) VALUES ({', '.join('?' * len(SAMPLE_COLUMNS))})"


def sqlite_write(path: Path, batches: range, rows: int) -> None:
    connection = sqlite_connect(path)
    done = {row[0] for row in connection.execute("SELECT batch_index FROM batches")}
    for batch_index in batches:
        if batch_index in done:
            continue
        with connection:
            connection.executemany(INSERT, batch_rows(batch_index, rows))
            connection.execute(
                "INSERT INTO batches VALUES (?, ?, ?, 0, 0.0, 'now', '[]')",
                (batch_index, batch_index * rows, rows),
            )
    connection.close()


def parquet_write(folder: Path, batches: range, rows: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    done = {int(part.stem.split("-")[1]) for part in folder.glob("part-*.parquet")}
    for batch_index in batches:
        if batch_index in done:
            continue
        table = pa.Table.from_pylist(
            [dict(zip(SAMPLE_COLUMNS, row, strict=True)) for row in batch_rows(batch_index, rows)]
        )
        partial = folder / f".part-{batch_index:06d}.parquet.tmp"
        pq.write_table(table, partial)
        partial.rename(folder / f"part-{batch_index:06d}.parquet")


def parquet_index(folder: Path, path: Path) -> None:
    connection = sqlite_connect(path)
    with connection:
        for part in sorted(folder.glob("part-*.parquet")):
            table = pq.read_table(part)
            columns = [table.column(name).to_pylist() for name in SAMPLE_COLUMNS]
            connection.executemany(INSERT, zip(*columns, strict=True))
    connection.close()


def queries(path: Path) -> tuple[float, int]:
    connection = sqlite3.connect(path)
    start = time.perf_counter()
    total = connection.execute("SELECT COUNT(*) FROM samples").fetchone()[0]
    connection.execute("SELECT decision, reason, COUNT(*) FROM samples GROUP BY decision, reason").fetchall()
    connection.execute("SELECT * FROM samples WHERE sample_id = ?", ("repo7/pkg/module_377.py",)).fetchall()
    seconds = time.perf_counter() - start
    connection.close()
    return seconds, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--batch-rows", type=int, default=50_000)
    args = parser.parse_args()
    batches = max(1, args.rows // args.batch_rows)
    half = range(batches // 2)
    every = range(batches)
    root = Path(tempfile.mkdtemp(prefix="bench_manifest_"))
    try:
        start = time.perf_counter()
        sqlite_write(root / "a.sqlite", half, args.batch_rows)
        sqlite_write(root / "a.sqlite", every, args.batch_rows)  # resumed after the "interruption"
        write_seconds = time.perf_counter() - start
        query_seconds, total = queries(root / "a.sqlite")
        size = (root / "a.sqlite").stat().st_size / 1e9
        print(
            f"sqlite         {total:>10,} rows  write+resume {write_seconds:6.1f} s"
            f" ({total / write_seconds:,.0f} rows/s)"
            f"  end queries {query_seconds:5.2f} s  {size:.2f} GB"
        )

        start = time.perf_counter()
        parquet_write(root / "parts", half, args.batch_rows)
        parquet_write(root / "parts", every, args.batch_rows)
        write_seconds = time.perf_counter() - start
        start = time.perf_counter()
        parquet_index(root / "parts", root / "b.sqlite")
        index_seconds = time.perf_counter() - start
        query_seconds, total = queries(root / "b.sqlite")
        parts = sum(part.stat().st_size for part in (root / "parts").glob("*.parquet")) / 1e9
        print(
            f"parquet+index  {total:>10,} rows  write+resume {write_seconds:6.1f} s"
            f" ({total / write_seconds:,.0f} rows/s)"
            f"  index build {index_seconds:6.1f} s  end queries {query_seconds:5.2f} s  parts {parts:.2f} GB"
        )
        print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
