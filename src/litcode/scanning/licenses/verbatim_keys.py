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

# A holder's line: "Copyright (c) 2024 Ada", "(C) 1999 ...", "All rights reserved." A line that
# also says something about the license ("Copyright Microsoft. Licensed under the MIT License.")
# is part of what the text states, so it stays.
_COPYRIGHT_LINE = re.compile(r"^[^\w\n]*(?:copyright\b|\(c\)|©|all rights reserved)[^\n]*$", re.I | re.M)
_STATES_A_LICENSE = re.compile(r"licen|permi|public domain|gpl|spdx|terms|grant", re.I)


def without_copyright_lines(text: str) -> str:
    """``text`` with its holders' lines emptied (the same object when it has none)."""
    if not _COPYRIGHT_LINE.search(text):
        return text
    return _COPYRIGHT_LINE.sub(lambda line: line.group(0) if _kept(line.group(0)) else "", text)


def copyright_lines(text: str) -> list[str]:
    """The lines :func:`without_copyright_lines` empties."""
    return [line for line in _COPYRIGHT_LINE.findall(text) if not _kept(line)]


def _kept(line: str) -> bool:
    return bool(_STATES_A_LICENSE.search(line))


def key_of(ids: np.ndarray) -> int:
    """A 63-bit key of a token-id sequence (never 0, which means "no key")."""
    digest = hashlib.blake2b(np.asarray(ids, dtype="<i4").tobytes(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1 or 1
