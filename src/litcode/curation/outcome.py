"""The compact verdict a worker sends back for one input item."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SampleOutcome:
    """Everything the manifest needs about one input, plus what dedup and the shards need of a survivor.

    ``reason`` is None while the sample survives the per-sample checks; only then
    are ``content`` (after redaction) and ``signature`` (MinHash, little-endian
    uint32 bytes; None when near dedup is off) carried back to the main process.

    >>> outcome = SampleOutcome("repo/a.py", path="a.py", repo="repo", reason="empty")
    >>> outcome.kept
    False
    """

    sample_id: str
    source: str | None = None
    path: str | None = None
    repo: str | None = None
    language: str | None = None
    size_bytes: int = 0
    content_hash: str | None = None
    quality_score: float | None = None
    stars: int | None = None
    forks: int | None = None
    license: str | None = None
    frameworks: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    reason: str | None = None
    secrets_redacted: int = 0
    insecure_rules: list[str] = field(default_factory=list)
    content: str | None = None
    signature: bytes | None = None

    @property
    def kept(self) -> bool:
        return self.reason is None
