"""A literal-guarded line rule: the fast way to ask "does some line of this file look like X?".

Python's ``re`` walks its matching engine over every character of a file unless the
pattern starts with a literal, which makes a dozen full-file regex scans the cost of
scoring a corpus. A :class:`LineRule` instead finds each of a few literals with
``str.find`` (a C loop over memory) and runs its regex only on the lines that contain
one — a file without the literal is never regex-scanned at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import AnyStr, Generic


class LineRule(Generic[AnyStr]):
    """True for a text where a line containing one of ``literals`` matches ``pattern``.

    ``pattern`` is applied with ``search`` to the whole line (``^`` anchors at the
    line start; patterns are compiled with ``re.MULTILINE``); without a pattern,
    finding a literal is enough. Rules over ``bytes`` take ``bytes`` literals and
    patterns.

    >>> rule = LineRule(("except",), r"^[ \\t]*except\\b")
    >>> rule.found_in("try:\\n    f()\\nexcept OSError:\\n    pass\\n"), rule.found_in("# exceptional\\n")
    (True, False)
    """

    __slots__ = ("literals", "pattern")

    def __init__(self, literals: Iterable[AnyStr], pattern: AnyStr | None = None, flags: int = 0) -> None:
        self.literals: tuple[AnyStr, ...] = tuple(literals)
        if not self.literals or not all(self.literals):
            raise ValueError("a LineRule needs at least one non-empty literal")
        self.pattern: re.Pattern[AnyStr] | None = (
            None if pattern is None else re.compile(pattern, flags | re.MULTILINE)
        )

    def found_in(self, text: AnyStr) -> bool:
        pattern = self.pattern
        newline = "\n" if isinstance(text, str) else b"\n"
        for literal in self.literals:
            position = text.find(literal)
            if position < 0:
                continue
            if pattern is None:
                return True
            while position >= 0:
                line_start = text.rfind(newline, 0, position) + 1
                line_end = text.find(newline, position)
                if line_end < 0:
                    line_end = len(text)
                if pattern.search(text, line_start, line_end):
                    return True
                position = text.find(literal, line_end)
        return False

    def __repr__(self) -> str:
        return f"LineRule({self.literals!r}, {self.pattern.pattern if self.pattern else None!r})"


class PrefixedPattern:
    """A regex searched over the whole text, for rules whose literal occurs on many lines.

    The pattern must start with a literal: ``re`` then skips to each occurrence in C,
    where a :class:`LineRule` would loop in Python over every line holding it.

    >>> PrefixedPattern(r"def[ \\t]+\\w+\\([^)]*?\\w:").found_in("def f(x: int): ...")
    True
    """

    __slots__ = ("pattern",)

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = re.compile(pattern, flags | re.MULTILINE)

    def found_in(self, text: str) -> bool:
        return self.pattern.search(text) is not None

    def __repr__(self) -> str:
        return f"PrefixedPattern({self.pattern.pattern!r})"


def any_found(rules: tuple[LineRule[str] | PrefixedPattern, ...], text: str) -> bool:
    """Whether any of ``rules`` holds for ``text`` (cheapest rules should come first)."""
    return any(rule.found_in(text) for rule in rules)
