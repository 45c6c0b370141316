"""Source identity from file metadata: cheap to compute, changes whenever a file may have changed."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from typing import Any


def files_fingerprint(
    files: Iterable[tuple[str, str | os.PathLike[str]]], settings: dict[str, Any] | None = None
) -> str:
    """SHA-256 over sorted ``(name, size, mtime_ns)`` of ``(name, path)`` pairs plus the reader's settings.

    Sizes and nanosecond mtimes catch edits without reading contents (the same
    trade-off ``make`` and datatrove's caches make); names are the paths
    relative to the source, so moving the whole source keeps its identity;
    settings are included so a different ``include`` pattern is a different source.

    >>> import tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.py")
    >>> _ = open(path, "w").write("x = 1\\n")
    >>> files_fingerprint([("a.py", path)]) == files_fingerprint([("a.py", path)], {"include": None})
    False
    """
    entries: list[tuple[str, int, int | str]] = []
    for name, path in files:
        try:
            status = os.stat(path)
            entries.append((name, status.st_size, status.st_mtime_ns))
        except OSError as error:  # a broken link is part of the identity too
            entries.append((name, -1, type(error).__name__))
    entries.sort(key=lambda entry: entry[0])
    digest = hashlib.sha256()
    digest.update(json.dumps(settings or {}, sort_keys=True, default=str).encode())
    for entry in entries:
        digest.update(json.dumps(entry).encode())
    return digest.hexdigest()
