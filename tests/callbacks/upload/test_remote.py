"""The remote store over real fsspec filesystems: put, read-back verification, latest.json."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import fsspec
import pytest
from fsspec.implementations.memory import MemoryFileSystem

from litcode.callbacks.upload.errors import (
    CorruptCheckpointError,
    RemoteConfigurationError,
    UploadVerificationError,
)
from litcode.callbacks.upload.remote import LATEST_NAME, RemoteStore, digest_checkpoint
from litcode.callbacks.upload.resume import resolve_latest


@pytest.fixture
def checkpoint(tmp_path: Path) -> Path:
    path = tmp_path / "local" / "epoch=0-step=4.ckpt"
    path.parent.mkdir()
    path.write_bytes(bytes(range(256)) * 64)
    return path


@pytest.fixture
def sharded_checkpoint(tmp_path: Path) -> Path:
    root = tmp_path / "local" / "step=8.ckpt"
    (root / "shards").mkdir(parents=True)
    (root / "meta.pt").write_bytes(b"metadata")
    (root / "shards" / "rank0.distcp").write_bytes(b"a" * 1000)
    (root / "shards" / "rank1.distcp").write_bytes(b"b" * 1000)
    return root


def memory_url() -> str:
    return f"memory://remote-{uuid.uuid4().hex[:8]}/run"


def test_file_upload_is_verified_on_local_filesystem(tmp_path: Path, checkpoint: Path) -> None:
    store = RemoteStore((tmp_path / "remote").as_uri())
    digest = digest_checkpoint(checkpoint)
    store.put(checkpoint, "sub/epoch=0-step=4.ckpt", digest)
    store.verify("sub/epoch=0-step=4.ckpt", digest)
    assert (tmp_path / "remote" / "sub" / "epoch=0-step=4.ckpt").read_bytes() == checkpoint.read_bytes()


def test_upload_leaves_no_partial_files(tmp_path: Path, checkpoint: Path) -> None:
    store = RemoteStore(str(tmp_path / "remote"))
    store.put(checkpoint, checkpoint.name, digest_checkpoint(checkpoint))
    assert [path.name for path in (tmp_path / "remote").iterdir()] == [checkpoint.name]


def test_verification_detects_a_corrupted_remote_copy(checkpoint: Path) -> None:
    store = RemoteStore(memory_url())
    digest = digest_checkpoint(checkpoint)
    store.put(checkpoint, "a.ckpt", digest)
    corrupted = bytearray(checkpoint.read_bytes())
    corrupted[100] ^= 0xFF
    store.filesystem.pipe_file(store.path("a.ckpt"), bytes(corrupted))
    with pytest.raises(UploadVerificationError, match="differs"):
        store.verify("a.ckpt", digest)


def test_size_only_verification_detects_a_truncated_copy(checkpoint: Path) -> None:
    store = RemoteStore(memory_url(), verify="size")
    digest = digest_checkpoint(checkpoint)
    store.filesystem.pipe_file(store.path("a.ckpt"), checkpoint.read_bytes()[:-1])
    with pytest.raises(UploadVerificationError, match="bytes"):
        store.verify("a.ckpt", digest)


def test_sharded_directory_is_uploaded_file_by_file(sharded_checkpoint: Path) -> None:
    store = RemoteStore(memory_url())
    digest = digest_checkpoint(sharded_checkpoint)
    store.put(sharded_checkpoint, "step=8.ckpt", digest)
    store.verify("step=8.ckpt", digest)
    assert digest.is_directory and digest.bytes == 2008
    assert store.filesystem.cat_file(store.path("step=8.ckpt/shards/rank1.distcp")) == b"b" * 1000


def test_sharded_directory_with_a_missing_shard_fails_verification(sharded_checkpoint: Path) -> None:
    store = RemoteStore(memory_url())
    digest = digest_checkpoint(sharded_checkpoint)
    store.put(sharded_checkpoint, "step=8.ckpt", digest)
    store.filesystem.rm(store.path("step=8.ckpt/shards/rank0.distcp"))
    with pytest.raises(FileNotFoundError):
        store.verify("step=8.ckpt", digest)


def test_latest_json_has_exactly_the_contract_fields(tmp_path: Path) -> None:
    store = RemoteStore(str(tmp_path / "remote"))
    record = {"checkpoint": "last.ckpt", "bytes": 12, "sha256": "ab" * 32, "step": 6, "epoch": 1}
    store.write_latest(record)
    assert json.loads((tmp_path / "remote" / LATEST_NAME).read_text()) == record
    assert [path.name for path in (tmp_path / "remote").iterdir()] == [LATEST_NAME]


def commit_by_hand(url: str, name: str, payload: bytes, recorded: bytes | None = None) -> None:
    """Write a checkpoint and a latest.json recording the digest of ``recorded`` (default: ``payload``)."""
    store = RemoteStore(url)
    store.filesystem.makedirs(store.root, exist_ok=True)
    store.filesystem.pipe_file(store.path(name), payload)
    sha = hashlib.sha256(recorded if recorded is not None else payload).hexdigest()
    store.write_latest({"checkpoint": name, "bytes": len(payload), "sha256": sha, "step": 9, "epoch": 1})


def test_resolve_latest_downloads_the_newest_committed_checkpoint(tmp_path: Path) -> None:
    url = (tmp_path / "remote").as_uri()
    commit_by_hand(url, "epoch=1.ckpt", b"weights")
    local = resolve_latest(url, cache_dir=tmp_path / "cache")
    assert Path(local) == tmp_path / "cache" / "epoch=1.ckpt"
    assert Path(local).read_bytes() == b"weights"


def test_corrupt_remote_checkpoint_is_an_error_naming_both_hashes(tmp_path: Path) -> None:
    url = (tmp_path / "remote").as_uri()
    commit_by_hand(url, "last.ckpt", b"bit-rotted weights", recorded=b"the weights that were verified")
    expected = hashlib.sha256(b"the weights that were verified").hexdigest()
    actual = hashlib.sha256(b"bit-rotted weights").hexdigest()
    with pytest.raises(CorruptCheckpointError) as raised:
        resolve_latest(url, cache_dir=tmp_path / "cache")
    assert expected in str(raised.value) and actual in str(raised.value)
    assert not (tmp_path / "cache" / "last.ckpt").exists()
    assert list((tmp_path / "cache").iterdir()) == []  # no partial download left behind


def test_cached_copy_that_still_matches_is_not_downloaded_again(tmp_path: Path) -> None:
    url = (tmp_path / "remote").as_uri()
    commit_by_hand(url, "last.ckpt", b"weights")
    first = resolve_latest(url, cache_dir=tmp_path / "cache")
    (tmp_path / "remote" / "last.ckpt").unlink()
    assert resolve_latest(url, cache_dir=tmp_path / "cache") == first


def test_resolve_latest_without_commit_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no committed checkpoint"):
        resolve_latest(str(tmp_path / "empty"))


def test_unknown_protocol_is_a_configuration_error() -> None:
    with pytest.raises(RemoteConfigurationError, match="register_implementation"):
        RemoteStore("nosuchproto-xyz://bucket/run")


class VaultFileSystem(MemoryFileSystem):
    """A user's own backend, registered under its own protocol."""

    protocol = ("vault",)
    store: dict = {}
    pseudo_dirs = [""]

    @classmethod
    def _strip_protocol(cls, path: str) -> str:
        return super()._strip_protocol(path.removeprefix("vault://"))


def test_user_registered_protocol_works(checkpoint: Path) -> None:
    fsspec.register_implementation("vault", VaultFileSystem, clobber=True)
    store = RemoteStore("vault://team/run")
    digest = digest_checkpoint(checkpoint)
    store.put(checkpoint, "a.ckpt", digest)
    store.verify("a.ckpt", digest)
    assert VaultFileSystem().cat_file("vault://team/run/a.ckpt") == checkpoint.read_bytes()
