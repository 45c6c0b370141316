"""The health rules one by one on CPU tensors: which step is skipped, what the warning says, when to stop."""

from __future__ import annotations

import logging
import math
import re
from dataclasses import replace

import pytest
import torch

from litcode.callbacks.health import (
    HealthMonitor,
    LossBaseline,
    describe_anomalies,
    parameters_of,
    zero_gradients_if_bad,
)
from support.interval_figures import HEALTHY


class TrainerState:
    """The three Trainer attributes the monitor reads and writes."""

    def __init__(self, global_step: int = 12, is_global_zero: bool = True) -> None:
        self.global_step = global_step
        self.is_global_zero = is_global_zero
        self.should_stop = False


def parameter_with_grad(*values: float) -> torch.nn.Parameter:
    parameter = torch.nn.Parameter(torch.zeros(len(values)))
    parameter.grad = torch.tensor(values)
    return parameter


def test_parameters_come_in_group_order():
    first, second, third = (torch.nn.Parameter(torch.zeros(1)) for _ in range(3))
    optimizer = torch.optim.SGD([{"params": [first, second]}, {"params": [third], "lr": 0.5}], lr=0.1)
    assert parameters_of(optimizer) == [first, second, third]


def test_a_nonfinite_gradient_norm_zeroes_every_gradient():
    parameters = [parameter_with_grad(1.0, math.nan), parameter_with_grad(2.0)]
    bad = zero_gradients_if_bad(parameters, torch.tensor(math.nan), [], 1.0, math.inf)
    assert bool(bad) is True
    assert [p.grad.tolist() for p in parameters] == [[0.0, 0.0], [0.0]]


def test_a_finite_norm_and_healthy_losses_leave_the_gradients_alone():
    parameters = [parameter_with_grad(1.0, 3.0)]
    bad = zero_gradients_if_bad(parameters, torch.tensor(3.2), [torch.tensor(1.0)], 2.0, 2.0)
    assert bool(bad) is False  # 1.0 * 2 equals the threshold: not above it
    assert parameters[0].grad.tolist() == [1.0, 3.0]


def test_a_loss_above_the_threshold_after_unscaling_zeroes_the_gradients():
    parameters = [parameter_with_grad(1.0)]
    bad = zero_gradients_if_bad(parameters, None, [torch.tensor(0.5), torch.tensor(1.5)], 2.0, 2.5)
    assert bool(bad) is True and parameters[0].grad.tolist() == [0.0]


def test_a_nonfinite_loss_zeroes_the_gradients_even_without_a_norm():
    parameters = [parameter_with_grad(4.0)]
    bad = zero_gradients_if_bad(parameters, None, [torch.tensor(math.inf)], 1.0, math.inf)
    assert bool(bad) is True and parameters[0].grad.tolist() == [0.0]


def test_without_a_norm_or_losses_nothing_is_checked():
    parameters = [parameter_with_grad(4.0)]
    assert zero_gradients_if_bad(parameters, None, [], 1.0, 0.0) is None
    assert parameters[0].grad.tolist() == [4.0]


def test_parameters_without_a_gradient_are_passed_over_when_skipping():
    unused = torch.nn.Parameter(torch.zeros(1))
    used = parameter_with_grad(1.0)
    assert bool(zero_gradients_if_bad([unused, used], torch.tensor(math.inf), [], 1.0, 0.0)) is True
    assert unused.grad is None and used.grad.tolist() == [0.0]


def test_every_kind_of_anomaly_is_named_in_one_sentence():
    sick = replace(HEALTHY, nonfinite_losses=1, loss_spikes=2, nonfinite_grads=3, skipped_steps=4)
    assert describe_anomalies(sick, 2.123456789) == (
        "1 non-finite loss(es), 2 loss spike(s) above 2.12346, 3 step(s) with non-finite gradients"
        "; 4 step(s) skipped (gradients zeroed)"
    )


def test_skipped_steps_alone_are_no_anomaly():
    assert describe_anomalies(replace(HEALTHY, skipped_steps=2), 1.0) is None


def test_nonfinite_gradients_alone_are_an_anomaly():
    assert describe_anomalies(replace(HEALTHY, nonfinite_grads=1), 1.0) == (
        "1 step(s) with non-finite gradients"
    )


def test_baseline_keeps_five_intervals_by_default():
    baseline = LossBaseline(spike_std=1.0)
    baseline.add(count=10, total=1000.0, total_squares=100000.0)  # loss 100, pushed out below
    for _ in range(5):
        baseline.add(count=10, total=10.0, total_squares=10.0)  # loss 1
    assert baseline.threshold() == 1.0


def test_empty_intervals_do_not_push_healthy_ones_out_of_the_baseline():
    baseline = LossBaseline(spike_std=1.0, intervals=2)
    baseline.add(count=10, total=10.0, total_squares=10.0)
    baseline.add(count=0, total=0.0, total_squares=0.0)
    baseline.add(count=0, total=0.0, total_squares=0.0)
    assert baseline.threshold() == 1.0


def test_baseline_needs_ten_healthy_losses_by_default():
    baseline = LossBaseline(spike_std=1.0)
    baseline.add(count=9, total=9.0, total_squares=9.0)
    assert baseline.threshold() == math.inf
    baseline.add(count=1, total=1.0, total_squares=1.0)
    assert baseline.threshold() == 1.0


def test_baseline_without_spike_detection_never_has_a_threshold():
    baseline = LossBaseline(spike_std=None)
    baseline.add(count=100, total=100.0, total_squares=100.0)
    assert baseline.threshold() == math.inf


def test_a_negative_variance_from_the_sums_reads_as_zero():
    baseline = LossBaseline(spike_std=3.0, min_losses=1)
    baseline.add(count=2, total=2.0, total_squares=1.0)  # mean of squares 0.5 below the squared mean 1
    assert baseline.threshold() == 1.0


def test_a_monitor_refuses_an_unknown_action():
    expected = "on_anomaly must be one of ('warn', 'skip', 'stop'), got 'halt'"
    with pytest.raises(ValueError, match=re.escape(expected)):
        HealthMonitor("halt", spike_std=6.0)  # type: ignore[arg-type]


def test_only_skip_keeps_the_step_losses_and_zeroes_bad_steps():
    for action in ("warn", "stop"):
        monitor = HealthMonitor(action, spike_std=6.0)
        monitor.before_backward(torch.tensor(math.nan))
        parameter = parameter_with_grad(1.0)
        assert monitor.before_optimizer_step([parameter], torch.tensor(math.nan), 1.0) is None
        assert parameter.grad.tolist() == [1.0]
    monitor = HealthMonitor("skip", spike_std=6.0)
    monitor.before_backward(torch.tensor(math.nan))
    parameter = parameter_with_grad(1.0)
    assert bool(monitor.before_optimizer_step([parameter], torch.tensor(1.0), 1.0)) is True
    assert parameter.grad.tolist() == [0.0]


def test_skip_zeroes_a_step_whose_gradient_norm_alone_is_bad():
    monitor = HealthMonitor("skip", spike_std=6.0)
    monitor.before_backward(torch.tensor(1.0))
    parameter = parameter_with_grad(1.0)
    assert bool(monitor.before_optimizer_step([parameter], torch.tensor(math.inf), 1.0)) is True
    assert parameter.grad.tolist() == [0.0]


def test_skip_forgets_a_steps_losses_once_it_has_stepped():
    monitor = HealthMonitor("skip", spike_std=6.0)
    monitor.before_backward(torch.tensor(math.nan))
    monitor.before_optimizer_step([parameter_with_grad(1.0)], None, 1.0)
    parameter = parameter_with_grad(1.0)
    assert monitor.before_optimizer_step([parameter], None, 1.0) is None  # nothing left to check
    assert parameter.grad.tolist() == [1.0]


def test_skip_judges_step_losses_against_the_threshold_of_the_interval_under_way():
    monitor = HealthMonitor("skip", spike_std=3.0)
    monitor.interval_closed(TrainerState(), HEALTHY)  # threshold 2.0 + 3 * 0.2 = 2.6
    monitor.before_backward(torch.tensor(1.4))
    parameter = parameter_with_grad(1.0)
    assert bool(monitor.before_optimizer_step([parameter], None, 2.0)) is True  # 1.4 * 2 = 2.8 > 2.6


def test_a_healthy_interval_sets_the_next_threshold_and_says_nothing(caplog):
    monitor = HealthMonitor("stop", spike_std=3.0)
    trainer = TrainerState()
    with caplog.at_level(logging.WARNING, logger="litcode.callbacks"):
        monitor.interval_closed(trainer, HEALTHY)
    assert monitor.threshold == pytest.approx(2.6)
    assert caplog.records == [] and not trainer.should_stop and monitor.stop_reason is None


def test_warn_names_the_step_and_the_threshold_the_interval_was_judged_by(caplog):
    monitor = HealthMonitor("warn", spike_std=3.0)
    monitor.interval_closed(TrainerState(global_step=5), HEALTHY)
    trainer = TrainerState(global_step=10)
    with caplog.at_level(logging.WARNING, logger="litcode.callbacks"):
        monitor.interval_closed(trainer, replace(HEALTHY, loss_spikes=1))
    assert [record.getMessage() for record in caplog.records] == [
        "MetricsTrackerCallback: step 10: 1 loss spike(s) above 2.6"
    ]
    assert not trainer.should_stop and monitor.stop_reason is None


def test_stop_stops_the_trainer_and_keeps_the_first_reason(caplog):
    monitor = HealthMonitor("stop", spike_std=None)
    first, second = TrainerState(global_step=4), TrainerState(global_step=8)
    with caplog.at_level(logging.WARNING, logger="litcode.callbacks"):
        monitor.interval_closed(first, replace(HEALTHY, nonfinite_losses=1))
        monitor.interval_closed(second, replace(HEALTHY, nonfinite_grads=2))
    assert first.should_stop and second.should_stop
    assert monitor.stop_reason == "step 4: 1 non-finite loss(es)"
    assert caplog.records[-1].getMessage() == (
        "MetricsTrackerCallback: step 8: 2 step(s) with non-finite gradients; stopping (on_anomaly='stop')"
    )


def test_only_the_global_zero_rank_logs_the_warning(caplog):
    monitor = HealthMonitor("stop", spike_std=None)
    trainer = TrainerState(is_global_zero=False)
    with caplog.at_level(logging.WARNING, logger="litcode.callbacks"):
        monitor.interval_closed(trainer, replace(HEALTHY, nonfinite_losses=1))
    assert caplog.records == [] and trainer.should_stop  # every rank still stops
