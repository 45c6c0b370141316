"""Source identity from file metadata: cheap to compute, changes whenever a file may have changed."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def files_fingerprint(root: Path, files: Iterable[Path], settings: dict[str, Any] | None = None) -> str:
    """SHA-256 over sorted ``(relative path, size, mtime_ns)`` of ``files`` plus the reader's settings.

    Sizes and nanosecond mtimes catch edits without reading contents (the same
    trade-off ``make`` and datatrove's caches make); settings are included so
    a different ``include`` pattern is a different source.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "a.py").write_text("x = 1\\n")
    >>> files_fingerprint(root, [root / "a.py"]) == files_fingerprint(root, [root / "a.py"])
    True
    """
    entries: list[tuple[str, int, int | str]] = []
    for file in files:
        relative = file.relative_to(root).as_posix() if file != root else file.name
        try:
            stat = os.stat(file)
            entries.append((relative, stat.st_size, stat.st_mtime_ns))
        except OSError as error:  # a broken link is part of the identity too
            entries.append((relative, -1, type(error).__name__))
    entries.sort(key=lambda entry: entry[0])
    digest = hashlib.sha256()
    digest.update(json.dumps(settings or {}, sort_keys=True, default=str).encode())
    for entry in entries:
        digest.update(json.dumps(entry).encode())
    return digest.hexdigest()
