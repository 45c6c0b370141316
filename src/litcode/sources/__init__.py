"""Readers that feed curation: a tree of repos, JSON Lines, Parquet, HF datasets, the stdlib default.

Every reader yields :class:`SourceRecord` values (raw data plus what the
source knows) and has a :meth:`Source.fingerprint` for caching;
:func:`decode_record` turns a record into a ``CodeSample`` (its typed fields filled) or an
:class:`Undecodable` (a drop reason and its detail);
:func:`open_source` picks the reader for a path, a list or ``None``.
"""

from __future__ import annotations

from litcode.sources.base import ColumnMappingError, Source, SourceError, SourceNotFoundError, SourceRecord
from litcode.sources.columns import DEFAULT_COLUMNS, ColumnMapping
from litcode.sources.composite import CompositeSource
from litcode.sources.decode import Undecodable, decode_bytes, decode_record, record_size
from litcode.sources.directory import DirectorySource
from litcode.sources.hf import HFDatasetSource
from litcode.sources.jsonl import JsonlSource
from litcode.sources.parquet import ParquetSource
from litcode.sources.resolve import SourceSpec, open_source
from litcode.sources.stdlib import StdlibSource

__all__ = [
    "DEFAULT_COLUMNS",
    "ColumnMapping",
    "ColumnMappingError",
    "CompositeSource",
    "DirectorySource",
    "HFDatasetSource",
    "JsonlSource",
    "ParquetSource",
    "Source",
    "SourceError",
    "SourceNotFoundError",
    "SourceRecord",
    "SourceSpec",
    "StdlibSource",
    "Undecodable",
    "decode_bytes",
    "decode_record",
    "open_source",
    "record_size",
]
