"""``TrackerFiles``: the tracker's two files, written without ever raising into training.

The snapshot is rewritten atomically (as is an exported run history); step
records are appended to the step log (:mod:`litcode.metrics.step_log`). A
write that fails is reported once per episode
(:mod:`litcode.metrics.write_failures`) and returns False: a full disk must
not stop training.
"""

from __future__ import annotations

import json
import logging
import os
import weakref
from pathlib import Path
from typing import Any

from litcode.atomic_file import atomic_write_text
from litcode.metrics import finite_json
from litcode.metrics.snapshot import make_folder
from litcode.metrics.step_log import StepLog, steps_path_for
from litcode.metrics.write_failures import WriteFailures

logger = logging.getLogger("litcode.metrics")


class TrackerFiles:
    """The snapshot ``metrics_file`` and its step log beside it (``metrics.steps.jsonl``).

    The folder is made at once, the files when first written. Not thread-safe by
    itself: the tracker calls it under its lock (saves excepted, which are atomic).

    >>> import tempfile, pathlib
    >>> files = TrackerFiles(pathlib.Path(tempfile.mkdtemp()) / "metrics.json")
    >>> files.append_step('{"step": 1}'), files.write_snapshot("{}"), files.steps_file.name
    (True, True, 'metrics.steps.jsonl')
    >>> files.close()
    """

    def __init__(self, metrics_file: str | os.PathLike[str]) -> None:
        self.metrics_file = Path(metrics_file)
        self.steps_file = steps_path_for(metrics_file)
        self.failures = WriteFailures()
        self.step_log = StepLog(self.steps_file)
        make_folder(self.metrics_file.parent)
        # Closes the log at interpreter exit or when these files are collected, whichever is first.
        self._closer = weakref.finalize(self, self.step_log.close)

    def append_step(self, line: str) -> bool:
        """Append one step record (JSON text, no newline); False when it could not be written."""
        try:
            self.step_log.append(line)
        except Exception as error:
            self.step_log.close()  # reopen next time, ending any torn line first
            self.failures.failed("step log", self.step_log.path, error)
            return False
        self.failures.succeeded("step log")
        return True

    def write_snapshot(self, text: str) -> bool:
        """Replace the snapshot with ``text`` atomically; False when it could not be written."""
        try:
            atomic_write_text(self.metrics_file, text)
        except Exception as error:
            self.failures.failed("snapshot", self.metrics_file, error)
            return False
        self.failures.succeeded("snapshot")
        return True

    def close(self) -> None:
        """Close the step log (it reopens on the next append)."""
        self.step_log.close()


def export_runs(path: str | os.PathLike[str], runs: list[dict[str, Any]]) -> bool:
    """Write training runs (dicts) to ``path`` as a strict JSON list, atomically; False (logged) on failure.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "history.json"
    >>> export_runs(path, [{"run_id": "a", "loss": float("nan")}]), json.loads(path.read_text())[0]["loss"]
    (True, None)
    """
    try:
        atomic_write_text(path, json.dumps([finite_json.to_strict(run) for run in runs], indent=2))
    except Exception as error:
        logger.error("could not export training history to %s: %s", path, error)
        return False
    logger.info("exported %d training runs to %s", len(runs), path)
    return True
