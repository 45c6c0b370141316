"""Curation's kept samples read back as training documents: one per file, or one per repository.

File documents stream a Parquet record batch at a time, in the kept files' order. Repository
documents need every file of a repository together, in path order, while the kept files are in
curation order; so that layout reads the kept columns it needs into one Arrow table (about the
kept text's size in memory, held once) and walks it sorted by repository, then path.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from litcode.data.documents import Document

KEPT_COLUMNS = ["content", "repo", "path", "sample_id", "language"]


def kept_files(curation_dir: Path) -> list[Path]:
    return sorted((Path(curation_dir) / "kept").glob("*.parquet"))


def file_batches(files: list[Path], rows: int) -> Iterator[list[Document]]:
    """One :class:`Document` per kept file, ``rows`` at a time; a sample without a repository is its own."""
    for batch in _kept_batches(files, rows):
        languages = batch.get("language") or [None] * len(batch["content"])
        yield [
            Document.of_file(sample_id, repo, content, language)
            for sample_id, repo, content, language in zip(
                batch["sample_id"], batch["repo"], batch["content"], languages, strict=True
            )
        ]


def repository_batches(files: list[Path], rows: int) -> Iterator[list[Document]]:
    """One :class:`Document` per repository (sorted by name), its files in path order."""
    if not files:
        return
    table = pa.concat_tables(_read_columns(path) for path in files)
    keys = _repo_keys(table.column("repo").to_pylist(), table.column("sample_id").to_pylist())
    paths = [
        path or sample_id
        for path, sample_id in zip(
            table.column("path").to_pylist(), table.column("sample_id").to_pylist(), strict=True
        )
    ]
    order = pc.sort_indices(
        pa.table({"repo": keys, "path": paths}), [("repo", "ascending"), ("path", "ascending")]
    )
    documents: list[Document] = []
    start = files_in_batch = 0
    ordered = order.to_numpy()
    repo_of = np.asarray(keys, dtype=object)[ordered]
    boundaries = [*np.flatnonzero(repo_of[1:] != repo_of[:-1]) + 1, len(ordered)] if len(ordered) else []
    for end in boundaries:
        rows_of_repo = ordered[start:end]
        contents = table.column("content").take(pa.array(rows_of_repo)).to_pylist()
        languages = table.column("language").take(pa.array(rows_of_repo)).to_pylist()
        documents.append(
            Document.of_repository(
                str(repo_of[start]),
                zip([paths[i] for i in rows_of_repo], contents, strict=True),
                _main_language(languages, contents),
            )
        )
        files_in_batch += end - start
        start = end
        if files_in_batch >= rows:
            yield documents
            documents, files_in_batch = [], 0
    if documents:
        yield documents


def train_texts(files: list[Path], rows: int, train_repos: set[str]) -> Iterator[str]:
    """The content of every kept file of the train split: what a BPE vocabulary is learned from."""
    for batch in _kept_batches(files, rows):
        yield from (
            text for text, repo in zip(batch["content"], batch["repo"], strict=True) if repo in train_repos
        )


def all_repos(files: list[Path]) -> set[str]:
    repos: set[str] = set()
    for path in files:
        parquet = pq.ParquetFile(path)
        columns = [name for name in ("repo", "sample_id") if name in parquet.schema_arrow.names]
        for record_batch in parquet.iter_batches(batch_size=65536, columns=columns):
            batch = record_batch.to_pydict()
            rows = record_batch.num_rows
            repos.update(
                _repo_keys(batch.get("repo") or [None] * rows, batch.get("sample_id") or [None] * rows)
            )
    return repos


def average_quality_score(files: list[Path]) -> float:
    """Mean ``quality_score`` of the kept samples (NaN scores count as 0, as before); 0.0 with none."""
    total, count = 0.0, 0
    for path in files:
        parquet = pq.ParquetFile(path)
        count += parquet.metadata.num_rows
        if "quality_score" in parquet.schema_arrow.names:
            scores = (
                parquet.read(columns=["quality_score"]).column("quality_score").to_numpy(zero_copy_only=False)
            )
            total += float(np.nansum(np.asarray(scores, dtype=np.float64)))
    return total / count if count else 0.0


def _kept_batches(files: list[Path], rows: int) -> Iterator[dict[str, list[Any]]]:
    for path in files:
        parquet = pq.ParquetFile(path)
        columns = [name for name in KEPT_COLUMNS if name in parquet.schema_arrow.names]
        for record_batch in parquet.iter_batches(batch_size=rows, columns=columns):
            batch = record_batch.to_pydict()
            n = record_batch.num_rows
            batch.setdefault("sample_id", [""] * n)
            batch["repo"] = _repo_keys(batch.get("repo") or [None] * n, batch["sample_id"])
            yield batch


def _read_columns(path: Path) -> pa.Table:
    parquet = pq.ParquetFile(path)
    names = parquet.schema_arrow.names
    table = parquet.read(columns=[name for name in KEPT_COLUMNS if name in names])
    for name in KEPT_COLUMNS:
        if name not in table.column_names:
            table = table.append_column(name, pa.nulls(table.num_rows, pa.string()))
    return table.select(KEPT_COLUMNS)


def _main_language(languages: list[str | None], contents: list[str]) -> str | None:
    """The language most of a repository's characters are in (ties: the first in path order)."""
    sizes: dict[str | None, int] = {}
    for language, content in zip(languages, contents, strict=True):
        sizes[language] = sizes.get(language, 0) + len(content or "")
    return max(sizes, key=lambda language: sizes[language]) if sizes else None


def _repo_keys(repos: list[Any], sample_ids: list[Any]) -> list[str]:
    return [repo or sample_id or "" for repo, sample_id in zip(repos, sample_ids, strict=True)]
