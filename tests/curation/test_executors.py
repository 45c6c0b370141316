"""Executors: results come back in input order whatever the worker count; unknown names are refused."""

from __future__ import annotations

import pytest

from litcode.curation import CurationError, LocalExecutor
from litcode.curation.executors import make_executor


def test_in_process_executor_keeps_order() -> None:
    with LocalExecutor(num_workers=0) as executor:
        assert list(executor.map(str.upper, ["a", "b", "c"])) == ["A", "B", "C"]


def test_process_pool_keeps_input_order_with_a_bounded_window() -> None:
    items = [list(range(size)) for size in (50, 1, 30, 2, 40, 3, 0, 9)]
    with LocalExecutor(num_workers=2, in_flight_per_worker=1) as executor:
        assert list(executor.map(sum, items)) == [sum(item) for item in items]


def test_num_workers_none_means_one_per_cpu(mocker) -> None:
    mocker.patch("os.cpu_count", return_value=7)
    assert LocalExecutor(None).num_workers == 7


def test_negative_worker_count_is_rejected() -> None:
    with pytest.raises(ValueError, match="num_workers"):
        LocalExecutor(-1)


def test_unknown_executor_names_the_choices() -> None:
    with pytest.raises(CurationError, match="'local', 'ray'"):
        make_executor("dask", None)


def test_curate_with_an_unknown_executor_writes_nothing(tmp_path) -> None:
    from curation_corpus import curate_inline, write

    write(tmp_path / "corpus" / "repo" / "a.py", "x = 1\n")
    with pytest.raises(CurationError, match="unknown executor 'dask'"):
        curate_inline(tmp_path / "corpus", tmp_path / "out", executor="dask")
    assert not (tmp_path / "out").exists()
