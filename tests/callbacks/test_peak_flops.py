"""The dense peak table behind MFU: names to chips, Trainer precisions to compute kinds, figures."""

from __future__ import annotations

from unittest.mock import patch

import pytest
import torch

from litcode.callbacks.peak_flops import PEAK_FLOPS, chip_of, compute_kind, peak_flops_for


@pytest.mark.parametrize(
    ("device_name", "chip"),
    [
        ("NVIDIA H100 80GB HBM3", "h100 sxm"),
        ("NVIDIA H100 PCIe", "h100 pcie"),
        ("NVIDIA H100 NVL", "h100 nvl"),
        ("NVIDIA H200", "h200 sxm"),
        ("NVIDIA H200 NVL", "h200 nvl"),
        ("NVIDIA A100-SXM4-80GB", "a100"),
        ("NVIDIA A100 80GB PCIe", "a100"),
        ("NVIDIA L40S", "l40s"),
        ("NVIDIA L4", "l4"),
        ("NVIDIA A10", "a10"),
        ("Tesla V100-SXM2-16GB", "v100 sxm"),
        ("Tesla V100-PCIE-32GB", "v100 pcie"),
        ("Tesla T4", "t4"),
        ("NVIDIA B200", "b200"),
        ("AMD Instinct MI300X", "mi300x"),
        ("NVIDIA L40", None),
        ("NVIDIA GeForce RTX 4090", None),
    ],
)
def test_device_names_map_to_their_chip(device_name, chip):
    assert chip_of(device_name) == chip


@pytest.mark.parametrize(
    ("precision", "matmul", "kind"),
    [
        ("bf16-mixed", None, "bf16"),
        ("bf16-true", None, "bf16"),
        ("16-mixed", None, "fp16"),
        ("32-true", "highest", "fp32"),
        ("32-true", "high", "tf32"),
        ("32-true", "medium", "tf32"),
        ("64-true", None, "fp64"),
    ],
)
def test_trainer_precisions_map_to_what_matmuls_compute_in(precision, matmul, kind):
    assert compute_kind(precision, matmul) == kind


def test_table_holds_dense_figures_half_the_sparsity_datasheet_numbers():
    # H100 SXM: the datasheet's 1,979 TFLOPS BF16 and 989 TFLOPS TF32 are with 2:4 sparsity.
    assert PEAK_FLOPS["h100 sxm"]["bf16"] == 989.4e12
    assert PEAK_FLOPS["h100 sxm"]["tf32"] == 494.7e12
    assert PEAK_FLOPS["a100"]["bf16"] == 312e12
    for chip, figures in PEAK_FLOPS.items():
        assert figures["fp32"] <= figures.get("tf32", figures["fp32"]) <= figures["fp16"], chip


def fake_cuda(name: str):
    return (
        patch("torch.cuda.is_available", return_value=True),
        patch("torch.cuda.get_device_name", return_value=name),
    )


def test_peak_of_a_cuda_device_follows_its_name_and_precision():
    available, named = fake_cuda("NVIDIA H100 80GB HBM3")
    with available, named:
        assert peak_flops_for(torch.device("cuda", 0), "bf16-mixed") == 989.4e12
        assert peak_flops_for(torch.device("cuda", 0), "16-mixed") == 989.4e12


def test_tf32_falls_back_to_fp32_on_a_chip_without_it():
    available, named = fake_cuda("Tesla V100-SXM2-16GB")
    with available, named, patch("torch.get_float32_matmul_precision", return_value="high"):
        assert peak_flops_for(torch.device("cuda", 0), "32-true") == 15.7e12


def test_unknown_chip_precision_or_cpu_has_no_peak():
    assert peak_flops_for(torch.device("cpu"), "bf16-mixed") is None
    available, named = fake_cuda("NVIDIA GeForce RTX 4090")
    with available, named:
        assert peak_flops_for(torch.device("cuda", 0), "bf16-mixed") is None
    available, named = fake_cuda("Tesla T4")
    with available, named:
        assert peak_flops_for(torch.device("cuda", 0), "bf16-mixed") is None  # no BF16 on Turing
