"""How table-shaped sources (JSONL, Parquet, datasets) name their columns, The Stack's first.

One :class:`ColumnMapping` turns a row (a dict) into a :class:`SourceRecord`.
Without a ``column_map`` each field takes the first candidate column that
exists, so The Stack (``content``, ``max_stars_repo_name``, ``lang``, ...),
codeparrot (``code``, ``repo_name``) and plain ``text`` files work as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from litcode.quality.languages import normalize_language
from litcode.sources.base import ColumnMappingError, SourceRecord

# Field -> candidate column names, most specific first (The Stack's names lead).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "content": ("content", "text", "code"),
    "path": ("max_stars_repo_path", "path", "file_path"),
    "repo": ("max_stars_repo_name", "repo", "repo_name"),
    "language": ("lang", "language"),
    "stars": ("max_stars_count", "stars"),
    "forks": ("max_forks_count", "forks"),
    "license": ("max_stars_repo_licenses", "license", "licenses"),
    "id": ("id", "hexsha"),
}
FIELDS = tuple(DEFAULT_COLUMNS)


@dataclass(frozen=True)
class ColumnMapping:
    """Resolved field -> column names for one table schema.

    >>> mapping = ColumnMapping.resolve(["content", "lang", "max_stars_repo_name"])
    >>> record = mapping.to_record({"content": "x = 1", "lang": "Python", "max_stars_repo_name": "a/b"},
    ...                            fallback_id="f.jsonl:0", source="f.jsonl")
    >>> (record.sample_id, record.repo, record.language)
    ('f.jsonl:0', 'a/b', 'python')
    """

    columns: Mapping[str, str]

    @classmethod
    def resolve(cls, available: Iterable[str], column_map: Mapping[str, str] | None = None) -> ColumnMapping:
        """Pick a column per field; raise :class:`ColumnMappingError` naming what exists when one is wrong."""
        available = list(available)
        present = set(available)
        column_map = dict(column_map or {})
        unknown_fields = sorted(set(column_map) - set(FIELDS))
        if unknown_fields:
            raise ColumnMappingError(
                f"column_map has unknown field(s) {unknown_fields}; the fields are {list(FIELDS)}"
            )
        missing = {field: column for field, column in column_map.items() if column not in present}
        if missing:
            wanted = ", ".join(f"{field} -> {column!r}" for field, column in missing.items())
            raise ColumnMappingError(
                f"column_map names column(s) that do not exist ({wanted}); the columns are {available}"
            )
        columns: dict[str, str] = {}
        for field, candidates in DEFAULT_COLUMNS.items():
            chosen = column_map.get(field) or next((name for name in candidates if name in present), None)
            if chosen is not None:
                columns[field] = chosen
        if "content" not in columns:
            raise ColumnMappingError(
                f"no content column: expected one of {list(DEFAULT_COLUMNS['content'])} or "
                f"column_map={{'content': ...}}; the columns are {available}"
            )
        return cls(columns)

    def has(self, field: str) -> bool:
        """Whether a column was found for ``field``."""
        return field in self.columns

    def to_record(self, row: Mapping[str, Any], fallback_id: str, source: str) -> SourceRecord:
        """Build the record for one row; a missing or non-text content becomes an ``error``."""
        columns = self.columns
        used = set(columns.values())
        metadata: dict[str, Any] = {key: value for key, value in row.items() if key not in used}
        metadata["source"] = source
        for field in ("stars", "forks", "license"):
            if field in columns and row.get(columns[field]) is not None:
                metadata[field] = row[columns[field]]
        row_id = row.get(columns["id"]) if "id" in columns else None
        sample_id = str(row_id) if row_id not in (None, "") else fallback_id
        language = _text_or_none(row.get(columns["language"])) if "language" in columns else None
        content = row.get(columns["content"])
        error = None
        if not isinstance(content, str):
            kind = "missing" if content is None else f"not text ({type(content).__name__})"
            error = f"content column {columns['content']!r} is {kind} in {fallback_id}"
            content = None
        return SourceRecord(
            sample_id=sample_id,
            path=_text_or_none(row.get(columns["path"])) if "path" in columns else None,
            repo=_text_or_none(row.get(columns["repo"])) if "repo" in columns else None,
            data=content,
            language=normalize_language(language) if language else None,
            metadata=metadata,
            error=error,
        )


def _text_or_none(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)
