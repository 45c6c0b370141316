from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from litcode.sources import ColumnMappingError, ParquetSource, SourceError, SourceNotFoundError

from .conftest import STACK_ROWS, write_stack_parquet


def test_stack_schema_is_understood_without_a_mapping(stack_parquet: Path) -> None:
    records = list(ParquetSource(stack_parquet))
    assert [(r.sample_id, r.repo, r.path, r.language, r.data) for r in records] == [
        ("a1", "octo/math", "src/add.py", "python", STACK_ROWS[0]["content"]),
        ("b2", "rusty/hello", "src/main.rs", "rust", STACK_ROWS[1]["content"]),
    ]
    assert records[0].metadata == {
        "stars": 120,
        "forks": 7,
        "license": ["MIT"],
        "size": 33,
        "source": "stack.parquet",
    }


def test_rows_without_id_column_get_file_and_row_index_ids(tmp_path: Path) -> None:
    rows = [{"content": "a"}, {"content": "b"}]
    path = write_stack_parquet(tmp_path / "plain.parquet", rows)
    assert [r.sample_id for r in ParquetSource(path)] == ["plain.parquet:0", "plain.parquet:1"]


def test_many_row_groups_are_read_one_batch_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [{"content": f"x = {i}\n", "lang": "Python"} for i in range(1000)]
    path = write_stack_parquet(tmp_path / "big.parquet", rows, row_group_size=100)
    assert pq.ParquetFile(path).num_row_groups == 10
    batches_pulled = []
    real_iter_batches = pq.ParquetFile.iter_batches

    def counting_iter_batches(self, *args, **kwargs):
        for batch in real_iter_batches(self, *args, **kwargs):
            batches_pulled.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", counting_iter_batches)
    iterator = iter(ParquetSource(path, batch_rows=100))
    first_150 = [next(iterator) for _ in range(150)]
    assert batches_pulled == [100, 100]
    assert first_150[-1].data == "x = 149\n"
    assert sum(1 for _ in iterator) == 850
    assert len(batches_pulled) == 10


def test_corrupt_row_group_yields_an_error_record_per_lost_row_and_reading_goes_on(tmp_path: Path) -> None:
    rows = [{"content": f"x = {i}\n" * 20} for i in range(3000)]
    path = write_stack_parquet(tmp_path / "c.parquet", rows, row_group_size=500)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 2000] = b"\xab" * 2000
    path.write_bytes(bytes(data))
    records = list(ParquetSource(path))
    assert [r.sample_id for r in records] == [f"c.parquet:{i}" for i in range(3000)]
    broken = [r for r in records if r.error is not None]
    assert broken and all(r.error.startswith("corrupt Parquet row group") for r in broken)
    assert records[-1].error is None and records[-1].data == rows[-1]["content"]


def test_estimated_count_comes_from_the_footer(tmp_path: Path) -> None:
    path = write_stack_parquet(tmp_path / "n.parquet", [{"content": str(i)} for i in range(37)])
    assert ParquetSource(path).estimated_count() == 37


def test_column_map_naming_a_missing_column_lists_the_columns(stack_parquet: Path) -> None:
    with pytest.raises(ColumnMappingError, match=r"language -> 'language_name'.*'max_stars_repo_name'"):
        ParquetSource(stack_parquet, column_map={"language": "language_name"})


def test_column_map_with_unknown_field_is_rejected(stack_parquet: Path) -> None:
    with pytest.raises(ColumnMappingError, match="unknown field"):
        ParquetSource(stack_parquet, column_map={"body": "content"})


def test_column_map_overrides_the_default_choice(tmp_path: Path) -> None:
    path = write_stack_parquet(tmp_path / "two.parquet", [{"content": "raw", "clean": "tidy"}])
    [record] = ParquetSource(path, column_map={"content": "clean"})
    assert record.data == "tidy" and record.metadata["content"] == "raw"


def test_folder_of_parquet_files_is_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "part=1").mkdir()
    write_stack_parquet(tmp_path / "part=1" / "a.parquet", [{"content": "1"}])
    write_stack_parquet(tmp_path / "a.parquet", [{"content": "0"}])
    assert [r.sample_id for r in ParquetSource(tmp_path)] == ["a.parquet:0", "part=1/a.parquet:0"]


def test_not_a_parquet_file_fails_at_open_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "fake.parquet"
    path.write_text("not parquet")
    with pytest.raises(SourceError, match=r"fake\.parquet: not a readable Parquet file"):
        ParquetSource(path)


def test_fingerprint_stable_then_changes_with_the_file(tmp_path: Path) -> None:
    path = write_stack_parquet(tmp_path / "f.parquet", [{"content": "a"}])
    before = ParquetSource(path).fingerprint()
    assert ParquetSource(path).fingerprint() == before
    write_stack_parquet(path, [{"content": "a"}, {"content": "b"}])
    assert ParquetSource(path).fingerprint() != before


def test_missing_file_error_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"absent\.parquet") as raised:
        ParquetSource(tmp_path / "absent.parquet")
    assert isinstance(raised.value, SourceNotFoundError)
