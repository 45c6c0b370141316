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

from litcode.quality.languages import detect_language
from litcode.quality.sample import CodeSample
from litcode.sources.base import SourceRecord

BINARY_SNIFF_BYTES = 8192
_BOM = "\ufeff"


def decode_record(record: SourceRecord) -> CodeSample | str:
    """A :class:`CodeSample` with metadata filled, or the manifest reason it is dropped for.

    The sample's metadata holds the source's metadata plus ``sample_id``,
    ``path``, ``repo``, ``bytes`` (size of the raw data) and ``source``;
    ``language`` is the source's, else detected from the path/shebang, else
    ``"unknown"``.

    >>> sample = decode_record(SourceRecord("a/b.py", path="b.py", repo="a", data=b"\\xef\\xbb\\xbfx = 1\\n"))
    >>> (sample.content, sample.language, sample.metadata["repo"], sample.metadata["bytes"])
    ('x = 1\\n', 'python', 'a', 9)
    >>> decode_record(SourceRecord("a/img.png", data=b"\\x89PNG\\x00\\x00"))
    'binary'
    """
    if record.skip_reason:
        return record.skip_reason
    if record.error is not None or record.data is None:
        return "unreadable"
    path = record.path or record.sample_id
    if isinstance(record.data, bytes):
        raw_bytes = len(record.data)
        text = decode_bytes(
            record.data, is_python=path.endswith((".py", ".pyw", ".pyi")) or record.language == "python"
        )
        if text is None:
            return "binary"
    else:
        raw_bytes = len(record.data.encode("utf-8", "surrogatepass"))
        text = record.data.removeprefix(_BOM)
        if "\x00" in text[:BINARY_SNIFF_BYTES]:
            return "binary"
    language = record.language or detect_language(path, text) or "unknown"
    metadata = dict(record.metadata)
    metadata.update(sample_id=record.sample_id, path=record.path, repo=record.repo, bytes=raw_bytes)
    metadata.setdefault("source", None)
    return CodeSample(content=text, language=language, metadata=metadata)


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
