"""Build a prepared-data cache: curate, split by repository, tokenize, pack, write shards, publish.

Kept samples are read back from the curation's Parquet files a record batch at a time (a
repository at a time with ``repo_level``), tokenized, packed into windows and appended to shard
files (see ``pack_stage``). The directory becomes visible only when complete (see ``cache``).
Phase times go to ``meta.json``; the tracker (a ``CurationTracker``) hears from curation alone,
in curation's unit (one processing time per batch of input files).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

import litcode
from litcode.curation import CurationTracker
from litcode.data import cache, kept
from litcode.data.errors import DataPreparationError
from litcode.data.fim import FillInTheMiddle
from litcode.data.language_mix import LanguageMix
from litcode.data.pack_stage import SPLITS, pack_corpus
from litcode.data.prepared import COMPLETE_MARKER, META_FILE, SPLIT_REPOS_FILE, TOKENIZER_DIR, PreparedData
from litcode.data.shards import ShardIndex, file_checksum
from litcode.data.split import TRAIN, VAL, split_repos
from litcode.data.tokenizers import ByteTokenizer, HuggingFaceTokenizer, Tokenizer, token_dtype

logger = logging.getLogger(__name__)

# 2: special tokens (byte vocabulary 263), FIM and repository-level documents.
CACHE_FORMAT = 2


@dataclass(frozen=True)
class PreparationSettings:
    """What, besides the source and the curation config, decides the bytes of a prepared cache.

    >>> PreparationSettings(seq_len=128, tokenizer="bpe", bpe_vocab_size=4096).tokenizer_identity()
    {'kind': 'bpe', 'vocab_size': 4096}
    """

    seq_len: int = 256
    tokenizer: str = "byte"
    bpe_vocab_size: int = 8192
    val_fraction: float = 0.05
    seed: int = 0
    fim_rate: float = 0.0
    fim_spm_rate: float = 0.5
    repo_level: bool = False
    #: ``(language, weight)`` pairs, :class:`~litcode.data.language_mix.LanguageMix`'s weights.
    language_weights: tuple[tuple[str, float], ...] = ()
    max_windows_per_shard: int = 1 << 18
    batch_rows: int = 128

    def __post_init__(self) -> None:
        if self.seq_len < 1:
            raise ValueError(f"seq_len must be at least 1, got {self.seq_len}")
        if not 0.0 <= self.val_fraction < 1.0:
            raise ValueError(f"val_fraction must be in [0, 1), got {self.val_fraction}")
        self.fim()  # validates the FIM rates
        self.mix()  # and the language weights

    def fim(self) -> FillInTheMiddle:
        """The FIM draw of these settings (seeded by ``seed``)."""
        return FillInTheMiddle(rate=self.fim_rate, spm_rate=self.fim_spm_rate, seed=self.seed)

    def mix(self) -> LanguageMix:
        """The train split's per-language sampling of these settings (seeded by ``seed``)."""
        return LanguageMix(dict(self.language_weights), seed=self.seed)

    def tokenizer_identity(self) -> dict[str, Any]:
        """The tokenizer as it enters the fingerprint: a file is identified by its content."""
        if self.tokenizer == "byte":
            return {"kind": "byte"}
        if self.tokenizer == "bpe":
            return {"kind": "bpe", "vocab_size": self.bpe_vocab_size}
        path = Path(self.tokenizer).expanduser()
        if path.is_dir():
            path = path / "tokenizer.json"
        if not path.is_file():
            raise FileNotFoundError(
                f"tokenizer must be 'byte', 'bpe' or a path to a tokenizer.json; not found: {self.tokenizer}"
            )
        return {"kind": "file", "xxh3_64": file_checksum(path)}


def cache_fingerprint(source_fingerprint: str, curation: Any, settings: PreparationSettings) -> str:
    """The cache key: source identity, curation config, tokenizer, packing and split settings, version."""
    curation_identity = curation.fingerprint() if hasattr(curation, "fingerprint") else repr(curation)
    return cache.fingerprint(
        {
            "format": CACHE_FORMAT,
            "litcode": litcode.__version__,
            "source": source_fingerprint,
            "curation": curation_identity,
            "tokenizer": settings.tokenizer_identity(),
            "seq_len": settings.seq_len,
            "val_fraction": settings.val_fraction,
            "seed": settings.seed,
            "fim_rate": settings.fim_rate,
            "fim_spm_rate": settings.fim_spm_rate if settings.fim_rate > 0 else None,
            "repo_level": settings.repo_level,
            **({"language_weights": mix} if (mix := settings.mix().identity()) else {}),
        }
    )


def ensure_prepared(
    source: Any,
    curation: Any,
    settings: PreparationSettings,
    cache_root: Path,
    *,
    num_workers: int | None = None,
    tracker: CurationTracker | None = None,
    progress: bool | None = None,
) -> Path:
    """Return ``cache_root/<fingerprint>``, building it first unless a verified copy is there.

    Curation runs in ``cache_root/.<fingerprint>.curation`` (:func:`curation_workdir`), outside the
    temporary build directory, so an interrupted build resumes curation per batch as
    ``litcode curate`` does; it moves into the cache when the cache is published, and is removed
    when the build fails. ``progress``:
    a bar for curation and one for tokenizing (None: only on a terminal).
    """
    fingerprint = cache_fingerprint(source.fingerprint(), curation, settings)
    final = Path(cache_root) / fingerprint
    if (final / COMPLETE_MARKER).exists() and not PreparedData(final).problems():
        return final
    with cache.exclusive_lock(Path(cache_root) / f"{fingerprint}.lock"):
        if final.exists():
            problems = PreparedData(final).problems()
            if not problems:
                return final  # another process built it while we waited
            warnings.warn(
                f"rebuilding corrupt or foreign data cache {final}: {'; '.join(problems)}", stacklevel=2
            )
        workdir = curation_workdir(Path(cache_root), fingerprint)
        with cache.staging_directory(final) as staging:
            try:
                build(
                    source,
                    curation,
                    settings,
                    staging,
                    fingerprint,
                    num_workers=num_workers,
                    tracker=tracker,
                    curation_dir=workdir,
                    progress=progress,
                )
            except Exception:
                # A failed build leaves nothing behind; an interrupted one (KeyboardInterrupt, a
                # signal: not Exceptions) keeps its finished curation batches for the next try.
                shutil.rmtree(workdir, ignore_errors=True)
                raise
            os.replace(workdir, staging / "curation")
            cache.publish(staging, final)
    return final


def build(
    source: Any,
    curation: Any,
    settings: PreparationSettings,
    directory: Path,
    fingerprint: str,
    *,
    num_workers: int | None = None,
    tracker: CurationTracker | None = None,
    curation_dir: Path | None = None,
    progress: bool | None = None,
) -> None:
    """Fill ``directory`` with curation output (in ``curation_dir``, default ``directory/curation``),
    tokenizer, shards, index and metadata."""
    from litcode.curation import curate  # data -> curation, never the other way

    curation_dir = curation_dir if curation_dir is not None else directory / "curation"
    started = time.perf_counter()
    result = curate(
        source, curation_dir, curation, num_workers=num_workers, tracker=tracker, progress=progress
    )
    seconds = {"curation": time.perf_counter() - started}
    if result.kept == 0:
        raise DataPreparationError(
            f"no sample survived curation ({result.inputs} read); dropped by reason: "
            f"{_format_reasons(result.dropped_by_reason)}. Loosen the curation config or check the source."
        )
    files = kept.kept_files(curation_dir)
    sides = split_repos(kept.all_repos(files), settings.val_fraction, settings.seed)
    tokenizer = _make_tokenizer(settings, files, sides[TRAIN])
    tokenizer.save(directory / TOKENIZER_DIR)
    seconds["split_and_tokenizer"] = time.perf_counter() - started - seconds["curation"]

    bar = tqdm(
        total=None if settings.repo_level else result.kept,
        unit="repo" if settings.repo_level else "file",
        desc="tokenize",
        dynamic_ncols=True,
        disable=not (progress or (progress is None and sys.stderr.isatty())),
    )
    counts = pack_corpus(
        files,
        sides,
        tokenizer,
        directory,
        seq_len=settings.seq_len,
        fim=settings.fim(),
        repo_level=settings.repo_level,
        mix=settings.mix(),
        batch_rows=settings.batch_rows,
        max_windows_per_shard=settings.max_windows_per_shard,
        on_batch=bar.update,
    )
    bar.close()
    seconds["tokenize_and_pack"] = time.perf_counter() - started - sum(seconds.values())
    index = ShardIndex(
        seq_len=settings.seq_len,
        dtype=token_dtype(tokenizer.vocab_size).name,
        vocab_size=tokenizer.vocab_size,
        eos_id=tokenizer.eos_id,
        splits={split: counts[split].shards for split in SPLITS},
    )
    train, val = counts[TRAIN], counts[VAL]
    if index.windows(TRAIN) == 0:
        raise DataPreparationError(
            f"the train split has no full window of seq_len + 1 = {settings.seq_len + 1} tokens "
            f"({train.tokens} tokens from {train.documents} documents in "
            f"{len(sides[TRAIN])} repositories). Use a smaller seq_len, a smaller val_fraction, or more data."
        )
    if settings.val_fraction > 0 and index.windows(VAL) == 0:
        warnings.warn(
            f"the val split has no full window ({val.tokens} tokens in "
            f"{len(sides[VAL])} repositories); validation will be skipped. "
            "Use a smaller seq_len or a larger val_fraction.",
            stacklevel=3,
        )
    index.save(directory)
    (directory / SPLIT_REPOS_FILE).write_text(json.dumps({k: sorted(v) for k, v in sides.items()}) + "\n")
    meta: dict[str, Any] = {
        "fingerprint": fingerprint,
        "litcode": litcode.__version__,
        "settings": dataclasses.asdict(settings),
        "curation": {
            "inputs": result.inputs,
            "kept": result.kept,
            "dropped_by_reason": result.dropped_by_reason,
        },
        "average_quality_score": kept.average_quality_score(files),
        "special_tokens": tokenizer.special_tokens,
        "documents": {split: counts[split].documents for split in SPLITS},
        "fim_documents": {split: counts[split].fim for split in SPLITS},
        "fim_spm_documents": {split: counts[split].fim_spm for split in SPLITS},
        "tokens": {split: counts[split].tokens for split in SPLITS},
        "tokens_by_language": {split: counts[split].tokens_by_language for split in SPLITS},
        "documents_by_language": {split: counts[split].documents_by_language for split in SPLITS},
        "windows": {split: index.windows(split) for split in SPLITS},
        "dropped_tail_tokens": {split: counts[split].dropped_tail_tokens for split in SPLITS},
        "seconds": seconds,
    }
    (directory / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    (directory / COMPLETE_MARKER).write_text(fingerprint + "\n")
    logger.info(
        "prepared %s: %s windows train, %s val", directory, meta["windows"][TRAIN], meta["windows"][VAL]
    )


def curation_workdir(cache_root: Path, fingerprint: str) -> Path:
    """Where a cache's curation runs until the cache is published (kept across interrupted builds)."""
    return cache_root / f".{fingerprint}.curation"


def _format_reasons(dropped_by_reason: dict[str, int]) -> str:
    counts = {reason: count for reason, count in dropped_by_reason.items() if count}
    return (
        ", ".join(f"{reason}={count}" for reason, count in sorted(counts.items(), key=lambda kv: -kv[1]))
        or "none"
    )


def _make_tokenizer(settings: PreparationSettings, files: list[Path], train_repos: set[str]) -> Tokenizer:
    if settings.tokenizer == "byte":
        return ByteTokenizer()
    if settings.tokenizer == "bpe":
        # Trained on the training split only, so validation text never shapes the vocabulary.
        return HuggingFaceTokenizer.train_bpe(
            kept.train_texts(files, settings.batch_rows, train_repos), settings.bpe_vocab_size
        )
    return HuggingFaceTokenizer.from_file(Path(settings.tokenizer).expanduser())
