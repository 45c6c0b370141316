"""CodeLM under a real Trainer on CPU: it learns, logs perplexity, schedules per step, checkpoints."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, Dataset

from litcode.models import CodeLM

SEQ_LEN = 16


class RepeatingText(Dataset):
    """One short byte string repeated: a model that learns anything drives its loss down quickly."""

    def __init__(self, windows: int = 64) -> None:
        text = b"def add(a, b):\n    return a + b\n" * 40
        data = torch.tensor(list(text), dtype=torch.long)
        self.windows = [data[i : i + SEQ_LEN + 1] for i in range(windows)]

    def __len__(self) -> int:
        return len(self.windows)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        window = self.windows[index]
        return {"input_ids": window[:-1], "labels": window[1:]}


def tiny_model(**overrides: object) -> CodeLM:
    settings: dict = {
        "vocab_size": 257,
        "block_size": SEQ_LEN,
        "n_layer": 1,
        "n_head": 2,
        "n_embd": 32,
        "learning_rate": 1e-2,
        "warmup_steps": 2,
    }
    settings.update(overrides)
    return CodeLM(**settings)


def trainer(tmp_path: Path, max_steps: int, **overrides: object) -> pl.Trainer:
    settings: dict = {
        "default_root_dir": tmp_path,
        "max_steps": max_steps,
        "accelerator": "cpu",
        "logger": False,
        "enable_progress_bar": False,
        "enable_model_summary": False,
        "enable_checkpointing": False,
        "num_sanity_val_steps": 0,
    }
    settings.update(overrides)
    return pl.Trainer(**settings)


def loader() -> DataLoader:
    return DataLoader(RepeatingText(), batch_size=8, shuffle=False)


def test_loss_falls_when_training_on_repetitive_code(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = tiny_model()
    batch = next(iter(loader()))
    with torch.no_grad():
        before = model.loss(batch).item()
    trainer(tmp_path, max_steps=30).fit(model, loader())
    with torch.no_grad():
        after = model.loss(batch).item()
    assert before == pytest.approx(math.log(257), abs=0.3)
    assert after < before / 2


def test_validation_logs_loss_and_perplexity_as_its_exponential(tmp_path: Path) -> None:
    torch.manual_seed(0)
    fit = trainer(tmp_path, max_steps=4, limit_val_batches=2, val_check_interval=2)
    fit.fit(tiny_model(), loader(), loader())
    metrics = fit.callback_metrics
    assert metrics["val_perplexity"].item() == pytest.approx(math.exp(metrics["val_loss"].item()), rel=1e-5)
    assert {"train_loss", "train_perplexity"} <= set(metrics)


def test_learning_rate_follows_the_schedule_every_optimizer_step(tmp_path: Path) -> None:
    model = tiny_model(learning_rate=1e-3, warmup_steps=4, decay_steps=20, min_lr_ratio=0.0)
    fit = trainer(tmp_path, max_steps=3)
    fit.fit(model, loader())
    # After 3 optimizer steps the scheduler has stepped 3 times: warmup multiplier (3 + 1) / (4 + 1).
    rates = [group["lr"] for group in fit.optimizers[0].param_groups]
    assert rates == pytest.approx([1e-3 * 4 / 5] * 2)


def test_default_decay_horizon_is_the_trainers_step_budget(tmp_path: Path) -> None:
    model = tiny_model(warmup_steps=0)
    fit = trainer(tmp_path, max_steps=5)
    fit.fit(model, loader())
    schedule = fit.lr_scheduler_configs[0].scheduler.lr_lambdas[0]
    assert schedule.total_steps == 5


@pytest.mark.slow  # importing torch's compiler stack takes seconds
def test_compile_flag_compiles_in_place_so_checkpoint_keys_stay_plain() -> None:
    model = tiny_model(compile=True)
    model.configure_model()
    assert model.network._compiled_call_impl is not None
    assert not any("_orig_mod" in key for key in model.state_dict())


def test_checkpoint_restores_the_same_predictions(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = tiny_model()
    fit = trainer(tmp_path, max_steps=3)
    fit.fit(model, loader())
    path = tmp_path / "model.ckpt"
    fit.save_checkpoint(path)
    restored = CodeLM.load_from_checkpoint(path)
    tokens = torch.randint(0, 257, (2, SEQ_LEN))
    model.eval()
    restored.eval()
    with torch.no_grad():
        torch.testing.assert_close(restored(tokens), model(tokens))


def test_non_positive_learning_rate_is_rejected() -> None:
    with pytest.raises(ValueError, match="learning_rate"):
        tiny_model(learning_rate=0.0)


@pytest.mark.parametrize(
    ("layers", "heads", "width", "seq_len", "batch", "vocab"),
    [(1, 2, 32, 16, 2, 257), (2, 2, 64, 32, 4, 1000), (3, 4, 96, 24, 3, 257)],
)
def test_flops_per_batch_equals_lightning_measure_flops_on_the_meta_device(
    layers, heads, width, seq_len, batch, vocab
):
    from lightning_fabric.utilities.throughput import measure_flops

    with torch.device("meta"):
        model = CodeLM(vocab_size=vocab, block_size=seq_len, n_layer=layers, n_head=heads, n_embd=width)
        input_ids = torch.randint(0, vocab, (batch, seq_len))
    measured = measure_flops(model.network, lambda: model.network(input_ids), lambda logits: logits.sum())
    model._last_batch_shape = (batch, seq_len)
    assert model.flops_per_batch == measured


def test_flops_per_batch_follows_the_last_training_batch_shape():
    model = tiny_model()
    assert model.flops_per_batch is None  # no batch seen yet
    per_token = model.network.training_flops_per_token(SEQ_LEN)
    for rows in (4, 3):
        batch = {"input_ids": torch.zeros(rows, SEQ_LEN, dtype=torch.long)}
        batch["labels"] = batch["input_ids"]
        model.training_step(batch, 0)
        assert model.flops_per_batch == rows * SEQ_LEN * per_token


def test_flops_per_token_is_six_n_plus_the_attention_term():
    model = tiny_model()
    network = model.network
    weights = sum(p.numel() for n, p in network.named_parameters() if p.dim() == 2 and "position" not in n)
    assert network.training_flops_per_token(SEQ_LEN) == 6 * weights + 12 * 1 * 32 * SEQ_LEN
