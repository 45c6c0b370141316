"""Issue 16's figures on real CPU fits: FLOP/s and MFU, data wait, gradient norm, loggers, progress bar."""

from __future__ import annotations

import math
import statistics
import time
from typing import Any
from unittest.mock import patch

import pytest
import torch
from pytorch_lightning.callbacks import ThroughputMonitor
from torch.utils.data import DataLoader, IterableDataset

from litcode.callbacks import MetricsTrackerCallback
from litcode.callbacks.throughput import DataWaitClock
from litcode.metrics import MetricsTracker
from support.tiny_models import CollectingLogger, TinyRegressor, trainer

FLOPS_PER_BATCH = 3.0e9


class WithFlops(TinyRegressor):
    """A TinyRegressor that declares FLOPs per batch, the attribute Lightning's ThroughputMonitor reads."""

    flops_per_batch = FLOPS_PER_BATCH


class TokenBatches(WithFlops):
    """Dict batches with ``input_ids`` (so tokens are counted) feeding the same linear model."""

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        x = batch["input_ids"].float()
        return torch.nn.functional.mse_loss(self(x), x.sum(dim=1, keepdim=True))

    def train_dataloader(self) -> DataLoader:
        rows = torch.randint(0, 5, (64, 8))
        return DataLoader([{"input_ids": row} for row in rows], batch_size=8)


@pytest.fixture
def tracker(tmp_path) -> MetricsTracker:
    return MetricsTracker(tmp_path / "metrics" / "metrics.json")


def test_flops_per_second_is_the_intervals_flops_over_its_seconds(tmp_path, tracker):
    trainer(tmp_path, [MetricsTrackerCallback(tracker, log_every_n_steps=4)], max_steps=8).fit(WithFlops())
    for record in tracker.steps():
        expected = 4 * FLOPS_PER_BATCH / record["interval_seconds"]
        assert record["flops_per_second"] == pytest.approx(expected, rel=1e-12)


def test_flops_follow_the_batches_run_under_accumulation_and_a_short_last_batch(tmp_path, tracker):
    class PerSample(TinyRegressor):
        """FLOPs proportional to the batch actually run: 50 samples = six batches of 8 and one of 2."""

        def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
            self.flops_per_batch = 1e6 * batch[0].shape[0]
            return super().training_step(batch, batch_idx)

    callback = MetricsTrackerCallback(tracker, log_every_n_steps=2)
    fit = trainer(tmp_path, [callback], max_steps=-1, max_epochs=1, accumulate_grad_batches=2)
    fit.fit(PerSample(samples=50, batch_size=8))
    records = tracker.steps()
    flops = [r["flops_per_second"] * r["interval_seconds"] for r in records]
    assert [r["samples"] for r in records] == [32, 18]  # 4 micro-batches, then 2 of 8 and the one of 2
    assert flops == pytest.approx([32e6, 18e6], rel=1e-9)


def test_mfu_is_none_on_cpu_without_a_given_peak(tmp_path, tracker):
    trainer(tmp_path, [MetricsTrackerCallback(tracker, log_every_n_steps=4)], max_steps=4).fit(WithFlops())
    (record,) = tracker.steps()
    assert record["flops_per_second"] > 0
    assert record["mfu"] is None


def test_mfu_divides_by_the_given_peak_of_every_device(tmp_path, tracker):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=4, peak_flops=2.0e12)
    trainer(tmp_path, [callback], max_steps=4).fit(WithFlops())
    (record,) = tracker.steps()
    assert record["mfu"] == pytest.approx(record["flops_per_second"] / 2.0e12, rel=1e-12)


def test_a_module_without_flops_per_batch_records_none(tmp_path, tracker):
    trainer(tmp_path, [MetricsTrackerCallback(tracker, log_every_n_steps=4)], max_steps=4).fit(
        TinyRegressor()
    )
    (record,) = tracker.steps()
    assert (record["flops_per_second"], record["mfu"]) == (None, None)


class Heavier(WithFlops):
    """Enough compute per step (~10 ms) that both clocks measure the model, not hook overhead."""

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        weight = torch.randn(160, 160)
        for _ in range(20):
            weight = torch.tanh(weight @ weight)
        return super().training_step(batch, batch_idx) + 0 * weight.mean()


@pytest.mark.slow
def test_flops_per_second_and_mfu_agree_with_throughput_monitor(tmp_path, tracker):
    peak = 5.0e10
    logger = CollectingLogger()
    # Their window of 11 batch ends spans the same 10 steps as our interval of 10.
    ours = MetricsTrackerCallback(tracker, log_every_n_steps=10, peak_flops=peak)
    monitor = ThroughputMonitor(batch_size_fn=lambda batch: batch[0].shape[0], window_size=11)
    with patch("pytorch_lightning.callbacks.throughput_monitor.get_available_flops", return_value=peak):
        trainer(tmp_path, [ours, monitor], max_steps=50, logger=logger, log_every_n_steps=10).fit(
            Heavier(samples=400)
        )
    theirs = [value for _, value in logger.values("train/device/flops_per_sec")]
    their_mfu = [value for _, value in logger.values("train/device/mfu")]
    records = tracker.steps()[1:]  # their first full window ends at step 20
    assert len(theirs) == len(records) == len(their_mfu) == 4
    ratios = [r["flops_per_second"] / t for r, t in zip(records, theirs, strict=True)]
    assert statistics.median(ratios) == pytest.approx(1.0, abs=0.02)
    mfu_ratios = [r["mfu"] / t for r, t in zip(records, their_mfu, strict=True)]
    assert mfu_ratios == pytest.approx(ratios, rel=1e-9)  # same peak: MFU differs only as FLOP/s does


class SlowBatches(IterableDataset):
    """Yields ready batches, sleeping ``delay`` seconds before each: a loader that can't keep up."""

    def __init__(self, batches: int, delay: float) -> None:
        self.batches, self.delay = batches, delay

    def __iter__(self):
        generator = torch.Generator().manual_seed(0)
        for _ in range(self.batches):
            time.sleep(self.delay)
            x = torch.randn(8, 8, generator=generator)
            yield x, x.sum(dim=1, keepdim=True)


@pytest.mark.slow
def test_data_wait_fraction_of_a_loader_as_slow_as_the_step_is_one_half(tmp_path, tracker):
    delay = 0.03

    class SleepyStep(TinyRegressor):
        def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
            time.sleep(delay)
            return super().training_step(batch, batch_idx)

        def train_dataloader(self) -> DataLoader:
            return DataLoader(SlowBatches(40, delay), batch_size=None)

    trainer(tmp_path, [MetricsTrackerCallback(tracker, log_every_n_steps=10)], max_steps=30).fit(SleepyStep())
    fractions = [r["data_wait_fraction"] for r in tracker.steps()]
    assert len(fractions) == 3
    assert statistics.median(fractions) == pytest.approx(0.5, abs=0.1)


def test_data_wait_fraction_is_small_when_batches_are_in_memory(tmp_path, tracker):
    class SleepyStep(TinyRegressor):
        def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
            time.sleep(0.01)
            return super().training_step(batch, batch_idx)

    trainer(tmp_path, [MetricsTrackerCallback(tracker, log_every_n_steps=5)], max_steps=5).fit(SleepyStep())
    (record,) = tracker.steps()
    assert 0.0 <= record["data_wait_fraction"] < 0.4


def test_data_wait_clock_counts_gaps_between_batches_and_drops_paused_ones():
    now = [0.0]
    wait = DataWaitClock(clock=lambda: now[0])
    wait.batch_started()  # the first batch: no gap before it
    now[0] += 1.0
    wait.batch_ended()
    now[0] += 0.25
    wait.batch_started()
    now[0] += 1.0
    wait.batch_ended()
    wait.pause()  # validation: not a wait for data
    now[0] += 5.0
    wait.batch_started()
    assert wait.lap() == 0.25
    assert wait.lap() == 0.0


def test_grad_norm_is_the_hand_computed_norm_of_the_logged_step_before_clipping(tmp_path, tracker):
    by_hand: dict[int, float] = {}

    class Recording(TinyRegressor):
        def on_before_optimizer_step(self, optimizer: Any) -> None:  # after the callbacks, before clipping
            squares = sum(
                float((p.grad.double() ** 2).sum()) for p in self.parameters() if p.grad is not None
            )
            by_hand[self.trainer.global_step + 1] = math.sqrt(squares)

    callback = MetricsTrackerCallback(tracker, log_every_n_steps=3)
    trainer(tmp_path, [callback], max_steps=6, gradient_clip_val=1e-4).fit(Recording())
    records = tracker.steps()
    assert [r["step"] for r in records] == [3, 6]
    for record in records:
        assert record["grad_norm"] == pytest.approx(by_hand[record["step"]], rel=1e-5)
        assert record["grad_norm"] > 1e-3  # far above the clip value: it was read before clipping


def test_every_figure_goes_to_the_loggers_under_one_prefix(tmp_path, tracker):
    logger = CollectingLogger()
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=4, peak_flops=1e12, log_prefix="obs/")
    trainer(tmp_path, [callback], max_steps=8, logger=logger).fit(TokenBatches())
    records = tracker.steps()
    ours = [key for _, metrics in logger.logged for key in metrics if key.startswith("obs/")]
    assert {key for _, metrics in logger.logged for key in metrics} == set(ours)  # nothing outside the prefix
    for name in ("loss", "tokens_per_second", "flops_per_second", "mfu", "data_wait_fraction", "grad_norm"):
        assert [value for _, value in logger.values(f"obs/{name}")] == pytest.approx(
            [r[name] for r in records]
        )
    assert [value for _, value in logger.values("obs/lr-AdamW")] == pytest.approx([0.01, 0.01])
    assert [value for _, value in logger.values("obs/nonfinite_losses")] == [0, 0]


def test_progress_bar_shows_tokens_per_second_and_mfu(tmp_path, tracker):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=4, peak_flops=1e12)
    fit = trainer(tmp_path, [callback], max_steps=8, enable_progress_bar=True)
    fit.fit(TokenBatches())
    last = tracker.steps()[-1]
    assert fit.progress_bar_metrics["tokens/s"] == pytest.approx(last["tokens_per_second"], rel=1e-5)
    assert fit.progress_bar_metrics["mfu"] == pytest.approx(last["mfu"], rel=1e-5)


def test_progress_bar_leaves_out_figures_that_are_unknown(tmp_path, tracker):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=4)
    fit = trainer(tmp_path, [callback], max_steps=4, enable_progress_bar=True)
    fit.fit(TinyRegressor())  # tuple batches (no tokens), no flops_per_batch
    assert "tokens/s" not in fit.progress_bar_metrics and "mfu" not in fit.progress_bar_metrics
