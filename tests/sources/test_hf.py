from __future__ import annotations

import builtins
from pathlib import Path

import pytest

from litcode.sources import ColumnMappingError, HFDatasetSource, SourceError, SourceNotFoundError

from .conftest import STACK_ROWS

datasets = pytest.importorskip("datasets")


@pytest.fixture
def stack_dataset():
    columns = {key: [row[key] for row in STACK_ROWS] for key in STACK_ROWS[0]}
    return datasets.Dataset.from_dict(columns)


def test_dataset_object_rows_are_understood_in_stack_columns(stack_dataset) -> None:
    records = list(HFDatasetSource(stack_dataset))
    assert [(r.sample_id, r.repo, r.path, r.language) for r in records] == [
        ("a1", "octo/math", "src/add.py", "python"),
        ("b2", "rusty/hello", "src/main.rs", "rust"),
    ]
    assert records[0].metadata["stars"] == 120


def test_rows_without_ids_are_numbered_in_order_across_batches() -> None:
    data = datasets.Dataset.from_dict({"text": [f"x = {i}" for i in range(25)]})
    records = list(HFDatasetSource(data, batch_rows=10))
    assert [r.sample_id for r in records] == [f"dataset:{i}" for i in range(25)]
    assert records[24].data == "x = 24"


def test_save_to_disk_folder_is_loaded_and_named_after_the_folder(stack_dataset, tmp_path: Path) -> None:
    stack_dataset.save_to_disk(str(tmp_path / "stack_ds"))
    source = HFDatasetSource(tmp_path / "stack_ds")
    assert (source.name, source.estimated_count()) == ("stack_ds", 2)
    assert [r.sample_id for r in source] == ["a1", "b2"]


def test_dataset_dict_needs_a_split_when_it_has_several(stack_dataset, tmp_path: Path) -> None:
    saved = tmp_path / "dict_ds"
    datasets.DatasetDict({"train": stack_dataset, "test": stack_dataset.select([0])}).save_to_disk(str(saved))
    with pytest.raises(SourceError, match=r"splits \['train', 'test'\]"):
        HFDatasetSource(saved)
    assert [r.sample_id for r in HFDatasetSource(saved, split="test")] == ["a1"]


def test_unknown_split_lists_the_splits(stack_dataset) -> None:
    with pytest.raises(SourceError, match=r"no split 'val'.*\['train'\]"):
        HFDatasetSource(datasets.DatasetDict({"train": stack_dataset}), split="val")


def test_fingerprint_follows_the_dataset_fingerprint(stack_dataset) -> None:
    same = HFDatasetSource(stack_dataset).fingerprint()
    assert HFDatasetSource(stack_dataset).fingerprint() == same
    changed = stack_dataset.map(lambda row: {"content": row["content"] + "\n"})
    assert HFDatasetSource(changed).fingerprint() != same


def test_column_map_naming_a_missing_column_lists_columns(stack_dataset) -> None:
    with pytest.raises(ColumnMappingError, match="'hexsha'"):
        HFDatasetSource(stack_dataset, column_map={"content": "code"})


def test_missing_folder_error_names_it(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match="no_such_ds"):
        HFDatasetSource(tmp_path / "no_such_ds")


def test_missing_datasets_package_gives_an_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def without_datasets(name, *args, **kwargs):
        if name == "datasets":
            raise ImportError("No module named 'datasets'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_datasets)
    with pytest.raises(ImportError, match=r"pip install 'litcode\[hf\]'"):
        HFDatasetSource("anything")
