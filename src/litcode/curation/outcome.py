"""The compact verdict a worker sends back for one input item."""

from __future__ import annotations

from dataclasses import dataclass, field

from litcode.quality.sample import CodeSample


@dataclass
class SampleOutcome:
    """Everything the manifest needs about one input, plus what dedup and the shards need of a survivor.

    ``reason`` is None while the sample survives the per-sample checks; only then
    are ``content`` (after redaction) and ``signature`` (MinHash, little-endian
    uint32 bytes; None when near dedup is off) carried back to the main process.
    ``detail`` says more about a drop: the error text of an ``unreadable`` file, the
    refused SPDX id of a ``license`` drop, the rules of a ``secret``/``insecure`` drop.

    >>> outcome = SampleOutcome("repo/a.py", path="a.py", repo="repo", reason="empty")
    >>> outcome.kept
    False
    """

    sample_id: str
    source: str | None = None
    path: str | None = None
    repo: str | None = None
    language: str | None = None
    language_method: str | None = None
    size_bytes: int = 0
    content_hash: str | None = None
    quality_score: float | None = None
    stars: int | None = None
    forks: int | None = None
    license: str | None = None
    frameworks: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    reason: str | None = None
    detail: str | None = None
    secrets_redacted: int = 0
    pii_redacted: int = 0
    insecure_rules: list[str] = field(default_factory=list)
    encoding: str | None = None
    content: str | None = None
    signature: bytes | None = None

    @property
    def kept(self) -> bool:
        return self.reason is None

    @classmethod
    def of(cls, sample: CodeSample, reason: str | None) -> SampleOutcome:
        """The outcome of a sample the chain judged; a survivor carries its (redacted) content."""
        return cls(
            sample_id=sample.sample_id,
            source=sample.source,
            path=sample.path,
            repo=sample.repo,
            language=sample.language,
            language_method=sample.language_method,
            size_bytes=sample.size_bytes,
            content_hash=sample.content_hash,
            quality_score=sample.quality_score,
            stars=sample.stars,
            forks=sample.forks,
            license=sample.license,
            frameworks=list(sample.frameworks),
            issues=list(sample.issues),
            reason=reason,
            detail=sample.detail if reason is not None else None,
            secrets_redacted=sample.secrets_redacted,
            pii_redacted=sample.pii_redacted,
            insecure_rules=sorted(sample.insecure_rules),
            encoding=sample.encoding,
            content=sample.content if reason is None else None,
        )
