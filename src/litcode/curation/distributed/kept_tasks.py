"""``kept/part-NNNNN.parquet`` written by Ray tasks: the same files, rows and order as the driver writes.

The driver asks the manifest only how many rows each batch keeps (one number per
batch) and cuts the run's kept rows into shards of ``rows_per_shard``, exactly where
:func:`~litcode.curation.kept_shards.write_kept_shards` would roll to a new part. Each
task then reads its batches' staged survivors, keeps the ids the manifest keeps and
writes its one part. Tasks read the manifest through a read-only, lock-free
connection, so the WAL is checkpointed into the main file first and nothing writes it
while they run.
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from litcode.curation.config import CurationConfig
from litcode.curation.kept_shards import KeptShardWriter, remove_parts
from litcode.curation.manifest import Manifest
from litcode.curation.reasons import KEPT
from litcode.curation.staging import SurvivorStaging


@dataclass(frozen=True)
class KeptShard:
    """Part ``number``: rows ``[start, stop)`` of each listed batch's kept rows, in staged order."""

    number: int
    pieces: tuple[tuple[int, int, int], ...]


def plan_shards(kept_per_batch: list[tuple[int, int]], rows_per_shard: int) -> list[KeptShard]:
    """Cut ``(batch_index, kept rows)`` (batch order) into parts of ``rows_per_shard`` rows.

    >>> plan_shards([(0, 3), (1, 0), (2, 4)], rows_per_shard=5)
    [KeptShard(number=0, pieces=((0, 0, 3), (2, 0, 2))), KeptShard(number=1, pieces=((2, 2, 4),))]
    >>> plan_shards([], rows_per_shard=5)
    [KeptShard(number=0, pieces=())]
    """
    shards: list[KeptShard] = []
    pieces: list[tuple[int, int, int]] = []
    room = rows_per_shard
    for batch_index, count in kept_per_batch:
        start = 0
        while start < count:
            take = min(room, count - start)
            pieces.append((batch_index, start, start + take))
            start += take
            room -= take
            if room == 0:
                shards.append(KeptShard(len(shards), tuple(pieces)))
                pieces, room = [], rows_per_shard
    if pieces or not shards:
        shards.append(KeptShard(len(shards), tuple(pieces)))
    return shards


def write_kept_shards_on_ray(
    manifest: Manifest, staging: SurvivorStaging, batches: list[int], directory: Path, config: CurationConfig
) -> list[Path]:
    """The Ray twin of :func:`~litcode.curation.kept_shards.write_kept_shards`: same signature, files."""
    from litcode.curation.executors.ray import RayExecutor

    wanted = set(batches)
    counts = [
        (batch_index, count)
        for batch_index, count in manifest.query(
            f"SELECT batch_index, COUNT(*) FROM samples WHERE decision = '{KEPT}'"
            " GROUP BY batch_index ORDER BY batch_index"
        )
        if batch_index in wanted
    ]
    manifest.query("PRAGMA wal_checkpoint(TRUNCATE)")
    work = functools.partial(
        write_kept_shard, str(manifest.path), str(staging.directory), str(directory), config
    )
    runtime = RayExecutor()  # joins the runtime the run's executor started; closing it leaves that running
    paths = [Path(path) for path in runtime.map(work, plan_shards(counts, config.rows_per_shard))]
    remove_parts(directory, keep=paths)
    return paths


def write_kept_shard(
    manifest_path: str, staging_directory: str, directory: str, config: CurationConfig, shard: KeptShard
) -> str:
    """Task: write part ``shard.number`` from the staged batches it covers; returns the part's path."""
    staging = SurvivorStaging(Path(staging_directory))
    # immutable=1: no locks, no WAL (the driver checkpointed it and writes nothing while tasks run).
    connection = sqlite3.connect(f"file:{manifest_path}?immutable=1", uri=True)
    try:
        with KeptShardWriter(
            Path(directory), config.rows_per_shard, config.row_group_size, first_part=shard.number
        ) as writer:
            for batch_index, start, stop in shard.pieces:
                kept = [
                    row[0]
                    for row in connection.execute(
                        f"SELECT sample_id FROM samples WHERE batch_index = ? AND decision = '{KEPT}'",
                        (batch_index,),
                    )
                ]
                table = staging.read(batch_index)
                mask = pc.is_in(table.column("sample_id"), value_set=pa.array(sorted(kept), pa.string()))
                writer.write(table.filter(mask).slice(start, stop - start))
    finally:
        connection.close()
    [path] = writer.paths
    return str(path)
