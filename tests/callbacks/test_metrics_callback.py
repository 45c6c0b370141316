"""MetricsTrackerCallback on real Trainer.fit runs (CPU), checked against Lightning's own monitors."""

from __future__ import annotations

import json
import math
import statistics
from typing import Any
from unittest.mock import patch

import pytest
import torch
from pytorch_lightning.callbacks import LearningRateMonitor, ThroughputMonitor
from torch.utils.data import DataLoader

from litcode.callbacks import MetricsTrackerCallback
from litcode.callbacks.interval import FIELDS, reduce_gathered
from litcode.callbacks.throughput import ActiveClock, default_batch_size, default_token_count
from litcode.metrics import MetricsTracker
from support.tiny_models import CollectingLogger, ManualTwoOptimizers, TinyRegressor, trainer

STEP_KEYS = {
    "step",
    "epoch",
    "loss",
    "learning_rates",
    "samples_per_second",
    "tokens_per_second",
    "cuda_memory_allocated_gb",
    "cuda_memory_reserved_gb",
    "cuda_memory_peak_gb",
    "timestamp",
}


@pytest.fixture
def tracker(tmp_path) -> MetricsTracker:
    return MetricsTracker(tmp_path / "metrics" / "metrics.json")


def test_one_record_every_n_optimizer_steps_with_the_contract_keys(tmp_path, tracker):
    trainer(tmp_path, [MetricsTrackerCallback(tracker, log_every_n_steps=5)], max_steps=20).fit(
        TinyRegressor()
    )
    records = tracker.steps()
    assert [r["step"] for r in records] == [5, 10, 15, 20]
    for record in records:
        assert set(record) >= STEP_KEYS
        assert record["learning_rates"] == {"lr-AdamW": pytest.approx(0.01)}
        assert record["samples_per_second"] > 0
        assert record["cuda_memory_allocated_gb"] is None  # CPU run
        assert record["samples"] == 5 * 8


def test_loss_is_the_mean_over_the_interval(tmp_path, tracker):
    losses: list[float] = []

    class Recording(TinyRegressor):
        def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
            loss = super().training_step(batch, batch_idx)
            losses.append(loss.item())
            return loss

    trainer(tmp_path, [MetricsTrackerCallback(tracker, log_every_n_steps=4)], max_steps=8).fit(Recording())
    records = tracker.steps()
    assert records[0]["loss"] == pytest.approx(sum(losses[:4]) / 4, rel=1e-5)
    assert records[1]["loss"] == pytest.approx(sum(losses[4:8]) / 4, rel=1e-5)


def test_gradient_accumulation_counts_micro_batch_samples_and_optimizer_steps(tmp_path, tracker):
    # 50 samples in batches of 8: six of 8 and one of 2 per epoch; two micro-batches per optimizer step.
    model = TinyRegressor(samples=50, batch_size=8)
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=2)
    trainer(tmp_path, [callback], max_steps=-1, max_epochs=2, accumulate_grad_batches=2).fit(model)
    run = tracker.training_history[-1]
    assert run.samples_trained == 100  # every sample of both epochs, the short batches included
    assert tracker.steps()[0]["samples"] == 4 * 8  # two optimizer steps = four micro-batches


def test_loss_under_accumulation_is_the_raw_micro_batch_loss(tmp_path, tracker):
    losses: list[float] = []

    class Recording(TinyRegressor):
        def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
            loss = super().training_step(batch, batch_idx)
            losses.append(loss.item())
            return loss

    callback = MetricsTrackerCallback(tracker, log_every_n_steps=1)
    trainer(tmp_path, [callback], max_steps=2, accumulate_grad_batches=4).fit(Recording())
    assert tracker.steps()[0]["loss"] == pytest.approx(sum(losses[:4]) / 4, rel=1e-5)


def test_learning_rates_equal_learning_rate_monitor_with_groups_and_per_step_scheduler(tmp_path, tracker):
    ours = MetricsTrackerCallback(tracker, log_every_n_steps=1)
    monitor = LearningRateMonitor(logging_interval="step")
    model = TinyRegressor(two_groups=True, per_step_scheduler=True)
    trainer(tmp_path, [ours, monitor], max_steps=6, logger=CollectingLogger(), log_every_n_steps=1).fit(model)
    records = tracker.steps()
    assert set(records[0]["learning_rates"]) == set(monitor.lrs) == {"lr-AdamW/pg1", "lr-AdamW/pg2"}
    for name, theirs in monitor.lrs.items():
        assert [r["learning_rates"][name] for r in records] == pytest.approx(theirs)
    # LambdaLR(1 / (1 + step)): step 3 ran with the rate after two scheduler steps.
    assert records[2]["learning_rates"]["lr-AdamW/pg2"] == pytest.approx(0.002 / 3)


def test_manual_optimization_with_two_optimizers_gets_unique_names(tmp_path, tracker):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=2)
    trainer(tmp_path, [callback], max_steps=8).fit(ManualTwoOptimizers())
    records = tracker.steps()
    assert records, "manual optimization must still produce records"
    assert records[0]["learning_rates"] == {"lr-SGD": pytest.approx(0.05), "lr-AdamW": pytest.approx(0.001)}
    assert all(r["loss"] is not None and math.isfinite(r["loss"]) for r in records)


def test_same_figures_go_to_the_trainers_loggers(tmp_path, tracker):
    logger = CollectingLogger()
    trainer(
        tmp_path, [MetricsTrackerCallback(tracker, log_every_n_steps=5)], max_steps=10, logger=logger
    ).fit(TinyRegressor())
    logged = logger.values("litcode/samples_per_second")
    assert [step for step, _ in logged] == [5, 10]
    records = tracker.steps()
    assert [value for _, value in logged] == pytest.approx([r["samples_per_second"] for r in records])
    assert [v for _, v in logger.values("litcode/loss")] == pytest.approx([r["loss"] for r in records])
    assert [v for _, v in logger.values("litcode/lr-AdamW")] == pytest.approx([0.01, 0.01])


def test_fit_end_records_the_run_and_saves_the_snapshot(tmp_path, tracker):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=3, run_id="tiny")
    trainer(tmp_path, [callback], max_steps=7).fit(TinyRegressor())
    run = tracker.training_history[-1]
    assert run.run_id == "tiny"
    assert run.samples_trained == 7 * 8  # the partial last interval is flushed too
    assert [r["step"] for r in tracker.steps()] == [3, 6, 7]
    assert run.train_loss == pytest.approx(tracker.steps()[-1]["loss"])
    assert run.learning_rate == pytest.approx(0.01)
    snapshot = json.loads(tracker.metrics_file.read_text())
    assert snapshot["training_history"][0]["samples_trained"] == 56


def test_without_a_tracker_one_is_created_under_the_root_dir(tmp_path):
    callback = MetricsTrackerCallback(log_every_n_steps=5)
    trainer(tmp_path, [callback], max_steps=5).fit(TinyRegressor())
    restored = MetricsTracker.load(tmp_path / "metrics" / "metrics.json")
    assert [r["step"] for r in restored.steps()] == [5]


def test_nan_loss_is_recorded_and_flagged_not_fatal(tmp_path, tracker):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=2)
    trainer(tmp_path, [callback], max_steps=6).fit(TinyRegressor(nan_at_step=2))
    losses = [r["loss"] for r in tracker.steps()]
    assert math.isfinite(losses[0]) and math.isnan(losses[1]) and math.isfinite(losses[2])
    assert tracker.get_training_summary()["nan_steps"] == 1


SYNC_METHODS = ("item", "cpu", "tolist", "numpy", "__float__", "__int__", "__bool__")


class DictBatchesWithFlops(TinyRegressor):
    """Dict batches with an attention mask (tokens summed on the device) and declared FLOPs."""

    flops_per_batch = 1e9

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        x = batch["input_ids"].float()
        return torch.nn.functional.mse_loss(self(x), x.sum(dim=1, keepdim=True))

    def train_dataloader(self) -> DataLoader:
        rows = torch.randint(0, 5, (96, 8))
        return DataLoader([{"input_ids": row, "attention_mask": torch.ones(8)} for row in rows], batch_size=8)


PER_STEP_HOOKS = (
    "on_train_batch_start",
    "on_before_backward",
    "on_before_optimizer_step",
    "on_train_batch_end",
)


@pytest.mark.parametrize("on_anomaly", ["warn", "skip"])
def test_no_host_device_sync_on_steps_that_do_not_log(tmp_path, tracker, on_anomaly):
    """Count sync-forcing calls made inside the callback's per-step hooks, step by step, while every
    figure is measured: tokens on the device, FLOPs, data wait, gradient norm, loss health."""
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=5, peak_flops=1e12, on_anomaly=on_anomaly)
    syncs_by_step: dict[int, int] = {}
    counting = {"active": False, "count": 0}
    originals = {name: getattr(torch.Tensor, name) for name in SYNC_METHODS}

    def counted(name: str):
        def method(self: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
            if counting["active"]:
                counting["count"] += 1
            return originals[name](self, *args, **kwargs)

        return method

    def watch(hook):
        def watched(trainer_, *args: Any, **kwargs: Any) -> Any:
            counting["active"], counting["count"] = True, 0
            try:
                return hook(trainer_, *args, **kwargs)
            finally:
                counting["active"] = False
                step = trainer_.global_step
                syncs_by_step[step] = syncs_by_step.get(step, 0) + counting["count"]

        return watched

    for name in PER_STEP_HOOKS:
        setattr(callback, name, watch(getattr(callback, name)))
    patches = [patch.object(torch.Tensor, name, counted(name)) for name in SYNC_METHODS]
    patches.append(patch("torch.cuda.synchronize", side_effect=AssertionError("synchronize called")))
    for active in patches:
        active.start()
    try:
        trainer(tmp_path, [callback], max_steps=12).fit(DictBatchesWithFlops())
    finally:
        for active in patches:
            active.stop()
    logging_steps = {5, 10}
    assert all(syncs_by_step[step] == 0 for step in syncs_by_step if step not in logging_steps), syncs_by_step
    assert all(syncs_by_step[step] >= 1 for step in logging_steps)  # the counter does see real reads
    for record in tracker.steps():  # every figure was really measured on those steps
        for name in ("tokens_per_second", "flops_per_second", "mfu", "data_wait_fraction", "grad_norm"):
            assert record[name] is not None, name


@pytest.mark.slow
def test_samples_per_second_agrees_with_throughput_monitor(tmp_path, tracker):
    logger = CollectingLogger()

    class Heavier(TinyRegressor):
        """Enough compute per step that both clocks measure the model, not Python overhead."""

        def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
            weight = torch.randn(128, 128)
            for _ in range(10):
                weight = torch.tanh(weight @ weight)
            return super().training_step(batch, batch_idx) + 0 * weight.mean()

    # Their window of 11 batch ends spans the same 10 steps as our interval of 10.
    ours = MetricsTrackerCallback(tracker, log_every_n_steps=10)
    monitor = ThroughputMonitor(batch_size_fn=lambda batch: batch[0].shape[0], window_size=11)
    trainer(tmp_path, [ours, monitor], max_steps=50, logger=logger, log_every_n_steps=10).fit(
        Heavier(samples=400)
    )
    theirs = [value for _, value in logger.values("train/device/samples_per_sec")]
    mine = [r["samples_per_second"] for r in tracker.steps()][1:]  # their first full window ends at step 20
    assert len(theirs) == len(mine) == 4
    ratios = sorted(m / t for m, t in zip(mine, theirs, strict=True))
    assert statistics.median(ratios) == pytest.approx(1.0, abs=0.05)


def test_validation_time_is_excluded_from_throughput():
    now = [0.0]
    clock = ActiveClock(clock=lambda: now[0])
    clock.start()
    now[0] += 2.0
    clock.pause()  # validation starts
    now[0] += 30.0
    clock.start()  # validation ends
    now[0] += 1.0
    assert clock.lap() == pytest.approx(3.0)
    now[0] += 0.5
    assert clock.lap() == pytest.approx(0.5)


def test_validation_hooks_pause_the_clock(tmp_path, tracker):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=100)
    fit = trainer(tmp_path, [callback], max_steps=4, limit_val_batches=1, val_check_interval=2)
    fit.fit(TinyRegressor(validate=True))
    assert fit.validating is False
    assert not callback._clock.running  # paused at fit end
    assert callback.total_samples == 32


def _row(**values: float) -> list[float]:
    return [values.get(name, -1.0 if name in ("allocated", "reserved", "peak") else 0.0) for name in FIELDS]


def test_gathered_rows_sum_counts_and_take_min_max_memory():
    rows = [
        _row(
            loss_sum=2.0,
            loss_count=2,
            samples=8,
            host_tokens=800,
            seconds=1.0,
            allocated=1,
            reserved=2,
            peak=3,
        ),
        _row(
            loss_sum=6.0,
            loss_count=2,
            samples=16,
            device_tokens=1600,
            seconds=1.5,
            allocated=4,
            reserved=5,
            peak=6,
        ),
    ]
    figures = reduce_gathered(rows, tokens_known=True)
    assert figures.loss == pytest.approx(2.0)
    assert figures.samples == 24
    assert figures.tokens == 2400
    assert (figures.seconds, figures.step_seconds_min) == (1.5, 1.0)
    assert figures.memory_gb["cuda_memory_peak_gb"] == 6.0
    assert figures.memory_gb["cuda_memory_peak_gb_min"] == 3.0


def test_gathered_rows_give_the_worst_ranks_data_wait_and_summed_flops_and_counts():
    rows = [
        _row(
            seconds=2.0,
            data_wait=0.2,
            flops=3e9,
            flops_batches=4,
            nonfinite_losses=1,
            grad_steps=2,
            grad_norm=0.5,
        ),
        _row(
            seconds=2.0, data_wait=1.0, flops=5e9, flops_batches=4, loss_spikes=2, grad_steps=2, grad_norm=0.5
        ),
    ]
    figures = reduce_gathered(rows, tokens_known=False)
    assert figures.data_wait_fraction == pytest.approx(0.5)
    assert figures.flops == 8e9
    assert (figures.nonfinite_losses, figures.loss_spikes, figures.grad_norm) == (1, 2, 0.5)
    assert figures.tokens is None and figures.memory_gb == {}


def test_gathered_rows_without_flops_or_gradient_steps_leave_those_figures_unknown():
    figures = reduce_gathered([_row(seconds=1.0, samples=8, grad_norm=3.0)], tokens_known=False)
    assert (figures.flops, figures.grad_norm) == (None, None)


def test_batch_counters_find_sizes_in_tuples_and_dicts():
    assert default_batch_size((torch.zeros(5, 3), torch.zeros(5))) == 5
    assert default_batch_size({"input_ids": torch.zeros(7, 16, dtype=torch.long)}) == 7
    assert default_token_count({"input_ids": torch.zeros(7, 16, dtype=torch.long)}) == 112
    masked = default_token_count(
        {"input_ids": torch.zeros(2, 4), "attention_mask": torch.tensor([[1, 1, 0, 0]] * 2)}
    )
    assert isinstance(masked, torch.Tensor) and int(masked) == 4


def test_invalid_interval_is_refused():
    with pytest.raises(ValueError, match="log_every_n_steps"):
        MetricsTrackerCallback(log_every_n_steps=0)
