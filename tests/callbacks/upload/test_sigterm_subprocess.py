"""SIGTERM sent from outside to a process whose fit is mid-upload: journal written, then resumed."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from litcode.callbacks.upload import JOURNAL_NAME, UploadJournal, resume_pending

FIT_SCRIPT = textwrap.dedent(
    """
    import sys, threading, time
    from pathlib import Path
    import fsspec
    import pytorch_lightning as pl
    from fsspec.implementations.memory import MemoryFileSystem
    from pytorch_lightning.callbacks import Callback, ModelCheckpoint
    from pytorch_lightning.demos.boring_classes import BoringModel
    from litcode.callbacks.upload import CheckpointUploadCallback

    class HangingRemote(MemoryFileSystem):
        # every upload hangs, as on a dead network: the process must be told to stop
        protocol = ("hanging",)
        def put_file(self, lpath, rpath, **kwargs):
            threading.Event().wait()

    class SlowModel(BoringModel):
        def training_step(self, batch, batch_idx):
            time.sleep(0.01)
            return super().training_step(batch, batch_idx)

    class MarkWhenUploading(Callback):
        def __init__(self, upload, marker):
            self.upload, self.marker = upload, marker
        def on_train_batch_end(self, trainer, *args):
            if len(self.upload.pending()) >= 2 and not self.marker.exists():
                self.marker.write_text("uploading")

    root, marker = Path(sys.argv[1]), Path(sys.argv[2])
    fsspec.register_implementation("hanging", HangingRemote, clobber=True)
    upload = CheckpointUploadCallback("hanging://bucket/run", sigterm_flush_timeout=0.1)
    checkpoint = ModelCheckpoint(dirpath=root / "checkpoints", every_n_train_steps=1, save_top_k=-1)
    trainer = pl.Trainer(default_root_dir=root, max_steps=100_000, limit_val_batches=0, logger=False,
                         enable_progress_bar=False, enable_model_summary=False, accelerator="cpu",
                         callbacks=[upload, MarkWhenUploading(upload, marker), checkpoint])
    trainer.fit(SlowModel())
    """
)


@pytest.mark.slow
def test_sigterm_to_a_fitting_process_journals_uploads_that_a_resume_finishes(tmp_path: Path) -> None:
    marker = tmp_path / "uploading"
    process = subprocess.Popen(
        [sys.executable, "-c", FIT_SCRIPT, str(tmp_path / "run"), str(marker)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # polling a child process, not a retry wait
        assert marker.exists(), (
            process.communicate(timeout=5)[0][-3000:] if process.poll() is not None else ""
        )
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    # Lightning's SIGTERMException is a SystemExit: the process ends in order, after on_exception
    assert "not committed" in output and "litcode upload --resume" in output, output[-3000:]
    journal = UploadJournal(tmp_path / "run" / "checkpoints" / ".upload-staging" / JOURNAL_NAME)
    pending = journal.read().pending
    assert len(pending) >= 2 and all(Path(entry.staged_path).exists() for entry in pending)

    remote = tmp_path / "remote"
    result = resume_pending(tmp_path / "run", remote_url=str(remote))
    assert result.complete and sorted(result.uploaded) == sorted(entry.name for entry in pending)
    for entry in pending:
        assert (remote / entry.name).stat().st_size == entry.bytes or entry.bytes is None
    assert not journal.path.exists()
