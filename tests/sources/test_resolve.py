from __future__ import annotations

import json
from pathlib import Path

import pytest

from litcode.sources import (
    CompositeSource,
    DirectorySource,
    HFDatasetSource,
    JsonlSource,
    ParquetSource,
    SourceError,
    SourceNotFoundError,
    StdlibSource,
    open_source,
)

from .conftest import STACK_ROWS, write_jsonl, write_stack_parquet


def test_none_opens_the_stdlib_default() -> None:
    assert isinstance(open_source(None), StdlibSource)


def test_a_source_passes_through(repo_tree: Path) -> None:
    source = DirectorySource(repo_tree)
    assert open_source(source) is source


@pytest.mark.parametrize(
    ("file_name", "kind"),
    [
        ("s.jsonl", JsonlSource),
        ("s.jsonl.gz", JsonlSource),
        ("s.jsonl.zst", JsonlSource),
        ("s.json.gz", JsonlSource),
        ("s.ndjson", JsonlSource),
    ],
)
def test_jsonl_files_open_by_suffix(tmp_path: Path, file_name: str, kind: type) -> None:
    path = write_jsonl(tmp_path / file_name, [json.dumps({"content": "x"})])
    assert isinstance(open_source(str(path)), kind)


def test_parquet_file_opens_as_parquet(stack_parquet: Path) -> None:
    assert isinstance(open_source(stack_parquet), ParquetSource)


def test_folder_of_only_parquet_opens_as_parquet(tmp_path: Path) -> None:
    write_stack_parquet(tmp_path / "a.parquet", STACK_ROWS)
    write_stack_parquet(tmp_path / "b.parquet", STACK_ROWS)
    source = open_source(tmp_path)
    assert isinstance(source, ParquetSource) and len(list(source)) == 4


def test_folder_of_only_jsonl_opens_as_jsonl(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl.gz", [json.dumps({"content": "x"})])
    assert isinstance(open_source(tmp_path), JsonlSource)


def test_folder_of_code_opens_as_a_directory_of_repos(repo_tree: Path) -> None:
    assert isinstance(open_source(repo_tree), DirectorySource)


def test_saved_dataset_folder_opens_as_hf_source(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    datasets.Dataset.from_dict({"content": ["x"]}).save_to_disk(str(tmp_path / "ds"))
    assert isinstance(open_source(tmp_path / "ds"), HFDatasetSource)


def test_dataset_object_opens_as_hf_source() -> None:
    datasets = pytest.importorskip("datasets")
    assert isinstance(open_source(datasets.Dataset.from_dict({"content": ["x"]})), HFDatasetSource)


def test_missing_path_raises_file_not_found_naming_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no/such/corpus") as raised:
        open_source(str(tmp_path / "no" / "such" / "corpus"))
    assert isinstance(raised.value, SourceNotFoundError)


def test_missing_path_inside_a_list_is_named(tmp_path: Path, repo_tree: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"lost\.jsonl"):
        open_source([repo_tree, tmp_path / "lost.jsonl"])


def test_unsupported_file_says_what_is_expected(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hi")
    with pytest.raises(SourceError, match=r"unsupported source file .*notes\.txt.*\.parquet"):
        open_source(path)


def test_unsupported_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="cannot open a source from int"):
        open_source(42)


def test_empty_list_is_rejected() -> None:
    with pytest.raises(SourceError, match="empty list"):
        open_source([])


def test_single_item_list_keeps_ids_unprefixed(repo_tree: Path) -> None:
    source = open_source([repo_tree])
    assert isinstance(source, DirectorySource)


def test_list_of_mixed_sources_prefixes_ids_with_source_names(repo_tree: Path, stack_parquet: Path) -> None:
    source = open_source([repo_tree, stack_parquet])
    assert isinstance(source, CompositeSource)
    ids = [r.sample_id for r in source]
    assert ids[0] == "corpus/alpha/LICENSE" and ids[-2:] == ["stack.parquet/a1", "stack.parquet/b2"]
    assert len(ids) == len(set(ids))


def test_sources_sharing_a_name_get_indexed_labels(tmp_path: Path) -> None:
    for part in ("one", "two"):
        (tmp_path / part / "data").mkdir(parents=True)
        (tmp_path / part / "data" / "a.py").write_text(f"{part} = 1\n")
    source = open_source([tmp_path / "one" / "data", tmp_path / "two" / "data"])
    assert [r.sample_id for r in source] == ["data~0/a.py", "data~1/a.py"]


def test_composite_fingerprint_changes_when_a_member_changes(repo_tree: Path, stack_parquet: Path) -> None:
    before = open_source([repo_tree, stack_parquet]).fingerprint()
    assert open_source([repo_tree, stack_parquet]).fingerprint() == before
    (repo_tree / "beta" / "lib.rs").write_text("pub fn g() {}\n// more\n")
    assert open_source([repo_tree, stack_parquet]).fingerprint() != before


def test_composite_count_sums_known_counts(tmp_path: Path) -> None:
    a = write_stack_parquet(tmp_path / "a.parquet", STACK_ROWS)
    b = write_stack_parquet(tmp_path / "b.parquet", STACK_ROWS[:1])
    assert open_source([a, b]).estimated_count() == 3
    c = write_jsonl(tmp_path / "c.jsonl", [json.dumps({"content": "x"})])
    assert open_source([a, c]).estimated_count() is None
