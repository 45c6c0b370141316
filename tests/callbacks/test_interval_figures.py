"""The packed interval vector and the step record built from it, pinned number by number (CPU tensors)."""

from __future__ import annotations

import math

import pytest
import torch

from litcode.callbacks.interval import FIELDS, IntervalAccumulator, reduce_gathered
from litcode.callbacks.step_report import StepReport
from support.tiny_models import CollectingLogger

CPU = torch.device("cpu")


def filled() -> IntervalAccumulator:
    interval = IntervalAccumulator()
    for loss in (1.0, 2.0, 3.0, 30.0, math.nan):  # already divided by 2, as under accumulation
        interval.add(torch.tensor(loss / 2), samples=8, tokens=100, flops=1e9)
    interval.grad_norms += [torch.tensor(0.5), torch.tensor(math.inf), torch.tensor(0.25)]
    interval.skipped += [torch.tensor(False), torch.tensor(True)]
    return interval


def test_pack_lays_out_every_field_in_order():
    packed = filled().pack(2.0, 0.5, (1.5, 2.5, 2.0), CPU, loss_scale=2.0, spike_threshold=10.0)
    row = dict(zip(FIELDS, packed.tolist(), strict=True))
    assert len(packed) == len(FIELDS) and packed.dtype == torch.float64
    assert row["loss_count"] == 5 and row["samples"] == 40 and row["host_tokens"] == 500
    assert (row["seconds"], row["data_wait"], row["flops"], row["flops_batches"]) == (2.0, 0.5, 5e9, 5)
    assert (row["grad_steps"], row["allocated"], row["reserved"], row["peak"]) == (3, 1.5, 2.5, 2.0)
    assert math.isnan(row["loss_sum"])  # a NaN loss makes the interval's mean NaN, as it should
    assert (row["nonfinite_losses"], row["loss_spikes"], row["healthy_count"]) == (1, 1, 3)
    assert (row["healthy_sum"], row["healthy_sum_squares"]) == (6.0, 14.0)  # 1 + 2 + 3, 1 + 4 + 9
    assert (row["grad_norm"], row["nonfinite_grads"], row["skipped_steps"]) == (0.25, 1, 1)


def test_unknown_memory_packs_as_minus_one_and_reduces_to_no_figures():
    interval = IntervalAccumulator()
    interval.add(torch.tensor(1.0), 4, None)
    row = dict(zip(FIELDS, interval.pack(1.0, 0.0, None, CPU).tolist(), strict=True))
    assert (row["allocated"], row["reserved"], row["peak"]) == (-1.0, -1.0, -1.0)
    figures = reduce_gathered([list(row.values())], tokens_known=interval.tokens_known)
    assert figures.memory_gb == {} and figures.tokens is None and figures.flops is None


def test_reduced_figures_of_one_rank():
    interval = filled()
    packed = interval.pack(2.0, 0.5, None, CPU, loss_scale=2.0, spike_threshold=10.0)
    figures = reduce_gathered([packed.tolist()], tokens_known=True)
    assert (figures.samples, figures.tokens, figures.flops, figures.seconds) == (40, 500, 5e9, 2.0)
    assert figures.data_wait_fraction == 0.25
    assert (figures.nonfinite_losses, figures.loss_spikes, figures.nonfinite_grads) == (1, 1, 1)
    assert (figures.skipped_steps, figures.grad_norm) == (1, 0.25)
    assert figures.healthy_losses == (3, 6.0, 14.0)


def test_device_token_counts_add_to_host_ones():
    interval = IntervalAccumulator()
    interval.add(None, 2, torch.tensor(7))
    interval.add(None, 2, torch.tensor(5))
    interval.add(None, 2, 3)
    figures = reduce_gathered([interval.pack(1.0, 0.0, None, CPU).tolist()], interval.tokens_known)
    assert (figures.tokens, figures.samples, figures.loss) == (15, 6, None)


def test_a_nonfinite_grad_norm_of_any_rank_is_the_one_reported():
    rows = []
    for norm in (0.5, math.nan, 0.75):
        interval = IntervalAccumulator()
        interval.grad_norms.append(torch.tensor(norm))
        rows.append(interval.pack(1.0, 0.0, None, CPU).tolist())
    assert math.isnan(reduce_gathered(rows, False).grad_norm)


def test_data_wait_fraction_is_capped_at_one_and_unknown_without_time():
    assert (
        reduce_gathered([IntervalAccumulator().pack(1.0, 3.0, None, CPU).tolist()], False).data_wait_fraction
        == 1
    )
    assert (
        reduce_gathered([IntervalAccumulator().pack(0.0, 0.0, None, CPU).tolist()], False).data_wait_fraction
        is None
    )


def test_reset_empties_the_interval():
    interval = filled()
    assert not interval.empty
    interval.reset()
    assert interval.empty and interval.losses == [] and interval.grad_norms == [] and interval.flops == 0.0
    assert (interval.samples, interval.host_tokens, interval.flops_batches, interval.tokens_known) == (
        0,
        0,
        0,
        False,
    )


def figures(**changes):
    interval = filled()
    base = reduce_gathered([interval.pack(2.0, 0.5, (1.5, 2.5, 2.0), CPU, 2.0, 10.0).tolist()], True)
    return base.__class__(**{**base.__dict__, **changes})


def test_step_record_rates_and_mfu_over_every_device():
    record = StepReport("p/").figures(figures(), {"lr-SGD": 0.1}, world_size=4, peak_flops=1e9)
    assert (record["samples_per_second"], record["tokens_per_second"]) == (20.0, 250.0)
    assert record["flops_per_second"] == 2.5e9 and record["mfu"] == 2.5e9 / 4e9
    assert (record["interval_seconds"], record["samples"], record["tokens"]) == (2.0, 40, 500)
    assert (record["step_seconds_max"], record["step_seconds_min"]) == (2.0, 2.0)
    assert record["cuda_memory_peak_gb"] == 2.0 and record["cuda_memory_peak_gb_min"] == 2.0
    assert record["learning_rates"] == {"lr-SGD": 0.1} and "stop_reason" not in record


def test_step_record_of_one_rank_has_no_straggler_fields_and_no_mfu_without_a_peak():
    record = StepReport("p/").figures(figures(), {}, world_size=1, peak_flops=None, stop_reason="why")
    assert "step_seconds_max" not in record and "step_seconds_min" not in record
    assert record["mfu"] is None and record["stop_reason"] == "why"


def test_step_record_without_time_has_zero_samples_per_second_and_no_other_rates():
    record = StepReport("p/").figures(figures(seconds=0.0), {}, 1, 1e9)
    assert record["samples_per_second"] == 0.0
    assert (record["tokens_per_second"], record["flops_per_second"], record["mfu"]) == (None, None, None)


def test_loggers_get_numbers_only_under_the_prefix():
    class FakeTrainer:
        global_step = 7

        def __init__(self):
            self.loggers = [CollectingLogger()]

    trainer = FakeTrainer()
    record = {
        "loss": 1.5,
        "learning_rates": {"lr-SGD": 0.1},
        "mfu": None,
        "stop_reason": "x",
        "ok": True,
        "n": 3,
    }
    StepReport("p/").to_loggers(trainer, record)
    assert trainer.loggers[0].logged == [(7, {"p/loss": 1.5, "p/lr-SGD": 0.1, "p/n": 3})]


def test_spike_threshold_of_infinity_counts_no_spike():
    interval = IntervalAccumulator()
    interval.add(torch.tensor(1e30), 1, None)
    row = dict(zip(FIELDS, interval.pack(1.0, 0.0, None, CPU).tolist(), strict=True))
    assert (row["loss_spikes"], row["healthy_count"]) == (0, 1)


@pytest.mark.parametrize(("threshold", "spikes"), [(2.0, 1), (2.5, 0)])
def test_a_loss_equal_to_the_threshold_is_not_a_spike(threshold, spikes):
    interval = IntervalAccumulator()
    interval.add(torch.tensor(2.5), 1, None)
    row = dict(
        zip(FIELDS, interval.pack(1.0, 0.0, None, CPU, spike_threshold=threshold).tolist(), strict=True)
    )
    assert row["loss_spikes"] == spikes


def test_the_loss_is_found_in_a_tensor_or_a_mapping_only():
    from litcode.callbacks.interval import loss_from_outputs

    loss = torch.tensor(1.5)
    assert loss_from_outputs(loss) is loss and loss_from_outputs({"loss": loss, "x": 1}) is loss
    assert loss_from_outputs({"loss": 1.5}) is None and loss_from_outputs(None) is None
    assert loss_from_outputs([loss]) is None


def test_one_batch_of_flops_and_an_empty_gpu_are_real_figures():
    interval = IntervalAccumulator()
    interval.add(torch.tensor(1.0), 2, None, flops=5e8)
    figures = reduce_gathered([interval.pack(1.0, 0.0, (0.0, 0.0, 0.0), CPU).tolist()], False)
    assert figures.flops == 5e8
    assert (
        figures.memory_gb["cuda_memory_allocated_gb"] == 0.0
        and figures.memory_gb["cuda_memory_peak_gb"] == 0.0
    )
