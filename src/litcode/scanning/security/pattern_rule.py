"""One regex rule for languages without a parser here, and the language families it names."""

from __future__ import annotations

import re
from dataclasses import dataclass

JS = frozenset({"javascript", "typescript"})
JVM = frozenset({"java", "kotlin", "scala"})
C_FAMILY = frozenset({"c", "cpp"})
# SQL, not English: a statement keyword at the start of a string literal, in any case.
SQL_START = (
    r"(?i:\s*(?:select\s[^\"'`\n]*?\bfrom|insert\s+into|update\s+[\w.\"`\[\]]+\s+set|delete\s+from"
    r"|replace\s+into|drop\s+table|alter\s+table)\b)"
)


@dataclass(frozen=True)
class PatternSecurityRule:
    """A regex that marks an insecure construct in the given languages.

    >>> gets = re.compile(r"\\bgets\\(")
    >>> rule = PatternSecurityRule("unsafe_c_function", "high", frozenset({"c"}), gets, "gets()")
    >>> bool(rule.pattern.search("gets(buffer);"))
    True
    """

    rule_id: str
    severity: str
    languages: frozenset[str]
    pattern: re.Pattern[str]
    message: str


# `[^;]*` becomes `[^;]{0,500}`: a rule reads a statement, and an unbounded run would make a
# megabyte-long minified line quadratic (every occurrence of the rule's start scans to its end).
_UNBOUNDED_RUN = re.compile(r"(\[\^(?:\\.|[^\]\\])+\])\*")


def rule(
    rule_id: str, severity: str, languages: frozenset[str] | set[str], pattern: str, message: str
) -> PatternSecurityRule:
    bounded = _UNBOUNDED_RUN.sub(r"\1{0,500}", pattern)
    return PatternSecurityRule(
        rule_id, severity, frozenset(languages), re.compile(bounded, re.MULTILINE), message
    )
