"""What every reader yields and promises: a stream of raw records plus an identity for caching."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


class SourceError(Exception):
    """A source cannot be opened as asked (bad path, bad column mapping, unsupported file)."""


class SourceNotFoundError(SourceError, FileNotFoundError):
    """The path given as a source does not exist; ``except FileNotFoundError`` catches it too."""


class ColumnMappingError(SourceError, ValueError):
    """A ``column_map`` names a column the data does not have, or no content column can be found."""


@dataclass
class SourceRecord:
    """One input item exactly as the source gave it, before decoding or any judgement.

    ``data`` is raw ``bytes`` for files on disk and ``str`` for text columns
    (JSONL, Parquet, datasets). When the item could not be read, ``data`` is
    ``None`` and ``error`` says why; when the source itself already knows the
    item must be dropped without reading it (a file over ``max_file_bytes``),
    ``skip_reason`` holds the manifest reason (``"size"``) and ``skip_detail`` the
    manifest's detail (``"20971520 bytes > max_bytes 1000000, not read"``). Records are plain
    picklable values, so they can cross process boundaries.

    >>> record = SourceRecord("repo/a.py", path="a.py", repo="repo", data=b"x = 1\\n")
    >>> record.error is None and record.ok
    True
    """

    sample_id: str
    path: str | None = None
    repo: str | None = None
    data: bytes | str | None = None
    language: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    skip_reason: str | None = None
    skip_detail: str | None = None

    @property
    def ok(self) -> bool:
        """True when the record carries data to decode."""
        return self.error is None and self.skip_reason is None and self.data is not None


class Source(ABC):
    """A stream of :class:`SourceRecord` with a stable identity.

    Iterating streams records in a deterministic order with bounded memory and
    never raises for one bad item (that item becomes a record with ``error``).
    :meth:`fingerprint` changes whenever the data may have changed, so caches
    keyed on it are safe to reuse. Sources hold only paths and settings, never
    open handles, so they pickle and can be iterated more than once.

    >>> class Two(Source):
    ...     name = "two"
    ...     def __iter__(self):
    ...         yield SourceRecord("a", data="1")
    ...         yield SourceRecord("b", data="2")
    ...     def fingerprint(self) -> str:
    ...         return "two-v1"
    >>> [record.sample_id for record in Two()]
    ['a', 'b']
    """

    name: str

    @abstractmethod
    def __iter__(self) -> Iterator[SourceRecord]:
        """Yield every record, streaming."""

    @abstractmethod
    def fingerprint(self) -> str:
        """A hex string that changes when the data (or how it is read) changes."""

    def estimated_count(self) -> int | None:
        """How many records iteration will yield, when cheap to know (progress bars); else None."""
        return None

    def provides(self, field: str) -> bool | None:
        """Whether records carry ``field`` (``"stars"``, ``"forks"``, ``"license"``): True, False, or
        None when the source cannot say without reading every record. Curation uses it to name a
        column a rule needs but the source lacks, instead of silently dropping or passing every row.
        """
        return None

    @property
    def location(self) -> str:
        """Where the data is (a path), for messages; the name when it has no path."""
        return self.name

    def with_read_limit(self, max_bytes: int | None) -> Source:
        """This source, reading no item over ``max_bytes`` bytes when it reads files itself.

        ``curate`` calls it with ``CurationConfig.max_bytes`` so that the config's limit is
        the one size limit: a reader that streams files (a tree of repos) skips a larger file
        as ``size`` without loading it; sources of text rows have nothing to skip and return
        themselves.
        """
        return self

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"
