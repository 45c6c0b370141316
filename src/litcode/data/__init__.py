"""Curated code served to the Lightning Trainer: tokenizers, packed token shards, ``CodeDataModule``."""

from __future__ import annotations

from litcode.data.datamodule import CodeDataModule
from litcode.data.datasets import PackedWindowDataset, collate_windows
from litcode.data.documents import Document
from litcode.data.errors import DataPreparationError
from litcode.data.fim import FillInTheMiddle, unpermute
from litcode.data.loader import PackedWindowLoader
from litcode.data.loader_state import LoaderPosition
from litcode.data.packing import WindowPacker
from litcode.data.prepare import PreparationSettings
from litcode.data.prepared import PreparedData
from litcode.data.shards import ShardIndex, ShardInfo, ShardWriter
from litcode.data.special_tokens import SPECIAL_TOKENS, SpecialTokenIds
from litcode.data.split import split_repos
from litcode.data.tokenizers import ByteTokenizer, HuggingFaceTokenizer, Tokenizer, load_tokenizer

__all__ = [
    "SPECIAL_TOKENS",
    "ByteTokenizer",
    "CodeDataModule",
    "DataPreparationError",
    "Document",
    "FillInTheMiddle",
    "HuggingFaceTokenizer",
    "LoaderPosition",
    "PackedWindowDataset",
    "PackedWindowLoader",
    "PreparationSettings",
    "PreparedData",
    "ShardIndex",
    "ShardInfo",
    "ShardWriter",
    "SpecialTokenIds",
    "Tokenizer",
    "WindowPacker",
    "collate_windows",
    "load_tokenizer",
    "split_repos",
    "unpermute",
]
