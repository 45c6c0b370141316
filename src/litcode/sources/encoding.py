"""Bytes to text, saying which encoding they were in — or why they are binary or undecodable.

Rules, in order (the first that applies decides):

1. a byte-order mark declares the encoding (UTF-8, UTF-16 or UTF-32, either byte
   order), so UTF-16 text is not mistaken for binary by its NUL bytes;
2. a NUL in the first 8 KiB is ``binary`` (the test git and GitHub linguist use);
3. strict UTF-8 (``utf-8``);
4. a Python file's PEP 263 coding cookie (:func:`tokenize.detect_encoding`);
5. a file that is mostly UTF-8 with a few stray bytes is undecodable: any 8-bit
   decoding would garble its UTF-8 part;
6. a sample with many control bytes (more than :data:`CONTROL_BYTE_SHARE` of the
   first 8 KiB) is ``binary``: text in any 8-bit encoding has few;
7. a confident detection by ``charset-normalizer`` (mess ratio at most
   :data:`MAX_MESS`) for legacy text (latin-1, cp1252, cp1251, Shift-JIS ...). Western
   8-bit codecs tie on most text, so among equally good matches latin-1
   (``iso8859-1``) wins when no byte falls in 0x80-0x9F (there it and cp1252 give the
   same text), else cp1252 (the de-facto "latin-1" of the web), else the best match
   when it finds a language in the text or has at least :data:`MIN_UNCHECKED_BYTES`;
8. anything else is undecodable, with a detail saying where UTF-8 failed.

Undecodable text is dropped with DESIGN's reason for it, ``binary`` ("undecodable or
binary -> dropped with reason binary"); its detail starts ``undecodable text:`` so the
manifest tells the two apart.

Encoding names are Python's canonical codec names (``codecs.lookup(name).name``).
"""

from __future__ import annotations

import codecs
import io
import re
import tokenize
from dataclasses import dataclass

BINARY_SNIFF_BYTES = 8192
#: Share of control bytes (not tab, newline, carriage return, form feed, escape) above which
#: a NUL-free sample is binary; 8-bit text has next to none, compressed or packed data ~12%.
CONTROL_BYTE_SHARE = 0.05
#: charset-normalizer's mess ratio (0 clean .. 1 noise) a detection must stay under to be used.
MAX_MESS = 0.1
#: Below this many bytes, a detection other than Western 8-bit must also find a language in the text.
MIN_UNCHECKED_BYTES = 64
# Longest marks first: UTF-32-LE's BOM starts with UTF-16-LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13, 27} | {127})
_HIGH_BYTES = bytes(range(128, 256))
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_WESTERN_PREFERENCE = ("cp1252", "iso8859-1", "iso8859-15")


@dataclass(frozen=True)
class DecodedText:
    """Text and the encoding it was decoded from.

    >>> decode_text("café".encode("cp1252"))
    DecodedText(text='café', encoding='iso8859-1')
    """

    text: str
    encoding: str


@dataclass(frozen=True)
class NotText:
    """Why bytes are not text: ``reason`` is always ``binary``; ``detail`` says why.

    >>> decode_text(b"\\x89PNG\\x00\\x00")
    NotText(reason='binary', detail='NUL byte at offset 4')
    """

    reason: str
    detail: str


def decode_text(data: bytes, is_python: bool = False) -> DecodedText | NotText:
    """Decode ``data`` by the rules of the module doc.

    >>> decode_text(b"x = 1\\n").encoding
    'utf-8'
    >>> decode_text("\\ufeffx = 1\\n".encode("utf-16-le")).text
    'x = 1\\n'
    >>> quotes = "It\\u2019s \\u201cquoted\\u201d \\u2014 5 \\u20ac, the naïve café\\n"
    >>> decode_text(quotes.encode("cp1252") * 3).encoding
    'cp1252'
    """
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            try:
                return DecodedText(data[len(mark) :].decode(encoding.removesuffix("-sig")), encoding)
            except UnicodeDecodeError:
                break  # not what its first bytes declare: judge it by the other rules
    head = data[:BINARY_SNIFF_BYTES]
    nul = head.find(b"\x00")
    if nul >= 0:
        return NotText("binary", f"NUL byte at offset {nul}")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    if is_python:
        declared = _coding_cookie(data)
        if declared is not None:
            return declared
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and controls / len(head) > CONTROL_BYTE_SHARE:
        return NotText("binary", f"{controls} control bytes in the first {len(head)}")
    bad = data[utf8_error.start]
    if _mostly_utf8(data):
        return NotText(
            "binary",
            "undecodable text: mostly UTF-8 but with bytes that are not "
            f"(0x{bad:02x} at offset {utf8_error.start}): "
            "mixed encodings, not decoded so as not to garble it",
        )
    detected = _detect(data)
    if detected is not None:
        return detected
    return NotText(
        "binary",
        f"undecodable text: not UTF-8 (byte 0x{bad:02x} at offset {utf8_error.start}), no byte-order mark"
        f"{' or coding cookie' if is_python else ''}, and no confident encoding detection",
    )


def decode_bytes(data: bytes, is_python: bool = False) -> str | None:
    """Text of ``data``, or None when it is binary or undecodable (:func:`decode_text` without the why).

    >>> decode_bytes(b"# -*- coding: latin-1 -*-\\nname = '\\xe9'\\n", is_python=True)
    "# -*- coding: latin-1 -*-\\nname = 'é'\\n"
    >>> decode_bytes(b"\\x00\\x01") is None
    True
    """
    decoded = decode_text(data, is_python)
    return decoded.text if isinstance(decoded, DecodedText) else None


def _mostly_utf8(data: bytes) -> bool:
    """At least half the non-ASCII bytes form valid UTF-8 sequences: a UTF-8 file with a few stray
    bytes, which any 8-bit decoding would turn into mojibake (legacy text rarely forms them)."""
    non_ascii = len(data) - len(data.translate(None, _HIGH_BYTES))
    in_sequences = sum(len(match) for match in _UTF8_SEQUENCE.findall(data))
    return in_sequences * 2 >= non_ascii


def _coding_cookie(data: bytes) -> DecodedText | None:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return DecodedText(data.decode(encoding), codecs.lookup(encoding).name)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None  # no cookie (detect_encoding then says utf-8, which failed), or a wrong one


def _detect(data: bytes) -> DecodedText | None:
    from charset_normalizer import from_bytes  # loaded only when a file is not UTF-8

    matches = list(from_bytes(data, threshold=MAX_MESS, enable_fallback=False))
    if not matches:
        return None
    best = matches[0]
    tied = [m for m in matches if m.chaos <= best.chaos + 0.01 and m.coherence >= best.coherence - 0.01]
    names = {codecs.lookup(name).name for match in tied for name in match.could_be_from_charset}
    if "cp1252" in names and not any(0x80 <= byte <= 0x9F for byte in data):
        names.add("iso8859-1")  # the same text as cp1252 here: name the narrower encoding first
    preferred = [name for name in ("iso8859-1", *_WESTERN_PREFERENCE) if name in names]
    candidates = list(preferred)
    if best.coherence > 0 or len(data) >= MIN_UNCHECKED_BYTES:
        # Any other codec must show a language, or have enough bytes to judge: on 23 bytes of
        # Big5-HKSCS the best match is mac-latin2, with no language in it.
        candidates.append(codecs.lookup(best.encoding).name)
    for encoding in dict.fromkeys(candidates):
        try:
            return DecodedText(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    return None
