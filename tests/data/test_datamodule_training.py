"""The datamodule inside a real Trainer: fit, logging, resume bookkeeping, tracker, tokenizers."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import pytorch_lightning as pl
import torch
from torch import nn

from litcode.data import CodeDataModule, HuggingFaceTokenizer
from litcode.data.tokenizers import ByteTokenizer


class TinyLanguageModel(pl.LightningModule):
    """Embedding -> linear next-token predictor: enough to exercise the batch contract."""

    def __init__(self, vocab_size: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, 16)
        self.head = nn.Linear(16, vocab_size)

    def training_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> torch.Tensor:
        logits = self.head(self.embed(batch["input_ids"]))
        loss = nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), batch["labels"].view(-1))
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> None:
        logits = self.head(self.embed(batch["input_ids"]))
        self.log("val_loss", nn.functional.cross_entropy(logits.flatten(0, 1), batch["labels"].flatten()))

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.AdamW(self.parameters(), lr=1e-2)


class RecordingTracker:
    """A duck-typed MetricsTracker that remembers what it was told."""

    def __init__(self) -> None:
        self.quality: list[dict[str, Any]] = []
        self.times: list[tuple[float, int]] = []

    def record_quality_stats(
        self, total_processed: int, avg_quality_score: float, blocked_files: int
    ) -> None:
        self.quality.append(
            {"total": total_processed, "average": avg_quality_score, "blocked": blocked_files}
        )

    def record_processing_time(self, seconds: float, files: int = 1) -> None:
        self.times.append((seconds, files))


def trainer(**overrides: Any) -> pl.Trainer:
    settings: dict[str, Any] = {
        "max_steps": 3,
        "accelerator": "cpu",
        "devices": 1,
        "logger": False,
        "enable_checkpointing": False,
        "enable_progress_bar": False,
        "enable_model_summary": False,
        "limit_val_batches": 2,
        "val_check_interval": 3,
    }
    settings.update(overrides)
    return pl.Trainer(**settings)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def make_dm(repo_tree: Path, cache_dir: Path, curation: Any, **overrides: Any) -> CodeDataModule:
    settings: dict[str, Any] = {"seq_len": 32, "batch_size": 4, "val_fraction": 0.25, "curation_workers": 0}
    settings.update(overrides)
    return CodeDataModule(source=repo_tree, cache_dir=cache_dir, curation=curation, **settings)


def test_trainer_fits_a_tiny_model_for_a_few_steps(repo_tree, cache_dir, curation_config) -> None:
    dm = make_dm(repo_tree, cache_dir, curation_config)
    model = TinyLanguageModel(dm.vocab_size)
    fit = trainer()
    fit.fit(model, datamodule=dm)
    assert fit.global_step == 3
    assert torch.isfinite(fit.callback_metrics["train_loss"])
    assert torch.isfinite(fit.callback_metrics["val_loss"])


def test_curation_report_is_logged_to_the_trainer_logger(
    repo_tree, cache_dir, curation_config, tmp_path
) -> None:
    dm = make_dm(repo_tree, cache_dir, curation_config)
    logger = pl.loggers.CSVLogger(tmp_path, name="run")
    trainer(max_steps=1, logger=logger, limit_val_batches=0).fit(
        TinyLanguageModel(dm.vocab_size), datamodule=dm
    )
    with open(Path(logger.log_dir) / "metrics.csv") as handle:
        logged = {key: value for row in csv.DictReader(handle) for key, value in row.items() if value}
    assert int(float(logged["data/kept"])) == dm.prepared.meta["curation"]["kept"]
    assert int(float(logged["data/train_windows"])) == len(dm.train_dataset)


def test_val_split_holds_exactly_the_tokens_of_val_repositories(
    repo_tree, cache_dir, curation_config
) -> None:
    dm = make_dm(repo_tree, cache_dir, curation_config)
    dm.prepare_data()
    dm.setup("fit")
    kept = pq.read_table(dm.cache_path() / "curation" / "kept").to_pylist()
    tokenizer = ByteTokenizer()
    for split in ("train", "val"):
        documents = [row["content"] for row in kept if row["repo"] in dm.split_repos[split]]
        tokens = sum(tokenizer.encode(text).size + 1 for text in documents)
        windows = tokens // (dm.seq_len + 1)
        assert dm.prepared.meta["windows"][split] == windows


def test_state_dict_names_the_cache_it_trained_on(repo_tree, cache_dir, curation_config) -> None:
    dm = make_dm(repo_tree, cache_dir, curation_config)
    dm.prepare_data()
    dm.setup("fit")
    assert dm.state_dict()["fingerprint"] == dm.cache_path().name


def test_resuming_on_other_data_warns(repo_tree, cache_dir, curation_config) -> None:
    dm = make_dm(repo_tree, cache_dir, curation_config)
    dm.prepare_data()
    dm.setup("fit")
    with pytest.warns(UserWarning, match="resuming a fit that trained on data cache 0123"):
        dm.load_state_dict({"fingerprint": "0123"})


def test_resuming_on_the_same_data_is_silent(repo_tree, cache_dir, curation_config, recwarn) -> None:
    first = make_dm(repo_tree, cache_dir, curation_config)
    first.prepare_data()
    first.setup("fit")
    second = make_dm(repo_tree, cache_dir, curation_config)
    second.load_state_dict(first.state_dict())
    second.setup("fit")
    assert not [w for w in recwarn if "resuming" in str(w.message)]


def test_tracker_hears_only_curation_times_in_curation_units(repo_tree, tmp_path, curation_config) -> None:
    tracker = RecordingTracker()
    dm = make_dm(repo_tree, tmp_path, curation_config, tracker=tracker)
    dm.prepare_data()
    dm.setup("fit")
    meta = dm.prepared.meta
    assert tracker.quality[0]["total"] == meta["curation"]["inputs"]
    # curation's per-batch times cover every input once; packing adds no per-shard sample
    assert sum(files for _, files in tracker.times) == meta["curation"]["inputs"]


def test_packing_phase_times_stay_in_meta_json(repo_tree, cache_dir, curation_config) -> None:
    dm = make_dm(repo_tree, cache_dir, curation_config)
    dm.prepare_data()
    dm.setup("fit")
    assert set(dm.prepared.meta["seconds"]) == {"curation", "split_and_tokenizer", "tokenize_and_pack"}


def test_train_loader_order_is_reproducible_for_a_seed(repo_tree, cache_dir, curation_config) -> None:
    orders = []
    for _ in range(2):
        dm = make_dm(repo_tree, cache_dir, curation_config)
        dm.prepare_data()
        dm.setup("fit")
        orders.append(next(iter(dm.train_dataloader()))["input_ids"])
    assert torch.equal(orders[0], orders[1])


def test_byte_vocab_size_is_known_before_any_data(tmp_path) -> None:
    assert CodeDataModule(cache_dir=tmp_path).vocab_size == 263  # 256 bytes + 7 special tokens


def test_bpe_tokenizer_is_trained_on_train_repositories_only(
    repo_tree, tmp_path, curation_config, monkeypatch
):
    seen: list[str] = []
    real_train = HuggingFaceTokenizer.train_bpe.__func__  # type: ignore[attr-defined]

    def recording_train(cls, texts, vocab_size):  # type: ignore[no-untyped-def]
        texts = list(texts)
        seen.extend(texts)
        return real_train(cls, texts, vocab_size)

    monkeypatch.setattr(HuggingFaceTokenizer, "train_bpe", classmethod(recording_train))
    dm = make_dm(repo_tree, tmp_path, curation_config, tokenizer="bpe", bpe_vocab_size=400)
    dm.prepare_data()
    dm.setup("fit")
    kept = pq.read_table(dm.cache_path() / "curation" / "kept").to_pylist()
    assert sorted(seen) == sorted(row["content"] for row in kept if row["repo"] in dm.split_repos["train"])
    assert 263 < dm.vocab_size <= 400
    assert dm.prepared.index.dtype == "uint16"


def test_tokenizer_json_path_is_used_as_is(repo_tree, tmp_path, curation_config) -> None:
    HuggingFaceTokenizer.train_bpe(["def f():\n    return 1\n"] * 10, vocab_size=280).save(tmp_path / "tok")
    dm = make_dm(
        repo_tree, tmp_path / "cache", curation_config, tokenizer=str(tmp_path / "tok" / "tokenizer.json")
    )
    dm.prepare_data()
    dm.setup("fit")
    batch = next(iter(dm.train_dataloader()))
    assert int(batch["input_ids"].max()) < dm.vocab_size <= 280


@pytest.fixture(scope="module")
def ready_dm(repo_tree, cache_dir, curation_config) -> CodeDataModule:
    dm = make_dm(repo_tree, cache_dir, curation_config, num_workers=2)
    dm.prepare_data()
    dm.setup("fit")
    return dm


def test_loaders_keep_worker_processes_alive_between_epochs(ready_dm) -> None:
    assert ready_dm.train_dataloader().persistent_workers
    assert ready_dm.train_dataloader().num_workers == 2


def test_memory_is_pinned_only_when_cuda_is_available(ready_dm, monkeypatch) -> None:
    assert not ready_dm.train_dataloader().pin_memory
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert ready_dm.train_dataloader().pin_memory


def test_val_loader_reads_windows_in_order(ready_dm) -> None:
    loader = ready_dm.val_dataloader()
    first = next(iter(loader))["input_ids"]
    assert torch.equal(first, torch.stack([ready_dm.val_dataset[i]["input_ids"] for i in range(4)]))


def test_test_loader_serves_the_held_out_repositories(ready_dm) -> None:
    assert len(ready_dm.test_dataloader()) == len(ready_dm.val_dataloader())


def test_bpe_vocab_size_before_setup_prepares_the_data_first(repo_tree, tmp_path, curation_config) -> None:
    dm = make_dm(repo_tree, tmp_path, curation_config, tokenizer="bpe", bpe_vocab_size=320)
    vocab_size = dm.vocab_size
    assert (dm.cache_path() / "COMPLETE").is_file()
    assert 263 < vocab_size <= 320


def test_fit_with_worker_processes_runs_several_epochs(repo_tree, cache_dir, curation_config) -> None:
    dm = make_dm(repo_tree, cache_dir, curation_config, num_workers=2)
    fit = trainer(
        max_steps=-1, max_epochs=2, limit_train_batches=3, limit_val_batches=2, val_check_interval=None
    )
    fit.fit(TinyLanguageModel(dm.vocab_size), datamodule=dm)
    assert fit.global_step == 6
    assert fit.current_epoch == 2
