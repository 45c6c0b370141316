"""From raw record to :class:`CodeSample`: bytes to text, language, metadata — or a drop reason.

Decoding rules, in order:

1. a record the source already skipped keeps its reason (``"size"``);
   one it could not read is ``"unreadable"``;
2. bytes with a NUL in the first 8 KiB are ``"binary"`` (the test git and
   GitHub linguist use); so is text with a NUL there;
3. bytes are decoded as UTF-8 (a BOM is stripped); when that fails, a
   Python file's PEP 263 coding cookie is honoured through
   :func:`tokenize.detect_encoding` (the stdlib's own test suite holds
   latin-1 files); anything still undecodable is ``"binary"``.

Content is otherwise left as written (line endings included): hashing for
dedup normalizes newlines itself, and training keeps what authors wrote.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass
from typing import Any

from litcode.quality.language_id import decide_language
from litcode.quality.sample import LIFTED_KEYS, CodeSample, as_count, utf8_size
from litcode.sources.base import SourceRecord

BINARY_SNIFF_BYTES = 8192
_BOM = "\ufeff"
#: Record metadata keys that become typed :class:`CodeSample` fields (``bytes``: the size the
#: source measured before reading); the rest stays in ``metadata`` as the source's extras.
_TYPED_KEYS = frozenset({*LIFTED_KEYS, "bytes"})


@dataclass(frozen=True)
class Undecodable:
    """Why a record never became a sample: a manifest reason and, when known, the error text.

    >>> Undecodable("unreadable", "cannot read: Permission denied").reason
    'unreadable'
    """

    reason: str
    detail: str | None = None


def decode_record(record: SourceRecord, *, language_by_content: bool = True) -> CodeSample | Undecodable:
    """A :class:`CodeSample` with its fields filled, or why the record is dropped.

    The sample's fields come from the record: ``sample_id``, ``path``, ``repo``,
    ``source``, ``stars``, ``forks``, ``stated_licenses`` (``metadata["license"]``, one
    name or a list), ``license_file`` and ``size_bytes`` (of the raw data); its
    ``metadata`` keeps the record's other metadata. ``language`` is the source's,
    else decided by :func:`~litcode.quality.language_id.decide_language` (file name,
    extension, ``#!`` line, then, with ``language_by_content``, the content), else
    ``"unknown"``; ``language_method`` says which.

    >>> sample = decode_record(SourceRecord("a/b.py", path="b.py", repo="a", data=b"\\xef\\xbb\\xbfx = 1\\n"))
    >>> (sample.content, sample.language, sample.repo, sample.size_bytes)
    ('x = 1\\n', 'python', 'a', 9)
    >>> decode_record(SourceRecord("a/img.png", data=b"\\x89PNG\\x00\\x00"))
    Undecodable(reason='binary', detail=None)
    """
    if record.skip_reason:
        return Undecodable(record.skip_reason, record.skip_detail or record.error)
    if record.error is not None or record.data is None:
        return Undecodable("unreadable", record.error or "no data")
    path = record.path or record.sample_id
    if isinstance(record.data, bytes):
        text = decode_bytes(
            record.data, is_python=path.endswith((".py", ".pyw", ".pyi")) or record.language == "python"
        )
        if text is None:
            return Undecodable("binary")
    else:
        text = record.data.removeprefix(_BOM)
        if "\x00" in text[:BINARY_SNIFF_BYTES]:
            return Undecodable("binary")
    metadata = record.metadata
    decision = decide_language(path, text, given=record.language, use_content=language_by_content)
    return CodeSample(
        content=text,
        language=decision.language or "unknown",
        language_method=decision.method,
        metadata={key: value for key, value in metadata.items() if key not in _TYPED_KEYS},
        sample_id=record.sample_id,
        path=record.path,
        repo=record.repo,
        source=_text(metadata.get("source")),
        stars=as_count(metadata.get("stars")),
        forks=as_count(metadata.get("forks")),
        stated_licenses=_names(metadata.get("license")),
        license_file=_text(metadata.get("license_file")),
        size_bytes=utf8_size(record.data),
    )


def record_size(record: SourceRecord) -> int:
    """Bytes of a record's raw data, or the size the source measured when it did not read it."""
    if record.data is not None:
        return utf8_size(record.data)
    return as_count(record.metadata.get("bytes")) or 0


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _names(value: Any) -> tuple[str, ...]:
    """A stated license as a tuple of names: one string, or a list (all of them apply)."""
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(str(name) for name in value if name not in (None, ""))
    return (str(value),)


def decode_bytes(data: bytes, is_python: bool = False) -> str | None:
    """Text of ``data``, or None when it looks binary or cannot be decoded (rules in the module doc).

    >>> decode_bytes(b"# -*- coding: latin-1 -*-\\nname = '\\xe9'\\n", is_python=True)
    "# -*- coding: latin-1 -*-\\nname = 'é'\\n"
    >>> decode_bytes(b"name = '\\xe9'\\n") is None
    True
    """
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        return None
    try:
        return data.decode("utf-8").removeprefix(_BOM)
    except UnicodeDecodeError:
        pass
    if not is_python:
        return None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None
