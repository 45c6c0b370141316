"""AdamW parameter groups and the warmup + cosine schedule."""

from __future__ import annotations

import itertools

import pytest
from torch import nn

from litcode.models import CodeTransformer, TransformerConfig, WarmupCosineSchedule, weight_decay_groups


def test_only_matrices_are_decayed_and_tied_weights_appear_once() -> None:
    model = CodeTransformer(TransformerConfig(vocab_size=50, block_size=8, n_layer=1, n_head=2, n_embd=16))
    decayed, not_decayed = weight_decay_groups(model, 0.1)
    assert decayed["weight_decay"] == 0.1 and not_decayed["weight_decay"] == 0.0
    assert all(parameter.dim() >= 2 for parameter in decayed["params"])
    assert all(parameter.dim() < 2 for parameter in not_decayed["params"])
    grouped = [id(parameter) for group in (decayed, not_decayed) for parameter in group["params"]]
    assert sorted(grouped) == sorted(id(parameter) for parameter in model.parameters())


def test_frozen_parameters_are_left_out() -> None:
    layer = nn.Linear(4, 4)
    layer.bias.requires_grad_(False)
    decayed, not_decayed = weight_decay_groups(layer, 0.1)
    assert decayed["params"] == [layer.weight] and not_decayed["params"] == []


@pytest.mark.parametrize(
    ("step", "multiplier"),
    [(0, 1 / 11), (4, 5 / 11), (9, 10 / 11), (10, 1.0), (60, 0.55), (110, 0.1), (1000, 0.1)],
)
def test_schedule_warms_up_linearly_then_follows_a_cosine_to_the_floor(step: int, multiplier: float) -> None:
    schedule = WarmupCosineSchedule(warmup_steps=10, total_steps=110, min_ratio=0.1)
    assert schedule(step) == pytest.approx(multiplier)


def test_schedule_never_rises_after_warmup() -> None:
    schedule = WarmupCosineSchedule(warmup_steps=5, total_steps=50, min_ratio=0.0)
    values = [schedule(step) for step in range(5, 60)]
    assert all(later <= earlier for earlier, later in itertools.pairwise(values))


def test_schedule_without_decay_room_stays_at_the_peak() -> None:
    assert WarmupCosineSchedule(warmup_steps=10, total_steps=10)(50) == 1.0


@pytest.mark.parametrize(("warmup", "ratio"), [(-1, 0.1), (10, 1.5)])
def test_schedule_rejects_invalid_settings(warmup: int, ratio: float) -> None:
    with pytest.raises(ValueError):
        WarmupCosineSchedule(warmup_steps=warmup, total_steps=100, min_ratio=ratio)
