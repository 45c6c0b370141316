"""The remote side: any fsspec URL, a put that lands whole, a read-back check of every byte.

Checkpoint digests (size and SHA-256) are computed by :mod:`litcode.callbacks.upload.digest`.

Verification reads the remote bytes back and compares size and SHA-256 with
the staged file. That doubles the traffic of each checkpoint, and for S3 the
read-back of a multi-GB file is the price of certainty: an ETag is only an MD5
for single-part, non-KMS uploads, so it cannot stand in for the SHA-256 that
``latest.json`` promises. ``verify="size"`` trades that certainty for speed.

Atomicity: object stores (S3, GCS, Azure) publish an object only once its PUT
completes, so a direct put is already all-or-nothing. Elsewhere (``file://``,
``memory://``, user protocols) the file goes to a temporary name first and is
moved into place, so a reader never sees half a checkpoint under its real name.

s3fs retries some errors itself (its ``retries`` attribute, and botocore's
``retries`` config). Those would multiply with ours and hide failures from the
circuit breaker, so :class:`RemoteStore` turns them down to one attempt on its
own (uncached) filesystem instance unless ``storage_options`` says otherwise.
"""

from __future__ import annotations

import json
import logging
import posixpath
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import fsspec
from fsspec.spec import AbstractFileSystem

from litcode.callbacks.upload.digest import (
    CHUNK_BYTES,
    COMPLETE_MARKER,
    CheckpointDigest,
    FileDigest,
    combine_file_digests,
    digest_checkpoint,
    sha256_of_stream,
)
from litcode.callbacks.upload.errors import RemoteConfigurationError, UploadVerificationError

logger = logging.getLogger("litcode.callbacks.upload")

# The digests lived here first; importable from here still.
__all__ = [
    "CHUNK_BYTES",
    "COMPLETE_MARKER",
    "LATEST_NAME",
    "OBJECT_STORE_PROTOCOLS",
    "CheckpointDigest",
    "FileDigest",
    "RemoteStore",
    "VerifyMode",
    "combine_file_digests",
    "digest_checkpoint",
    "open_filesystem",
    "sha256_of_stream",
]

LATEST_NAME = "latest.json"
#: Protocols whose PUT is atomic per object: no temporary name needed.
OBJECT_STORE_PROTOCOLS = frozenset({"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "oss", "r2"})

VerifyMode = Literal["sha256", "size"]


def open_filesystem(
    remote_url: str, storage_options: Mapping[str, Any] | None = None
) -> tuple[AbstractFileSystem, str]:
    """An fsspec filesystem of our own for ``remote_url`` and the root path inside it."""
    options = dict(storage_options or {})
    options.setdefault("skip_instance_cache", True)  # our settings never leak into a shared instance
    protocol = fsspec.utils.get_protocol(remote_url)
    if protocol in ("s3", "s3a"):
        config = dict(options.get("config_kwargs") or {})
        config.setdefault("retries", {"max_attempts": 1, "mode": "standard"})
        options["config_kwargs"] = config
    try:
        filesystem, root = fsspec.core.url_to_fs(remote_url, **options)
    except (ImportError, ValueError) as error:
        raise RemoteConfigurationError(
            f"cannot open remote {remote_url!r}: {error}. Is the protocol's package installed "
            "(s3fs for s3://, gcsfs for gs://) or registered with fsspec.register_implementation?"
        ) from error
    if protocol in ("s3", "s3a") and "retries" not in options and hasattr(filesystem, "retries"):
        filesystem.retries = 1  # litcode's retry policy and breaker decide, not s3fs's own loop
    return filesystem, root.rstrip("/")


def _protocols(filesystem: AbstractFileSystem) -> tuple[str, ...]:
    protocol = filesystem.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)


class RemoteStore:
    """Put, verify, point to and delete checkpoints under one remote URL.

    >>> import tempfile, pathlib
    >>> local = pathlib.Path(tempfile.mkdtemp()) / "step=1.ckpt"
    >>> _ = local.write_bytes(b"weights")
    >>> store = RemoteStore("memory://doctest-run")
    >>> digest = digest_checkpoint(local)
    >>> store.put(local, "step=1.ckpt", digest)
    >>> store.verify("step=1.ckpt", digest)
    >>> store.write_latest({"checkpoint": "step=1.ckpt", "bytes": 7, "sha256": digest.sha256,
    ...                     "step": 1, "epoch": 0})
    >>> store.read_latest()["checkpoint"]
    'step=1.ckpt'
    """

    def __init__(
        self,
        remote_url: str,
        storage_options: Mapping[str, Any] | None = None,
        *,
        verify: VerifyMode = "sha256",
        filesystem: AbstractFileSystem | None = None,
    ) -> None:
        if verify not in ("sha256", "size"):
            raise ValueError(f"verify must be 'sha256' or 'size', got {verify!r}")
        self.remote_url = remote_url.rstrip("/")
        if filesystem is None:
            self.filesystem, self.root = open_filesystem(remote_url, storage_options)
        else:
            self.filesystem, self.root = filesystem, filesystem._strip_protocol(remote_url).rstrip("/")
        self.verify_mode = verify
        self.atomic_put = bool(OBJECT_STORE_PROTOCOLS.intersection(_protocols(self.filesystem)))

    def path(self, name: str) -> str:
        """The filesystem path of ``name`` (posix, relative to the remote root)."""
        return posixpath.join(self.root, name) if self.root else name

    def url(self, name: str) -> str:
        """The full URL of ``name``, in the form the user gave the remote (for ``ckpt_path=``)."""
        return f"{self.remote_url}/{name}"

    # -- checkpoints -----------------------------------------------------------

    def put(self, local: str | Path, name: str, digest: CheckpointDigest) -> None:
        """Upload a checkpoint file, or each file of a checkpoint directory, under ``name``."""
        local = Path(local)
        if not digest.is_directory:
            self._put_file(local, self.path(name))
            return
        for item in digest.files:
            self._put_file(local / item.relative_path, self.path(posixpath.join(name, item.relative_path)))

    def _put_file(self, local: Path, remote: str) -> None:
        parent = posixpath.dirname(remote)
        if parent and not self.atomic_put:
            self.filesystem.makedirs(parent, exist_ok=True)
        if self.atomic_put:
            self.filesystem.put_file(str(local), remote)
            return
        temporary = f"{remote}.partial-{uuid.uuid4().hex[:12]}"
        try:
            self.filesystem.put_file(str(local), temporary)
            self.filesystem.mv(temporary, remote)
        except BaseException:
            self._remove_quietly(temporary)
            raise

    def verify(self, name: str, digest: CheckpointDigest) -> None:
        """Raise :class:`UploadVerificationError` unless the remote bytes match ``digest``."""
        if not digest.is_directory:
            self._verify_file(self.path(name), digest.bytes, digest.sha256, name)
            return
        for item in digest.files:
            self._verify_file(
                self.path(posixpath.join(name, item.relative_path)), item.bytes, item.sha256, name
            )
        if self.verify_mode == "sha256":
            # Every file matched its own digest, so the combined digest matches too; recomputed as a guard.
            _, combined = combine_file_digests(digest.files)
            if combined != digest.sha256:
                raise UploadVerificationError(f"{name}: directory manifest digest changed while uploading")

    def _verify_file(self, remote: str, size: int, sha256: str, name: str) -> None:
        if self.verify_mode == "size":
            remote_size = self.filesystem.info(remote).get("size")
            if remote_size != size:
                raise UploadVerificationError(f"{name}: remote has {remote_size} bytes, local {size}")
            return
        with self.filesystem.open(remote, "rb") as stream:
            remote_size, remote_sha = sha256_of_stream(stream)
        if remote_size != size or remote_sha != sha256:
            raise UploadVerificationError(
                f"{name}: remote copy differs ({remote_size} bytes, sha256 {remote_sha[:12]}...; "
                f"expected {size} bytes, sha256 {sha256[:12]}...)"
            )

    def delete(self, name: str) -> None:
        """Delete a remote checkpoint (file or directory); already gone is fine."""
        path = self.path(name)
        if self.filesystem.exists(path):
            self.filesystem.rm(path, recursive=True)

    # -- the latest pointer ------------------------------------------------------

    def write_latest(self, record: Mapping[str, Any]) -> None:
        """Write ``latest.json`` whole: one PUT on object stores, temp name + move elsewhere."""
        self.write_json(LATEST_NAME, record)

    def write_json(self, name: str, record: Mapping[str, Any]) -> None:
        """Write a small JSON file under ``name`` whole (``latest.json``, a completion marker)."""
        payload = (json.dumps(dict(record), sort_keys=True) + "\n").encode()
        target = self.path(name)
        if self.atomic_put:
            self.filesystem.pipe_file(target, payload)
            return
        if posixpath.dirname(target):
            self.filesystem.makedirs(posixpath.dirname(target), exist_ok=True)
        temporary = f"{target}.partial-{uuid.uuid4().hex[:12]}"
        try:
            self.filesystem.pipe_file(temporary, payload)
            self.filesystem.mv(temporary, target)
        except BaseException:
            self._remove_quietly(temporary)
            raise

    def read_latest(self) -> dict[str, Any]:
        """The parsed ``latest.json``; ``FileNotFoundError`` when nothing was committed yet."""
        with self.filesystem.open(self.path(LATEST_NAME), "rb") as stream:
            record: dict[str, Any] = json.loads(stream.read())
        return record

    def _remove_quietly(self, path: str) -> None:
        try:
            if self.filesystem.exists(path):
                self.filesystem.rm(path)
        except Exception as error:  # the original failure matters more than the clean-up
            logger.debug("Could not remove temporary remote file %s: %s", path, error)
