"""A small decoder-only transformer for code, in the order data flows through it (after nanoGPT).

Token + position embeddings, ``n_layer`` pre-norm blocks of causal self-attention and an MLP,
a final LayerNorm and a language-model head tied to the token embedding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F


@dataclass
class TransformerConfig:
    """Shape of the network. ``block_size`` is the longest context it can attend over.

    >>> TransformerConfig(vocab_size=257, n_layer=2, n_head=2, n_embd=64).head_size
    32
    """

    vocab_size: int = 257
    block_size: int = 256
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128
    dropout: float = 0.0
    bias: bool = False

    def __post_init__(self) -> None:
        for name in ("vocab_size", "block_size", "n_layer", "n_head", "n_embd"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be a positive integer, got {getattr(self, name)}")
        if self.n_embd % self.n_head:
            raise ValueError(f"n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")

    @property
    def head_size(self) -> int:
        return self.n_embd // self.n_head


class CausalSelfAttention(nn.Module):
    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.n_head = config.n_head
        self.dropout = config.dropout
        self.qkv = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
        self.proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.resid_dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, time, channels = x.shape
        q, k, v = self.qkv(x).split(channels, dim=2)
        # (batch, heads, time, head_size): the layout scaled_dot_product_attention expects.
        q, k, v = (t.view(batch, time, self.n_head, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(
            q, k, v, dropout_p=self.dropout if self.training else 0.0, is_causal=True
        )
        y = y.transpose(1, 2).contiguous().view(batch, time, channels)
        return self.resid_dropout(self.proj(y))


class MLP(nn.Module):
    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.up = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
        self.down = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.down(F.gelu(self.up(x))))


class Block(nn.Module):
    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.attention_norm = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.attention = CausalSelfAttention(config)
        self.mlp_norm = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.mlp = MLP(config)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attention(self.attention_norm(x))
        return x + self.mlp(self.mlp_norm(x))


class CodeTransformer(nn.Module):
    """Token ids ``[batch, time]`` in, next-token logits ``[batch, time, vocab_size]`` out.

    >>> config = TransformerConfig(vocab_size=257, block_size=16, n_layer=1, n_head=2, n_embd=32)
    >>> model = CodeTransformer(config)
    >>> model(torch.zeros(2, 16, dtype=torch.long)).shape
    torch.Size([2, 16, 257])
    """

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.config = config
        self.token_embedding = nn.Embedding(config.vocab_size, config.n_embd)
        self.position_embedding = nn.Embedding(config.block_size, config.n_embd)
        self.embedding_dropout = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.n_layer))
        self.final_norm = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        # Weight tying: the output projection is the embedding, which saves parameters and helps small models.
        self.lm_head.weight = self.token_embedding.weight
        self.apply(self._init_weights)
        # GPT-2's scaled init of the residual projections keeps the residual stream's variance
        # from growing with depth.
        for name, parameter in self.named_parameters():
            if name.endswith(("proj.weight", "down.weight")):
                nn.init.normal_(parameter, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        time = input_ids.shape[1]
        if time > self.config.block_size:
            raise ValueError(
                f"sequence of {time} tokens is longer than the model's block_size {self.config.block_size}"
            )
        positions = torch.arange(time, device=input_ids.device)
        x = self.embedding_dropout(self.token_embedding(input_ids) + self.position_embedding(positions))
        for block in self.blocks:
            x = block(x)
        logits: torch.Tensor = self.lm_head(self.final_norm(x))
        return logits

    def training_flops_per_token(self, seq_len: int) -> int:
        """FLOPs of one training step (forward + backward) per token at context length ``seq_len``.

        ``6 * N`` for the matmul weights (N counts the tied embedding once, as the output head; the
        position lookup does no matmul), plus attention's ``12 * n_layer * n_embd * seq_len``
        (scores and weighted values, forward 4, backward 8, per layer and token; PaLM, appendix B).
        It equals what ``lightning.fabric.utilities.measure_flops`` counts for this network.

        >>> config = TransformerConfig(vocab_size=257, block_size=16, n_layer=1, n_head=2, n_embd=32)
        >>> CodeTransformer(config).training_flops_per_token(16)
        129216
        """
        matmul_weights = sum(
            parameter.numel()
            for name, parameter in self.named_parameters()
            if parameter.dim() == 2 and not name.startswith("position_embedding")
        )
        return 6 * matmul_weights + 12 * self.config.n_layer * self.config.n_embd * seq_len

    def num_parameters(self, exclude_embeddings: bool = True) -> int:
        """Parameters, by default without the position embedding (the token one is tied to the head)."""
        total = sum(parameter.numel() for parameter in self.parameters())
        if exclude_embeddings:
            total -= self.position_embedding.weight.numel()
        return total
