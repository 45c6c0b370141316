from __future__ import annotations

import sys

import pytest

pd = pytest.importorskip("pandas")


def test_steps_frame_has_one_row_per_step_with_flat_learning_rates(tracker):
    for step in range(4):
        tracker.record_step(
            step, 0, 4.0 - step, {"lr-AdamW": 1e-3, "lr-AdamW/pg1": 1e-4}, samples_per_second=2.0
        )

    frame = tracker.steps_frame()

    assert frame["step"].tolist() == [0, 1, 2, 3]
    assert frame["learning_rates.lr-AdamW/pg1"].tolist() == [1e-4] * 4
    assert str(frame["timestamp"].dt.tz) == "UTC"


def test_steps_frame_of_no_steps_is_empty(tracker):
    assert tracker.steps_frame().empty


def test_history_frame_has_one_row_per_run(tracker):
    tracker.record_training_run(run_id="a", duration=2.0, samples=10, metrics={"train_loss": 1.0})
    tracker.record_training_run(run_id="b", duration=2.0, samples=20, metrics={"train_loss": 0.5})

    frame = tracker.history_frame()

    assert frame["run_id"].tolist() == ["a", "b"]
    assert frame["samples_per_second"].tolist() == [5.0, 10.0]


def test_history_frame_of_no_runs_keeps_columns(tracker):
    frame = tracker.history_frame()

    assert frame.empty and "train_loss" in frame.columns


def test_frames_without_pandas_name_the_extra_to_install(tracker, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)

    with pytest.raises(ImportError, match=r"litcode\[notebooks\]"):
        tracker.history_frame()
