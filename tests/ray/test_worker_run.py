"""A Ray run whose workers write the outputs: the local run's outputs row for row, a flat driver, resume."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from driver_rss import RSS_CONFIG, write_corpus
from ray_corpus import CONFIG

from litcode.curation import CurationResult, curate
from litcode.curation.distributed.decisions import RANK_ORDER
from litcode.curation.distributed.manifest_parts import ManifestParts, index_parts
from litcode.curation.manifest import Manifest
from litcode.curation.manifest_schema import sample_row
from litcode.curation.outcome import SampleOutcome
from litcode.curation.staging import SurvivorStaging
from litcode.dedup import DedupEntry, rank_key

RSS_SCRIPT = Path(__file__).with_name("driver_rss.py")
#: 1x corpus: ~10 MB of text in 1,200 records; 4x: 4,800.
RSS_FILES = 1_200


def samples(output_dir: Path) -> list[tuple[Any, ...]]:
    """Every column of every ``samples`` row (the table has no timing columns), in input order."""
    with sqlite3.connect(output_dir / "manifest.sqlite") as connection:
        return list(connection.execute("SELECT * FROM samples ORDER BY seq"))


def kept_files(result: CurationResult) -> dict[str, list[dict[str, Any]]]:
    return {
        path.name: pq.read_table(path).to_pylist() for path in sorted((result.output_dir / "kept").iterdir())
    }


def without_timings(report: dict[str, Any]) -> dict[str, Any]:
    """The report less what differs by config name or clock: config, its fingerprint, seconds."""
    kept = {
        key: value for key, value in report.items() if key not in ("config", "config_fingerprint", "timings")
    }
    kept["steps"] = [{k: v for k, v in step.items() if "second" not in k} for step in report["steps"]]
    return kept


@pytest.mark.ray
@pytest.mark.slow
def test_worker_written_manifest_equals_the_local_one_row_for_row(
    local_run: CurationResult, ray_dedup_run: CurationResult
) -> None:
    assert samples(ray_dedup_run.output_dir) == samples(local_run.output_dir)
    assert ray_dedup_run.dropped_by_reason == local_run.dropped_by_reason
    assert ray_dedup_run.dropped_by_reason["exact_duplicate"] >= 3
    assert ray_dedup_run.dropped_by_reason["near_duplicate"] >= 3


@pytest.mark.ray
@pytest.mark.slow
def test_kept_shards_written_by_tasks_equal_the_local_ones(
    local_run: CurationResult, ray_dedup_run: CurationResult
) -> None:
    assert len(kept_files(local_run)) > 3  # rows_per_shard is small: parts roll mid-batch
    assert kept_files(ray_dedup_run) == kept_files(local_run)


@pytest.mark.ray
@pytest.mark.slow
def test_worker_written_report_equals_the_local_one(
    local_run: CurationResult, ray_dedup_run: CurationResult
) -> None:
    assert without_timings(ray_dedup_run.report) == without_timings(local_run.report)
    assert not (ray_dedup_run.output_dir / ".staging").exists()


class Interrupted(Exception):
    """What :class:`StopAfter` raises."""


class StopAfter:
    """A tracker that interrupts the run after ``batches`` batches, as a crash would."""

    def __init__(self, batches: int) -> None:
        self.left = batches

    def record_processing_time(self, seconds: float, files: int = 1) -> None:
        self.left -= 1
        if self.left == 0:
            raise Interrupted

    def record_quality_stats(
        self, total_processed: int, avg_quality_score: float, blocked_files: int
    ) -> None:
        pass


@pytest.mark.ray
@pytest.mark.slow
def test_an_interrupted_worker_run_resumes_to_the_local_result(
    ray_cluster: object, local_run: CurationResult, stdlib_corpus: Path, tmp_path: Path
) -> None:
    config = dataclasses.replace(CONFIG, distributed_dedup=True)
    with pytest.raises(Interrupted):
        curate(stdlib_corpus, tmp_path, config, executor="ray", progress=False, tracker=StopAfter(5))
    assert len(list((tmp_path / ".staging" / "manifest-parts").glob("part-*.parquet"))) >= 5
    resumed = curate(stdlib_corpus, tmp_path, config, executor="ray", progress=False)
    assert resumed.report["timings"]["reused_batches"] >= 5
    assert samples(tmp_path) == samples(local_run.output_dir)
    assert kept_files(resumed) == kept_files(local_run)


def driver_peak_mb(corpus: Path, output: Path, address: str) -> float:
    completed = subprocess.run(
        [sys.executable, str(RSS_SCRIPT), str(corpus), str(output), address],
        capture_output=True, text=True, timeout=240, env=dict(os.environ), check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-3000:]
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    assert figures["inputs"] == len(corpus.read_text(encoding="utf-8").splitlines())
    return float(figures["maxrss_mb"])


@pytest.mark.ray
@pytest.mark.slow
def test_the_driver_peak_rss_grows_at_most_1_3x_when_the_corpus_grows_4x(ray_cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert RSS_CONFIG.distributed_dedup
    address = ray_cluster.get_runtime_context().gcs_address
    small, large = tmp_path / "1x.jsonl", tmp_path / "4x.jsonl"
    assert write_corpus(small, RSS_FILES) > 8_000_000
    write_corpus(large, 4 * RSS_FILES)
    peak_small = driver_peak_mb(small, tmp_path / "out1", address)
    peak_large = driver_peak_mb(large, tmp_path / "out4", address)
    assert peak_large <= 1.3 * peak_small, (peak_small, peak_large)


def test_the_sql_rank_order_is_the_python_rank_key() -> None:
    generator = random.Random(3)
    rows = [
        (f"id{generator.randrange(50)}-{number}", generator.choice([None, 0.0, 0.5, 0.5, 0.9]),
         generator.choice([None, 0, 3, 3]), generator.choice([None, "a.py", "b.py", "é.py", "Z.py"]))
        for number in range(300)
    ]  # fmt: skip
    with sqlite3.connect(":memory:") as connection:
        connection.execute(
            "CREATE TABLE samples (sample_id TEXT, quality_score REAL, stars INTEGER, path TEXT)"
        )
        connection.executemany("INSERT INTO samples VALUES (?, ?, ?, ?)", rows)
        in_sql = [
            row[0] for row in connection.execute(f"SELECT sample_id FROM samples AS s ORDER BY {RANK_ORDER}")
        ]
    entries = [
        DedupEntry(i, "h", quality_score=score or 0.0, stars=stars, path=path)
        for i, score, stars, path in rows
    ]
    assert in_sql == [entry.sample_id for entry in sorted(entries, key=rank_key)]


def test_indexing_parts_renames_an_id_an_earlier_batch_holds_as_the_local_run_does(tmp_path: Path) -> None:
    staging = SurvivorStaging(tmp_path / ".staging")
    parts = ManifestParts.beside(staging)
    batches = [["a", "b"], ["b", "c"], ["a", "d"]]  # 'b' and 'a' repeat across batches
    for batch_index, ids in enumerate(batches):
        outcomes = [SampleOutcome(sample_id, content=f"x = {sample_id!r}\n") for sample_id in ids]
        staging.write(batch_index, outcomes)
        parts.write(
            batch_index, [sample_row(o, 2 * batch_index + k, batch_index) for k, o in enumerate(outcomes)]
        )
    with Manifest(tmp_path / "manifest.sqlite") as manifest:
        assert index_parts(manifest, parts, staging, [0, 1, 2]) == 6
        assert index_parts(manifest, parts, staging, [0, 1, 2]) == 0  # a rerun adds nothing
        ids = [row[0] for row in manifest.query("SELECT sample_id FROM samples ORDER BY seq")]
    assert ids == ["a", "b", "b#2", "c", "a#4", "d"]
    assert staging.read(1).column("sample_id").to_pylist() == ["b#2", "c"]
