"""From raw record to :class:`CodeSample`: bytes to text, language, metadata — or a drop reason.

Decoding rules, in order:

1. a record the source already skipped keeps its reason (``"size"``);
   one it could not read is ``"unreadable"``;
2. bytes are decoded by :func:`litcode.sources.encoding.decode_text` (a byte-order
   mark, NUL sniffing for ``"binary"``, UTF-8, a PEP 263 cookie, a confident
   legacy-encoding detection; else ``"unreadable"`` saying why), and the encoding they
   were in is kept on the sample (``CodeSample.encoding``, the manifest's ``encoding``);
   text the source gave as ``str`` is ``"binary"`` when it has a NUL in its first 8 KiB.

Content is otherwise left as written (line endings included): hashing for
dedup normalizes newlines itself, and training keeps what authors wrote.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Any

from litcode.quality.language_id import decide_language
from litcode.quality.sample import LIFTED_KEYS, CodeSample, as_count, utf8_size
from litcode.sources.base import SourceRecord
from litcode.sources.encoding import BINARY_SNIFF_BYTES, NotText, decode_bytes, decode_text
from litcode.sources.notebooks import NotebookError, is_notebook, notebook_to_script

__all__ = ["Undecodable", "decode_bytes", "decode_record", "record_size"]
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
    Undecodable(reason='binary', detail='NUL byte at offset 4')
    """
    if record.skip_reason:
        return Undecodable(record.skip_reason, record.skip_detail or record.error)
    if record.error is not None or record.data is None:
        return Undecodable("unreadable", record.error or "no data")
    path = record.path or record.sample_id
    encoding: str | None = None
    if isinstance(record.data, bytes):
        decoded = decode_text(
            record.data, is_python=path.endswith((".py", ".pyw", ".pyi")) or record.language == "python"
        )
        if isinstance(decoded, NotText):
            return Undecodable(decoded.reason, decoded.detail)
        text, encoding = decoded.text, decoded.encoding
    else:
        text = record.data.removeprefix(_BOM)
        nul = text.find("\x00", 0, BINARY_SNIFF_BYTES)
        if nul >= 0:
            return Undecodable("binary", f"NUL character at offset {nul}")
    metadata = record.metadata
    decision = decide_language(path, text, given=record.language, use_content=language_by_content)
    language = decision.language or "unknown"
    if is_notebook(path, language):  # .ipynb JSON -> its script, in the kernel's language
        try:
            text, language = astuple(notebook_to_script(text))
        except NotebookError as error:
            return Undecodable("unreadable", f"broken notebook: {error}")
    return CodeSample(
        content=text,
        language=language,
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
        encoding=encoding,
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
