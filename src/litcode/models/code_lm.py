"""``CodeLM``: the small code transformer as a LightningModule — loss, perplexity, AdamW, schedule."""

from __future__ import annotations

from typing import Any

import pytorch_lightning as pl
import torch
from torch.nn import functional as F
from torchmetrics import MeanMetric

from litcode.models.optimization import WarmupCosineSchedule, weight_decay_groups
from litcode.models.transformer import CodeTransformer, TransformerConfig


class CodeLM(pl.LightningModule):
    """Next-token prediction on ``{"input_ids", "labels"}`` batches, as ``CodeDataModule`` serves them.

    Logs ``train_loss``/``train_perplexity`` every step (as device tensors: Lightning reads them
    only when it writes logs) and ``val_loss``/``val_perplexity`` per validation run through a
    ``torchmetrics.MeanMetric`` (reduced across ranks on ``compute``). Optimizer: AdamW with decay
    on matrices only; the rate warms up linearly for ``warmup_steps`` and follows a cosine down to
    ``min_lr_ratio * learning_rate`` at ``decay_steps`` (default: the Trainer's
    ``estimated_stepping_batches``), stepping every optimizer step. Mixed precision comes from the
    Trainer (``precision="bf16-mixed"``); ``compile=True`` compiles the network in place in
    ``configure_model``, so checkpoints keep plain parameter names.

    Args:
        vocab_size: token ids to embed; the CLI links it from ``data.vocab_size``.
        block_size: longest context; the CLI links it from ``data.seq_len``.
        n_layer: transformer blocks.
        n_head: attention heads per block (``n_embd`` must be divisible by it).
        n_embd: width of the embeddings and of every block.
        dropout: dropout probability on attention and MLP outputs (0 for pretraining).
        bias: whether linear and norm layers carry a bias.
        learning_rate: AdamW's peak learning rate, reached after ``warmup_steps``.
        weight_decay: AdamW decay, applied to matrices only.
        betas: AdamW's moment coefficients.
        warmup_steps: optimizer steps of linear warmup from 0 to ``learning_rate``.
        decay_steps: step at which the cosine reaches its floor; None: the Trainer's step budget.
        min_lr_ratio: the cosine's floor as a share of ``learning_rate``.
        compile: ``torch.compile`` the network in place (checkpoints keep plain parameter names).

    >>> import torch
    >>> model = CodeLM(vocab_size=257, block_size=16, n_layer=1, n_head=2, n_embd=32)
    >>> batch = {"input_ids": torch.randint(0, 257, (2, 16)), "labels": torch.randint(0, 257, (2, 16))}
    >>> 5.0 < model.loss(batch).item() < 6.0  # ~ ln(257) = 5.55 before training
    True
    """

    def __init__(
        self,
        vocab_size: int = 257,
        block_size: int = 256,
        n_layer: int = 4,
        n_head: int = 4,
        n_embd: int = 128,
        dropout: float = 0.0,
        bias: bool = False,
        learning_rate: float = 3e-4,
        weight_decay: float = 0.1,
        betas: tuple[float, float] = (0.9, 0.95),
        warmup_steps: int = 100,
        decay_steps: int | None = None,
        min_lr_ratio: float = 0.1,
        compile: bool = False,
    ) -> None:
        super().__init__()
        if learning_rate <= 0:
            raise ValueError(f"learning_rate must be positive, got {learning_rate}")
        self.save_hyperparameters()
        self.config = TransformerConfig(
            vocab_size=vocab_size,
            block_size=block_size,
            n_layer=n_layer,
            n_head=n_head,
            n_embd=n_embd,
            dropout=dropout,
            bias=bias,
        )
        self.network = CodeTransformer(self.config)
        self.val_loss = MeanMetric()
        self._compiled = False
        self._flops_per_token: dict[int, int] = {}
        self._last_batch_shape: tuple[int, int] | None = None

    @property
    def flops_per_batch(self) -> int | None:
        """Training FLOPs of the last training batch (its own size and length), the attribute
        Lightning's ``ThroughputMonitor`` and ``MetricsTrackerCallback`` read after every batch;
        ``None`` before the first. From shapes only: no device work."""
        if self._last_batch_shape is None:
            return None
        batch, seq_len = self._last_batch_shape
        if seq_len not in self._flops_per_token:
            self._flops_per_token[seq_len] = self.network.training_flops_per_token(seq_len)
        return batch * seq_len * self._flops_per_token[seq_len]

    def configure_model(self) -> None:
        if self.hparams["compile"] and not self._compiled:
            self.network.compile()
            self._compiled = True

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        logits: torch.Tensor = self.network(input_ids)
        return logits

    def loss(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """Mean next-token cross-entropy over the batch (labels are the inputs shifted by one)."""
        logits = self(batch["input_ids"])
        return F.cross_entropy(logits.flatten(0, 1).float(), batch["labels"].flatten())

    def training_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> torch.Tensor:
        loss = self.loss(batch)
        batch_size, seq_len = batch["input_ids"].shape
        self._last_batch_shape = (int(batch_size), int(seq_len))
        self.log("train_loss", loss, on_step=True, prog_bar=True, batch_size=batch_size)
        self.log("train_perplexity", loss.detach().exp(), on_step=True, batch_size=batch_size)
        return loss

    def validation_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> None:
        self.val_loss.update(self.loss(batch), weight=batch["input_ids"].shape[0])

    def on_validation_epoch_end(self) -> None:
        self._log_evaluation("val")

    def test_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> None:
        self.val_loss.update(self.loss(batch), weight=batch["input_ids"].shape[0])

    def on_test_epoch_end(self) -> None:
        self._log_evaluation("test")

    def _log_evaluation(self, stage: str) -> None:
        if self.val_loss.update_count == 0:
            return  # e.g. limit_val_batches=0: nothing to report
        loss = self.val_loss.compute()
        self.val_loss.reset()
        self.log(f"{stage}_loss", loss, prog_bar=True, sync_dist=False)
        self.log(f"{stage}_perplexity", loss.exp(), sync_dist=False)

    def configure_optimizers(self) -> Any:
        hparams: Any = self.hparams
        optimizer = torch.optim.AdamW(
            weight_decay_groups(self.network, hparams.weight_decay),
            lr=hparams.learning_rate,
            betas=tuple(hparams.betas),
            fused=self.device.type == "cuda",
        )
        total = hparams.decay_steps
        if total is None:
            total = int(self.trainer.estimated_stepping_batches)
        schedule = WarmupCosineSchedule(hparams.warmup_steps, total, hparams.min_lr_ratio)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}
