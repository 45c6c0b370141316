"""``ColumnFileSource``: a file, or a folder of files, whose rows carry named columns.

JSON Lines and Parquet sources differ in how they read rows; what a row's
columns mean (:class:`~litcode.sources.columns.ColumnMapping`), how files are
named in sample ids, and the source's identity are the same, and live here.
"""

from __future__ import annotations

import os
from abc import abstractmethod
from collections.abc import Mapping
from pathlib import Path

from litcode.sources.base import Source, SourceError, SourceNotFoundError
from litcode.sources.columns import ColumnMapping
from litcode.sources.fingerprint import files_fingerprint


class ColumnFileSource(Source):
    """Rows of one file, or of the files a subclass picks in a folder, read through column mappings.

    Subclasses set ``kind`` (the fingerprint's reader name) and ``format_name``
    (for messages), list a folder's files in :meth:`_folder_files`, and fill
    ``_mappings`` (file -> its columns, ``None`` when nothing readable was found).

    >>> import tempfile
    >>> from litcode.sources.jsonl import JsonlSource
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.jsonl").write_text('{"content": "x = 1", "stars": 3}\\n')
    >>> source = JsonlSource(folder)
    >>> (source._label(source.files[0]), source.provides("stars"), source.provides("license"))
    ('a.jsonl', True, False)
    """

    kind: str
    format_name: str
    _mappings: Mapping[Path, ColumnMapping | None]

    def __init__(
        self, path: str | os.PathLike[str], column_map: Mapping[str, str] | None, name: str | None
    ) -> None:
        self.path = Path(path).expanduser().absolute()
        if not self.path.exists():
            raise SourceNotFoundError(f"{self.format_name} source does not exist: {self.path}")
        if self.path.is_dir():
            self.files = self._folder_files(self.path)
            if not self.files:
                raise SourceError(self._empty_folder_message(self.path))
        else:
            self.files = [self.path]
        self.column_map = dict(column_map) if column_map else None
        self.name = name or self.path.name

    @abstractmethod
    def _folder_files(self, folder: Path) -> list[Path]:
        """The files of ``folder`` this source reads, sorted."""

    @abstractmethod
    def _empty_folder_message(self, folder: Path) -> str:
        """The error when ``folder`` holds none of them."""

    def provides(self, field: str) -> bool | None:
        """True when any file has a column for ``field`` (The Stack's names, ``column_map``)."""
        return any(mapping is not None and mapping.has(field) for mapping in self._mappings.values())

    @property
    def location(self) -> str:
        return str(self.path)

    def _label(self, file: Path) -> str:
        """The file's name in sample ids: relative to the folder given, or its own name."""
        return file.name if file == self.path else file.relative_to(self.path).as_posix()

    def fingerprint(self) -> str:
        settings = {"kind": self.kind, "column_map": self.column_map, "name": self.name}
        return files_fingerprint([(self._label(file), file) for file in self.files], settings)
