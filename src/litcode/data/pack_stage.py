"""The packing stage of ``prepare_data``: kept documents to shards of windows, per split.

Documents (one per file, or one per repository) go to the split of their repository, are
repeated or thinned by their language's weight (train split only), take their FIM form (when
drawn), are encoded with the special tokens spliced in, joined by ``<|endoftext|>`` and cut into
``seq_len + 1`` windows that are appended to the split's shard files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from litcode.data import kept
from litcode.data.documents import Document, DocumentEncoder
from litcode.data.fim import FillInTheMiddle
from litcode.data.language_mix import LanguageMix
from litcode.data.packing import WindowPacker
from litcode.data.shards import ShardInfo, ShardWriter
from litcode.data.split import TRAIN, VAL
from litcode.data.tokenizers import Tokenizer, token_dtype

SPLITS = (TRAIN, VAL)


@dataclass
class SplitCounts:
    """What one split received: documents, FIM examples among them (SPM-ordered ones), tokens.

    ``tokens_by_language`` counts each document's tokens and its ``<|endoftext|>``, so it sums to
    ``tokens``; a repository document counts under the language most of its bytes are in.
    """

    documents: int = 0
    fim: int = 0
    fim_spm: int = 0
    tokens: int = 0
    windows: int = 0
    dropped_tail_tokens: int = 0
    tokens_by_language: dict[str, int] = field(default_factory=dict)
    documents_by_language: dict[str, int] = field(default_factory=dict)
    shards: list[ShardInfo] = field(default_factory=list)


def pack_corpus(
    files: list[Path],
    sides: dict[str, set[str]],
    tokenizer: Tokenizer,
    directory: Path,
    *,
    seq_len: int,
    fim: FillInTheMiddle,
    repo_level: bool,
    mix: LanguageMix | None = None,
    batch_rows: int = 128,
    max_windows_per_shard: int = 1 << 18,
    on_batch: Callable[[int], object] | None = None,
) -> dict[str, SplitCounts]:
    """Write ``<split>-NNNNN.bin`` shards into ``directory``; return each split's counts.

    ``on_batch(n)`` is told after each batch of ``n`` documents (a progress bar's ``update``).
    """
    dtype = token_dtype(tokenizer.vocab_size)
    encoder = DocumentEncoder(tokenizer)
    packers = {split: WindowPacker(seq_len, tokenizer.eos_id, dtype) for split in SPLITS}
    writers = {
        split: ShardWriter(
            directory, split, window=seq_len + 1, dtype=dtype, max_windows=max_windows_per_shard
        )
        for split in SPLITS
    }
    counts = {split: SplitCounts() for split in SPLITS}
    batches = (
        kept.repository_batches(files, batch_rows) if repo_level else kept.file_batches(files, batch_rows)
    )
    for documents in batches:
        for split in SPLITS:
            mine = [document for document in documents if document.repo in sides[split]]
            if split == TRAIN and mix is not None and not mix.is_identity:
                mine = resampled(mine, mix)
            if not mine:
                continue
            pieces = []
            for document in mine:
                choice = fim.choose(document.id, document.text_length())
                if choice is not None:
                    counts[split].fim += 1
                    counts[split].fim_spm += choice.spm
                pieces.append(document.pieces if choice is None else fim.permuted(document, choice))
            encoded = encoder.encode(pieces)
            _count_languages(counts[split], mine, encoded)
            writers[split].add(packers[split].add(encoded), documents=len(mine))
            counts[split].documents += len(mine)
        if on_batch is not None:
            on_batch(len(documents))
    for split in SPLITS:
        counts[split].shards = writers[split].close()
        counts[split].tokens = packers[split].tokens
        counts[split].windows = sum(shard.windows for shard in counts[split].shards)
        counts[split].dropped_tail_tokens = packers[split].pending_tokens
    return counts


def resampled(documents: list[Document], mix: LanguageMix) -> list[Document]:
    """Each document ``mix.copies`` times; a repeat gets its own id, so its own FIM draw."""
    out: list[Document] = []
    for document in documents:
        copies = mix.copies(document.id, document.language)
        out += [document if k == 0 else replace(document, id=f"{document.id}#{k}") for k in range(copies)]
    return out


def _count_languages(counts: SplitCounts, documents: list[Document], encoded: list[np.ndarray]) -> None:
    for document, ids in zip(documents, encoded, strict=True):
        language = document.language or "unknown"
        counts.tokens_by_language[language] = counts.tokens_by_language.get(language, 0) + len(ids) + 1
        counts.documents_by_language[language] = counts.documents_by_language.get(language, 0) + 1
