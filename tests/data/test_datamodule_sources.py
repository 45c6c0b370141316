"""Each kind of source, on small real data, served as packed batches split by repository."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import torch

from litcode.data import CodeDataModule


def write_jsonl(rows: list[dict[str, Any]], path: Path) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return path


def make_source(kind: str, tmp_path: Path, repo_tree: Path, rows: list[dict[str, Any]]) -> Any:
    if kind == "directory":
        return repo_tree
    if kind == "jsonl":
        return write_jsonl(rows, tmp_path / "stack.jsonl")
    if kind == "jsonl.gz":
        return write_jsonl(rows, tmp_path / "stack.jsonl.gz")
    if kind == "parquet":
        pq.write_table(pa.Table.from_pylist(rows), tmp_path / "stack.parquet")
        return tmp_path / "stack.parquet"
    if kind == "datasets":
        datasets = pytest.importorskip("datasets")
        return datasets.Dataset.from_list(rows)
    if kind == "datasets-on-disk":
        datasets = pytest.importorskip("datasets")
        datasets.Dataset.from_list(rows).save_to_disk(str(tmp_path / "saved"))
        return tmp_path / "saved"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "repo_prefix"),
    [
        ("directory", ""),
        ("jsonl", "python/"),
        ("jsonl.gz", "python/"),
        ("parquet", "python/"),
        ("datasets", "python/"),
        ("datasets-on-disk", "python/"),
    ],
)
def test_source_kind_is_served_as_batches_split_by_repository(
    kind: str, repo_prefix: str, tmp_path: Path, repo_tree: Path, stack_rows, repo_names, curation_config
) -> None:
    source = make_source(kind, tmp_path, repo_tree, stack_rows)
    dm = CodeDataModule(
        source=source,
        cache_dir=tmp_path / "cache",
        seq_len=32,
        batch_size=4,
        val_fraction=0.25,
        curation=curation_config,
        curation_workers=0,
    )
    dm.prepare_data()
    dm.setup("fit")

    batch = next(iter(dm.train_dataloader()))
    assert batch["input_ids"].shape == batch["labels"].shape == (4, 32)
    assert batch["input_ids"].dtype == batch["labels"].dtype == torch.long
    assert torch.equal(batch["labels"][:, :-1], batch["input_ids"][:, 1:])
    assert dm.split_repos["train"] | dm.split_repos["val"] == {repo_prefix + name for name in repo_names}
    assert dm.split_repos["train"].isdisjoint(dm.split_repos["val"])
    assert len(dm.val_dataloader()) > 0


def test_parquet_with_a_column_mapping_is_served(tmp_path, stack_rows, curation_config) -> None:
    from litcode.sources import ParquetSource

    rows = [{"source_code": row["content"], "project": row["max_stars_repo_name"]} for row in stack_rows]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "custom.parquet")
    source = ParquetSource(
        tmp_path / "custom.parquet", column_map={"content": "source_code", "repo": "project"}
    )
    dm = CodeDataModule(
        source=source, cache_dir=tmp_path / "cache", seq_len=32, curation=curation_config, curation_workers=0
    )
    dm.prepare_data()
    dm.setup("fit")
    assert dm.split_repos["train"] | dm.split_repos["val"] == {row["project"] for row in rows}
