"""Checks ``litcode fit`` makes before any data is prepared; each problem is a usage error (exit 2).

Each check returns the message of the problem it found (``None``: fine), so the CLI reports it the
one way usage errors are reported. The remote's own preflight (credentials, bucket) belongs here too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from litcode.cli.resume import ResumePlan, run_remote_url
from litcode.cli.run_directory import RunDirectory
from litcode.cli.usage import column_map_hint

#: How to give a table source its columns in a training config (there is no flag of its own).
COLUMN_MAP_HINT = (
    "data.source: {class_path: litcode.sources.ParquetSource (or JsonlSource), "
    "init_args: {path: FILE, column_map: {content: COLUMN}}}"
)


class PreflightError(ValueError):
    """A configuration that cannot work; the message names the key."""


def missing_source_paths(source: Any) -> str | None:
    """A local ``data.source`` path that does not exist.

    >>> missing_source_paths(["/definitely/not/here"]).startswith("data.source: '/definitely/not/here'")
    True
    """
    for item in source if isinstance(source, list | tuple) else [source]:
        if isinstance(item, str) and "://" not in item and not Path(item).expanduser().exists():
            return f"data.source: {item!r} does not exist (relative to {os.getcwd()})"
    return None


def source_problem(source: Any) -> str | None:
    """A source that cannot be opened, or a table without a usable content column."""
    from litcode.sources import ColumnMappingError, SourceError, open_source

    try:
        open_source(source)
    except ColumnMappingError as error:
        return f"data.source: {column_map_hint(str(error), COLUMN_MAP_HINT)}"
    except (SourceError, OSError) as error:
        return f"data.source: {error}"
    except (TypeError, ValueError):
        return None  # an object the datamodule understands and open_source does not (a datasets.Dataset)
    return None


def run_remote(base_url: str, plan: ResumePlan, run: RunDirectory, storage_options: dict[str, Any]) -> str:
    """This run's remote: a resumed run keeps its own; a new one avoids a remote holding another run.

    Raises :class:`PreflightError` for a remote that cannot be opened at all (an unknown protocol).
    """
    if not plan.new_run:
        record = run.read()
        recorded = record.get("remote_url")
        return str(recorded) if recorded and record.get("remote_base_url") == base_url else base_url
    from litcode.callbacks.upload import RemoteConfigurationError, RemoteStore

    try:
        RemoteStore(base_url, storage_options).read_latest()
    except FileNotFoundError:
        return base_url
    except (RemoteConfigurationError, ValueError) as error:  # an unknown protocol, a malformed URL
        raise PreflightError(f"upload.remote_url: {error}") from None
    except Exception:  # unreachable now: the upload callback reports it; start at the base
        return base_url
    return run_remote_url(base_url, plan.run_id)
