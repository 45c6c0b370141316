"""``litcode upload --resume DIR``: finish the checkpoint uploads a run journaled but did not commit.

Exit codes: 0 when nothing is left pending (including when nothing was pending:
scripts may always call it), 1 when some uploads still failed (they stay
journaled), 2 for a usage error (``DIR`` does not exist). The run's ``run.json``
(found at or above ``DIR``) gets the new upload health, so ``litcode report``
no longer says "pending" once the uploads are done.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from jsonargparse import ArgumentParser

from litcode.callbacks.upload import LATEST_NAME, RemoteStore, ResumeResult, resume_pending
from litcode.cli.run_directory import RUN_FILE, RunDirectory


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="litcode upload",
        description="Upload, verify and commit the checkpoints a run left pending (its upload journal).",
    )
    parser.add_argument(
        "--resume",
        type=str,
        required=True,
        help="the run directory, its checkpoints/.upload-staging directory, or the journal file",
    )
    parser.add_argument("--remote_url", type=str | None, default=None, help="override the journal's remote")
    parser.add_argument("--storage_options", type=dict | None, default=None, help="fsspec options (JSON)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the uploads")
    return parser


def run_upload(args: list[str]) -> int:
    """0 when nothing is left pending, 1 when some uploads still failed (they stay journaled)."""
    parser = build_parser()
    config = parser.parse_args(args)
    try:
        result = resume_pending(
            config.resume,
            config.remote_url,
            storage_options=config.storage_options,
            timeout=config.timeout,
        )
    except (FileNotFoundError, ValueError) as error:
        parser.error(str(error))
    _update_run_record(Path(config.resume), result, config.storage_options)
    if result.journal is None or (not result.uploaded and not result.pending and not result.superseded):
        print(f"litcode upload: nothing pending under {config.resume}")
        return 0
    print(f"remote:     {result.remote_url}")
    print(f"uploaded:   {', '.join(result.uploaded) or 'nothing'}")
    if result.superseded:
        print(f"superseded: {', '.join(result.superseded)}")
    if result.pending:
        print(f"pending:    {', '.join(result.pending)}")
        print(json.dumps(result.errors, indent=2))
        return 1
    print("pending:    none")
    return 0


def _update_run_record(start: Path, result: ResumeResult, storage_options: dict | None) -> None:
    """Rewrite the upload health in the ``run.json`` at or above ``start`` (no record: nothing to do)."""
    run = next(
        (
            RunDirectory(path)
            for path in [start.absolute(), *start.absolute().parents]
            if (path / RUN_FILE).exists()
        ),
        None,
    )
    if run is None:
        return
    record = run.read()
    health = dict(record.get("upload") or {})
    remote_url = result.remote_url or health.get("remote_url") or record.get("remote_url")
    health.update(
        remote_url=remote_url,
        pending=result.pending,
        stats={
            **(health.get("stats") or {}),
            "pending": len(result.pending),
            "journaled": len(result.pending),
        },
        resumed_at=datetime.now(timezone.utc).isoformat(),
    )
    if result.stats.attempts:
        health["stats"]["breaker_state"] = result.stats.breaker_state
    if remote_url:
        try:
            health["latest"] = RemoteStore(remote_url, storage_options).read_latest()
            health["latest_verified"] = True  # committed by an upload that read the bytes back
        except Exception as error:
            health["latest_error"] = f"{type(error).__name__}: {error} ({LATEST_NAME})"
    run.update(upload=health)
