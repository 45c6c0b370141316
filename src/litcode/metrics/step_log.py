"""The append-only JSON Lines file that holds every step record of a run.

Each record is written with a single unbuffered ``write`` of one complete line, so when the
process dies (even by SIGKILL) the file holds every earlier record intact and at most a torn last
line, which :func:`read_step_records` skips with a warning. Records reach the OS page cache at once
(no fsync per step: that would cost milliseconds), so they survive a process crash, not power loss.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from litcode.metrics import finite_json

logger = logging.getLogger("litcode.metrics")


def steps_path_for(metrics_file: str | os.PathLike[str]) -> Path:
    """Where the step log of a snapshot lives: ``metrics.json`` -> ``metrics.steps.jsonl``."""
    return Path(metrics_file).with_suffix(".steps.jsonl")


class StepLog:
    """An open-once, append-only handle on a step log file.

    The file is opened on the first append (creating parent directories) and stays open until
    :meth:`close`. Not thread-safe by itself: the tracker serializes appends under its lock.

    >>> import tempfile, pathlib
    >>> log = StepLog(pathlib.Path(tempfile.mkdtemp()) / "run.steps.jsonl")
    >>> log.append('{"step": 1}')
    >>> log.close()
    >>> read_step_records(log.path)
    [{'step': 1}]
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._handle: BinaryIO | None = None

    def append(self, line: str) -> None:
        """Append one record (JSON text, no newline); ``OSError`` when the file can't be written."""
        if self._handle is None:
            self._handle = self._open()
        self._handle.write((line + "\n").encode("utf-8"))

    def _open(self) -> BinaryIO:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # buffering=0: each write() is one write(2) of a whole line, nothing lingers in a buffer.
        handle: BinaryIO = open(self.path, "ab", buffering=0)  # noqa: SIM115 - kept open on purpose
        if handle.tell() > 0 and _ends_without_newline(self.path):
            # A crashed writer left a torn line; end it so our first record starts on a fresh line.
            handle.write(b"\n")
        return handle

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _ends_without_newline(path: Path) -> bool:
    with open(path, "rb") as reader:
        reader.seek(-1, os.SEEK_END)
        return reader.read(1) != b"\n"


def iter_step_records(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Stream every complete record in a step log, oldest first; a missing file is an empty log.

    A line that is not a JSON object (the torn tail of a crashed write, or a damaged line) is
    skipped and logged as a warning naming the file and line number; reading never raises for it.
    """
    try:
        reader = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except FileNotFoundError:
        return
    with reader:
        for number, raw in enumerate(reader, start=1):
            if not raw.strip():
                continue
            try:
                record = finite_json.loads(raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError, KeyError, IndexError, TypeError):
                record = None
            if isinstance(record, dict):
                yield record
                continue
            torn = not raw.endswith(b"\n")
            kind = "torn last" if torn else "unreadable"
            logger.warning("skipped %s line %d of %s (%d bytes)", kind, number, path, len(raw))


def read_step_records(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """All records of a step log as a list (see :func:`iter_step_records`)."""
    return list(iter_step_records(path))
