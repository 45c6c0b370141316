"""What a run leaves behind: kept Parquet shards, report.json/.md, progress, tracker stats, clear errors."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from curation_corpus import build_reason_tree, curate_inline, tree_config

from litcode.curation import REASONS, CurationError, CurationResult
from litcode.metrics import MetricsTracker
from litcode.sources import Source, SourceRecord


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> CurationResult:
    root = tmp_path_factory.mktemp("outputs")
    corpus = build_reason_tree(root / "corpus")
    return curate_inline(corpus, root / "out", tree_config(rows_per_shard=1))


def test_kept_shards_hold_exactly_the_kept_rows(run: CurationResult) -> None:
    table = pq.read_table(run.output_dir / "kept")
    with sqlite3.connect(run.manifest_path) as connection:
        kept = {row[0] for row in connection.execute("SELECT sample_id FROM samples WHERE decision = 'kept'")}
    assert set(table.column("sample_id").to_pylist()) == kept
    assert table.num_rows == run.kept


def test_kept_shards_have_the_contract_columns(run: CurationResult) -> None:
    names = set(pq.read_schema(run.kept_paths[0]).names)
    assert {"sample_id", "content", "language", "repo", "path", "quality_score"} <= names


def test_shards_roll_over_at_rows_per_shard(run: CurationResult) -> None:
    assert [path.name for path in run.kept_paths] == [f"part-{i:05d}.parquet" for i in range(run.kept)]


def test_no_temporary_files_are_left_behind(run: CurationResult) -> None:
    leftovers = [path.name for path in run.output_dir.rglob("*") if path.name.endswith(".tmp")]
    assert leftovers == []
    assert not (run.output_dir / ".staging").exists()


def test_report_json_lists_every_reason_in_order(run: CurationResult) -> None:
    report = json.loads(run.report_path.read_text())
    assert list(report["dropped_by_reason"]) == list(REASONS)
    assert report["inputs"] == report["kept"] + sum(report["dropped_by_reason"].values())
    assert report["invariant"]["holds"] is True


def test_report_json_has_quality_licenses_clusters_and_timings(run: CurationResult) -> None:
    report = json.loads(run.report_path.read_text())
    assert report["quality"]["total_samples"] == run.kept
    assert report["licenses"]["MIT"]["kept"] == run.kept
    assert report["near_duplicates"] == {"clusters": 1, "samples_in_clusters": 2}
    assert report["timings"]["files_per_second"] > 0


def test_report_markdown_shows_the_counts(run: CurationResult) -> None:
    markdown = (run.output_dir / "report.md").read_text()
    assert f"inputs: **{run.inputs}**" in markdown
    assert "| near_duplicate | 1 |" in markdown


def test_progress_callback_sees_every_input(reason_tree: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    result = curate_inline(
        reason_tree, tmp_path / "out", tree_config(), num_workers=0, progress=lambda *a: seen.append(a)
    )
    assert seen[-1] == (result.inputs, result.inputs)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_tracker_receives_quality_stats_and_processing_time(reason_tree: Path, tmp_path: Path) -> None:
    tracker = MetricsTracker(metrics_file=str(tmp_path / "metrics.json"))
    result = curate_inline(
        reason_tree, tmp_path / "out", tree_config(), num_workers=0, progress=False, tracker=tracker
    )
    assert tracker.files_per_second() > 0
    assert tracker.average_processing_time() > 0
    stats = json.dumps(tracker.__dict__, default=str)
    assert str(result.inputs) in stats


def test_a_missing_source_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CurationError, match="does not exist"):
        curate_inline(tmp_path / "nowhere", tmp_path / "out")


def test_an_output_dir_inside_the_source_is_refused(reason_tree: Path) -> None:
    with pytest.raises(CurationError, match="inside the source directory"):
        curate_inline(reason_tree, reason_tree / "out", tree_config())


def test_an_unknown_executor_is_refused_before_any_output(reason_tree: Path, tmp_path: Path) -> None:
    with pytest.raises(CurationError, match="dask"):
        curate_inline(reason_tree, tmp_path / "out", tree_config(), executor="dask", progress=False)
    assert not (tmp_path / "out" / "kept").exists()


def test_a_source_with_nothing_kept_still_writes_a_readable_empty_shard(tmp_path: Path) -> None:
    (tmp_path / "corpus" / "repo").mkdir(parents=True)
    (tmp_path / "corpus" / "repo" / "empty.py").write_text("")
    result = curate_inline(tmp_path / "corpus", tmp_path / "out", tree_config())
    assert (result.inputs, result.kept, result.dropped_by_reason["empty"]) == (1, 0, 1)
    assert pq.read_table(result.kept_paths[0]).num_rows == 0


def test_config_is_not_a_dict(tmp_path: Path) -> None:
    with pytest.raises(CurationError, match="CurationConfig"):
        curate_inline(tmp_path, tmp_path / "out", {"languages": ["python"]}, progress=False)  # type: ignore[arg-type]


def test_an_empty_source_gives_an_empty_consistent_result(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    result = curate_inline(tmp_path / "corpus", tmp_path / "out", tree_config())
    assert (result.inputs, result.kept, sum(result.dropped_by_reason.values())) == (0, 0, 0)
    assert result.report["invariant"]["holds"] is True


class RepeatingIds(Source):
    """A source that (wrongly) gives two records the same id, as a hand-made JSONL might."""

    name = "repeating"

    def __iter__(self) -> Iterator[SourceRecord]:
        yield SourceRecord("same.py", path="same.py", data=b"def one() -> int:\n    return 1\n")
        yield SourceRecord("same.py", path="same.py", data=b"def two() -> int:\n    return 2\n")

    def fingerprint(self) -> str:
        return "repeating-v1"


def test_repeated_ids_get_distinct_rows_instead_of_losing_one(tmp_path: Path) -> None:
    config = tree_config(licenses="off", min_quality_score=0.0, min_bytes=1)
    result = curate_inline(RepeatingIds(), tmp_path / "out", config)
    with sqlite3.connect(result.manifest_path) as connection:
        ids = [row[0] for row in connection.execute("SELECT sample_id FROM samples ORDER BY seq")]
    assert ids == ["same.py", "same.py#1"]
    assert result.inputs == 2
