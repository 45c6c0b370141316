"""Whether a template may claim a span of text: the names and versions it states must agree.

Containment alone cannot tell a GNU *Lesser* GPL notice from the GPL one it is worded
after, or "version 1.2" of the GFDL from 1.1 and 1.3, because the words that differ are
one or two of a hundred. These checks veto such claims outright:

* **Stated versions**: the versions a span states ("version 2.1", "v3", "Version 1.2 or
  any later version") must share one with those its template states, when both state
  any; a template that states none (a bare name such as "Open Software License") is held
  to the versions of the SPDX ids it stands for.
* **License names**: a qualifier that names a different license of the GNU family
  ("Lesser", "Library", "Affero") or the GFDL must appear in both or in neither. A
  long template counts a name only in its head, where a license names itself, so a GPL
  text's closing advice to consider the Lesser GPL does not make it an LGPL.

Work per claim is a few numpy comparisons over the span's token ids; what a template
states is worked out once per template.

>>> checks = ClaimChecks(["gnu", "lesser", "general", "public", "license", "version", "2", "1", "3"])
>>> span = checks.ids("under the gnu lesser general public license version 2 1".split())
>>> gpl = checks.template("GPL-2.0-only", checks.ids("gnu general public license version 2".split()))
>>> lgpl = checks.template("LGPL-2.1-only", checks.ids("gnu lesser general public license v2 1".split()))
>>> checks.agrees(gpl, span), checks.agrees(lgpl, span)
(False, True)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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
VERSION_WORDS = frozenset({"version", "versions", "v", "ver"})
_V_NUMBER = re.compile(r"v\d{1,3}")  # "v2", one token
_VERSION_PART = re.compile(r"\d{1,3}[a-z]?")
_ID_VERSION = re.compile(r"-(\d{1,3}(?:\.\d{1,3})*[a-z]?)(?:-|$)")


@dataclass(frozen=True)
class TemplateStatement:
    """What one template says of itself: the names of :data:`NAME_PHRASES` it holds (in its
    head, and anywhere) and the versions it states (its SPDX ids' when its words state none)."""

    named: tuple[bool, ...]
    mentioned: tuple[bool, ...]
    versions: frozenset[str]


class ClaimChecks:
    """The vetoes over one vocabulary (``words[id]`` is the token with that id)."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = list(words)
        lookup = {word: number for number, word in enumerate(self.words)}
        self._phrases = [tuple(lookup.get(word, -2) for word in phrase) for phrase in NAME_PHRASES]
        # Per token id: does it start a version statement ("version", "v", "v2")?
        self._starts = np.array([_starts_a_version(word) for word in self.words] + [False], dtype=np.bool_)
        self._numbers = np.array([word.isdigit() for word in self.words] + [False], dtype=np.bool_)

    def ids(self, words: Sequence[str]) -> IdArray:
        """Token ids of ``words`` (-1 for words outside the vocabulary), for tests and examples."""
        lookup = {word: number for number, word in enumerate(self.words)}
        return np.array([lookup.get(word, -1) for word in words], dtype=np.int64)

    def template(self, expression: str, token_ids: IdArray) -> TemplateStatement:
        notice = len(token_ids) <= NOTICE_TOKENS
        head = token_ids if notice else token_ids[:NAME_HEAD_TOKENS]
        stated, labeled = self.stated_versions(token_ids), expression_versions(expression)
        return TemplateStatement(
            named=tuple(_holds(head, phrase) for phrase in self._phrases),
            mentioned=tuple(_holds(token_ids, phrase) for phrase in self._phrases),
            versions=_versions(stated, labeled, notice),
        )

    def agrees(self, template: TemplateStatement, span: IdArray, after: IdArray | None = None) -> bool:
        """Whether ``template`` may claim the query tokens ``span``; ``after`` are the tokens that
        follow it, read when the text goes on to state a version ("... License, version 1.2")."""
        for named, mentioned, phrase in zip(template.named, template.mentioned, self._phrases, strict=True):
            if named != _holds(span, phrase) and (named or not mentioned):
                return False
        if not template.versions:
            return True
        if after is not None and len(after) and len(span) and self._version_goes_on(span[-1], after[0]):
            span = np.concatenate([span, after[:4]])
        stated = self.stated_versions(span)
        return not stated or bool(template.versions & stated)

    def stated_versions(self, token_ids: IdArray) -> frozenset[str]:
        """Versions the tokens state: ``version 2 1`` -> ``2.1``, ``v3`` -> ``3``; ``.0`` tails dropped."""
        found = set()
        for position in np.flatnonzero(self._starts[token_ids]).tolist():
            word = self.words[int(token_ids[position])]
            following = [self._word(token) for token in token_ids[position + 1 : position + 4].tolist()]
            numbers = _numbers(following) if word in VERSION_WORDS else [word[1:], *_numbers(following)]
            if numbers:
                found.add(_canonical(numbers))
        return frozenset(found)

    def _version_goes_on(self, last: int, following: int) -> bool:
        """Whether the span's statement of a version runs past its end: it ends on "version",
        the text goes on with "version 1.2", or "version 2" goes on with ".1"."""
        numbers_go_on = self._numbers[last] and self._numbers[following]
        return bool(self._starts[last] or self._starts[following] or numbers_go_on)

    def _word(self, token: int) -> str:
        return self.words[token] if token >= 0 else ""


def expression_versions(expression: str) -> frozenset[str]:
    """The versions of an expression's ids, or none when one of its ids has no version.

    >>> sorted(expression_versions("LGPL-2.1-or-later")), sorted(expression_versions("LPPL-1.3c"))
    (['2.1'], ['1.3c'])
    >>> expression_versions("MIT AND GPL-2.0-only"), expression_versions("BSD-3-Clause")
    (frozenset(), frozenset())
    >>> sorted(expression_versions("GPL-2.0-or-later WITH Classpath-exception-2.0"))
    ['2']
    """
    versions = set()
    words = expression.replace("(", " ").replace(")", " ").split()
    for position, word in enumerate(words):
        if (
            word in ("AND", "OR", "WITH")
            or "exception" in word.lower()
            or words[position - 1 : position] == ["WITH"]
        ):
            continue  # an exception's version is not the license's
        found = _ID_VERSION.search(word)
        if found is None or word.endswith("-Clause"):
            return frozenset()
        versions.add(_canonical(found.group(1).split(".")))
    return frozenset(versions)


def _versions(stated: frozenset[str], labeled: frozenset[str], notice: bool) -> frozenset[str]:
    """The versions a template stands for.

    A notice is held to the ids it is labeled with, since that is what its claim reports (a
    rule worded "v 2.0" but labeled EPL-1.0 must not turn a v2.0 notice into EPL-1.0); of
    its own words only versions in line with the label count ("version 2" then clause "1."
    reads as 2.1, in the text and the template alike). A full text states versions of other
    things too: its own words count first.
    """
    if not notice or not labeled:
        return stated or labeled
    return labeled | {version for version in stated if any(_same_line(version, label) for label in labeled)}


def _same_line(one: str, other: str) -> bool:
    """``2`` and ``2.1`` agree (a clause number after "version 2" reads as ``2.1``); ``1.1`` and
    ``1.2`` do not."""
    shorter, longer = sorted((one, other), key=len)
    return longer == shorter or longer.startswith(shorter + ".")


def _starts_a_version(word: str) -> bool:
    return word in VERSION_WORDS or _V_NUMBER.fullmatch(word) is not None


def _numbers(words: Sequence[str]) -> list[str]:
    numbers = []
    for word in words:
        number = _VERSION_PART.fullmatch(word.rstrip("+"))
        if number is None:
            break
        numbers.append(number.group())
        if not number.group().isdigit():
            break  # "1 3c": a letter ends the version
    return numbers


def _canonical(numbers: list[str]) -> str:
    parts = [number.lstrip("0") or "0" for number in numbers]
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)


def _holds(token_ids: IdArray, phrase: tuple[int, ...]) -> bool:
    width = len(phrase)
    if len(token_ids) < width or min(phrase) < 0:
        return False
    hits = token_ids[: len(token_ids) - width + 1] == phrase[0]
    for offset in range(1, width):
        hits &= token_ids[offset : len(token_ids) - width + 1 + offset] == phrase[offset]
    return bool(hits.any())
