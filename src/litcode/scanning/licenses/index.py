"""The templates of :mod:`.dataset` as token-trigram arrays, built once and cached on disk.

Every text is folded to lower-case word tokens (``[a-z0-9]+``, a trailing ``+`` kept
so ``GPL-2.0+`` and ``GPL-2.0`` stay apart), tokens become integer ids, and each
template is kept as its token ids (for exact matching of short rules) and its sorted
unique token trigrams (for containment). An inverted index from *rare* trigrams to
templates is the prefilter: a query only ever scores the templates it shares rare
trigrams with. Building reads ~37,000 files (a few seconds); the result is saved as
``.npy`` files under the user cache directory keyed by the data packages' versions,
so later processes map it into memory in milliseconds (and share its pages).

>>> tokens("Licensed under GPL-2.0+, see COPYING.")
['licensed', 'under', 'gpl', '2', '0+', 'see', 'copying']
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np
import numpy.typing as npt

from litcode.atomic_file import atomic_write_bytes
from litcode.scanning.licenses import dataset, verbatim_keys
from litcode.scanning.licenses.dataset import KINDS, data_versions, load_templates

log = logging.getLogger(__name__)

INDEX_FORMAT = 8  # bump when the arrays, the tokenization or the templates read change
_TOKEN = re.compile(r"[a-z0-9]+\+?")
# Comment leaders that are words (batch ``REM``, m4 ``dnl``) are not part of a notice;
# ``#``, ``//``, ``--``, ``;;`` and `` * `` are no tokens anyway.
_COMMENT_WORD = re.compile(r"^[ \t]*(?:rem|dnl)\b", re.MULTILINE)
# A trigram shared by more templates than this is too common to select candidates by
# ("of the software"); each template still keeps its rarest few in the prefilter.
MAX_POSTINGS = 64
KEYS_PER_TEMPLATE = 6
# Templates shorter than this many tokens must occur exactly and contiguously.
EXACT_BELOW_TOKENS = 24
MIN_TEMPLATE_TOKENS = 3
# Templates shorter than this are rules ("MIT License") the matcher reads as fast as a lookup.
VERBATIM_MIN_TOKENS = 20

IntArray = npt.NDArray[np.int64]


_COMMENT_WORD_AFTER_NEWLINE = re.compile(r"\n[ \t]*(?:rem|dnl)\b")  # a literal first: a fast scan
# ASCII letters and digits and "+" kept, every other byte a space: tokens are then one split.
_TOKEN_BYTES = bytes(
    code if 48 <= code <= 57 or 97 <= code <= 122 or code == 43 else 32 for code in range(256)
)


def tokens(text: str) -> list[str]:
    """The word tokens every text is compared in: runs of ASCII letters and digits, lower-cased,
    each with a "+" that follows it (``gpl-2.0+``: ``gpl``, ``2``, ``0+``).

    >>> tokens("GPL-2.0+ or C++, a+b; REM ok\\nrem comment")
    ['gpl', '2', '0+', 'or', 'c+', 'a+', 'b', 'rem', 'ok', 'comment']
    """
    lowered = text.lower()
    if ("rem" in lowered or "dnl" in lowered) and (
        _COMMENT_WORD.match(lowered) or _COMMENT_WORD_AFTER_NEWLINE.search(lowered)
    ):
        lowered = _COMMENT_WORD.sub(" ", lowered)
    folded = lowered.encode("ascii", "replace").translate(_TOKEN_BYTES).decode("ascii")
    if "+" not in folded:
        return folded.split()
    # Only runs holding a "+" ("c++", "gpl-2.0+", "a+b") need the pattern; the rest split.
    words: list[str] = []
    done = 0
    plus = folded.find("+")
    while plus >= 0:
        start = folded.rfind(" ", done, plus) + 1 or done
        end = folded.find(" ", plus)
        end = len(folded) if end < 0 else end
        words += folded[done:start].split()
        words += _TOKEN.findall(folded, start, end)
        done = end
        plus = folded.find("+", end)
    words += folded[done:].split()
    return words


@lru_cache(maxsize=4)
def text_tokens(text: str) -> tuple[str, ...]:
    """:func:`tokens` of a text being read, kept for the few steps that read the same text
    (matching, then restating versions and choices): tokenizing is a tenth of detection."""
    return tuple(tokens(text))


def trigram_codes(ids: IntArray, vocabulary_size: int) -> IntArray:
    """One int64 per consecutive token triple; -1 where a token is outside the vocabulary."""
    if len(ids) < 3:
        return np.empty(0, dtype=np.int64)
    codes = (ids[:-2] * vocabulary_size + ids[1:-1]) * vocabulary_size + ids[2:]
    unknown = (ids[:-2] < 0) | (ids[1:-1] < 0) | (ids[2:] < 0)
    codes[unknown] = -1
    return codes


def id_runs(haystack: bytes, needle: bytes) -> Iterator[int]:
    """Token positions where the ids ``needle`` occur as a run in ``haystack`` (both ``<i4``
    bytes): one C-speed substring search per hit, rather than a comparison per token.

    >>> ids = np.array([7, 1, 2, 1, 2], dtype="<i4")
    >>> list(id_runs(ids.tobytes(), ids[1:3].tobytes()))
    [1, 3]
    """
    start = haystack.find(needle)
    while start >= 0:
        if start % 4 == 0:  # a hit across two ids' bytes is no run of ids
            yield start // 4
            start = haystack.find(needle, start + 4)
        else:
            start = haystack.find(needle, start + 1)


def numeric_positions(ids: IntArray, numeric: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Per trigram position: does the trigram hold a number (a version, a clause number)?"""
    if len(ids) < 3:
        return np.zeros(0, dtype=np.bool_)
    flags = numeric[ids.clip(min=0)] & (ids >= 0)
    return flags[:-2] | flags[1:-1] | flags[2:]


@dataclass(frozen=True)
class LicenseIndex:
    """Arrays over all templates (``n`` of them); ``*_offsets`` delimit each template's slice.

    ``expressions[i]`` is template ``i``'s SPDX expression ('' for a false positive),
    ``kinds[i]`` an index into :data:`~.dataset.KINDS`, ``exact[i]`` whether only a
    contiguous, complete occurrence counts.
    """

    vocabulary: dict[str, int]
    expressions: list[str]
    kinds: npt.NDArray[np.int8]
    exact: npt.NDArray[np.bool_]
    token_ids: npt.NDArray[np.int32]
    token_offsets: IntArray
    trigrams: IntArray
    trigram_ids: npt.NDArray[np.int32]
    trigram_vocabulary: IntArray
    trigram_first_offsets: npt.NDArray[np.int32]
    trigram_offsets: IntArray
    posting_offsets: IntArray
    posting_templates: npt.NDArray[np.int32]
    keys_per_template: npt.NDArray[np.int32]
    numeric_tokens: npt.NDArray[np.bool_]
    numeric_per_template: npt.NDArray[np.int32]
    verbatim_keys: IntArray  # per template: the :mod:`.verbatim_keys` key of its text (0: none)
    verbatim_lengths: npt.NDArray[np.int32]  # and the tokens that key was taken over

    @property
    def size(self) -> int:
        return len(self.expressions)

    def template_trigrams(self, template: int) -> IntArray:
        return self.trigrams[self.trigram_offsets[template] : self.trigram_offsets[template + 1]]

    def template_first_offsets(self, template: int) -> npt.NDArray[np.int32]:
        """Where in the template each of its (sorted) trigrams first occurs."""
        return self.trigram_first_offsets[self.trigram_offsets[template] : self.trigram_offsets[template + 1]]

    def template_tokens(self, template: int) -> npt.NDArray[np.int32]:
        return self.token_ids[self.token_offsets[template] : self.token_offsets[template + 1]]

    def encode(self, text: str) -> IntArray:
        """Token ids of ``text`` (-1 for words no template uses)."""
        words = text_tokens(text)
        return np.fromiter(map(self.vocabulary.get, words, repeat(-1)), dtype=np.int64, count=len(words))


def build_index() -> LicenseIndex:
    """Index every template of :func:`~.dataset.load_templates` (seconds; prefer :func:`license_index`)."""
    vocabulary: dict[str, int] = {}
    expressions: list[str] = []
    kinds: list[int] = []
    exact: list[bool] = []
    token_chunks: list[IntArray] = []
    keys: list[int] = []
    key_lengths: list[int] = []
    for template in load_templates():
        words = tokens(template.text)
        if len(words) < MIN_TEMPLATE_TOKENS:
            continue
        ids = np.array([vocabulary.setdefault(word, len(vocabulary)) for word in words], dtype=np.int64)
        token_chunks.append(ids)
        body = verbatim_keys.without_copyright_lines(template.text)
        body_ids = ids if body is template.text else np.array([vocabulary[word] for word in tokens(body)])
        keys.append(verbatim_keys.key_of(body_ids) if len(body_ids) >= VERBATIM_MIN_TOKENS else 0)
        key_lengths.append(len(body_ids))
        expressions.append(template.expression or "")
        kinds.append(KINDS.index(template.kind))
        exact.append(template.exact or len(words) < EXACT_BELOW_TOKENS)
    size = len(vocabulary)
    firsts = [np.unique(trigram_codes(ids, size), return_index=True) for ids in token_chunks]
    trigram_chunks = [codes for codes, _ in firsts]
    all_trigrams = np.concatenate(trigram_chunks)
    owners = np.repeat(np.arange(len(trigram_chunks), dtype=np.int32), [len(c) for c in trigram_chunks])
    trigram_vocabulary, inverse, frequency = np.unique(all_trigrams, return_inverse=True, return_counts=True)
    keep = frequency[inverse] <= MAX_POSTINGS
    # Each template's rarest trigrams are kept even when common, so every template can be found.
    for start, chunk in zip(_offsets(trigram_chunks)[:-1], trigram_chunks, strict=True):
        if len(chunk):
            rarest = np.argsort(frequency[inverse[start : start + len(chunk)]], kind="stable")
            keep[start + rarest[:KEYS_PER_TEMPLATE]] = True
    order = np.argsort(inverse[keep], kind="stable")
    kept_ids, kept_owners = inverse[keep][order], owners[keep][order]
    posting_offsets = np.searchsorted(kept_ids, np.arange(len(trigram_vocabulary) + 1))
    words = sorted(vocabulary, key=vocabulary.__getitem__)
    numeric = np.array([_is_version_like(word) for word in words], dtype=np.bool_)
    numeric_counts = [
        len(np.unique(trigram_codes(ids, size)[numeric_positions(ids, numeric)])) for ids in token_chunks
    ]
    return LicenseIndex(
        vocabulary=vocabulary,
        expressions=expressions,
        kinds=np.array(kinds, dtype=np.int8),
        exact=np.array(exact, dtype=np.bool_),
        token_ids=np.concatenate(token_chunks).astype(np.int32),
        token_offsets=_offsets(token_chunks),
        trigrams=all_trigrams,
        trigram_ids=inverse.astype(np.int32),
        trigram_vocabulary=trigram_vocabulary,
        trigram_first_offsets=np.concatenate([offsets for _, offsets in firsts]).astype(np.int32),
        trigram_offsets=_offsets(trigram_chunks),
        posting_offsets=posting_offsets.astype(np.int64),
        posting_templates=kept_owners.astype(np.int32),
        keys_per_template=np.bincount(kept_owners, minlength=len(expressions)).astype(np.int32),
        numeric_tokens=numeric,
        numeric_per_template=np.array(numeric_counts, dtype=np.int32),
        verbatim_keys=np.array(keys, dtype=np.int64),
        verbatim_lengths=np.array(key_lengths, dtype=np.int32),
    )


_YEAR = re.compile(r"(?:19|20)\d\d")


def _is_version_like(word: str) -> bool:
    """A token whose number may tell licenses apart ("2" of "version 2", "3" of "clause 3"); a
    year is a copyright's, which differs from copy to copy and must not outweigh the words.

    >>> _is_version_like("2"), _is_version_like("v3"), _is_version_like("2013"), _is_version_like("word")
    (True, True, False, False)
    """
    return any(character.isdigit() for character in word) and not _YEAR.fullmatch(word)


def _offsets(chunks: list[IntArray]) -> IntArray:
    return np.concatenate([[0], np.cumsum([len(chunk) for chunk in chunks])]).astype(np.int64)


_ARRAYS = (
    "kinds",
    "exact",
    "token_ids",
    "token_offsets",
    "trigrams",
    "trigram_ids",
    "trigram_vocabulary",
    "trigram_first_offsets",
    "trigram_offsets",
    "posting_offsets",
    "posting_templates",
    "keys_per_template",
    "numeric_tokens",
    "numeric_per_template",
    "verbatim_keys",
    "verbatim_lengths",
)


def cache_path() -> Path:
    """The folder the built index is kept in: under ``$LITCODE_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/litcode`` (``~/.cache/litcode``)."""
    root = os.environ.get("LITCODE_CACHE_DIR") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "litcode"
    )
    # The code that builds it is part of the key, so an edited tokenizer never reads a stale index.
    builders = b"".join(
        Path(module).read_bytes() for module in (__file__, dataset.__file__, verbatim_keys.__file__)
    )
    key = hashlib.sha256(f"{INDEX_FORMAT}|{data_versions()}|".encode() + builders).hexdigest()[:16]
    return Path(root) / f"license-index-{key}"


def save_index(index: LicenseIndex, folder: Path) -> None:
    """One ``.npy`` per array (memory-mapped on load), then the ``complete`` marker, last."""
    words = sorted(index.vocabulary, key=index.vocabulary.__getitem__)
    arrays = {
        "vocabulary": _pack(words),
        "expressions": _pack(index.expressions),
        **{name: getattr(index, name) for name in _ARRAYS},
    }
    for name, array in arrays.items():
        buffer = io.BytesIO()
        np.save(buffer, np.ascontiguousarray(array))
        atomic_write_bytes(folder / f"{name}.npy", buffer.getvalue())
    atomic_write_bytes(folder / _COMPLETE, b"")


def load_saved_index(folder: Path) -> LicenseIndex:
    """The index of ``folder``, its arrays memory-mapped: loading costs milliseconds, and worker
    processes share the pages instead of each holding a copy."""
    if not (folder / _COMPLETE).is_file():
        raise FileNotFoundError(folder / _COMPLETE)

    def array(name: str) -> np.ndarray:
        # A plain ndarray view of the map: memmap's own __getitem__ costs microseconds a slice.
        return np.load(folder / f"{name}.npy", mmap_mode="r").view(np.ndarray)

    words = _unpack(array("vocabulary"))
    return LicenseIndex(
        vocabulary={word: number for number, word in enumerate(words)},
        expressions=_unpack(array("expressions")),
        **{name: array(name) for name in _ARRAYS},
    )


_COMPLETE = "complete"


def _pack(strings: list[str]) -> npt.NDArray[np.uint8]:
    # Newline-joined UTF-8 bytes: no pickled objects in the cache file.
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def _unpack(packed: npt.NDArray[np.uint8]) -> list[str]:
    return packed.tobytes().decode("utf-8").split("\n")


@lru_cache(maxsize=1)
def license_index() -> LicenseIndex:
    """The index, from the cache file when it is there, else built (and cached when writable)."""
    path = cache_path()
    if (path / _COMPLETE).is_file():
        try:
            return load_saved_index(path)
        except (OSError, ValueError, KeyError) as error:
            log.warning("license index cache %s unreadable (%s); rebuilding", path, error)
    index = build_index()
    try:
        save_index(index, path)
    except OSError as error:
        log.info("license index not cached at %s: %s", path, error)
        return index
    for stale in path.parent.glob("license-index-*"):  # indexes of older data or code
        if stale == path:
            continue
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
    return index
