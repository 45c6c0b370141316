"""``litcode upload --resume DIR``: finish the checkpoint uploads a run journaled but did not commit."""

from __future__ import annotations

import json

from jsonargparse import ArgumentParser

from litcode.callbacks.upload import resume_pending


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
