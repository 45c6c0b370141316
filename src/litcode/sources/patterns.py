"""Glob patterns that pick files in a tree, compiled once because they run on every file walked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from fnmatch import fnmatchcase, translate


class GlobSet:
    """Patterns without ``/`` match a file or folder name; patterns with ``/`` match the path
    relative to the root component by component (``*`` stays in one folder, ``**`` spans any).

    >>> patterns = GlobSet(["*.py", "docs/**"])
    >>> patterns.matches("a.py", "pkg/a.py"), patterns.matches("x.md", "docs/x.md"), bool(patterns)
    (True, True, True)
    >>> GlobSet(["pkg/*.py"]).matches("a.py", "pkg/sub/a.py")
    False
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = tuple(patterns)
        name_patterns = [pattern for pattern in self.patterns if "/" not in pattern]
        self._names = re.compile("|".join(translate(p) for p in name_patterns)) if name_patterns else None
        self._paths = [tuple(p.strip("/").split("/")) for p in self.patterns if "/" in p]

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def matches(self, name: str, relative: str) -> bool:
        if self._names is not None and self._names.match(name):
            return True
        if self._paths:
            parts = relative.split("/")
            return any(_path_matches(parts, pattern) for pattern in self._paths)
        return False


def _path_matches(parts: Sequence[str], pattern_parts: Sequence[str]) -> bool:
    if not pattern_parts:
        return not parts
    head, rest = pattern_parts[0], pattern_parts[1:]
    if head == "**":
        return any(_path_matches(parts[index:], rest) for index in range(len(parts) + 1))
    return bool(parts) and fnmatchcase(parts[0], head) and _path_matches(parts[1:], rest)
