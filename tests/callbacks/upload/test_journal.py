"""The pending-upload journal: atomic, readable by a later run, clear about bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from litcode.callbacks.upload import resume_pending
from litcode.callbacks.upload.journal import JOURNAL_NAME, PendingUpload, UploadJournal


def entry(name: str, sequence: int) -> PendingUpload:
    return PendingUpload(
        name, f"/staging/{sequence}", f"/ckpt/{name}", step=10 * sequence, epoch=0, sequence=sequence
    )


def test_journal_round_trips_entries_in_save_order(tmp_path: Path) -> None:
    journal = UploadJournal(tmp_path / JOURNAL_NAME)
    journal.write("s3://bucket/run", [entry("b.ckpt", 2), entry("a.ckpt", 1)], latest_sequence=0)
    contents = journal.read()
    assert contents.remote_url == "s3://bucket/run"
    assert contents.latest_sequence == 0
    assert [(e.name, e.step) for e in contents.pending] == [("a.ckpt", 10), ("b.ckpt", 20)]


def test_journal_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    journal = UploadJournal(tmp_path / JOURNAL_NAME)
    journal.write("memory://run", [entry("a.ckpt", 1)])
    journal.write("memory://run", [entry("a.ckpt", 1), entry("b.ckpt", 2)])
    assert sorted(path.name for path in tmp_path.iterdir()) == [JOURNAL_NAME]


def test_empty_pending_list_removes_the_journal(tmp_path: Path) -> None:
    journal = UploadJournal(tmp_path / JOURNAL_NAME)
    journal.write("memory://run", [entry("a.ckpt", 1)])
    journal.write("memory://run", [])
    assert not journal.path.exists()
    assert journal.read().pending == ()


def test_corrupt_journal_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / JOURNAL_NAME
    path.write_text('{"pending": [{"name": "a.ckpt", "staged_')
    with pytest.raises(ValueError, match="not valid"):
        UploadJournal(path).read()


def test_locate_finds_journal_below_a_run_directory(tmp_path: Path) -> None:
    nested = tmp_path / "checkpoints" / ".upload-staging"
    UploadJournal(nested / JOURNAL_NAME).write("memory://run", [entry("a.ckpt", 1)])
    assert UploadJournal.locate(tmp_path).path == nested / JOURNAL_NAME


def test_locate_without_journal_finds_nothing_pending(tmp_path: Path) -> None:
    assert UploadJournal.locate(tmp_path) is None


def test_locate_of_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        UploadJournal.locate(tmp_path / "nowhere")


def test_resume_sends_again_a_journaled_upload_whose_remote_copy_vanished(tmp_path: Path) -> None:
    staged = tmp_path / "1-step=4.ckpt"
    staged.write_bytes(b"weights")
    remote = tmp_path / "remote"
    remote.mkdir()
    # killed between the put and the read-back, then the remote copy was removed
    entry = PendingUpload("step=4.ckpt", str(staged), "/gone/step=4.ckpt", 4, 0, 1, stage="verify")
    UploadJournal(tmp_path / JOURNAL_NAME).write(remote.as_uri(), [entry])
    result = resume_pending(tmp_path, sleep=lambda seconds: None)
    assert result.uploaded == ["step=4.ckpt"]
    assert (remote / "step=4.ckpt").read_bytes() == b"weights"
