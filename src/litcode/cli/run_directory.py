"""Where a ``litcode fit`` run puts things, and ``run.json``, the record that points at all of it.

One layout, used by the CLI that writes a run and by ``litcode report`` and the notebooks that read
it, so none of them guesses paths::

    <run_dir>/
      run.json              the run id and ``status`` (running, finished, failed, interrupted, with
                            the reason and last step), where its data, metrics, checkpoints and
                            remote copies are, upload health and final losses (rewritten atomically)
      checkpoints/          ModelCheckpoint's files (+ .upload-staging/ while uploads are pending)
      metrics/metrics.json  the MetricsTracker snapshot (+ metrics.steps.jsonl, one record per interval)
      lightning_logs/       the Trainer's logger (CSV by default)
      remote/               the default configs' local file:// "remote" (a later run's: remote/runs/<id>/)
      previous/<run id>/    run.json, checkpoints/, metrics/ of a run replaced by ``--resume never``
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from litcode.atomic_file import atomic_write_text

RUN_FILE = "run.json"


class RunDirectory:
    """Paths of one run and its ``run.json`` record.

    >>> import tempfile
    >>> run = RunDirectory(tempfile.mkdtemp())
    >>> run.update(remote_url="file:///tmp/remote")
    >>> run.read()["remote_url"], run.metrics_file.name
    ('file:///tmp/remote', 'metrics.json')
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    @property
    def run_file(self) -> Path:
        return self.path / RUN_FILE

    @property
    def checkpoint_dir(self) -> Path:
        return self.path / "checkpoints"

    @property
    def metrics_file(self) -> Path:
        return self.path / "metrics" / "metrics.json"

    def read(self) -> dict[str, Any]:
        """The record, or ``{}`` when this run has none yet; a damaged file is a clear ``ValueError``."""
        if not self.run_file.exists():
            return {}
        try:
            record = json.loads(self.run_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"{self.run_file} is not a readable run record: {error}") from None
        if not isinstance(record, dict):
            raise ValueError(f"{self.run_file} is not a run record (expected a JSON object)")
        return record

    def update(self, **fields: Any) -> None:
        """Merge ``fields`` into the record and rewrite it atomically."""
        record = self.read()
        record.update(fields)
        atomic_write_text(self.run_file, json.dumps(record, indent=2, sort_keys=True, default=str) + "\n")

    def curation_dir(self) -> Path | None:
        """The curation output the run trained on (manifest, kept Parquet, report), when recorded."""
        recorded = self.read().get("curation_dir")
        return Path(recorded) if recorded else None

    def resolve_metrics_file(self) -> Path:
        """The metrics snapshot this run recorded, else the layout's default path."""
        recorded = self.read().get("metrics_file")
        return Path(recorded) if recorded else self.metrics_file
