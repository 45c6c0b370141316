from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from litcode.metrics import MetricsTracker


@pytest.fixture
def metrics_file(tmp_path: Path) -> Path:
    return tmp_path / "run" / "metrics.json"


@pytest.fixture
def tracker(metrics_file: Path) -> Iterator[MetricsTracker]:
    tracker = MetricsTracker(metrics_file=metrics_file)
    yield tracker
    tracker.close()


@pytest.fixture
def gpu(mocker):
    """A fake CUDA device: 8.5 GB allocated, 10 GB reserved, 9 GB peak (the seed's figures)."""
    mocker.patch("torch.cuda.is_available", return_value=True)
    mocker.patch("torch.cuda.memory_allocated", return_value=8.5e9)
    mocker.patch("torch.cuda.memory_reserved", return_value=10.0e9)
    mocker.patch("torch.cuda.max_memory_allocated", return_value=9.0e9)


@pytest.fixture
def no_gpu(mocker):
    mocker.patch("torch.cuda.is_available", return_value=False)
