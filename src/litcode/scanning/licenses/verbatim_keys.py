"""The key a license text is known by word for word, its copyright lines left out.

Shared by the index (which keys every template when it is built) and
:mod:`.verbatim` (which keys a text being read), so both leave out the same lines.

>>> without_copyright_lines("Copyright (c) 2024 Ada\\nAll rights reserved.\\nPermission is granted")
'\\n\\nPermission is granted'
>>> key_of(np.array([1, 2, 3])) == key_of(np.array([1, 2, 3], dtype=np.int32)) != key_of(np.array([3, 2, 1]))
True
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

# A holder's line: "Copyright (c) 2024 Ada", "(C) 1999 ...", "All rights reserved." (the words
# first on the line). A line that also says something about the license ("Copyright
# Microsoft. Licensed under the MIT License.") is part of what the text states, so it stays.
_HOLDER_WORDS = ("copyright", "(c)", "©", "all rights reserved")
_STATES_A_LICENSE = re.compile(r"licen|permi|public domain|gpl|spdx|terms|grant", re.I)


def copyright_line_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each holder's line, in order (found by substring search: a
    line-anchored pattern would try every position of the text).

    >>> text = "MIT License\\n\\nCopyright (c) 2024 Ada\\n  (C) 2025 Bo\\nthe copyright notice"
    >>> [text[start:end] for start, end in copyright_line_spans(text)]
    ['Copyright (c) 2024 Ada', '  (C) 2025 Bo']
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: offsets would drift
        lowered = "".join(
            character if len(character.lower()) != 1 else character.lower() for character in text
        )
    spans: set[tuple[int, int]] = set()
    for word in _HOLDER_WORDS:
        found = lowered.find(word)
        while found >= 0:
            after = found + len(word)
            line_start = lowered.rfind("\n", 0, found) + 1
            whole_word = word != "copyright" or after == len(text) or not _is_word(text[after])
            if whole_word and not any(_is_word(character) for character in text[line_start:found]):
                line_end = lowered.find("\n", found)
                span = (line_start, len(text) if line_end < 0 else line_end)
                if not _STATES_A_LICENSE.search(text, *span):
                    spans.add(span)
            found = lowered.find(word, after)
    return sorted(spans)


def without_copyright_lines(text: str) -> str:
    """``text`` with its holders' lines emptied (the same object when it has none)."""
    spans = copyright_line_spans(text)
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"


def key_of(ids: np.ndarray) -> int:
    """A 63-bit key of a token-id sequence (never 0, which means "no key")."""
    digest = hashlib.blake2b(np.asarray(ids, dtype="<i4").tobytes(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1 or 1
