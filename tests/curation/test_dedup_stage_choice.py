"""Each executor chooses its own dedup stage; ``curate`` runs the one its executor chose."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from curation_corpus import curate_inline, stdlib_text, write

from litcode.curation import CurationConfig, Executor
from litcode.curation.dedup_stage import DedupStage, run_dedup


class InlineExecutor(Executor):
    """Runs batches here and records which dedup stage the pipeline asked it for."""

    def __init__(self) -> None:
        self.stage_calls: list[list[int]] = []

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return map(function, items)

    def dedup_stage(self, config: CurationConfig) -> DedupStage:
        def stage(manifest: Any, staging: Any, config: CurationConfig, batches: list[int]) -> None:
            self.stage_calls.append(batches)
            run_dedup(manifest, staging, config, batches)

        return stage


def test_the_base_executor_dedups_on_the_driver() -> None:
    assert InlineExecutor.__mro__[1].dedup_stage(InlineExecutor(), CurationConfig()) is run_dedup


def test_curate_runs_the_dedup_stage_its_executor_chose(tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "repo" / "a.py", stdlib_text("colorsys.py"))
    write(tmp_path / "corpus" / "repo" / "b.py", stdlib_text("colorsys.py"))
    executor = InlineExecutor()
    config = CurationConfig(licenses="off", min_quality_score=0.0, batch_size=1)
    result = curate_inline(tmp_path / "corpus", tmp_path / "out", config, executor=executor)
    assert executor.stage_calls == [[0, 1]]
    assert result.dropped_by_reason["exact_duplicate"] == 1


def test_a_ray_executor_subclass_still_dedups_on_ray_with_its_address() -> None:
    pytest.importorskip("ray")
    from litcode.curation.distributed import run_ray_dedup
    from litcode.curation.executors.ray import RayExecutor

    class TunedRayExecutor(RayExecutor):
        """A user's own executor: the old class-name check missed it."""

    stage = TunedRayExecutor(address="ray://head:10001").dedup_stage(CurationConfig(distributed_dedup=True))
    assert getattr(stage, "func", None) is run_ray_dedup
    assert getattr(stage, "keywords", None) == {"address": "ray://head:10001"}


def test_ray_without_distributed_dedup_dedups_on_the_driver() -> None:
    pytest.importorskip("ray")
    from litcode.curation.executors.ray import RayExecutor

    assert RayExecutor(address="auto").dedup_stage(CurationConfig()) is run_dedup


def test_curate_hands_the_ray_address_to_the_executor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import litcode.curation.pipeline as pipeline

    asked: list[tuple[object, object, object]] = []

    def fake_make_executor(name: object, num_workers: object, address: object = None) -> Executor:
        asked.append((name, num_workers, address))
        return InlineExecutor()

    monkeypatch.setattr(pipeline, "make_executor", fake_make_executor)
    write(tmp_path / "corpus" / "repo" / "a.py", stdlib_text("colorsys.py"))
    config = CurationConfig(licenses="off", min_quality_score=0.0)
    pipeline.curate(
        tmp_path / "corpus", tmp_path / "out", config, executor="ray", ray_address="ray://head:10001"
    )
    assert asked == [("ray", None, "ray://head:10001")]
