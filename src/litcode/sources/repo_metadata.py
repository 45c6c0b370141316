"""Per-repository facts that sit beside a tree of repos: ``repos.jsonl`` / ``repos.csv``.

Each row names a ``repo`` (the top-level folder) and may give ``stars``,
``forks``, ``license`` and anything else; the directory source merges a
repo's row into the metadata of every file in it.
"""

from __future__ import annotations

import contextlib
import csv
import json
from pathlib import Path
from typing import Any

from litcode.sources.base import SourceError

METADATA_FILES = ("repos.csv", "repos.jsonl")  # read in this order: JSONL rows win over CSV rows
_COUNT_COLUMNS = ("stars", "forks")


def load_repo_metadata(root: Path) -> dict[str, dict[str, Any]]:
    """Map repo name -> its metadata row from ``root/repos.jsonl`` and/or ``root/repos.csv``.

    A malformed file raises :class:`SourceError` naming the file and line,
    since silently ignoring it would drop stars/licenses the filters rely on.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "repos.csv").write_text("repo,stars,forks,license\\nalpha,12,3,MIT\\n")
    >>> load_repo_metadata(root)["alpha"]
    {'stars': 12, 'forks': 3, 'license': 'MIT'}
    """
    rows: dict[str, dict[str, Any]] = {}
    for name in METADATA_FILES:
        path = root / name
        if not path.is_file():
            continue
        reader = _read_jsonl if name.endswith(".jsonl") else _read_csv
        for line_number, row in reader(path):
            repo = row.pop("repo", None)
            if not repo:
                raise SourceError(f"{path}: row {line_number} has no 'repo' column value: {row}")
            rows.setdefault(str(repo), {}).update(_clean(row))
    return rows


def _read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise SourceError(f"{path}: invalid JSON at line {line_number}: {error.msg}") from None
            if not isinstance(row, dict):
                raise SourceError(f"{path}: line {line_number} is not a JSON object")
            rows.append((line_number, row))
    return rows


def _read_csv(path: Path) -> list[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or "repo" not in reader.fieldnames:
            raise SourceError(f"{path}: needs a header with a 'repo' column, found {reader.fieldnames}")
        return [(line_number, dict(row)) for line_number, row in enumerate(reader, start=2)]


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """Drop empty cells and turn count columns into ints (CSV gives strings)."""
    cleaned: dict[str, Any] = {}
    for key, value in row.items():
        if key is None or value is None or value == "":
            continue
        if key in _COUNT_COLUMNS and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = int(float(value))
        cleaned[key] = value
    return cleaned
