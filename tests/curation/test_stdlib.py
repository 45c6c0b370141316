"""A real run over a few hundred standard-library files, and the embedded default's license."""

from __future__ import annotations

from pathlib import Path

import pytest
from curation_corpus import curate_inline

from litcode.curation import CurationConfig, CurationResult
from litcode.curation.pipeline import Pipeline
from litcode.sources import StdlibSource

# Scoring ~1.7 MB of real code takes several seconds on the 2 shared cores, hence slow.
pytestmark_slice = pytest.mark.slow


@pytest.fixture(scope="module")
def stdlib_run(stdlib_slice: Path, tmp_path_factory: pytest.TempPathFactory) -> CurationResult:
    output = tmp_path_factory.mktemp("stdlib_run") / "out"
    return curate_inline(stdlib_slice, output, CurationConfig(allow_unknown_license=True))


@pytestmark_slice
def test_a_stdlib_slice_is_mostly_kept(stdlib_run: CurationResult) -> None:
    assert stdlib_run.inputs >= 200
    assert stdlib_run.kept >= 0.7 * stdlib_run.inputs


@pytestmark_slice
def test_a_stdlib_slice_accounts_for_every_file(stdlib_run: CurationResult, stdlib_slice: Path) -> None:
    files = [path for path in stdlib_slice.rglob("*") if path.is_file()]
    assert stdlib_run.inputs == len(files)
    assert stdlib_run.inputs == stdlib_run.kept + sum(stdlib_run.dropped_by_reason.values())


@pytestmark_slice
def test_a_stdlib_slice_has_no_unreadable_or_binary_files(stdlib_run: CurationResult) -> None:
    assert stdlib_run.dropped_by_reason["unreadable"] == stdlib_run.dropped_by_reason["binary"] == 0


@pytestmark_slice
def test_a_stdlib_slice_is_curated_in_seconds(stdlib_run: CurationResult) -> None:
    assert stdlib_run.report["timings"]["seconds"] < 30


def test_the_stdlib_source_is_licensed_psf() -> None:
    config = Pipeline(CurationConfig())._effective_config(StdlibSource())
    assert config.default_license == "PSF-2.0"


def test_an_explicit_default_license_wins_over_the_stdlib_one() -> None:
    config = Pipeline(CurationConfig(default_license="MIT"))._effective_config(StdlibSource())
    assert config.default_license == "MIT"


def test_the_stdlib_source_with_default_config_yields_a_training_set(tmp_path: Path) -> None:
    result = curate_inline(StdlibSource(include=("json/*.py",)), tmp_path / "out")
    assert result.kept > 0
    assert result.dropped_by_reason["license"] == 0
