"""The Ray executor: same manifest as the local one on real stdlib code, order kept, window bounded."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from ray_corpus import CONFIG, manifest_rows

from litcode.curation import CurationError, CurationResult, curate
from litcode.curation.executors import make_executor


@pytest.fixture(scope="module")
def ray_run(
    ray_cluster: object, stdlib_corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> CurationResult:
    output = tmp_path_factory.mktemp("ray") / "out"
    return curate(stdlib_corpus, output, CONFIG, num_workers=2, executor="ray", progress=False)


def kept_contents(result: CurationResult) -> dict[str, str]:
    table = pq.read_table(result.output_dir / "kept", columns=["sample_id", "content"])
    return dict(zip(table.column("sample_id").to_pylist(), table.column("content").to_pylist(), strict=True))


@pytest.mark.ray
@pytest.mark.slow
def test_ray_and_local_executors_write_the_same_manifest(local_run: CurationResult, ray_run: CurationResult):
    assert manifest_rows(ray_run.output_dir) == manifest_rows(local_run.output_dir)


@pytest.mark.ray
@pytest.mark.slow
def test_the_compared_corpus_exercises_both_dedup_stages(local_run: CurationResult, ray_run: CurationResult):
    assert local_run.inputs >= 200
    assert ray_run.dropped_by_reason["exact_duplicate"] >= 3
    assert ray_run.dropped_by_reason["near_duplicate"] >= 3
    assert ray_run.dropped_by_reason == local_run.dropped_by_reason


@pytest.mark.ray
@pytest.mark.slow
def test_ray_and_local_executors_write_the_same_kept_shards(
    local_run: CurationResult, ray_run: CurationResult
):
    assert kept_contents(ray_run) == kept_contents(local_run)


@pytest.mark.ray
def test_ray_executor_yields_results_in_input_order(ray_cluster: object) -> None:
    items = [list(range(size)) for size in (500, 1, 300, 2, 400, 3, 0, 9)]
    with make_executor("ray", 2) as executor:
        assert list(executor.map(sum, items)) == [sum(item) for item in items]


@pytest.mark.ray
def test_ray_executor_submits_a_bounded_window_ahead(ray_cluster: object) -> None:
    from litcode.curation.executors.ray import RayExecutor

    pulled: list[int] = []

    def numbers() -> Iterator[list[int]]:
        for number in range(20):
            pulled.append(number)
            yield [number]

    executor = RayExecutor(in_flight_per_worker=1)
    results = executor.map(sum, numbers())
    assert next(results) == 0
    assert len(pulled) == executor.parallelism  # 1 per CPU of the 2-CPU cluster, not all 20
    assert list(results) == list(range(1, 20))


@pytest.mark.ray
def test_a_worker_error_reaches_the_caller_as_its_own_type(ray_cluster: object) -> None:
    with make_executor("ray", 2) as executor, pytest.raises(ValueError, match="invalid literal"):
        list(executor.map(int, ["1", "not a number"]))


@pytest.mark.ray
def test_closing_leaves_a_cluster_it_did_not_start_running(ray_cluster) -> None:  # type: ignore[no-untyped-def]
    with make_executor("ray", 2) as executor:
        assert list(executor.map(abs, [-1])) == [1]
    assert ray_cluster.is_initialized()


def test_ray_missing_gives_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` raise ImportError
    with pytest.raises(CurationError, match=r"pip install 'litcode\[ray\]'"):
        make_executor("ray", 2)


def test_a_negative_worker_count_is_rejected() -> None:
    pytest.importorskip("ray")
    with pytest.raises(ValueError, match="num_workers"):
        make_executor("ray", -1)
