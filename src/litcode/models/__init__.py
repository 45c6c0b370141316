"""A small decoder-only code language model and its LightningModule.

``CodeLM`` is what ``litcode fit`` trains by default; any LightningModule that takes
``{"input_ids", "labels"}`` batches works with ``CodeDataModule`` and the callbacks just as well.
"""

from __future__ import annotations

from litcode.models.code_lm import CodeLM
from litcode.models.optimization import WarmupCosineSchedule, weight_decay_groups
from litcode.models.transformer import CodeTransformer, TransformerConfig

__all__ = ["CodeLM", "CodeTransformer", "TransformerConfig", "WarmupCosineSchedule", "weight_decay_groups"]
