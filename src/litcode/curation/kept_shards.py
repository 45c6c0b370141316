"""The curated training set: ``kept/part-NNNNN.parquet`` files of the samples that survived dedup."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from litcode.curation.config import CurationConfig
from litcode.curation.manifest import Manifest
from litcode.curation.staging import DEDUP_ONLY_COLUMNS, STAGED_SCHEMA, SurvivorStaging

#: ``stage(manifest, staging, batches, directory, config) -> part paths``: writes ``kept/``.
KeptStage = Callable[[Manifest, SurvivorStaging, list[int], Path, CurationConfig], list[Path]]

# The staged columns less those only dedup needs.
KEPT_SCHEMA = pa.schema([field for field in STAGED_SCHEMA if field.name not in DEDUP_ONLY_COLUMNS])


class KeptShardWriter:
    """Append tables of kept rows; roll to a new part every ``rows_per_shard`` rows.

    Each part is written under ``.part-NNNNN.parquet.tmp`` and moved into place
    only when complete, so readers never see half a file. Row groups hold at
    most ``row_group_size`` rows, which bounds a reader's memory too.

    >>> import tempfile
    >>> directory = Path(tempfile.mkdtemp())
    >>> table = pa.Table.from_pylist([{"sample_id": "a", "content": "x = 1\\n"}], schema=KEPT_SCHEMA)
    >>> with KeptShardWriter(directory, rows_per_shard=10) as writer:
    ...     writer.write(table)
    >>> [path.name for path in writer.paths]
    ['part-00000.parquet']
    """

    def __init__(
        self,
        directory: Path,
        rows_per_shard: int = 50_000,
        row_group_size: int = 1_000,
        *,
        first_part: int = 0,
    ) -> None:
        self.directory = Path(directory)
        self.first_part = first_part  # a writer of one shard among many (a Ray task) starts at its number
        self.rows_per_shard = rows_per_shard
        self.row_group_size = row_group_size
        self.paths: list[Path] = []
        self._writer: pq.ParquetWriter | None = None
        self._rows_in_part = 0

    def __enter__(self) -> KeptShardWriter:
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def write(self, table: pa.Table) -> None:
        table = table.select(KEPT_SCHEMA.names).cast(KEPT_SCHEMA)
        offset = 0
        while offset < table.num_rows:
            if self._writer is None:
                self._open()
            assert self._writer is not None
            take = min(self.rows_per_shard - self._rows_in_part, table.num_rows - offset)
            self._writer.write_table(table.slice(offset, take), row_group_size=self.row_group_size)
            self._rows_in_part += take
            offset += take
            if self._rows_in_part >= self.rows_per_shard:
                self._finish_part()

    def close(self) -> None:
        """Finish the open part; a run with no kept rows gets one empty part, so readers find a schema."""
        if self._writer is None and not self.paths:
            self._open()
        if self._writer is not None:
            self._finish_part()

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
            self._temporary(len(self.paths)).unlink(missing_ok=True)

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(self._temporary(len(self.paths)), KEPT_SCHEMA)
        self._rows_in_part = 0

    def _finish_part(self) -> None:
        assert self._writer is not None
        self._writer.close()
        self._writer = None
        target = self.directory / f"part-{self.first_part + len(self.paths):05d}.parquet"
        os.replace(self._temporary(len(self.paths)), target)
        self.paths.append(target)

    def _temporary(self, index: int) -> Path:
        return self.directory / f".part-{self.first_part + index:05d}.parquet.tmp"


def remove_parts(directory: Path, keep: Iterable[Path] = ()) -> None:
    """Delete part files (and stray temp files) not in ``keep``: a rerun replaces the whole set."""
    if not directory.exists():
        return
    kept = {Path(path).name for path in keep}
    for path in directory.iterdir():
        if path.name not in kept and (path.name.startswith("part-") or path.name.endswith(".tmp")):
            path.unlink()


def write_kept_shards(
    manifest: Manifest, staging: SurvivorStaging, batches: list[int], directory: Path, config: CurationConfig
) -> list[Path]:
    """Copy the staged samples the manifest still keeps into fresh ``part-*.parquet`` files, batch order."""
    with KeptShardWriter(directory, config.rows_per_shard, config.row_group_size) as writer:
        for batch_index in batches:
            table = staging.read(batch_index)
            kept = manifest.kept_ids(batch_index)
            if kept and table.num_rows:
                mask = pc.is_in(table.column("sample_id"), value_set=pa.array(sorted(kept), pa.string()))
                writer.write(table.filter(mask))
    remove_parts(directory, keep=writer.paths)
    return writer.paths
