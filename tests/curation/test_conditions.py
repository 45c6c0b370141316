"""Conditions say when they cannot apply: a rule whose field the source lacks is a warning and a report
entry, an empty source is a warning with its path, and an unreadable row keeps its error text."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from curation_corpus import curate_inline, manifest_rows, stdlib_text, write

from litcode.curation import CurationConfig, CurationResult

LEAN = {"min_quality_score": 0.0, "near_dedup": False}


def _report(result: CurationResult) -> dict:
    return json.loads((result.output_dir / "report.json").read_text())


def _condition(result: CurationResult, rule: str) -> dict:
    return next(check for check in _report(result)["conditions"] if check["rule"] == rule)


@pytest.fixture
def starless_tree(tmp_path: Path) -> Path:
    write(tmp_path / "corpus" / "repo" / "colors.py", stdlib_text("colorsys.py"))
    return tmp_path / "corpus"


def test_min_stars_on_a_source_without_stars_is_reported_not_applied(
    starless_tree: Path, tmp_path: Path
) -> None:
    result = curate_inline(
        starless_tree, tmp_path / "out", CurationConfig(licenses="off", min_stars=10, **LEAN)
    )
    assert _condition(result, "min_stars") == {
        "rule": "min_stars",
        "field": "stars",
        "samples": 1,
        "without_field": 1,
        "source_has_column": False,
        "status": "not applied",
    }
    assert manifest_rows(tmp_path / "out") == [("repo/colors.py", "kept", None)]


def test_min_stars_on_a_source_without_stars_warns_once(
    starless_tree: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="litcode.curation"):
        curate_inline(starless_tree, tmp_path / "out", CurationConfig(licenses="off", min_stars=10, **LEAN))
    warnings = [record.getMessage() for record in caplog.records if "min_stars" in record.getMessage()]
    assert len(warnings) == 1 and "has no stars column" in warnings[0] and "not applied" in warnings[0]


def test_min_forks_from_repos_csv_is_applied(tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "repos.csv", "repo,stars,forks\nrepo,3,1\n")
    write(tmp_path / "corpus" / "repo" / "colors.py", stdlib_text("colorsys.py"))
    result = curate_inline(
        tmp_path / "corpus", tmp_path / "out", CurationConfig(licenses="off", min_forks=2, **LEAN)
    )
    assert _condition(result, "min_forks")["status"] == "applied"
    assert _report(result)["warnings"] == []


def test_an_empty_source_is_a_warning_with_its_path(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "empty").mkdir()
    with caplog.at_level(logging.WARNING, logger="litcode.curation"):
        result = curate_inline(tmp_path / "empty", tmp_path / "out", CurationConfig(**LEAN))
    assert result.inputs == 0
    [warning] = _report(result)["warnings"]
    assert str(tmp_path / "empty") in warning and "no records" in warning
    assert warning in caplog.text


def test_an_empty_jsonl_file_is_a_warning_with_its_path(tmp_path: Path) -> None:
    write(tmp_path / "empty.jsonl", "")
    result = curate_inline(tmp_path / "empty.jsonl", tmp_path / "out", CurationConfig(**LEAN))
    assert [str(tmp_path / "empty.jsonl") in warning for warning in _report(result)["warnings"]] == [True]


def test_an_empty_part_of_a_list_of_sources_is_a_warning_with_its_path(
    starless_tree: Path, tmp_path: Path
) -> None:
    write(tmp_path / "nothing.jsonl", "\n")
    config = CurationConfig(licenses="off", **LEAN)
    result = curate_inline([starless_tree, tmp_path / "nothing.jsonl"], tmp_path / "out", config)
    assert _report(result)["warnings"] == [
        f"source 'nothing.jsonl' at {tmp_path / 'nothing.jsonl'} has no records"
    ]


@pytest.fixture
def licenseless_parquet(tmp_path: Path) -> Path:
    code = stdlib_text("colorsys.py")
    path = tmp_path / "stack.parquet"
    pq.write_table(pa.table({"content": [code, code.replace("def ", "def  ")], "lang": ["Python"] * 2}), path)
    return path


def test_a_parquet_without_a_license_column_names_it_in_the_report(
    licenseless_parquet: Path, tmp_path: Path
) -> None:
    result = curate_inline(licenseless_parquet, tmp_path / "out", CurationConfig(**LEAN))
    check = _condition(result, "licenses")
    assert (check["source_has_column"], check["status"], check["without_field"]) == (False, "not applied", 2)
    [warning] = _report(result)["warnings"]
    assert "has no license column (looked for max_stars_repo_licenses, license, licenses)" in warning
    assert "dropped 2 of 2 samples as 'license'" in warning


def test_a_parquet_without_a_license_column_warns_in_report_md(
    licenseless_parquet: Path, tmp_path: Path
) -> None:
    curate_inline(licenseless_parquet, tmp_path / "out", CurationConfig(**LEAN))
    markdown = (tmp_path / "out" / "report.md").read_text()
    assert "## Warnings" in markdown and "has no license column" in markdown


def test_a_default_license_needs_no_column(licenseless_parquet: Path, tmp_path: Path) -> None:
    result = curate_inline(
        licenseless_parquet, tmp_path / "out", CurationConfig(default_license="MIT", **LEAN)
    )
    assert _report(result)["warnings"] == [] and result.kept == 2


def test_a_malformed_jsonl_line_keeps_the_parser_error_in_detail(tmp_path: Path) -> None:
    record = json.dumps({"content": stdlib_text("colorsys.py"), "lang": "Python"})
    write(tmp_path / "code.jsonl", record + '\n{"content": oops}\n')
    curate_inline(tmp_path / "code.jsonl", tmp_path / "out", CurationConfig(licenses="off", **LEAN))
    assert manifest_rows(tmp_path / "out", "sample_id, reason, detail") == [
        ("code.jsonl:0", None, None),
        ("code.jsonl:1", "unreadable", "invalid JSON at line 2 of code.jsonl: Expecting value (column 13)"),
    ]
