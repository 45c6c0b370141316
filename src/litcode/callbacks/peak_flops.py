"""Peak dense FLOP/s of known accelerators, by the precision a Trainer computes in — MFU's denominator.

Dense figures only. Datasheets headline the 2:4 structured-sparsity numbers (marked ``*``), which
are twice the dense rate and which a transformer's dense matmuls never reach; MFU over those would
read half of the truth. Lightning's own table (``lightning_fabric.utilities.throughput``) mixes the
two for H100 NVL and H200, so this one is kept separately.

Sources (dense = the sparse datasheet figure / 2 where the datasheet gives only that):
  * NVIDIA H100 Tensor Core GPU datasheet (SXM, PCIe, NVL), nvidia.com/en-us/data-center/h100
  * NVIDIA H200 Tensor Core GPU datasheet (SXM, NVL), nvidia.com/en-us/data-center/h200
  * NVIDIA A100 Tensor Core GPU datasheet (SXM and PCIe share the figures)
  * NVIDIA L40S, L4 and A10 datasheets; NVIDIA V100 and T4 datasheets (no sparsity, no BF16)
  * NVIDIA HGX B200 specification (8-GPU figures / 8)
  * AMD Instinct MI300X datasheet (dense matrix figures)
All in FLOP/s per device.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import torch

TERA = 1e12

#: chip -> compute kind -> dense FLOP/s of one device.
PEAK_FLOPS: Mapping[str, Mapping[str, float]] = {
    "b200": {"fp32": 75.0 * TERA, "tf32": 1125.0 * TERA, "bf16": 2250.0 * TERA, "fp16": 2250.0 * TERA},
    "h200 sxm": {"fp32": 67.0 * TERA, "tf32": 494.7 * TERA, "bf16": 989.4 * TERA, "fp16": 989.4 * TERA},
    "h200 nvl": {"fp32": 60.0 * TERA, "tf32": 417.5 * TERA, "bf16": 835.5 * TERA, "fp16": 835.5 * TERA},
    "h100 sxm": {"fp32": 67.0 * TERA, "tf32": 494.7 * TERA, "bf16": 989.4 * TERA, "fp16": 989.4 * TERA},
    "h100 nvl": {"fp32": 60.0 * TERA, "tf32": 417.5 * TERA, "bf16": 835.5 * TERA, "fp16": 835.5 * TERA},
    "h100 pcie": {"fp32": 51.2 * TERA, "tf32": 378.0 * TERA, "bf16": 756.0 * TERA, "fp16": 756.0 * TERA},
    "a100": {"fp32": 19.5 * TERA, "tf32": 156.0 * TERA, "bf16": 312.0 * TERA, "fp16": 312.0 * TERA},
    "l40s": {"fp32": 91.6 * TERA, "tf32": 183.0 * TERA, "bf16": 362.05 * TERA, "fp16": 362.05 * TERA},
    "l4": {"fp32": 30.3 * TERA, "tf32": 60.0 * TERA, "bf16": 121.0 * TERA, "fp16": 121.0 * TERA},
    "a10": {"fp32": 31.2 * TERA, "tf32": 62.5 * TERA, "bf16": 125.0 * TERA, "fp16": 125.0 * TERA},
    "v100 sxm": {"fp32": 15.7 * TERA, "fp16": 125.0 * TERA},
    "v100 pcie": {"fp32": 14.0 * TERA, "fp16": 112.0 * TERA},
    "t4": {"fp32": 8.1 * TERA, "fp16": 65.0 * TERA},
    "mi300x": {"fp32": 163.4 * TERA, "tf32": 653.7 * TERA, "bf16": 1307.4 * TERA, "fp16": 1307.4 * TERA},
}

# (pattern on the lower-cased device name, chip), first match wins: the specific before the general.
_CHIPS: tuple[tuple[str, str], ...] = (
    (r"\bb200\b", "b200"),
    (r"\bh200\b.*\bnvl\b", "h200 nvl"),
    (r"\bh200\b", "h200 sxm"),
    (r"\bh100\b.*\bnvl\b", "h100 nvl"),
    (r"\bh100\b.*\bpcie\b", "h100 pcie"),
    (r"\bh100\b", "h100 sxm"),  # "NVIDIA H100 80GB HBM3"
    (r"\ba100\b", "a100"),
    (r"\bl40s\b", "l40s"),
    (r"\bl4\b", "l4"),
    (r"\ba10\b", "a10"),
    (r"\bv100\b.*\bpcie\b", "v100 pcie"),
    (r"\bv100\b", "v100 sxm"),
    (r"\bt4\b", "t4"),
    (r"\bmi300x\b", "mi300x"),
)


def chip_of(device_name: str) -> str | None:
    """The table's chip for a device name as ``torch.cuda.get_device_name`` gives it, or ``None``.

    >>> [chip_of(name) for name in ("NVIDIA H100 80GB HBM3", "NVIDIA H100 PCIe", "NVIDIA L40", "NVIDIA L4")]
    ['h100 sxm', 'h100 pcie', None, 'l4']
    """
    name = device_name.lower()
    for pattern, chip in _CHIPS:
        if re.search(pattern, name):
            return chip
    return None


def compute_kind(precision: str, float32_matmul_precision: str | None = None) -> str:
    """What matmuls run in under a Trainer ``precision``: ``bf16``, ``fp16``, ``tf32``, ``fp32``, ``fp64``.

    32-bit training runs its matmuls in TF32 when ``torch.set_float32_matmul_precision`` allows it
    (anything but ``"highest"``).

    >>> compute_kind("bf16-mixed"), compute_kind("16-mixed"), compute_kind("32-true", "high")
    ('bf16', 'fp16', 'tf32')
    """
    text = str(precision)
    if text.startswith("bf16"):
        return "bf16"
    if text.startswith("16") or text == "half":
        return "fp16"
    if text.startswith("64") or text == "double":
        return "fp64"
    matmul = float32_matmul_precision or torch.get_float32_matmul_precision()
    return "fp32" if matmul == "highest" else "tf32"


def peak_flops_for(device: torch.device, precision: str) -> float | None:
    """Dense peak FLOP/s of one ``device`` computing in ``precision``; ``None`` when unknown (CPU,
    an accelerator or a precision the table lacks). TF32 falls back to FP32 on chips without it.

    >>> peak_flops_for(torch.device("cpu"), "32-true") is None
    True
    """
    if device.type != "cuda" or not torch.cuda.is_available():
        return None
    chip = chip_of(torch.cuda.get_device_name(device))
    if chip is None:
        return None
    figures = PEAK_FLOPS[chip]
    kind = compute_kind(precision)
    if kind == "tf32" and kind not in figures:
        kind = "fp32"
    return figures.get(kind)
