"""The unit of curation: one source file with its metadata and the verdicts about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import xxhash


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so the same file checked out on Windows hashes the same."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_hash(text: str) -> str:
    """128-bit xxh3 hex digest of ``text`` with line endings normalized (fast, non-cryptographic)."""
    return xxhash.xxh3_128_hexdigest(normalize_newlines(text).encode("utf-8", "surrogatepass"))


@dataclass
class CodeSample:
    """A code file on its way through curation.

    ``metadata`` carries what the source knows: ``sample_id``, ``path``, ``repo``,
    ``stars``, ``forks``, ``license`` (any may be missing). Scoring fills
    ``quality_score``, ``frameworks`` and ``issues``.

    >>> sample = CodeSample("print('hi')\\r\\n", "python", {"path": "hi.py"})
    >>> sample.content_hash == CodeSample("print('hi')\\n", "python", {}).content_hash
    True
    """

    content: str
    language: str
    metadata: dict[str, Any] = field(default_factory=dict)
    quality_score: float = 0.0
    frameworks: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        return content_hash(self.content)

    @property
    def sample_id(self) -> str:
        return str(self.metadata.get("sample_id") or self.metadata.get("path") or self.content_hash)

    @property
    def size_bytes(self) -> int:
        return len(self.content.encode("utf-8", "surrogatepass"))
