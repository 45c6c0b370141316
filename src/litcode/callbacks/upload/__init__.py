"""Checkpoint uploads: staged, retried, breaker-guarded, verified, journaled.

>>> from litcode.callbacks.upload import CheckpointUploadCallback, resolve_latest, resume_pending
>>> CheckpointUploadCallback("memory://runs/demo").remote_url
'memory://runs/demo'
"""

from litcode.callbacks.upload.backlog import Eviction, UploadBacklog
from litcode.callbacks.upload.callback import CheckpointUploadCallback
from litcode.callbacks.upload.digest import CheckpointDigest, digest_checkpoint
from litcode.callbacks.upload.errors import (
    RemoteConfigurationError,
    UploadCancelledError,
    UploadVerificationError,
    is_transient_upload_error,
)
from litcode.callbacks.upload.journal import JOURNAL_NAME, PendingUpload, UploadJournal
from litcode.callbacks.upload.remote import LATEST_NAME, RemoteStore, resolve_latest
from litcode.callbacks.upload.resume import ResumeResult, resume_pending
from litcode.callbacks.upload.staging import StagingArea
from litcode.callbacks.upload.stats import UploadStats
from litcode.callbacks.upload.uploader import DEFAULT_RETRY_POLICY, CheckpointUploader, default_breaker

__all__ = [
    "DEFAULT_RETRY_POLICY",
    "JOURNAL_NAME",
    "LATEST_NAME",
    "CheckpointDigest",
    "CheckpointUploadCallback",
    "CheckpointUploader",
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
    "UploadVerificationError",
    "default_breaker",
    "digest_checkpoint",
    "is_transient_upload_error",
    "resolve_latest",
    "resume_pending",
]
