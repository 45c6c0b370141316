from __future__ import annotations

import json
from pathlib import Path

import pytest

from litcode.sources import ColumnMappingError, JsonlSource, SourceNotFoundError

from .conftest import STACK_ROWS, write_jsonl


@pytest.mark.parametrize("file_name", ["stack.jsonl", "stack.jsonl.gz", "stack.jsonl.zst", "stack.json.gz"])
def test_stack_columns_are_understood_in_every_compression(
    tmp_path: Path, stack_jsonl_lines: list[str], file_name: str
) -> None:
    records = list(JsonlSource(write_jsonl(tmp_path / file_name, stack_jsonl_lines)))
    good = [r for r in records if r.error is None]
    assert [(r.sample_id, r.repo, r.path, r.language) for r in good] == [
        ("a1", "octo/math", "src/add.py", "python"),
        ("b2", "rusty/hello", "src/main.rs", "rust"),
    ]
    assert good[0].data == STACK_ROWS[0]["content"]


@pytest.mark.parametrize("file_name", ["bad.jsonl", "bad.jsonl.gz", "bad.jsonl.zst"])
def test_malformed_line_becomes_an_error_record_naming_the_line(
    tmp_path: Path, stack_jsonl_lines: list[str], file_name: str
) -> None:
    records = list(JsonlSource(write_jsonl(tmp_path / file_name, stack_jsonl_lines)))
    [bad] = [r for r in records if r.error is not None]
    assert bad.sample_id == f"{file_name}:1"
    assert bad.error is not None and bad.error.startswith(f"invalid JSON at line 2 of {file_name}: ")


def test_blank_lines_are_not_records(tmp_path: Path, stack_jsonl_lines: list[str]) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", ["", *stack_jsonl_lines, "   "])
    assert len(list(JsonlSource(path))) == 3


def test_stars_forks_license_and_extra_columns_land_in_metadata(
    tmp_path: Path, stack_jsonl_lines: list[str]
) -> None:
    first = next(iter(JsonlSource(write_jsonl(tmp_path / "s.jsonl", stack_jsonl_lines))))
    assert first.metadata == {"stars": 120, "forks": 7, "license": ["MIT"], "size": 33, "source": "s.jsonl"}


def test_null_stars_are_left_out_of_metadata(tmp_path: Path, stack_jsonl_lines: list[str]) -> None:
    records = [
        r for r in JsonlSource(write_jsonl(tmp_path / "s.jsonl", stack_jsonl_lines)) if r.error is None
    ]
    assert "stars" not in records[1].metadata and records[1].metadata["license"] == ["Apache-2.0", "MIT"]


def test_plain_text_rows_get_file_and_row_ids(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "plain.jsonl", [json.dumps({"text": "a = 1"}), json.dumps({"text": "b = 2"})]
    )
    assert [(r.sample_id, r.data, r.language) for r in JsonlSource(path)] == [
        ("plain.jsonl:0", "a = 1", None),
        ("plain.jsonl:1", "b = 2", None),
    ]


def test_column_map_renames_fields(tmp_path: Path) -> None:
    row = {"source_code": "x = 1", "file": "x.py", "project": "p", "lang_name": "Python"}
    path = write_jsonl(tmp_path / "m.jsonl", [json.dumps(row)])
    column_map = {"content": "source_code", "path": "file", "repo": "project", "language": "lang_name"}
    [record] = JsonlSource(path, column_map=column_map)
    assert (record.data, record.path, record.repo, record.language) == ("x = 1", "x.py", "p", "python")


def test_column_map_naming_a_missing_column_fails_at_open_listing_columns(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "m.jsonl", [json.dumps({"code_text": "x", "file": "x.py"})])
    with pytest.raises(ColumnMappingError, match=r"content -> 'source'.*\['code_text', 'file'\]"):
        JsonlSource(path, column_map={"content": "source"})


def test_missing_content_column_fails_at_open_listing_columns(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "m.jsonl", [json.dumps({"body": "x"})])
    with pytest.raises(ColumnMappingError, match=r"no content column.*\['body'\]"):
        JsonlSource(path)


def test_row_without_content_is_an_error_record(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "m.jsonl", [json.dumps({"content": "x"}), json.dumps({"content": None})])
    records = list(JsonlSource(path))
    assert records[1].error == "content column 'content' is missing in m.jsonl:1"


def test_non_object_line_is_an_error_record(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "m.jsonl", [json.dumps({"content": "x"}), "[1, 2]"])
    assert "line 2 of m.jsonl is not a JSON object" in str(list(JsonlSource(path))[1].error)


def test_invalid_utf8_line_is_an_error_record(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    path.write_bytes(b'{"content": "x"}\n{"content": "\xff"}\n')
    assert list(JsonlSource(path))[1].error == "invalid UTF-8 at line 2 of m.jsonl: byte 0xff at 13"


def test_truncated_gzip_yields_the_rows_read_then_one_error(tmp_path: Path) -> None:
    lines = [json.dumps({"content": f"x = {i}" + " " * 200}) for i in range(200)]
    path = write_jsonl(tmp_path / "t.jsonl.gz", lines)
    path.write_bytes(path.read_bytes()[:-40])
    records = list(JsonlSource(path))
    assert all(r.error is None for r in records[:-1])
    assert records[-1].error is not None and "truncated" in records[-1].error


def test_folder_of_jsonl_files_reads_each_in_name_order(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "b.jsonl.gz", [json.dumps({"content": "b"})])
    write_jsonl(tmp_path / "a.jsonl", [json.dumps({"content": "a"})])
    assert [r.sample_id for r in JsonlSource(tmp_path)] == ["a.jsonl:0", "b.jsonl.gz:0"]


def test_fingerprint_changes_when_the_file_changes(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "f.jsonl", [json.dumps({"content": "a"})])
    before = JsonlSource(path).fingerprint()
    assert JsonlSource(path).fingerprint() == before
    write_jsonl(path, [json.dumps({"content": "ab"})])
    assert JsonlSource(path).fingerprint() != before


def test_missing_file_error_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match=r"missing\.jsonl"):
        JsonlSource(tmp_path / "missing.jsonl")


def test_iteration_is_lazy_line_by_line(tmp_path: Path) -> None:
    lines = [json.dumps({"content": "x"})] * 3
    path = write_jsonl(tmp_path / "lazy.jsonl", lines)
    iterator = iter(JsonlSource(path))
    next(iterator)
    with path.open("a") as handle:  # appended after the first row was read: seen because reading streams
        handle.write(json.dumps({"content": "late"}) + "\n")
    assert [r.data for r in iterator][-1] == "late"
