"""Parquet files (The Stack's shards and the like), read one row batch at a time."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from litcode.sources.base import SourceError, SourceRecord
from litcode.sources.column_files import ColumnFileSource
from litcode.sources.columns import ColumnMapping

DEFAULT_BATCH_ROWS = 1024


class ParquetSource(ColumnFileSource):
    """Rows of a Parquet file, or of every ``*.parquet`` under a folder (recursive, sorted).

    Rows are streamed with ``pyarrow.parquet.ParquetFile.iter_batches``, so
    memory holds one batch of ``batch_rows`` rows whatever the file size; a
    corrupt row group yields one ``error`` record per row it held.
    Columns are understood as in :mod:`litcode.sources.columns`; a
    ``column_map`` is checked against every file's schema when the source is
    opened. ``sample_id`` is the ``id``/``hexsha`` column when present, else
    ``"<file>:<row index>"`` (0-based within the file, file relative to the
    folder).

    >>> import tempfile, pyarrow as pa
    >>> path = Path(tempfile.mkdtemp()) / "stack.parquet"
    >>> pq.write_table(pa.table({"content": ["x = 1"], "lang": ["Python"],
    ...                          "max_stars_repo_name": ["a/b"], "max_stars_count": [7]}), path)
    >>> record = next(iter(ParquetSource(path)))
    >>> (record.sample_id, record.repo, record.language, record.metadata["stars"])
    ('stack.parquet:0', 'a/b', 'python', 7)
    """

    kind = "parquet"
    format_name = "Parquet"

    def __init__(
        self,
        path: str | os.PathLike[str],
        column_map: Mapping[str, str] | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
        name: str | None = None,
    ) -> None:
        super().__init__(path, column_map, name)
        self.batch_rows = batch_rows
        self._mappings: dict[Path, ColumnMapping] = {}
        self._rows = 0
        for file in self.files:
            try:
                metadata = pq.read_metadata(file)
            except (OSError, ValueError) as error:
                raise SourceError(f"{file}: not a readable Parquet file ({error})") from None
            try:
                self._mappings[file] = ColumnMapping.resolve(
                    metadata.schema.to_arrow_schema().names, self.column_map
                )
            except SourceError as error:
                raise type(error)(f"{file}: {error}") from None
            self._rows += metadata.num_rows

    def _folder_files(self, folder: Path) -> list[Path]:
        return sorted(p for p in folder.rglob("*.parquet") if p.is_file())

    def _empty_folder_message(self, folder: Path) -> str:
        return f"no *.parquet files under {folder}"

    def __iter__(self) -> Iterator[SourceRecord]:
        for file in self.files:
            yield from self._file_records(file)

    def _file_records(self, file: Path) -> Iterator[SourceRecord]:
        """Rows of one file, row group by row group, so a corrupt group loses only itself.

        Every row of a group that cannot be decoded still yields a record (with
        ``error``), counted from the footer, so the manifest accounts for it.
        """
        label = self._label(file)
        mapping = self._mappings[file]
        parquet_file = pq.ParquetFile(file)
        try:
            index = 0
            for group in range(parquet_file.num_row_groups):
                group_end = index + parquet_file.metadata.row_group(group).num_rows
                try:
                    for batch in parquet_file.iter_batches(batch_size=self.batch_rows, row_groups=[group]):
                        for row in batch.to_pylist():
                            yield mapping.to_record(row, f"{label}:{index}", self.name)
                            index += 1
                except (OSError, pa.ArrowException) as error:
                    message = f"corrupt Parquet row group {group} in {label}: {error}"
                    for lost in range(index, group_end):
                        yield SourceRecord(f"{label}:{lost}", metadata={"source": self.name}, error=message)
                index = group_end
        finally:
            parquet_file.close()

    def estimated_count(self) -> int:
        """Exact, from the files' footers."""
        return self._rows
