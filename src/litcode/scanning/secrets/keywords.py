"""Which rule keywords occur in a text: one regex pass for hundreds of literals, instead of one search each.

Hundreds of provider rules bring hundreds of keywords, and a substring search
for an absent keyword reads the whole text: 300 of them cost ~5 ms per 20 kB
file. Instead the keywords are compiled into one regex shaped like a trie
(``a(?:kia|sia)|g(?:hp_|ho_)...``), so the engine tries only the branch that
starts with the character at hand, and the text is read once (the same idea
as gitleaks' Aho-Corasick keyword pass). By default a real Aho-Corasick
automaton (``ahocorasick-rs``, the one decontamination uses too) does the pass,
about 4x faster again (measured with an automaton on stdlib files: 28 ms against
119 ms for 0.7 MB); the trie regex stays for ``use_automaton=False``. Very short
keywords (``.``, ``:``) are found almost at once by ``in`` and are tested that way.

>>> for use_automaton in (True, False):
...     index = KeywordIndex(["ghp_", "glpat-", "akia", ":", "sk-", "sk-ant-"], use_automaton=use_automaton)
...     sorted(index.present("token = 'sk-ant-api03-...'; x: int"))
[':', 'sk-', 'sk-ant-']
[':', 'sk-', 'sk-ant-']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick_rs

_SHORT = 2


def _trie_pattern(words: list[str]) -> str:
    """A regex alternation of ``words`` factored by common prefixes, longest alternatives first."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        ends_here = "" in node
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends_here:  # a keyword ends here and longer ones continue: prefer the longer, keep the shorter
            return f"(?:{body})?"
        return body

    return render(trie)


class KeywordIndex:
    """The subset of a fixed keyword list that occurs in a (lowercased) text."""

    def __init__(self, keywords: Iterable[str], *, use_automaton: bool = True) -> None:
        unique = sorted(set(keywords))
        self.short = [word for word in unique if len(word) <= _SHORT]
        long_words = [word for word in unique if len(word) > _SHORT]
        self.automaton = (
            ahocorasick_rs.AhoCorasick(long_words, matchkind=ahocorasick_rs.MatchKind.Standard)
            if use_automaton and long_words
            else None
        )
        self.pattern = re.compile(_trie_pattern(long_words)) if long_words else None
        # A match reports the longest keyword at its start; the keywords inside it occurred too.
        self.contained = {word: [other for other in long_words if other in word] for word in long_words}

    def present(self, lowered: str) -> set[str]:
        found = {word for word in self.short if word in lowered}
        if self.automaton is not None:
            found.update(self.automaton.find_matches_as_strings(lowered, overlapping=True))
        elif self.pattern is not None:
            for matched in set(self.pattern.findall(lowered)):
                found.update(self.contained.get(matched, (matched,)))
        return found

    def positions(self, lowered: str) -> list[int]:
        """Start offsets of every occurrence of every keyword (short ones included), unsorted."""
        starts = [match.start() for word in self.short for match in re.finditer(re.escape(word), lowered)]
        if self.automaton is not None:
            matches = self.automaton.find_matches_as_indexes(lowered, overlapping=True)
            starts += [start for _, start, _ in matches]
        else:
            for word in self.contained:
                position = lowered.find(word)
                while position >= 0:
                    starts.append(position)
                    position = lowered.find(word, position + 1)
        return starts
