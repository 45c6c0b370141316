"""Lightning callbacks that observe training and protect its checkpoints.

They depend on :mod:`litcode.metrics` and :mod:`litcode.resilience` only, never on
:mod:`litcode.data`, so they work with any datamodule.
"""

from litcode.callbacks.metrics_callback import MetricsTrackerCallback
from litcode.callbacks.upload import CheckpointUploadCallback, resolve_latest, resume_pending

__all__ = ["CheckpointUploadCallback", "MetricsTrackerCallback", "resolve_latest", "resume_pending"]
