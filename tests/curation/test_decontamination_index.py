"""Decontamination matching: planted HumanEval texts are found with their task id; clean code is not."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/support

from curation_corpus import STDLIB

from litcode.curation.decontamination import (
    GENERIC_SOLUTIONS,
    Benchmark,
    BenchmarkTask,
    ContaminationIndex,
    load_benchmark,
)
from litcode.curation.decontamination.text_views import normalize_whitespace
from support.contamination_plants import EDITS, PARTS, plant, planted_cases, planted_text

HUMANEVAL = load_benchmark("humaneval")
INDEX = ContaminationIndex([HUMANEVAL])
# Every 8th task: 21 problems of every length, from one-liners to HumanEval/160's long bodies.
SAMPLED_TASKS = HUMANEVAL.tasks[::8]
HOSTS = sorted(path for path in STDLIB.glob("*.py") if 5_000 < path.stat().st_size < 60_000)[:7]


def _indexable(task: BenchmarkTask) -> bool:
    return normalize_whitespace(task.solutions[0]) not in GENERIC_SOLUTIONS


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("part", ["prompt", "function"])
def test_planted_prompt_is_found_with_its_task_id(part: str, edit: str) -> None:
    # The docstring survives every light edit, so the planted task is an exact match. (A sibling task
    # may match by n-grams too: HumanEval/40 and /43 share a sentence.)
    for case in planted_cases(SAMPLED_TASKS, HOSTS, parts=[part], edits=[edit]):
        kinds = {match.task_id: match.kind for match in INDEX.match(case.content)}
        assert kinds.get(case.task_id) == "exact", (case.task_id, case.host, kinds)


@pytest.mark.parametrize("edit", ["verbatim", "reformatted", "commented"])
def test_planted_solution_alone_is_found_unless_generic(edit: str) -> None:
    tasks = [task for task in SAMPLED_TASKS if _indexable(task)]
    for case in planted_cases(tasks, HOSTS, parts=["solution"], edits=[edit]):
        assert case.task_id in [match.task_id for match in INDEX.match(case.content)], case.task_id


def test_solution_with_renamed_variables_is_found_by_its_shape() -> None:
    task = HUMANEVAL.tasks[0]
    content = plant(HOSTS[0].read_text(encoding="utf-8"), planted_text(task, "solution", "renamed"))
    [match] = INDEX.match(content)
    assert (match.task_id, match.kind) == ("HumanEval/0", "shape")


def test_docstring_with_a_word_changed_is_found_by_word_ngrams() -> None:
    task = HUMANEVAL.tasks[1]
    edited = task.prompt.replace("Input to this function", "The input of this function")
    assert edited != task.prompt
    [match] = INDEX.match(edited)
    assert (match.task_id, match.kind) == ("HumanEval/1", "ngram")


def test_generic_solution_alone_is_not_contamination() -> None:
    assert INDEX.match("def add(x, y):\n    return x + y\n") == []


def test_spelled_out_number_tables_are_not_ngram_matches() -> None:
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    table = "NAMES = {" + ", ".join(f"'{word}': {n}" for n, word in enumerate(words)) + "}\n"
    assert INDEX.match(table) == []


def test_ngram_size_is_configurable() -> None:
    sentence = "the quick brown fox jumps over the lazy sleeping dog again today"
    benchmark = Benchmark("mine", "test", (BenchmarkTask("mine/1", text=sentence + " and tomorrow too"),))
    text = "NOTE = '" + " ".join(sentence.split()[:10]) + "'\n"
    assert ContaminationIndex([benchmark], ngram_size=13).match(text) == []
    assert [m.task_id for m in ContaminationIndex([benchmark], ngram_size=8).match(text)] == ["mine/1"]


def test_two_benchmarks_share_one_index_and_report_their_own_names() -> None:
    other = Benchmark(
        "evals", "test", (BenchmarkTask("E/1", solutions=("    return sorted(items, key=len)[::-1][:3]\n",)),)
    )
    index = ContaminationIndex([HUMANEVAL, other])
    text = HUMANEVAL.tasks[5].prompt + "\n\ndef top(items):\n    return sorted(items, key=len)[::-1][:3]\n"
    assert [(match.benchmark, match.task_id) for match in index.match(text)] == [
        ("evals", "E/1"),
        ("humaneval", "HumanEval/5"),
    ]


@pytest.mark.parametrize("package", ["json", "email", "collections", "concurrent", "importlib"])
def test_unmodified_stdlib_packages_have_no_false_matches(package: str) -> None:
    for path in sorted((STDLIB / package).rglob("*.py")):
        assert INDEX.match(path.read_text(encoding="utf-8")) == [], path


@pytest.mark.slow
def test_full_planted_set_meets_the_recall_targets() -> None:
    found: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    tasks = HUMANEVAL.tasks
    for case in planted_cases(tasks, HOSTS):
        if case.part == "solution" and not _indexable(HUMANEVAL.tasks[int(case.task_id.split("/")[1])]):
            continue
        total[case.part, case.edit] += 1
        found[case.part, case.edit] += case.task_id in [match.task_id for match in INDEX.match(case.content)]
    recall = {key: found[key] / total[key] for key in total}
    assert all(recall[part, "verbatim"] >= 0.99 for part in PARTS), recall
    assert all(recall[part, edit] >= 0.99 for part in ("prompt", "function") for edit in EDITS), recall
    # A one-line solution with its names renamed is ordinary code; the longer ones keep their shape.
    assert recall["solution", "renamed"] >= 0.85, recall
