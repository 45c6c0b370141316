"""The unit of curation: one source file, what its source says about it, and the verdicts about it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import xxhash

#: ``metadata`` keys that :class:`CodeSample` lifts into its typed fields when built
#: ``CodeSample(content, language, {"path": ..., "stars": ...})`` (DESIGN's constructor).
LIFTED_KEYS = ("sample_id", "path", "repo", "source", "stars", "forks", "license", "license_file")


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so the same file checked out on Windows hashes the same."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


@lru_cache(maxsize=4)
def utf8_bytes(text: str) -> bytes:
    """``text`` in UTF-8 (lone surrogates kept), memoised: the filters and the hash encode a text once."""
    return text.encode("utf-8", "surrogatepass")


def content_hash(text: str) -> str:
    """128-bit xxh3 hex digest of ``text`` with line endings normalized (fast, non-cryptographic)."""
    return xxhash.xxh3_128_hexdigest(utf8_bytes(normalize_newlines(text)))


def utf8_size(data: str | bytes) -> int:
    """Bytes of ``data`` in UTF-8 (lone surrogates counted as written), the package's one size measure.

    ASCII text is not encoded: its size is its length.

    >>> utf8_size("abc"), utf8_size("é"), utf8_size(b"\\xff\\x00")
    (3, 2, 2)
    """
    if isinstance(data, bytes):
        return len(data)
    return len(data) if data.isascii() else len(data.encode("utf-8", "surrogatepass"))


def as_count(value: Any) -> int | None:
    """A star/fork count as an int, or None when the value is missing or not a number.

    >>> as_count("12"), as_count(3.0), as_count(None), as_count("many"), as_count(True)
    (12, 3, None, None, None)
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError, OverflowError):
        return None


@dataclass
class CodeSample:
    """A code file on its way through curation.

    What the source knows is in typed fields: ``sample_id``, ``path``, ``repo``,
    ``source``, ``stars``, ``forks``, ``stated_licenses`` (the licenses the source's
    metadata names), ``license_file`` (the repository's license file, when the
    source has one), ``size_bytes`` (UTF-8 bytes of the input) and ``encoding`` (the
    codec its bytes were decoded from; None when the source gave text). ``metadata`` keeps
    the source's free-form extras; built the DESIGN way, ``CodeSample(content,
    language, {"path": ..., "stars": ..., "license": ...})``, the known keys are
    lifted into the fields (the given dict is not changed).

    The steps fill the verdicts: ``quality_score`` (None until assessed),
    ``frameworks`` and ``issues``; ``license`` (the resolved SPDX expression);
    ``secrets_redacted`` and ``pii_redacted`` (placeholders put in, live secrets
    and personal data counted apart); ``insecure_rules`` (rule id -> its highest
    severity); ``detail`` (why the sample was dropped, in the dropping step's words).

    >>> sample = CodeSample("print('hi')\\r\\n", "python", {"path": "hi.py", "stars": "12"})
    >>> sample.path, sample.stars, sample.sample_id, sample.quality_score
    ('hi.py', 12, 'hi.py', None)
    >>> sample.content_hash == CodeSample("print('hi')\\n", "python", {}).content_hash
    True
    """

    content: str
    language: str
    metadata: dict[str, Any] = field(default_factory=dict)
    #: How ``language`` was decided: ``source``, ``filename``, ``extension``, ``shebang`` or ``content``.
    language_method: str | None = None
    quality_score: float | None = None
    frameworks: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    sample_id: str = ""
    path: str | None = None
    repo: str | None = None
    source: str | None = None
    stars: int | None = None
    forks: int | None = None
    stated_licenses: tuple[str, ...] = ()
    license: str | None = None
    license_file: str | None = None
    size_bytes: int = -1
    secrets_redacted: int = 0
    pii_redacted: int = 0
    insecure_rules: dict[str, str] = field(default_factory=dict)
    detail: str | None = None
    encoding: str | None = None

    def __post_init__(self) -> None:
        self._lift(self.metadata)
        if not self.sample_id:
            self.sample_id = self.path or self.content_hash
        if self.size_bytes < 0:
            self.size_bytes = utf8_size(self.content)

    def _lift(self, metadata: Mapping[str, Any]) -> None:
        if not any(key in metadata for key in LIFTED_KEYS):
            return
        for key in ("sample_id", "path", "repo", "source", "license_file"):
            value = metadata.get(key)
            if getattr(self, key) in (None, "") and value not in (None, ""):
                setattr(self, key, str(value))
        stated = metadata.get("license")
        if isinstance(stated, str) and stated and self.license is None:
            self.license = stated
        elif isinstance(stated, (list, tuple)) and not self.stated_licenses:
            self.stated_licenses = tuple(str(name) for name in stated)
        if self.stars is None:
            self.stars = as_count(metadata.get("stars"))
        if self.forks is None:
            self.forks = as_count(metadata.get("forks"))

    @property
    def content_hash(self) -> str:
        return content_hash(self.content)

    @property
    def assessed(self) -> bool:
        """Whether a quality assessment has set the score (None means not yet)."""
        return self.quality_score is not None
