"""The numbers behind the step record: float64 packing, kept loss references, straggler fields from two
ranks, what the progress bar is handed, and the peak table's name and precision lookups."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import pytest
import torch

from litcode.callbacks.interval import FIELDS, IntervalAccumulator, IntervalFigures
from litcode.callbacks.peak_flops import compute_kind, peak_flops_for
from litcode.callbacks.step_report import StepReport

CPU = torch.device("cpu")

FIGURES = IntervalFigures(
    loss=2.0,
    samples=64,
    tokens=8192,
    seconds=2.0,
    step_seconds_min=1.5,
    data_wait_fraction=0.1,
    flops=4e12,
    grad_norm=0.5,
    nonfinite_losses=1,
    loss_spikes=2,
    nonfinite_grads=3,
    skipped_steps=4,
    healthy_losses=(8, 16.0, 32.0),
)


class ProgressBarModule:
    """Records what ``LightningModule.log`` is asked to show."""

    def __init__(self) -> None:
        self.logged: list[tuple[str, float, dict[str, Any]]] = []

    def log(self, name: str, value: float, **options: Any) -> None:
        self.logged.append((name, value, options))


class TrainerWithBar:
    def __init__(self, progress_bar_callback: object | None) -> None:
        self.progress_bar_callback = progress_bar_callback


def packed_row(interval: IntervalAccumulator, seconds: float = 1.0) -> dict[str, float]:
    return dict(zip(FIELDS, interval.pack(seconds, 0.0, None, CPU).tolist(), strict=True))


def test_host_figures_are_packed_in_float64():
    interval = IntervalAccumulator()
    interval.add(None, 2**24 + 1, None, flops=0.1)  # neither fits a float32
    row = packed_row(interval, seconds=0.1)
    assert (row["samples"], row["flops"], row["seconds"]) == (2**24 + 1, 0.1, 0.1)


def test_float32_losses_are_summed_in_float64():
    interval = IntervalAccumulator()
    for loss in (2.0**24, 1.0):  # 2**24 + 1 is no float32
        interval.add(torch.tensor(loss, dtype=torch.float32), 1, None)
    row = packed_row(interval)
    assert (row["loss_sum"], row["healthy_sum"]) == (2**24 + 1, 2**24 + 1)


def test_a_loss_without_autograd_is_kept_as_the_same_tensor():
    loss = torch.tensor(1.5)
    interval = IntervalAccumulator()
    interval.add(loss, 1, None)
    assert interval.losses[0] is loss


def test_a_loss_with_autograd_is_kept_detached_from_its_graph():
    weight = torch.tensor(3.0, requires_grad=True)
    interval = IntervalAccumulator()
    interval.add(weight * 2.0, 1, None)
    assert not interval.losses[0].requires_grad and float(interval.losses[0]) == 6.0


def test_two_ranks_get_the_straggler_fields_and_mfu_over_both_devices():
    record = StepReport("p/").figures(FIGURES, {}, world_size=2, peak_flops=1e12)
    assert (record["step_seconds_max"], record["step_seconds_min"]) == (2.0, 1.5)
    assert record["mfu"] == 1.0  # 2e12 FLOP/s over 2 x 1e12


def test_the_record_passes_the_interval_figures_through_unchanged():
    record = StepReport("p/").figures(FIGURES, {"lr-AdamW": 1e-3}, world_size=1, peak_flops=None)
    assert {key: record[key] for key in ("loss", "data_wait_fraction", "grad_norm", "samples", "tokens")} == {
        "loss": 2.0,
        "data_wait_fraction": 0.1,
        "grad_norm": 0.5,
        "samples": 64,
        "tokens": 8192,
    }
    assert (record["nonfinite_losses"], record["loss_spikes"], record["nonfinite_grads"]) == (1, 2, 3)
    assert record["skipped_steps"] == 4 and record["samples_per_second"] == 32.0


def test_a_zero_peak_gives_no_mfu():
    assert StepReport("p/").figures(FIGURES, {}, world_size=1, peak_flops=0.0)["mfu"] is None


def test_progress_bar_shows_tokens_per_second_and_mfu_per_step_outside_the_loggers():
    module = ProgressBarModule()
    record = {"tokens_per_second": 4096, "mfu": 0.25, "loss": 2.0}
    StepReport("p/").to_progress_bar(TrainerWithBar(object()), module, record)
    options = {"prog_bar": True, "logger": False, "on_step": True, "on_epoch": False}
    assert module.logged == [("tokens/s", 4096.0, options), ("mfu", 0.25, options)]
    assert type(module.logged[0][1]) is float


def test_progress_bar_leaves_out_unknown_and_nonfinite_figures():
    module = ProgressBarModule()
    record = {"tokens_per_second": float("inf"), "mfu": None}
    StepReport("p/").to_progress_bar(TrainerWithBar(object()), module, record)
    assert module.logged == []


def test_no_progress_bar_no_progress_bar_figures():
    module = ProgressBarModule()
    StepReport("p/").to_progress_bar(TrainerWithBar(None), module, {"tokens_per_second": 1.0})
    assert module.logged == []


@pytest.mark.parametrize(("precision", "kind"), [("half", "fp16"), ("double", "fp64"), ("16-true", "fp16")])
def test_precision_aliases_name_their_compute_kind(precision, kind):
    assert compute_kind(precision) == kind


def test_the_peak_is_that_of_the_device_asked_about():
    names = {0: "Tesla T4", 1: "NVIDIA A100-SXM4-80GB"}

    def device_name(device: torch.device | None = None) -> str:
        return names[0 if device is None or device.index is None else device.index]

    with (
        patch("torch.cuda.is_available", return_value=True),
        patch("torch.cuda.get_device_name", side_effect=device_name),
    ):
        assert peak_flops_for(torch.device("cuda", 1), "bf16-mixed") == 312e12


def test_a_cpu_has_no_peak_even_on_a_cuda_machine():
    with (
        patch("torch.cuda.is_available", return_value=True),
        patch("torch.cuda.get_device_name", return_value="NVIDIA H100 80GB HBM3"),
    ):
        assert peak_flops_for(CPU, "bf16-mixed") is None
