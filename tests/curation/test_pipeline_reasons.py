"""Every planted file of the reason tree ends in the manifest with the reason it was built to trip."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from curation_corpus import EXPECTED_REASONS, build_reason_tree, curate_inline, manifest_rows, tree_config

from litcode.curation import REASONS, CurationResult


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory) -> tuple[CurationResult, Path]:
    root = tmp_path_factory.mktemp("reasons")
    corpus = build_reason_tree(root / "corpus")
    result = curate_inline(corpus, root / "out", tree_config())
    return result, root / "out"


@pytest.mark.parametrize(("sample_id", "reason"), sorted(EXPECTED_REASONS.items()))
def test_planted_file_gets_its_reason(
    curated: tuple[CurationResult, Path], sample_id: str, reason: str
) -> None:
    _, output = curated
    rows = dict((row[0], row[1:]) for row in manifest_rows(output))
    assert rows[sample_id] == (("kept", None) if reason is None else ("dropped", reason))


def test_every_reason_but_secret_insecure_framework_and_contamination_occurs(
    curated: tuple[CurationResult, Path],
) -> None:
    result, _ = curated
    absent = {reason for reason, count in result.dropped_by_reason.items() if count == 0}
    assert absent == {"secret", "missing_framework", "insecure", "contaminated"}


def test_inputs_equal_kept_plus_dropped(curated: tuple[CurationResult, Path]) -> None:
    result, _ = curated
    assert result.inputs == len(EXPECTED_REASONS)
    assert result.inputs == result.kept + sum(result.dropped_by_reason.values())


def test_dropped_by_reason_lists_the_whole_vocabulary_in_order(curated: tuple[CurationResult, Path]) -> None:
    result, _ = curated
    assert tuple(result.dropped_by_reason) == REASONS


def test_duplicates_point_at_the_copy_kept(curated: tuple[CurationResult, Path]) -> None:
    _, output = curated
    rows = {row[0]: row[1] for row in manifest_rows(output, "sample_id, duplicate_of") if row[1]}
    assert rows == {
        "good/textwrap_crlf.py": "good/textwrap.py",
        "good/textwrap_edited.py": "good/textwrap.py",
    }


def test_near_duplicates_share_a_cluster_and_others_have_none(curated: tuple[CurationResult, Path]) -> None:
    _, output = curated
    clusters = {
        row[0]: row[1] for row in manifest_rows(output, "sample_id, cluster_id") if row[1] is not None
    }
    assert clusters == {"good/textwrap.py": 1, "good/textwrap_edited.py": 1}


def test_manifest_rows_carry_source_facts(curated: tuple[CurationResult, Path]) -> None:
    _, output = curated
    with sqlite3.connect(output / "manifest.sqlite") as connection:
        row = connection.execute(
            "SELECT repo, path, language, bytes, stars, license, source FROM samples"
            " WHERE sample_id = 'good/textwrap.py'"
        ).fetchone()
    assert (row[0], row[1], row[2], row[4]) == ("good", "textwrap.py", "python", 50)
    assert row[3] > 10_000
    assert row[5] == "MIT"
    assert row[6] == "corpus"


def test_kept_rows_have_a_score_hash_and_no_reason(curated: tuple[CurationResult, Path]) -> None:
    _, output = curated
    with sqlite3.connect(output / "manifest.sqlite") as connection:
        rows = connection.execute(
            "SELECT quality_score, content_hash, reason FROM samples WHERE decision = 'kept'"
        ).fetchall()
    assert rows and all(score > 0 and len(digest) == 32 and reason is None for score, digest, reason in rows)
