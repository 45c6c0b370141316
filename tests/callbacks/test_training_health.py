"""Loss and gradient health on real CPU fits: non-finite counts, loss spikes, and warn / skip / stop."""

from __future__ import annotations

import logging
import math
from dataclasses import replace
from typing import Any

import pytest
import torch

from litcode.callbacks import MetricsTrackerCallback
from litcode.callbacks.health import LossBaseline, describe_anomalies
from litcode.metrics import MetricsTracker
from support.interval_figures import HEALTHY
from support.tiny_models import TinyRegressor, trainer


class PoisonedStep(TinyRegressor):
    """Step ``at`` gets a NaN loss *and* NaN gradients (``loss * nan``), or a ``spike`` times larger loss."""

    def __init__(self, at: int, spike: float | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.at, self.spike = at, spike

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        loss = super().training_step(batch, batch_idx)
        if self.global_step == self.at:
            return loss * (self.spike if self.spike is not None else float("nan"))
        return loss


def weights_finite(model: torch.nn.Module) -> bool:
    return all(bool(torch.isfinite(p).all()) for p in model.parameters())


@pytest.fixture
def tracker(tmp_path) -> MetricsTracker:
    return MetricsTracker(tmp_path / "metrics" / "metrics.json")


def test_non_finite_losses_and_gradients_are_counted_in_their_interval(tmp_path, tracker):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=2, grad_norm_every_step=True)
    trainer(tmp_path, [callback], max_steps=4).fit(PoisonedStep(at=2))
    first, second = tracker.steps()
    assert (first["nonfinite_losses"], first["nonfinite_grads"]) == (0, 0)
    # Step 3's NaN gradients make the weights NaN, so step 4's loss and gradients are NaN too.
    assert (second["nonfinite_losses"], second["nonfinite_grads"]) == (2, 2)
    assert math.isnan(second["grad_norm"])


def test_by_default_only_the_logged_steps_gradients_are_checked(tmp_path, tracker):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=2)
    trainer(tmp_path, [callback], max_steps=6).fit(PoisonedStep(at=2))
    assert [r["nonfinite_losses"] for r in tracker.steps()] == [0, 2, 2]  # every micro-batch, always
    assert [r["nonfinite_grads"] for r in tracker.steps()] == [0, 1, 1]  # steps 2, 4, 6: one check each


def test_the_gradient_norm_is_taken_on_logged_steps_only_by_default(tmp_path, tracker, mocker):
    from litcode.callbacks import metrics_callback

    norms = mocker.spy(metrics_callback, "gradient_norm")
    trainer(tmp_path, [MetricsTrackerCallback(tracker, log_every_n_steps=3)], max_steps=7).fit(
        TinyRegressor()
    )
    assert norms.call_count == 3  # steps 3 and 6, and 7, the last step of the fit
    assert [r["step"] for r in tracker.steps()] == [3, 6, 7]
    assert all(r["grad_norm"] > 0 for r in tracker.steps())


def test_warn_logs_the_problem_and_training_goes_on(tmp_path, tracker, caplog):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=2)
    with caplog.at_level(logging.WARNING, logger="litcode.callbacks"):
        fit = trainer(tmp_path, [callback], max_steps=4)
        fit.fit(PoisonedStep(at=2))
    assert fit.global_step == 4
    assert "step 4: 2 non-finite loss(es), 1 step(s) with non-finite gradients" in caplog.text
    assert tracker.training_history[-1].stop_reason is None


def test_skip_zeroes_the_bad_steps_gradients_so_the_weights_stay_finite(tmp_path, tracker):
    warned, skipped = PoisonedStep(at=2), PoisonedStep(at=2)
    unchecked = MetricsTrackerCallback(MetricsTracker(None), log_every_n_steps=2)
    trainer(tmp_path, [unchecked], max_steps=4).fit(warned)
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=2, on_anomaly="skip")
    trainer(tmp_path, [callback], max_steps=4).fit(skipped)
    assert not weights_finite(warned)  # what a NaN gradient does unchecked
    assert weights_finite(skipped)
    assert [r["skipped_steps"] for r in tracker.steps()] == [0, 1]
    assert [r["nonfinite_losses"] for r in tracker.steps()] == [0, 1]


def test_skip_leaves_healthy_steps_alone(tmp_path):
    reference, checked = TinyRegressor(), TinyRegressor()
    checked.load_state_dict(reference.state_dict())
    trainer(tmp_path, [], max_steps=6).fit(reference)
    callback = MetricsTrackerCallback(MetricsTracker(None), log_every_n_steps=3, on_anomaly="skip")
    trainer(tmp_path, [callback], max_steps=6).fit(checked)
    for mine, theirs in zip(checked.parameters(), reference.parameters(), strict=True):
        assert torch.equal(mine, theirs)


def test_stop_ends_the_fit_at_the_interval_and_records_the_reason(tmp_path, tracker):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=2, on_anomaly="stop")
    fit = trainer(tmp_path, [callback], max_steps=20)
    fit.fit(PoisonedStep(at=2))
    assert fit.global_step == 4  # the interval holding step 3 ends at step 4: stopped there, cleanly
    run = tracker.training_history[-1]
    assert run.stop_reason == "step 4: 2 non-finite loss(es), 1 step(s) with non-finite gradients"
    assert tracker.steps()[-1]["stop_reason"] == run.stop_reason
    assert MetricsTracker.load(tracker.metrics_file).training_history[-1].stop_reason == run.stop_reason


def test_a_loss_spike_is_detected_against_the_previous_intervals(tmp_path, tracker, caplog):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=5)
    with caplog.at_level(logging.WARNING, logger="litcode.callbacks"):
        trainer(tmp_path, [callback], max_steps=20).fit(PoisonedStep(at=12, spike=1000.0, samples=160))
    assert [r["loss_spikes"] for r in tracker.steps()] == [0, 0, 1, 0]
    assert "loss spike(s) above" in caplog.text


def test_spike_detection_can_be_turned_off(tmp_path, tracker):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=5, spike_std=None)
    trainer(tmp_path, [callback], max_steps=20).fit(PoisonedStep(at=12, spike=1000.0, samples=160))
    assert [r["loss_spikes"] for r in tracker.steps()] == [0, 0, 0, 0]


def test_baseline_threshold_is_mean_plus_k_standard_deviations():
    baseline = LossBaseline(spike_std=2.0)
    baseline.add(count=4, total=8.0, total_squares=4 * (4.0 + 0.25))  # mean 2, std 0.5
    baseline.add(count=6, total=12.0, total_squares=6 * (4.0 + 0.25))
    assert baseline.threshold() == pytest.approx(3.0)


def test_baseline_needs_ten_losses_and_forgets_old_intervals():
    baseline = LossBaseline(spike_std=1.0, intervals=2)
    baseline.add(count=9, total=9.0, total_squares=9.0)
    assert baseline.threshold() == math.inf  # 9 < 10 losses: no baseline yet
    baseline.add(count=1, total=1.0, total_squares=1.0)
    assert baseline.threshold() == pytest.approx(1.0)  # mean 1, std 0
    baseline.add(count=10, total=50.0, total_squares=250.0)  # pushes the first interval out
    mean = 51.0 / 11.0
    assert baseline.threshold() == pytest.approx(mean + math.sqrt(251.0 / 11.0 - mean**2))


def test_baseline_ignores_empty_intervals_and_refuses_a_non_positive_k():
    baseline = LossBaseline(spike_std=1.0)
    baseline.add(count=0, total=0.0, total_squares=0.0)
    assert baseline.threshold() == math.inf
    with pytest.raises(ValueError, match="spike_std"):
        LossBaseline(spike_std=0.0)


def test_anomalies_are_described_only_when_there_are_some():
    healthy = replace(HEALTHY, loss=1.0, healthy_losses=(1, 1.0, 1.0))
    assert describe_anomalies(healthy, 2.0) is None
    sick = replace(healthy, loss_spikes=2, skipped_steps=2)
    assert describe_anomalies(sick, 2.5) == "2 loss spike(s) above 2.5; 2 step(s) skipped (gradients zeroed)"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"on_anomaly": "ignore"}, "on_anomaly"),
        ({"peak_flops": 0.0}, "peak_flops"),
        ({"spike_std": -1.0}, "spike_std"),
    ],
)
def test_invalid_health_settings_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MetricsTrackerCallback(**kwargs)


def test_gradient_norm_of_mixed_dtypes_equals_the_norm_of_all_gradients():
    from litcode.callbacks.health import gradient_norm

    first, second = (
        torch.nn.Parameter(torch.zeros(3)),
        torch.nn.Parameter(torch.zeros(2, dtype=torch.float64)),
    )
    first.grad, second.grad = torch.tensor([3.0, 0.0, 0.0]), torch.tensor([0.0, 4.0], dtype=torch.float64)
    unused = torch.nn.Parameter(torch.zeros(1))  # no gradient: left out
    assert float(gradient_norm([first, second, unused])) == pytest.approx(5.0)
    assert gradient_norm([unused]) is None


def test_an_epoch_bound_fit_has_the_norm_of_its_last_partial_interval(tmp_path, tracker):
    callback = MetricsTrackerCallback(tracker, log_every_n_steps=3)
    trainer(tmp_path, [callback], max_steps=-1, max_epochs=1).fit(TinyRegressor())  # 8 steps
    assert [r["step"] for r in tracker.steps()] == [3, 6, 8]
    assert all(r["grad_norm"] is not None for r in tracker.steps())
