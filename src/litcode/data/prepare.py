"""Build a prepared-data cache: curate, split by repository, tokenize, pack, write shards, publish.

Everything is streamed: kept samples are read back from the curation's Parquet files a record
batch at a time, tokenized, packed into windows and appended to shard files, so memory stays at a
batch whatever the corpus size. The directory becomes visible only when complete (see ``cache``).
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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
from tqdm import tqdm

import litcode
from litcode.data import cache
from litcode.data.errors import DataPreparationError
from litcode.data.packing import WindowPacker
from litcode.data.prepared import COMPLETE_MARKER, META_FILE, SPLIT_REPOS_FILE, TOKENIZER_DIR, PreparedData
from litcode.data.shards import ShardIndex, ShardWriter, file_checksum
from litcode.data.split import TRAIN, VAL, split_repos
from litcode.data.tokenizers import ByteTokenizer, HuggingFaceTokenizer, Tokenizer, token_dtype

logger = logging.getLogger(__name__)

CACHE_FORMAT = 1
KEPT_COLUMNS = ["content", "repo", "sample_id", "quality_score"]


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
    max_windows_per_shard: int = 1 << 18
    batch_rows: int = 128

    def __post_init__(self) -> None:
        if self.seq_len < 1:
            raise ValueError(f"seq_len must be at least 1, got {self.seq_len}")
        if not 0.0 <= self.val_fraction < 1.0:
            raise ValueError(f"val_fraction must be in [0, 1), got {self.val_fraction}")

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
        }
    )


def ensure_prepared(
    source: Any,
    curation: Any,
    settings: PreparationSettings,
    cache_root: Path,
    *,
    num_workers: int | None = None,
    tracker: Any = None,
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
    tracker: Any = None,
    curation_dir: Path | None = None,
    progress: bool | None = None,
) -> None:
    """Fill ``directory`` with curation output (in ``curation_dir``, default ``directory/curation``),
    tokenizer, shards, index and metadata."""
    from litcode.curation import curate  # data -> curation, never the other way

    curation_dir = curation_dir if curation_dir is not None else directory / "curation"
    # curate reports the quality counts and its own time to the tracker; shard times come below.
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
    kept_files = sorted((curation_dir / "kept").glob("*.parquet"))
    sides = split_repos(_all_repos(kept_files), settings.val_fraction, settings.seed)
    tokenizer = _make_tokenizer(settings, kept_files, sides[TRAIN])
    tokenizer.save(directory / TOKENIZER_DIR)
    seconds["split_and_tokenizer"] = time.perf_counter() - started - seconds["curation"]

    dtype = token_dtype(tokenizer.vocab_size)
    packers = {split: WindowPacker(settings.seq_len, tokenizer.eos_id, dtype) for split in (TRAIN, VAL)}
    writers = {
        split: ShardWriter(
            directory,
            split,
            window=settings.seq_len + 1,
            dtype=dtype,
            max_windows=settings.max_windows_per_shard,
        )
        for split in (TRAIN, VAL)
    }
    quality_total = 0.0
    bar = tqdm(
        total=result.kept,
        unit="file",
        desc="tokenize",
        dynamic_ncols=True,
        disable=not (progress or (progress is None and sys.stderr.isatty())),
    )
    for batch in _kept_batches(kept_files, settings.batch_rows):
        bar.update(len(batch["content"]))
        quality_total += float(np.nansum(np.asarray(batch["quality_score"], dtype=np.float64)))
        for split in (TRAIN, VAL):
            texts = [
                text
                for text, repo in zip(batch["content"], batch["repo"], strict=True)
                if repo in sides[split]
            ]
            if texts:
                windows = packers[split].add(tokenizer.encode_batch(texts))
                writers[split].add(windows, documents=len(texts))
    bar.close()
    seconds["tokenize_and_pack"] = time.perf_counter() - started - sum(seconds.values())
    index = ShardIndex(
        seq_len=settings.seq_len,
        dtype=dtype.name,
        vocab_size=tokenizer.vocab_size,
        eos_id=tokenizer.eos_id,
        splits={split: writers[split].close() for split in (TRAIN, VAL)},
    )
    if index.windows(TRAIN) == 0:
        raise DataPreparationError(
            f"the train split has no full window of seq_len + 1 = {settings.seq_len + 1} tokens "
            f"({packers[TRAIN].tokens} tokens from {packers[TRAIN].documents} documents in "
            f"{len(sides[TRAIN])} repositories). Use a smaller seq_len, a smaller val_fraction, or more data."
        )
    if settings.val_fraction > 0 and index.windows(VAL) == 0:
        warnings.warn(
            f"the val split has no full window ({packers[VAL].tokens} tokens in "
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
        "average_quality_score": quality_total / result.kept,
        "documents": {split: packers[split].documents for split in (TRAIN, VAL)},
        "tokens": {split: packers[split].tokens for split in (TRAIN, VAL)},
        "windows": {split: index.windows(split) for split in (TRAIN, VAL)},
        "dropped_tail_tokens": {split: packers[split].pending_tokens for split in (TRAIN, VAL)},
        "seconds": seconds,
    }
    (directory / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    (directory / COMPLETE_MARKER).write_text(fingerprint + "\n")
    _report_shard_times(tracker, index)
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


def _kept_batches(kept_files: list[Path], rows: int) -> Iterator[dict[str, list[Any]]]:
    """Kept samples a record batch at a time; a sample without a repository is its own repository."""
    for path in kept_files:
        parquet = pq.ParquetFile(path)
        columns = [name for name in KEPT_COLUMNS if name in parquet.schema_arrow.names]
        for record_batch in parquet.iter_batches(batch_size=rows, columns=columns):
            batch = record_batch.to_pydict()
            batch["repo"] = _repo_keys(batch, record_batch.num_rows)
            batch.setdefault("quality_score", [np.nan] * record_batch.num_rows)
            yield batch


def _all_repos(kept_files: list[Path]) -> set[str]:
    repos: set[str] = set()
    for path in kept_files:
        parquet = pq.ParquetFile(path)
        columns = [name for name in ("repo", "sample_id") if name in parquet.schema_arrow.names]
        for record_batch in parquet.iter_batches(batch_size=65536, columns=columns):
            repos.update(_repo_keys(record_batch.to_pydict(), record_batch.num_rows))
    return repos


def _repo_keys(batch: dict[str, list[Any]], rows: int) -> list[str]:
    ids = batch.get("sample_id") or [None] * rows
    repos = batch.get("repo") or [None] * rows
    return [repo or sample_id or "" for repo, sample_id in zip(repos, ids, strict=True)]


def _make_tokenizer(
    settings: PreparationSettings, kept_files: list[Path], train_repos: set[str]
) -> Tokenizer:
    if settings.tokenizer == "byte":
        return ByteTokenizer()
    if settings.tokenizer == "bpe":
        # Trained on the training split only, so validation text never shapes the vocabulary.
        texts = (
            text
            for batch in _kept_batches(kept_files, settings.batch_rows)
            for text, repo in zip(batch["content"], batch["repo"], strict=True)
            if repo in train_repos
        )
        return HuggingFaceTokenizer.train_bpe(texts, settings.bpe_vocab_size)
    return HuggingFaceTokenizer.from_file(Path(settings.tokenizer).expanduser())


def _report_shard_times(tracker: Any, index: ShardIndex) -> None:
    """One ``record_processing_time`` per shard written (duck-typed ``MetricsTracker``)."""
    if tracker is None:
        return
    for shards in index.splits.values():
        for shard in shards:
            tracker.record_processing_time(shard.seconds, files=shard.documents)
