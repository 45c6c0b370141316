"""CheckpointUploadCallback in real ``Trainer.fit`` runs on CPU (tiny model, a handful of steps)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
from pathlib import Path
from typing import Any

import pytest
import torch
from lightning_fabric.plugins import TorchCheckpointIO
from pytorch_lightning.callbacks import Callback, ModelCheckpoint
from pytorch_lightning.demos.boring_classes import BoringModel
from pytorch_lightning.loggers import Logger
from pytorch_lightning.plugins.io import AsyncCheckpointIO
from pytorch_lightning.utilities.exceptions import SIGTERMException

from litcode.callbacks.upload import JOURNAL_NAME, LATEST_NAME, CheckpointUploadCallback, resolve_latest
from litcode.resilience import CircuitBreaker, RetryPolicy

from .conftest import every_step_checkpoint, make_trainer


def local_checkpoints(dirpath: Path) -> dict[str, bytes]:
    """Every checkpoint file under ``dirpath`` (symlinks followed), staging excluded, by relative name."""
    return {
        path.relative_to(dirpath).as_posix(): path.read_bytes()
        for path in dirpath.rglob("*.ckpt")
        if ".upload-staging" not in path.parts
    }


def test_every_checkpoint_is_uploaded_and_verified_on_file_remote(tmp_path: Path, model: BoringModel) -> None:
    remote = tmp_path / "remote"
    upload = CheckpointUploadCallback(remote.as_uri())
    make_trainer(tmp_path, [upload, every_step_checkpoint(tmp_path)], max_steps=4).fit(model)
    saved = local_checkpoints(tmp_path / "checkpoints")
    assert len(saved) == 5  # four steps plus last.ckpt
    assert {name: (remote / name).read_bytes() for name in saved} == saved
    assert upload.pending() == []
    # each step saves its own file and re-saves last.ckpt: 8 saves, each committed or knowingly superseded
    assert upload.stats["uploaded"] + upload.stats["superseded"] == 8


def test_latest_json_names_the_newest_committed_checkpoint(tmp_path: Path, model: BoringModel) -> None:
    remote = tmp_path / "remote"
    upload = CheckpointUploadCallback(str(remote))
    make_trainer(tmp_path, [upload, every_step_checkpoint(tmp_path)], max_steps=3).fit(model)
    latest = json.loads((remote / LATEST_NAME).read_text())
    assert set(latest) == {"checkpoint", "bytes", "sha256", "step", "epoch"}
    assert (latest["checkpoint"], latest["step"], latest["epoch"]) == ("last.ckpt", 3, 0)
    committed = (remote / latest["checkpoint"]).read_bytes()
    assert latest["bytes"] == len(committed)
    assert latest["sha256"] == hashlib.sha256(committed).hexdigest()


def test_checkpoints_in_subfolders_keep_their_relative_path(tmp_path: Path, model: BoringModel) -> None:
    remote = tmp_path / "remote"
    checkpoint = every_step_checkpoint(
        tmp_path, filename="epoch{epoch}/step{step}", save_last=False, auto_insert_metric_name=False
    )
    make_trainer(tmp_path, [CheckpointUploadCallback(str(remote)), checkpoint], max_steps=2).fit(model)
    assert sorted(local_checkpoints(tmp_path / "checkpoints")) == ["epoch0/step1.ckpt", "epoch0/step2.ckpt"]
    assert (remote / "epoch0" / "step2.ckpt").exists()


def test_symlinked_last_checkpoint_is_uploaded_with_its_target_bytes(
    tmp_path: Path, model: BoringModel
) -> None:
    remote = tmp_path / "remote"
    checkpoint = every_step_checkpoint(tmp_path, save_last="link")
    make_trainer(tmp_path, [CheckpointUploadCallback(str(remote)), checkpoint], max_steps=2).fit(model)
    assert (tmp_path / "checkpoints" / "last.ckpt").is_symlink()
    assert (remote / "last.ckpt").read_bytes() == (tmp_path / "checkpoints" / "last.ckpt").read_bytes()


class ReleaseGateAtTrainEnd(Callback):
    """Opens the remote's gate once training is over, after ModelCheckpoint has rotated files away."""

    def __init__(self, remote: Any, rotated: Path) -> None:
        self.remote = remote
        self.rotated = rotated
        self.rotated_before_upload = False

    def on_train_end(self, trainer: Any, pl_module: Any) -> None:
        self.rotated_before_upload = not self.rotated.exists() and not self.remote.exists(self.rotated.name)
        self.remote.release()


def test_checkpoint_rotated_away_while_its_upload_is_blocked_still_arrives(
    tmp_path: Path, model: BoringModel, flaky_remote: Any
) -> None:
    flaky_remote.block("step=1.ckpt")
    checkpoint = ModelCheckpoint(dirpath=tmp_path / "checkpoints", every_n_train_steps=1, save_top_k=1)
    rotated = tmp_path / "checkpoints" / "epoch=0-step=1.ckpt"
    gate = ReleaseGateAtTrainEnd(flaky_remote, rotated)
    upload = CheckpointUploadCallback(flaky_remote.url, flush_timeout=10.0)
    make_trainer(tmp_path, [upload, gate, checkpoint], max_steps=3).fit(model)
    assert gate.rotated_before_upload
    arrived = torch.load(
        flaky_remote.filesystem_class().open(f"{flaky_remote.url}/{rotated.name}"), weights_only=False
    )
    assert arrived["global_step"] == 1
    assert upload.pending() == []


def test_outage_journals_pending_and_the_next_fit_finishes_them(
    tmp_path: Path, flaky_remote: Any, fake_clock: Any, fake_sleep: Any
) -> None:
    flaky_remote.outage = True
    breaker = CircuitBreaker(failure_threshold=2, recovery_timeout=30.0, clock=fake_clock)
    retry = RetryPolicy(max_retries=3, base_delay=1.0, jitter=True, deadline=60.0)
    first = CheckpointUploadCallback(flaky_remote.url, retry, breaker, sleep=fake_sleep, flush_timeout=5.0)
    make_trainer(tmp_path, [first, every_step_checkpoint(tmp_path)], max_steps=3).fit(BoringModel())
    assert first.stats["breaker_state"] == "open"
    assert sorted(first.pending()) == sorted(local_checkpoints(tmp_path / "checkpoints"))
    journal = tmp_path / "checkpoints" / ".upload-staging" / JOURNAL_NAME
    assert journal.exists()

    flaky_remote.outage = False
    second = CheckpointUploadCallback(flaky_remote.url, sleep=fake_sleep)
    make_trainer(tmp_path, [second, every_step_checkpoint(tmp_path)], max_steps=5).fit(BoringModel())
    assert second.pending() == [] and not journal.exists()
    for name, content in local_checkpoints(tmp_path / "checkpoints").items():
        assert flaky_remote.read(name) == content
    assert flaky_remote.exists("epoch=0-step=1.ckpt")  # saved by the first run, during the outage


def test_fit_resumes_from_the_remote_checkpoint_url(tmp_path: Path) -> None:
    remote_url = (tmp_path / "remote").as_uri()
    first_root = tmp_path / "first"
    make_trainer(
        first_root, [CheckpointUploadCallback(remote_url), every_step_checkpoint(first_root)], max_steps=4
    ).fit(BoringModel())
    shutil.rmtree(first_root)  # the machine is gone; only the remote copy is left
    resumed = make_trainer(tmp_path / "second", [], max_steps=6)
    resumed.fit(BoringModel(), ckpt_path=resolve_latest(remote_url))
    assert resumed.global_step == 6
    assert resumed.fit_loop.epoch_loop._batches_that_stepped == 6


def test_fit_resumes_from_a_url_under_the_upload_remote_with_its_storage_options(
    tmp_path: Path, flaky_remote: Any
) -> None:
    first = CheckpointUploadCallback(flaky_remote.url)
    make_trainer(tmp_path / "a", [first, every_step_checkpoint(tmp_path / "a")], max_steps=2).fit(
        BoringModel()
    )
    second = CheckpointUploadCallback(flaky_remote.url)
    trainer = make_trainer(tmp_path / "b", [second, every_step_checkpoint(tmp_path / "b")], max_steps=3)
    trainer.fit(BoringModel(), ckpt_path=resolve_latest(flaky_remote.url))
    assert trainer.global_step == 3
    assert flaky_remote.latest()["step"] == 3


class SigtermAtStep(BoringModel):
    def __init__(self, step: int) -> None:
        super().__init__()
        self.signal_step = step

    def training_step(self, batch: Any, batch_idx: int) -> Any:
        if self.global_step == self.signal_step:
            os.kill(os.getpid(), signal.SIGTERM)  # Lightning's handler catches it inside fit
        return super().training_step(batch, batch_idx)


def test_sigterm_during_fit_flushes_briefly_and_journals_what_is_pending(
    tmp_path: Path, flaky_remote: Any
) -> None:
    flaky_remote.block(".ckpt")  # every checkpoint upload hangs
    handler_before = signal.getsignal(signal.SIGTERM)
    upload = CheckpointUploadCallback(flaky_remote.url, sigterm_flush_timeout=0.05, flush_timeout=30.0)
    trainer = make_trainer(tmp_path, [upload, every_step_checkpoint(tmp_path, save_last=False)], max_steps=10)
    with pytest.raises(SIGTERMException):
        trainer.fit(SigtermAtStep(step=2))
    assert upload.sigterm.is_set()
    assert signal.getsignal(signal.SIGTERM) == handler_before
    journal = json.loads((tmp_path / "checkpoints" / ".upload-staging" / JOURNAL_NAME).read_text())
    assert sorted(entry["name"] for entry in journal["pending"]) == sorted(upload.pending())
    assert {"epoch=0-step=1.ckpt", "epoch=0-step=2.ckpt"} <= set(upload.pending())


class RecordingLogger(Logger):
    """A Lightning logger that keeps what it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.metrics: list[dict[str, float]] = []

    @property
    def name(self) -> str:
        return "recording"

    @property
    def version(self) -> int:
        return 0

    def log_hyperparams(self, params: Any, *args: Any, **kwargs: Any) -> None:
        return None

    def log_metrics(self, metrics: dict[str, float], step: int | None = None) -> None:
        self.metrics.append(dict(metrics))


class UploadRecorder:
    """A tracker with the optional ``record_upload`` hook."""

    def __init__(self) -> None:
        self.records: list[Any] = []

    def record_upload(self, stats: Any) -> None:
        self.records.append(stats)


def test_upload_figures_go_to_the_trainer_loggers_and_the_tracker(tmp_path: Path, model: BoringModel) -> None:
    recorder, tracker = RecordingLogger(), UploadRecorder()
    upload = CheckpointUploadCallback(str(tmp_path / "remote"), tracker=tracker)
    make_trainer(tmp_path, [upload, every_step_checkpoint(tmp_path)], max_steps=3, logger=recorder).fit(model)
    final = recorder.metrics[-1]
    assert final["upload/uploaded"] + final["upload/superseded"] == 6.0 and final["upload/pending"] == 0.0
    assert final["upload/breaker_open"] == 0.0
    assert tracker.records[-1]["pending"] == 0 and tracker.records[-1]["uploaded"] >= 4


def test_only_global_rank_zero_wraps_the_checkpoint_writer(tmp_path: Path, mocker: Any) -> None:
    upload = CheckpointUploadCallback(str(tmp_path / "remote"))
    trainer = make_trainer(tmp_path, [upload])
    writer = trainer.strategy.checkpoint_io
    mocker.patch.object(type(trainer), "is_global_zero", new_callable=mocker.PropertyMock, return_value=False)
    upload.setup(trainer, BoringModel(), "fit")
    assert trainer.strategy.checkpoint_io is writer
    assert upload.uploader is None and upload.pending() == []


def test_rank_zero_wraps_the_writer_and_teardown_restores_it(tmp_path: Path) -> None:
    upload = CheckpointUploadCallback(str(tmp_path / "remote"))
    trainer = make_trainer(tmp_path, [upload])
    writer = trainer.strategy.checkpoint_io
    upload.setup(trainer, BoringModel(), "fit")
    assert type(trainer.strategy.checkpoint_io).__name__ == "UploadingCheckpointIO"
    upload.teardown(trainer, BoringModel(), "fit")
    assert trainer.strategy.checkpoint_io is writer


class DirectoryCheckpointIO(TorchCheckpointIO):
    """Writes each checkpoint as a directory of two files, as sharded strategies do."""

    def save_checkpoint(self, checkpoint: dict[str, Any], path: Any, storage_options: Any = None) -> None:
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        torch.save(checkpoint["state_dict"], directory / "model.pt")
        (directory / "meta.json").write_text(json.dumps({"global_step": checkpoint["global_step"]}))

    def remove_checkpoint(self, path: Any) -> None:
        shutil.rmtree(path, ignore_errors=True)


def test_sharded_checkpoint_directory_is_uploaded_file_by_file(tmp_path: Path, model: BoringModel) -> None:
    remote = tmp_path / "remote"
    upload = CheckpointUploadCallback(str(remote))
    checkpoint = every_step_checkpoint(tmp_path, save_last=False)
    make_trainer(tmp_path, [upload, checkpoint], max_steps=2, plugins=[DirectoryCheckpointIO()]).fit(model)
    local = tmp_path / "checkpoints" / "epoch=0-step=2.ckpt"
    assert local.is_dir()
    for name in ("model.pt", "meta.json"):
        assert (remote / "epoch=0-step=2.ckpt" / name).read_bytes() == (local / name).read_bytes()
    latest = json.loads((remote / LATEST_NAME).read_text())
    assert latest["checkpoint"] == "epoch=0-step=2.ckpt" and latest["bytes"] == sum(
        file.stat().st_size for file in local.iterdir()
    )


def test_async_checkpoint_writes_are_uploaded_after_they_land(tmp_path: Path, model: BoringModel) -> None:
    remote = tmp_path / "remote"
    upload = CheckpointUploadCallback(str(remote))
    checkpoint = every_step_checkpoint(tmp_path, save_last=False)
    make_trainer(tmp_path, [upload, checkpoint], max_steps=3, plugins=[AsyncCheckpointIO()]).fit(model)
    saved = local_checkpoints(tmp_path / "checkpoints")
    assert len(saved) == 3
    assert {name: (remote / name).read_bytes() for name in saved} == saved
