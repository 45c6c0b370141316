"""The run's input: the source opened with a clear error, kept apart from the output, read in batches."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from litcode.curation.errors import CurationError
from litcode.sources import Source, SourceError, SourceRecord, open_source


def open_run_source(source: Any) -> Source:
    """The :class:`Source` for what ``curate`` was given, or a :class:`CurationError` saying why not."""
    try:
        return open_source(source)
    except (SourceError, TypeError, ValueError) as error:
        raise CurationError(f"cannot open source {source!r}: {error}") from error


def check_output_outside(source: Source, output: Path) -> None:
    """An output folder inside a directory source would be read back as input on the next run."""
    for part in getattr(source, "sources", [source]):
        root = getattr(part, "root", None)
        if root is not None and output.resolve().is_relative_to(Path(root).resolve()):
            raise CurationError(
                f"output_dir {output} lies inside the source directory {root}: its manifest and shards "
                "would be curated as input. Choose an output_dir outside the source."
            )


def batched(source: Source, size: int) -> Iterator[list[SourceRecord]]:
    """The source's records in lists of ``size`` (the last one shorter), streaming."""
    iterator = iter(source)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
