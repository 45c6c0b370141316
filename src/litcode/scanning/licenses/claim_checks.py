"""Whether a template may claim a span of text: the GNU license it names must be the span's.

Containment alone cannot tell a GNU *Lesser* GPL notice from the GPL one it is worded
after: one word in a hundred differs. A qualifier that names a different license of the
GNU family ("Lesser", "Library", "Affero") or the GFDL must appear in both the template
and the span, or in neither, or the claim is vetoed and the next template tries. A long
template counts a name only in its head, where a license names itself, so a GPL text's
closing advice to consider the Lesser GPL does not make it an LGPL. (Versions are read
after matching, from the notice's own words: :mod:`.stated`.)

Work per claim is a substring search per phrase over the span's token ids; what a template
names is worked out once per template.

>>> checks = ClaimChecks(["gnu", "lesser", "general", "public", "license", "version", "2"])
>>> span = checks.ids("under the gnu lesser general public license version 2".split())
>>> gpl = checks.template(checks.ids("gnu general public license version 2".split()))
>>> lgpl = checks.template(checks.ids("gnu lesser general public license version 2".split()))
>>> checks.agrees(gpl, span), checks.agrees(lgpl, span)
(False, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from litcode.scanning.licenses.index import id_runs

IdArray = npt.NDArray[np.int64]

# Phrases, as word tokens, that name one license of a family the others are worded after.
NAME_PHRASES: tuple[tuple[str, ...], ...] = (
    ("lesser", "general", "public"),
    ("library", "general", "public"),
    ("affero", "general", "public"),
    ("free", "documentation", "license"),
)
# A template longer than this is a full text: it names itself within its first tokens.
NOTICE_TOKENS = 160
NAME_HEAD_TOKENS = 40


@dataclass(frozen=True)
class TemplateNames:
    """Which of :data:`NAME_PHRASES` one template names (in its head) and mentions (anywhere)."""

    named: tuple[bool, ...]
    mentioned: tuple[bool, ...]


class ClaimChecks:
    """The veto over one vocabulary (``words[id]`` is the token with that id)."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = list(words)
        lookup = {word: number for number, word in enumerate(self.words)}
        self._phrases = [tuple(lookup.get(word, -2) for word in phrase) for phrase in NAME_PHRASES]
        self._phrase_bytes = [np.array(phrase, dtype="<i4").tobytes() for phrase in self._phrases]

    def ids(self, words: Sequence[str]) -> IdArray:
        """Token ids of ``words`` (-1 for words outside the vocabulary), for tests and examples."""
        lookup = {word: number for number, word in enumerate(self.words)}
        return np.array([lookup.get(word, -1) for word in words], dtype=np.int64)

    def template(self, token_ids: IdArray) -> TemplateNames:
        head = token_ids if len(token_ids) <= NOTICE_TOKENS else token_ids[:NAME_HEAD_TOKENS]
        return TemplateNames(
            named=tuple(_holds(head, phrase) for phrase in self._phrases),
            mentioned=tuple(_holds(token_ids, phrase) for phrase in self._phrases),
        )

    def agrees(self, template: TemplateNames, span: IdArray) -> bool:
        """Whether ``template`` may claim the query tokens ``span``."""
        haystack = span.astype("<i4").tobytes()
        for named, mentioned, phrase, needle in zip(
            template.named, template.mentioned, self._phrases, self._phrase_bytes, strict=True
        ):
            holds = min(phrase) >= 0 and next(id_runs(haystack, needle), -1) >= 0
            if named != holds and (named or not mentioned):
                return False
        return True


def _holds(token_ids: IdArray, phrase: tuple[int, ...]) -> bool:
    width = len(phrase)
    if len(token_ids) < width or min(phrase) < 0:
        return False
    hits = token_ids[: len(token_ids) - width + 1] == phrase[0]
    for offset in range(1, width):
        hits &= token_ids[offset : len(token_ids) - width + 1 + offset] == phrase[offset]
    return bool(hits.any())
