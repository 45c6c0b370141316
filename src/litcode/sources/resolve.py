"""``open_source``: turn what a user or a config names (path, list, dataset, None) into a Source."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from litcode.sources.base import Source, SourceError, SourceNotFoundError
from litcode.sources.composite import CompositeSource
from litcode.sources.directory import DirectorySource
from litcode.sources.hf import HFDatasetSource, is_saved_dataset
from litcode.sources.jsonl import JSONL_SUFFIXES, JsonlSource, is_jsonl_file
from litcode.sources.parquet import ParquetSource
from litcode.sources.stdlib import StdlibSource

SourceSpec = Source | str | os.PathLike[str] | Sequence[Any] | None


def open_source(spec: Any) -> Source:
    """The source a spec names.

    - ``None``: :class:`StdlibSource` (the embedded default);
    - a :class:`Source`: itself;
    - a ``datasets.Dataset``/``DatasetDict``: :class:`HFDatasetSource`;
    - a list/tuple: each item opened, chained in a :class:`CompositeSource`
      (one item: that item's source, ids unprefixed);
    - a path to a file: ``*.parquet`` -> :class:`ParquetSource`; ``*.jsonl``,
      ``*.ndjson``, with ``.gz``/``.zst``, and ``*.json.gz``/``*.json.zst``
      -> :class:`JsonlSource`;
    - a path to a folder: a ``save_to_disk`` folder -> :class:`HFDatasetSource`;
      a folder whose visible entries are all ``*.parquet`` files ->
      :class:`ParquetSource`, all JSON Lines files -> :class:`JsonlSource`;
      any other folder -> :class:`DirectorySource` (a tree of repos).

    A path that does not exist raises :class:`SourceNotFoundError` (a
    ``FileNotFoundError``) naming it.

    >>> open_source(None).name.startswith("python")
    True
    """
    if spec is None:
        return StdlibSource()
    if isinstance(spec, Source):
        return spec
    if isinstance(spec, (str, os.PathLike)):
        return _open_path(Path(spec).expanduser())
    if _is_hf_dataset(spec):
        return HFDatasetSource(spec)
    if isinstance(spec, (list, tuple)):
        sources = [open_source(item) for item in spec]
        if not sources:
            raise SourceError("an empty list of sources: name at least one path or source")
        return sources[0] if len(sources) == 1 else CompositeSource(sources)
    raise TypeError(
        f"cannot open a source from {type(spec).__name__}: expected None, a path, a list, "
        "a litcode.sources.Source or a datasets.Dataset"
    )


def _open_path(path: Path) -> Source:
    if not path.exists():
        raise SourceNotFoundError(f"source path does not exist: {path}")
    if path.is_dir():
        if is_saved_dataset(path):
            return HFDatasetSource(path)
        files = [entry for entry in path.iterdir() if not entry.name.startswith(".")]
        if files and all(entry.is_file() and _is_parquet_file(entry) for entry in files):
            return ParquetSource(path)
        if files and all(entry.is_file() and is_jsonl_file(entry) for entry in files):
            return JsonlSource(path)
        return DirectorySource(path)
    if _is_parquet_file(path):
        return ParquetSource(path)
    if is_jsonl_file(path):
        return JsonlSource(path)
    raise SourceError(
        f"unsupported source file {path}: expected a folder, *.parquet, or JSON Lines "
        f"({', '.join(JSONL_SUFFIXES)})"
    )


def _is_parquet_file(path: Path) -> bool:
    return path.name.lower().endswith(".parquet")


def _is_hf_dataset(value: Any) -> bool:
    """Recognise datasets objects without importing ``datasets`` (slow, optional)."""
    return type(value).__module__.split(".")[0] == "datasets"
