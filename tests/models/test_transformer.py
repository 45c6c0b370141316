"""The decoder: shapes, causality, weight tying, configuration checks."""

from __future__ import annotations

import pytest
import torch

from litcode.models import CodeTransformer, TransformerConfig


def tiny_config(**overrides: object) -> TransformerConfig:
    settings: dict = {"vocab_size": 50, "block_size": 16, "n_layer": 2, "n_head": 2, "n_embd": 32}
    settings.update(overrides)
    return TransformerConfig(**settings)


def test_forward_gives_logits_for_every_position() -> None:
    model = CodeTransformer(tiny_config())
    assert model(torch.zeros(3, 10, dtype=torch.long)).shape == (3, 10, 50)


def test_attention_is_causal_so_future_tokens_never_change_past_logits() -> None:
    torch.manual_seed(0)
    model = CodeTransformer(tiny_config()).eval()
    tokens = torch.randint(0, 50, (1, 12))
    changed = tokens.clone()
    changed[0, 8:] = (changed[0, 8:] + 1) % 50
    with torch.no_grad():
        before, after = model(tokens), model(changed)
    torch.testing.assert_close(before[:, :8], after[:, :8])
    assert not torch.allclose(before[:, 8:], after[:, 8:])


def test_output_head_is_tied_to_the_token_embedding() -> None:
    model = CodeTransformer(tiny_config())
    assert model.lm_head.weight is model.token_embedding.weight


def test_sequence_longer_than_block_size_is_rejected() -> None:
    model = CodeTransformer(tiny_config(block_size=8))
    with pytest.raises(ValueError, match="block_size 8"):
        model(torch.zeros(1, 9, dtype=torch.long))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"n_embd": 30, "n_head": 4}, "divisible"),
        ({"n_layer": 0}, "n_layer"),
        ({"vocab_size": 0}, "vocab_size"),
        ({"dropout": 1.0}, "dropout"),
    ],
)
def test_invalid_shapes_are_rejected_with_the_field_named(overrides: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        tiny_config(**overrides)


def test_parameter_count_excludes_position_embedding_by_default() -> None:
    model = CodeTransformer(tiny_config())
    total = sum(parameter.numel() for parameter in model.parameters())
    assert model.num_parameters() == total - 16 * 32
    assert model.num_parameters(exclude_embeddings=False) == total
