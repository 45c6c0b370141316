"""Checkpoint uploads: staged, retried, breaker-guarded, verified, journaled, retained, resumable.

Modules, in the order a checkpoint meets them: ``lightning_io`` (the Trainer
side: saves, rotations, SIGTERM), ``journal`` (the one record per upload, its
staged copy, the journal), ``backlog`` (the queue and the figures), ``uploader``
and ``transfer`` (workers: put, verify, commit), ``commit`` (``latest.json`` and
retention), ``remote`` (digests and the fsspec store), ``errors`` (what is
worth a retry), ``resume`` (verified remote resume, ``upload --resume``).

>>> from litcode.callbacks.upload import CheckpointUploadCallback, resolve_latest, resume_pending
>>> CheckpointUploadCallback("memory://runs/demo").remote_url
'memory://runs/demo'
"""

from litcode.callbacks.upload.backlog import Eviction, UploadBacklog
from litcode.callbacks.upload.callback import CheckpointUploadCallback
from litcode.callbacks.upload.errors import (
    CorruptCheckpointError,
    RemoteConfigurationError,
    UploadCancelledError,
    UploadVerificationError,
    is_transient_upload_error,
    what_to_fix,
)
from litcode.callbacks.upload.journal import JOURNAL_NAME, PendingUpload, StagingArea, UploadJournal
from litcode.callbacks.upload.remote import LATEST_NAME, CheckpointDigest, RemoteStore, digest_checkpoint
from litcode.callbacks.upload.resume import (
    ResumeResult,
    check_remote,
    fetch_verified,
    resolve_latest,
    resume_pending,
)
from litcode.callbacks.upload.sharded import files_of_rank, upload_sharded_checkpoint
from litcode.callbacks.upload.stats import UploadStats, UploadStatsSink
from litcode.callbacks.upload.uploader import (
    DEFAULT_FAILURE_THRESHOLD,
    DEFAULT_RECOVERY_TIMEOUT,
    DEFAULT_RETRY_POLICY,
    CheckpointUploader,
    default_breaker,
)

__all__ = [
    "DEFAULT_FAILURE_THRESHOLD",
    "DEFAULT_RECOVERY_TIMEOUT",
    "DEFAULT_RETRY_POLICY",
    "JOURNAL_NAME",
    "LATEST_NAME",
    "CheckpointDigest",
    "CheckpointUploadCallback",
    "CheckpointUploader",
    "CorruptCheckpointError",
    "Eviction",
    "PendingUpload",
    "RemoteConfigurationError",
    "RemoteStore",
    "ResumeResult",
    "StagingArea",
    "UploadBacklog",
    "UploadCancelledError",
    "UploadJournal",
    "UploadStats",
    "UploadStatsSink",
    "UploadVerificationError",
    "check_remote",
    "default_breaker",
    "digest_checkpoint",
    "fetch_verified",
    "files_of_rank",
    "is_transient_upload_error",
    "resolve_latest",
    "resume_pending",
    "upload_sharded_checkpoint",
    "what_to_fix",
]
