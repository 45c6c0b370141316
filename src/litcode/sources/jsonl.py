"""JSON Lines files (plain, ``.gz``, ``.zst``), read one line at a time."""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import zstandard

from litcode.sources.base import SourceError, SourceRecord
from litcode.sources.column_files import ColumnFileSource
from litcode.sources.columns import ColumnMapping

JSONL_SUFFIXES = (
    ".jsonl",
    ".ndjson",
    ".jsonl.gz",
    ".ndjson.gz",
    ".json.gz",
    ".jsonl.zst",
    ".ndjson.zst",
    ".json.zst",
)
_STREAM_ERRORS = (OSError, EOFError, zlib.error, zstandard.ZstdError)


def is_jsonl_file(path: Path) -> bool:
    """True for the file names this source reads (``.json.gz``/``.json.zst`` are JSON Lines, as dumps are)."""
    return path.name.lower().endswith(JSONL_SUFFIXES)


class JsonlSource(ColumnFileSource):
    """Records from a JSON Lines file, or from every JSON Lines file directly in a folder (sorted).

    Each line is one object; its columns are understood as in
    :mod:`litcode.sources.columns` (The Stack's, ``text``, ``code``...) or by
    ``column_map`` (field -> column), checked against the first object when
    the source is opened. ``sample_id`` is the ``id``/``hexsha`` column when
    present, else ``"<file name>:<row index>"`` (0-based line index). A line
    that is not valid JSON becomes a record with ``error`` such as
    ``"invalid JSON at line 17"``; blank lines are not records.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "code.jsonl"
    >>> _ = path.write_text('{"content": "x = 1", "lang": "Python"}\\n{oops\\n')
    >>> [(r.sample_id, r.language) for r in JsonlSource(path)]
    [('code.jsonl:0', 'python'), ('code.jsonl:1', None)]
    >>> print(list(JsonlSource(path))[1].error)
    invalid JSON at line 2 of code.jsonl: Expecting property name enclosed in double quotes (column 2)
    """

    kind = "jsonl"
    format_name = "JSON Lines"

    def __init__(
        self,
        path: str | os.PathLike[str],
        column_map: Mapping[str, str] | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(path, column_map, name)
        self._mappings = {file: self._open_mapping(file) for file in self.files}

    def _folder_files(self, folder: Path) -> list[Path]:
        return sorted(p for p in folder.iterdir() if p.is_file() and is_jsonl_file(p))

    def _empty_folder_message(self, folder: Path) -> str:
        return f"no JSON Lines files ({', '.join(JSONL_SUFFIXES)}) in {folder}"

    def _open_mapping(self, file: Path) -> ColumnMapping | None:
        """Resolve columns from the file's first object now, so a wrong ``column_map`` fails at open."""
        first = next((row for _, row in _objects(file) if isinstance(row, dict)), None)
        if first is None:
            return None  # nothing readable: every line will be reported as it is read
        try:
            return ColumnMapping.resolve(first.keys(), self.column_map)
        except SourceError as error:
            raise type(error)(f"{file}: {error}") from None

    def __iter__(self) -> Iterator[SourceRecord]:
        for file in self.files:
            label = self._label(file)
            mapping = self._mappings[file]
            for index, row in _objects(file):
                fallback_id = f"{label}:{index}"
                if isinstance(row, _Problem):
                    where = f"line {index + 1} of {label}" if row.at_line else f"{label} after line {index}"
                    error = f"{row.what} {where}" + (f": {row.why}" if row.why else "")
                    yield SourceRecord(fallback_id, metadata={"source": self.name}, error=error)
                elif not isinstance(row, dict) or mapping is None:
                    error = f"line {index + 1} of {label} is not a JSON object with a content column"
                    yield SourceRecord(fallback_id, metadata={"source": self.name}, error=error)
                else:
                    yield mapping.to_record(row, fallback_id, self.name)


class _Problem:
    """A line (or the rest of a stream) that could not be parsed."""

    def __init__(self, what: str, at_line: bool = True, why: str | None = None) -> None:
        self.what = what
        self.at_line = at_line
        self.why = why


def _objects(file: Path) -> Iterator[tuple[int, Any]]:
    """(0-based line index, parsed value or :class:`_Problem`) for each non-blank line, streaming."""
    index = -1
    with _open_binary(file) as stream:
        try:
            for index, line in enumerate(stream):
                if not line.strip():
                    continue
                try:
                    yield index, json.loads(line)
                except UnicodeDecodeError as error:
                    yield (
                        index,
                        _Problem("invalid UTF-8 at", why=f"byte 0x{line[error.start]:02x} at {error.start}"),
                    )
                except json.JSONDecodeError as error:
                    yield index, _Problem("invalid JSON at", why=f"{error.msg} (column {error.colno})")
                except ValueError as error:  # e.g. a number too long to convert
                    yield index, _Problem("invalid JSON at", why=str(error))
        except _STREAM_ERRORS as error:
            yield (
                index + 1,
                _Problem(f"corrupt or truncated stream ({type(error).__name__}) in", at_line=False),
            )


@contextmanager
def _open_binary(file: Path) -> Iterator[Iterable[bytes]]:
    """The file as an iterable of byte lines, decompressing ``.gz``/``.zst`` as it streams."""
    name = file.name.lower()
    with open(file, "rb") as raw:
        if name.endswith(".gz"):
            with gzip.GzipFile(fileobj=raw) as stream:
                yield stream
        elif name.endswith(".zst"):
            reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
            with io.BufferedReader(reader) as stream:
                yield stream
        else:
            yield raw
