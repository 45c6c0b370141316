"""Issue 13, defect 2: what a fit leaves in the tracker's run record, through a real Trainer.fit."""

from __future__ import annotations

import pytest

from litcode.callbacks import MetricsTrackerCallback
from litcode.metrics import MetricsTracker
from support.tiny_models import TinyRegressor, trainer


class WithTokens(TinyRegressor):
    def train_dataloader(self):
        from torch.utils.data import DataLoader

        from support.tiny_models import regression_data

        data = regression_data(self.samples)
        return DataLoader([{"input_ids": x, "labels": y} for x, y in data], batch_size=self.batch_size)

    def training_step(self, batch, batch_idx):
        return super().training_step((batch["input_ids"], batch["labels"]), batch_idx)


def test_a_fit_records_epoch_step_tokens_wall_time_and_every_learning_rate(tmp_path):
    tracker = MetricsTracker(tmp_path / "metrics.json")
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=4, run_id="r")
    fit = trainer(tmp_path, [callback], max_steps=-1, max_epochs=2)
    fit.fit(WithTokens(two_groups=True))
    run = tracker.training_history[-1]
    assert run.epoch == fit.current_epoch == 2  # was always None: the callback sent "epochs"
    assert run.global_step == fit.global_step == 16
    assert run.tokens == 2 * 64 * 8  # input_ids.numel() of every batch
    assert run.wall_seconds is not None and run.wall_seconds >= run.duration_seconds > 0
    assert run.learning_rates == {"lr-AdamW/pg1": pytest.approx(0.01), "lr-AdamW/pg2": pytest.approx(0.002)}
    assert run.learning_rate == pytest.approx(0.01)
    assert run.stop_reason is None


def test_the_run_record_survives_save_and_load(tmp_path):
    tracker = MetricsTracker(tmp_path / "metrics.json")
    fit = trainer(tmp_path, [MetricsTrackerCallback(tracker, log_every_n_steps=4)], max_steps=6)
    fit.fit(WithTokens())
    restored = MetricsTracker.load(tmp_path / "metrics.json").training_history[-1]
    assert restored == tracker.training_history[-1]
    assert (restored.global_step, restored.epoch, restored.tokens) == (6, fit.current_epoch, 6 * 8 * 8)


def test_fit_end_saves_the_snapshot_once(tmp_path, mocker):
    tracker = MetricsTracker(tmp_path / "metrics.json")
    saves = mocker.spy(tracker, "_save_metrics")
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=100)
    fit = trainer(tmp_path, [callback], max_steps=3)
    fit.fit(TinyRegressor())
    assert saves.call_count == 1  # was 2: record_training_run saved, then on_train_end saved again
