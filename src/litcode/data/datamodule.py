"""``CodeDataModule``: a curated code corpus served to the Lightning Trainer as packed token windows."""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader

from litcode.curation import CurationConfig, CurationTracker
from litcode.data.cache import default_cache_dir
from litcode.data.datasets import PackedWindowDataset
from litcode.data.errors import DataPreparationError
from litcode.data.figures import prepared_figures
from litcode.data.loader import PackedWindowLoader, batches_per_fetch_for
from litcode.data.prepare import PreparationSettings, cache_fingerprint, ensure_prepared
from litcode.data.prepared import PreparedData
from litcode.data.split import TRAIN, VAL
from litcode.data.tokenizers import ByteTokenizer, HuggingFaceTokenizer, Tokenizer


class CodeDataModule(pl.LightningDataModule):
    """Curates ``source`` once, caches tokenized windows, and serves train/val split by repository.

    Args:
        source: what ``litcode.curation.curate`` accepts: a directory of repositories, a ``.jsonl``
            (``.gz``/``.zst``) or ``.parquet`` file (The Stack's columns understood), a list of
            them, a ``litcode.sources`` source or a ``datasets.Dataset``; ``None`` is this
            interpreter's standard library, so everything runs with no download.
        cache_dir: root of the prepared-data cache; ``None`` is ``$LITCODE_CACHE_DIR``, else
            ``$XDG_CACHE_HOME/litcode/data``, else ``~/.cache/litcode/data``. Each distinct
            (source, curation, tokenizer, seq_len, split, litcode version) gets its own
            ``<cache_dir>/<fingerprint>/``, built once and reused.
        seq_len: tokens per example; windows of ``seq_len + 1`` give inputs and shifted labels.
        tokenizer: ``"byte"`` (256 byte ids + 7 special tokens, no files), ``"bpe"`` (byte-level BPE
            of ``bpe_vocab_size`` trained on the train split, special tokens reserved; needs
            ``litcode[hf]``), or a path to a ``tokenizer.json`` (its own special-token ids are kept).
        val_fraction: share of repositories held out for validation (by a seeded hash of the name).
        curation: a ``CurationConfig``; ``None`` uses its defaults.
        tracker: a ``MetricsTracker`` (any :class:`~litcode.curation.CurationTracker`), handed to
            curation, which reports its quality counts and time; packing times stay in ``meta.json``.
        curation_workers: processes for curation (``None``: curate's default).
        fim_rate: share of documents turned into fill-in-the-middle examples (StarCoder's
            character-level split; drawn per document from ``seed`` and its id, before packing).
        fim_spm_rate: share of the FIM examples in suffix-prefix-middle order, the rest
            prefix-suffix-middle.
        repo_level: one document per repository, StarCoder2's layout: ``<repo_name>`` name, then each
            file in path order as ``<file_sep>`` path, newline, content. The split stays by repository.
        language_weights: the train split's language mix, StarCoder's way: ``{"python": 2.0,
            "c": 0.5, "*": 1.0}`` packs each Python document twice and a seeded half of the C ones;
            ``"*"`` weighs the languages not named. Validation keeps the natural mix; ``meta.json``
            records documents and tokens per language and split.

    Every document ends with ``<|endoftext|>``; ``dm.special_tokens`` gives each special token's id.

    Batches are ``{"input_ids": LongTensor[batch, seq_len], "labels": LongTensor[batch, seq_len]}``
    with ``labels`` the inputs shifted by one. Under DDP Lightning's ``DistributedSampler`` gives
    each rank a disjoint part of the training windows.

    Typical use is ``pl.Trainer(...).fit(model, datamodule=CodeDataModule(source="repos/"))`` with
    the model's embedding sized by ``dm.vocab_size``. Two stdlib packages as two repositories:

    >>> import pathlib, shutil, sysconfig, tempfile
    >>> from litcode.curation import CurationConfig
    >>> root, stdlib = pathlib.Path(tempfile.mkdtemp()), pathlib.Path(sysconfig.get_paths()["stdlib"])
    >>> for package in ("json", "html"):
    ...     _ = shutil.copytree(stdlib / package, root / "repos" / package,
    ...                         ignore=shutil.ignore_patterns("__pycache__"))
    >>> dm = CodeDataModule(source=root / "repos", cache_dir=root / "cache", seq_len=64, batch_size=2,
    ...                     val_fraction=0.5, curation=CurationConfig(licenses="off"), curation_workers=0)
    >>> dm.prepare_data()
    >>> dm.setup("fit")
    >>> batch = next(iter(dm.train_dataloader()))
    >>> batch["input_ids"].shape, batch["labels"].dtype, dm.vocab_size
    (torch.Size([2, 64]), torch.int64, 263)
    >>> sorted(dm.split_repos["train"]), sorted(dm.split_repos["val"])
    (['html'], ['json'])
    """

    def __init__(
        self,
        source: Any = None,
        cache_dir: str | os.PathLike[str] | None = None,
        seq_len: int = 256,
        batch_size: int = 8,
        tokenizer: str = "byte",
        val_fraction: float = 0.05,
        seed: int = 0,
        num_workers: int = 0,
        curation: CurationConfig | None = None,
        tracker: CurationTracker | None = None,
        bpe_vocab_size: int = 8192,
        curation_workers: int | None = None,
        fim_rate: float = 0.0,
        fim_spm_rate: float = 0.5,
        repo_level: bool = False,
        language_weights: Mapping[str, float] | None = None,
    ) -> None:
        super().__init__()
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if num_workers < 0:
            raise ValueError(f"num_workers must be >= 0, got {num_workers}")
        self.source = source
        self.cache_dir = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
        self.batch_size = batch_size
        self.num_workers = num_workers
        self.curation = curation
        self.tracker = tracker
        self.curation_workers = curation_workers
        self.settings = PreparationSettings(
            seq_len=seq_len,
            tokenizer=str(tokenizer),
            bpe_vocab_size=bpe_vocab_size,
            val_fraction=val_fraction,
            seed=seed,
            fim_rate=fim_rate,
            fim_spm_rate=fim_spm_rate,
            repo_level=repo_level,
            language_weights=tuple(sorted((language_weights or {}).items())),
        )
        self.prepared: PreparedData | None = None
        self.train_dataset: PackedWindowDataset | None = None
        self.val_dataset: PackedWindowDataset | None = None
        self.split_repos: dict[str, set[str]] = {TRAIN: set(), VAL: set()}
        self._resumed_fingerprint: str | None = None

    @property
    def seq_len(self) -> int:
        return self.settings.seq_len

    @property
    def seed(self) -> int:
        return self.settings.seed

    # --- Lightning hooks, in the order the Trainer calls them -------------------------------

    def prepare_data(self) -> None:
        """Curate, tokenize and pack into the cache unless a verified copy exists (once per node).

        Lightning's contract: no state is assigned here; ``setup`` finds the cache again by its
        fingerprint. Concurrent callers wait on a file lock and then reuse the finished cache.
        """
        source = self._open_source()
        ensure_prepared(
            source,
            self._curation_config(),
            self.settings,
            self.cache_dir,
            num_workers=self.curation_workers,
            tracker=self.tracker,
            progress=self._shows_progress(),
        )

    def setup(self, stage: str | None = None) -> None:
        """Open the cached shards read-only (memmap) and the split's repository lists."""
        directory = self.cache_path()
        if self.prepared is not None and self.prepared.directory == directory:
            return
        if not directory.exists():
            self.prepare_data()  # setup() called on its own, outside a Trainer
        prepared = PreparedData(directory)
        problems = prepared.problems(checksums=False)
        if problems:
            raise DataPreparationError(
                f"prepared data in {directory} is unusable: {'; '.join(problems)}. Run prepare_data() again."
            )
        self.prepared = prepared
        self.train_dataset = prepared.dataset(TRAIN)
        self.val_dataset = prepared.dataset(VAL)
        self.split_repos = prepared.split_repos
        self._warn_if_resumed_on_other_data()
        self._log_report()

    def train_dataloader(self) -> DataLoader[Any]:
        dataset = self._require(self.train_dataset)
        # The seeded generator makes the shuffle order reproducible; under DDP Lightning swaps in a
        # DistributedSampler (seeded from the global seed) so each rank reads a disjoint part.
        generator = torch.Generator().manual_seed(self.seed)
        return self._loader(dataset, shuffle=True, generator=generator)

    def val_dataloader(self) -> DataLoader[Any]:
        return self._loader(self._require(self.val_dataset), shuffle=False)

    def test_dataloader(self) -> DataLoader[Any]:
        """The validation repositories: the only held-out code there is."""
        return self.val_dataloader()

    def state_dict(self) -> dict[str, Any]:
        """The cache fingerprint, so a resumed fit can tell whether it still reads the same data."""
        fingerprint = self.prepared.fingerprint if self.prepared is not None else self.cache_path().name
        return {"fingerprint": fingerprint, "seq_len": self.seq_len, "tokenizer": self.settings.tokenizer}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self._resumed_fingerprint = state_dict.get("fingerprint")
        if self.prepared is not None:
            self._warn_if_resumed_on_other_data()

    # --- public helpers ----------------------------------------------------------------------

    @property
    def vocab_size(self) -> int:
        """Ids the model must embed; a BPE vocabulary is only known once it is trained (prepares data)."""
        return self.tokenizer.vocab_size

    @property
    def special_tokens(self) -> dict[str, int]:
        """Each special token the data uses (``<|endoftext|>``, ``<fim_prefix>``, ...) -> its one id.

        >>> CodeDataModule().special_tokens["<fim_middle>"]
        258
        """
        return self.tokenizer.special_tokens

    @property
    def tokenizer(self) -> Tokenizer:
        """The tokenizer the windows are encoded with (a BPE one is trained first: prepares data)."""
        if self.prepared is not None:
            return self.prepared.tokenizer
        if self.settings.tokenizer == "byte":
            return ByteTokenizer()
        if self.settings.tokenizer != "bpe":
            return HuggingFaceTokenizer.from_file(Path(self.settings.tokenizer).expanduser())
        directory = self.cache_path()
        if not directory.exists():
            self.prepare_data()
        return PreparedData(directory).tokenizer

    def cache_path(self) -> Path:
        """``<cache_dir>/<fingerprint>`` for the current source and settings (may not exist yet)."""
        fingerprint = cache_fingerprint(
            self._open_source().fingerprint(), self._curation_config(), self.settings
        )
        return self.cache_dir / fingerprint

    # --- internals ---------------------------------------------------------------------------

    def _open_source(self) -> Any:
        from litcode.sources import open_source

        return open_source(self.source)

    def _shows_progress(self) -> bool | None:
        """Curation and tokenizing bars when the Trainer shows its own bar; None (a terminal) alone."""
        trainer = self.trainer
        return None if trainer is None else trainer.progress_bar_callback is not None

    def _curation_config(self) -> CurationConfig:
        return self.curation if self.curation is not None else CurationConfig()

    def _loader(
        self, dataset: PackedWindowDataset, *, shuffle: bool, generator: Any = None
    ) -> DataLoader[Any]:
        return PackedWindowLoader(
            dataset,
            batch_size=self.batch_size,
            shuffle=shuffle,
            generator=generator,
            batches_per_fetch=batches_per_fetch_for(self.batch_size, self.seq_len),
            num_workers=self.num_workers,
            pin_memory=torch.cuda.is_available(),
            persistent_workers=self.num_workers > 0,
        )

    def _require(self, dataset: PackedWindowDataset | None) -> PackedWindowDataset:
        if dataset is None:
            raise RuntimeError("CodeDataModule.setup() must run before asking for a dataloader")
        return dataset

    def _warn_if_resumed_on_other_data(self) -> None:
        assert self.prepared is not None
        if self._resumed_fingerprint is not None and self._resumed_fingerprint != self.prepared.fingerprint:
            warnings.warn(
                f"resuming a fit that trained on data cache {self._resumed_fingerprint}, but this datamodule "
                f"serves {self.prepared.fingerprint} (source, curation or tokenizer settings changed)",
                stacklevel=2,
            )

    def _log_report(self) -> None:
        """Send curation and packing counts to the Trainer's logger, when there is one."""
        trainer = self.trainer
        if trainer is None or trainer.logger is None or self.prepared is None:
            return
        trainer.logger.log_metrics(prepared_figures(self.prepared, self.split_repos), step=0)
