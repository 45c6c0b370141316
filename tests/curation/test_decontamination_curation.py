"""Decontamination inside ``curate``: the ``contaminated`` reason, its detail, the report, the defaults."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from curation_corpus import curate_inline, kept_contents, manifest_rows, stdlib_text, write

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/support

from litcode.curation import CurationConfig, CurationError, CurationResult
from litcode.curation.decontamination import load_benchmark
from support.contamination_plants import plant, planted_text

HUMANEVAL = load_benchmark("humaneval")


def _config(**overrides: object) -> CurationConfig:
    settings: dict[str, object] = {"licenses": "off", "min_quality_score": 0.0, "near_dedup": False}
    settings.update(overrides)
    return CurationConfig(**settings)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory: pytest.TempPathFactory) -> CurationResult:
    """Two clean stdlib modules and three with a HumanEval problem planted (verbatim, renamed, commented)."""
    root = tmp_path_factory.mktemp("decontam")
    corpus = root / "corpus"
    write(corpus / "app" / "colors.py", stdlib_text("colorsys.py"))
    write(corpus / "app" / "queues.py", stdlib_text("queue.py"))
    host = stdlib_text("bisect.py")
    write(
        corpus / "leak" / "verbatim.py",
        plant(host, planted_text(HUMANEVAL.tasks[12], "function", "verbatim")),
    )
    write(
        corpus / "leak" / "renamed.py", plant(host, planted_text(HUMANEVAL.tasks[31], "solution", "renamed"))
    )
    write(
        corpus / "leak" / "commented.py",
        plant(host, planted_text(HUMANEVAL.tasks[17], "prompt", "commented")),
    )
    return curate_inline(corpus, root / "out", _config())


def test_planted_files_are_dropped_as_contaminated_with_their_task_ids(planted_run: CurationResult) -> None:
    rows = manifest_rows(planted_run.output_dir, "sample_id, reason, detail")
    assert rows == [
        ("app/colors.py", None, None),
        ("app/queues.py", None, None),
        ("leak/commented.py", "contaminated", "HumanEval/17"),
        ("leak/renamed.py", "contaminated", "HumanEval/31"),
        ("leak/verbatim.py", "contaminated", "HumanEval/12"),
    ]
    assert planted_run.dropped_by_reason["contaminated"] == 3
    assert sorted(kept_contents(planted_run)) == ["app/colors.py", "app/queues.py"]


def test_report_lists_per_benchmark_the_files_dropped_and_tasks_matched(planted_run: CurationResult) -> None:
    report = json.loads((planted_run.output_dir / "report.json").read_text())
    assert report["decontamination"]["by_benchmark"]["humaneval"] == {
        "files_dropped": 3,
        "tasks_matched": {"HumanEval/17": 1, "HumanEval/12": 1, "HumanEval/31": 1},
        "files": ["leak/commented.py", "leak/renamed.py", "leak/verbatim.py"],
    }
    markdown = (planted_run.output_dir / "report.md").read_text()
    assert "| humaneval | 3 | HumanEval/12, HumanEval/17, HumanEval/31 |" in markdown


def test_manifest_records_how_each_language_was_decided(planted_run: CurationResult) -> None:
    methods = {row[1] for row in manifest_rows(planted_run.output_dir, "sample_id, language_method")}
    assert methods == {"extension"}
    report = json.loads((planted_run.output_dir / "report.json").read_text())
    assert report["languages"]["python"]["files"] == 2
    assert report["languages"]["python"]["by_method"] == {"extension": 2}


def test_decontamination_is_on_by_default_with_humaneval() -> None:
    assert CurationConfig().decontamination == ("humaneval",)


def test_empty_decontamination_turns_it_off(tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "leak" / "a.py", planted_text(HUMANEVAL.tasks[12], "function", "verbatim"))
    result = curate_inline(tmp_path / "corpus", tmp_path / "out", _config(decontamination=[]))
    assert result.kept == 1


def test_user_jsonl_benchmark_in_the_config(tmp_path: Path) -> None:
    benchmark = tmp_path / "evals" / "inhouse.jsonl"
    solution = "def rotate(grid):\n    return [list(row) for row in zip(*grid[::-1])]\n"
    write(benchmark, json.dumps({"task_id": "rot/1", "solution": solution}) + "\n")
    write(tmp_path / "corpus" / "app" / "grid.py", stdlib_text("colorsys.py") + "\n\n" + solution)
    result = curate_inline(tmp_path / "corpus", tmp_path / "out", _config(decontamination=[str(benchmark)]))
    assert manifest_rows(result.output_dir, "reason, detail") == [("contaminated", "inhouse:rot/1")]


def test_missing_benchmark_fails_before_any_output_is_written(tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "app" / "colors.py", stdlib_text("colorsys.py"))
    with pytest.raises(CurationError, match=r"missing\.jsonl'?: no such file"):
        curate_inline(
            tmp_path / "corpus", tmp_path / "out", _config(decontamination=[str(tmp_path / "missing.jsonl")])
        )
    assert not (tmp_path / "out").exists()


def test_malformed_benchmark_names_file_and_line_from_curate(tmp_path: Path) -> None:
    benchmark = write(tmp_path / "bad.jsonl", '{"task_id": "a", "code": "x = compute(1)"}\n{"task_id": \n')
    write(tmp_path / "corpus" / "app" / "colors.py", stdlib_text("colorsys.py"))
    with pytest.raises(CurationError, match=r"bad\.jsonl, line 2: not valid JSON"):
        curate_inline(tmp_path / "corpus", tmp_path / "out", _config(decontamination=[str(benchmark)]))


@pytest.mark.slow
def test_validation_split_is_decontaminated_too(tmp_path: Path) -> None:
    # CodeDataModule curates the whole source, then splits the kept files by repository: a leak in
    # the validation repository is dropped like one in training.
    import shutil

    import torch
    from curation_corpus import STDLIB

    from litcode.data import CodeDataModule

    for package in ("json", "html"):
        shutil.copytree(
            STDLIB / package, tmp_path / "repos" / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    task = HUMANEVAL.tasks[12]
    write(
        tmp_path / "repos" / "json" / "leak.py",
        plant(stdlib_text("bisect.py"), planted_text(task, "function", "verbatim")),
    )
    dm = CodeDataModule(
        source=tmp_path / "repos", cache_dir=tmp_path / "cache", seq_len=64, batch_size=64, val_fraction=0.5,
        curation=_config(), curation_workers=0,
    )  # fmt: skip
    dm.prepare_data()
    dm.setup("fit")
    assert dm.split_repos["val"] == {"json"}
    [manifest] = (tmp_path / "cache").rglob("manifest.sqlite")
    assert ("json/leak.py", "contaminated", "HumanEval/12") in manifest_rows(
        manifest.parent, "sample_id, reason, detail"
    )
    ids = torch.cat([batch["input_ids"].flatten() for batch in dm.val_dataloader()])
    val_text = bytes(int(i) for i in ids if i < 256).decode("utf-8", "replace")
    assert "JSONDecodeError" in val_text  # the validation split does hold json's own code
    assert "Out of list of strings, return the longest one" not in val_text


def test_litcode_curate_with_a_missing_benchmark_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from litcode.cli import main

    write(tmp_path / "corpus" / "app" / "colors.py", stdlib_text("colorsys.py"))
    with pytest.raises(SystemExit) as stopped:
        main(["curate", "--source", str(tmp_path / "corpus"), "--output_dir", str(tmp_path / "out"),
              "--curation.decontamination", f"[{tmp_path / 'nope.jsonl'}]"])  # fmt: skip
    assert stopped.value.code == 2
    assert "nope.jsonl': no such file" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_edited_benchmark_file_means_a_new_run_not_a_reused_one(tmp_path: Path) -> None:
    benchmark = tmp_path / "evals.jsonl"
    solution = "def rotate(grid):\n    return [list(row) for row in zip(*grid[::-1])]\n"
    other = {"task_id": "other/1", "solution": "return sorted(words, key=len)[-1]"}
    write(benchmark, json.dumps(other) + "\n")
    write(tmp_path / "corpus" / "app" / "grid.py", stdlib_text("colorsys.py") + "\n\n" + solution)
    config = _config(decontamination=[str(benchmark)])
    assert curate_inline(tmp_path / "corpus", tmp_path / "out", config).kept == 1
    write(benchmark, json.dumps({"task_id": "rot/1", "solution": solution}) + "\n")
    again = curate_inline(tmp_path / "corpus", tmp_path / "out", _config(decontamination=[str(benchmark)]))
    assert manifest_rows(again.output_dir, "reason, detail") == [("contaminated", "evals:rot/1")]
