"""Secrets recognised by where they sit: a literal assigned to a secret-looking name, in any language.

``password = "s3cr3t!"``, ``"api_key": "9f8e..."``, ``DB_PASSWORD=hunter22``,
``var apiToken string = "..."``, ``$pass .= "..."``, ``TOKEN ?= ...``,
``System.setProperty("X_TOKEN", "...")``, ``<add key="Password" value="..."/>``,
``<password>...</password>`` and ``"Authorization: Bearer ..."`` share one
shape: a name, an operator, a value. The rule finds secret words (one regex
over the lowercased text), widens each hit to the name around it, then reads
operator and value with one anchored regex (:data:`ASSIGNMENT_TAIL`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from litcode.scanning.secrets.entropy import has_letters_and_digits
from litcode.scanning.secrets.names import (
    DESCRIPTIVE_LAST_WORDS,
    PASSWORD_WORDS,
    SECRET_WORD_PAIRS,
    SECRET_WORDS,
    lower_same_length,
    name_words,
    secret_name_kind,
    widen_name,
)
from litcode.scanning.secrets.rules import SecretMatch, SecretRule
from litcode.scanning.secrets.values import COMMON_FAKE_PASSWORDS, judge_high_entropy, judge_password

__all__ = [
    "ASSIGNMENT_TAIL",
    "COMMON_FAKE_PASSWORDS",
    "DESCRIPTIVE_LAST_WORDS",
    "PASSWORD_WORDS",
    "SECRET_WORDS",
    "SECRET_WORD_PAIRS",
    "AssignmentRule",
    "judge_high_entropy",
    "judge_password",
    "name_words",
    "read_value",
    "secret_name_kind",
]

_SECRET_WORD_HIT = re.compile(r"pass|pwd|secret|token|key|cred|authorization")
_QUOTED = (
    r"""(?:"(?P<dq>(?:[^"\n\\]|\\.){1,300})"|'(?P<sq>(?:[^'\n\\]|\\.){1,300})'"""
    r"""|`(?P<bq>[^`\n\\]{1,300})`)"""
)
# After the name: a closing quote/bracket (dict keys), an optional type
# (``: str``, Go's ``string``), the operator; or an XML ``value=`` attribute;
# or a call's next argument (``setProperty("X_TOKEN", "...")``); or an XML
# element's text. Then a quoted value, or a bare one that runs to the end of
# the line or a quote (.env, YAML, INI, shell, a header inside a string).
ASSIGNMENT_TAIL = re.compile(
    r"""(?:(?P<comma>['"][ \t]*,)"""
    r"""|['"]?[ \t]+(?:value|content)[ \t]*="""
    r"""|(?P<element>['"]?[^<>\n]{0,60}?>)(?P<text>[^<>\s][^<>\n]{0,300}?)[ \t]*</"""
    r"""|(?P<macro>[ \t]+)(?=["'])"""
    r"""|(?:\[\d*\])?['"\]]?[ \t]*"""
    r"""(?::[ \t]*[A-Za-z_][\w.\[\], |]*[ \t]*|(?P<gotype>[ \t]+(?:As[ \t]+)?[A-Za-z_][\w.\[\]*]*[ \t]*))?"""
    r"""(?:::?=|:::=|=>|\|\|=|\?\?=|\?=|\.=|\+=|=(?!=)|<-|:))"""
    r"""[ \t]*[rRbBuU@]{0,2}"""
    rf"""(?(text)|(?:{_QUOTED}"""
    r"""|(?P<scheme>(?:Bearer|Basic|Token|token|bearer|Bot)[ \t]+)?"""
    r"""(?P<bare>[^\s'"`,;()\[\]{}<>&]{4,300})(?=[ \t]*(?:$|[;#&'"]|//))))""",
    re.MULTILINE,
)
# Calls whose first argument names a setting and whose second is its value.
_SETTER_CALL = re.compile(
    r"(?i:\b(?:set\w*|put\w*|define|add|fetch|getenv|get|setdefault|header|with\w*|config\w*))\s*\(\s*['\"]$"
)
_DECLARATION = re.compile(r"\b(?:var|const|val|let|static|final|param|(?i:dim|private|public|const))\s+$")
_MACRO = re.compile(r"#[ \t]*define[ \t]+$")
_AUTH_SCHEME = re.compile(r"(?:Bearer|Basic|Token|token|bearer|Bot)\s+")
_BARE_IDENTIFIER = re.compile(r"[A-Za-z_][\w.]*")
_VALUE_GROUPS = ("dq", "sq", "bq", "bare", "text")


def read_value(text: str, name_start: int, name_end: int) -> tuple[int, int, str, bool] | None:
    """(start, end, value, is_bare) of the literal assigned to the name at ``text[name_start:name_end]``."""
    tail = ASSIGNMENT_TAIL.match(text, name_end)
    if tail is None:
        return None
    # The line's last 120 characters before the name are context enough; looking further back
    # would make a megabyte-long minified line quadratic.
    line_start = max(text.rfind("\n", max(0, name_start - 120), name_start) + 1, name_start - 120, 0)
    if tail.group("comma") is not None and _SETTER_CALL.search(text, line_start, name_start) is None:
        return None  # only a setter's arguments: `setenv("TOKEN", "...")`
    if tail.group("macro") is not None and _MACRO.search(text, line_start, name_start) is None:
        return None  # `#define API_KEY "..."`: a space is the operator only after #define
    if tail.group("gotype") is not None and _DECLARATION.search(text, line_start, name_start) is None:
        return None  # `var apiToken string = ...` needs its `var`; "Pass format='x'" is prose
    if tail.group("element") is not None and (name_start == 0 or text[name_start - 1] not in "<'\""):
        return None
    group = next(name for name in _VALUE_GROUPS if tail.group(name) is not None)
    start, end = tail.span(group)
    if group == "bq" and text[start - 2] == ":":
        return None  # reStructuredText roles: "pass :class:`Options`"
    value = tail.group(group)
    scheme = _AUTH_SCHEME.match(value)
    if scheme:
        start += scheme.end()
        value = value[scheme.end() :]
    return start, end, value, group == "bare"


class AssignmentRule(SecretRule):
    """``password_assignment`` and ``high_entropy_assignment``: secrets recognised by their name.

    Passwords are reported whatever their entropy (people pick ``hunter22``);
    values under other secret names must look machine-made (letters and
    digits, entropy >= 3.5 bits/char, or >= 3.0 for hex). Values that are
    common fake passwords or placeholders come back with ``is_example=True``.

    >>> code = 'db_password = "Tr0ub4dor&3"\\nuser_token = token\\n'
    >>> code += 'var apiToken string = "9f86d081884c7d659a2feaa0c55ad015"'
    >>> [(m.kind, m.is_example) for m in AssignmentRule().find(code)]
    [('password_assignment', False), ('high_entropy_assignment', False)]
    """

    kind = "password_assignment"
    placeholder = "<SECRET_PASSWORD>"
    keywords = ("pass", "pwd", "secret", "token", "key", "cred", "authorization")
    entropy_kind = "high_entropy_assignment"
    entropy_placeholder = "<SECRET_KEY>"

    def might_match(self, text: str) -> bool:
        lowered = text.lower()
        return any(keyword in lowered for keyword in self.keywords)

    def find(self, text: str) -> Iterator[SecretMatch]:
        lowered = lower_same_length(text)
        last_name_end = -1
        for hit in _SECRET_WORD_HIT.finditer(lowered):
            if hit.start() < last_name_end:
                continue
            start, end = widen_name(text, hit.start(), hit.end())
            last_name_end = end
            name_kind = secret_name_kind(text[start:end])
            if name_kind is None or _inside_identifier(text, start):
                continue
            value = read_value(text, start, end)
            if value is not None:
                match = self._judge(name_kind, *value)
                if match is not None:
                    yield match

    def _judge(self, name_kind: str, start: int, end: int, value: str, is_bare: bool) -> SecretMatch | None:
        if is_bare and _BARE_IDENTIFIER.fullmatch(value) and not has_letters_and_digits(value):
            return None  # `password = other_variable` is code, not a literal
        if name_kind == "password":
            verdict = judge_password(value)
            kind, placeholder = self.kind, self.placeholder
        else:
            verdict = judge_high_entropy(value)
            kind, placeholder = self.entropy_kind, self.entropy_placeholder
        if verdict is None:
            return None
        confidence, is_example = verdict
        return SecretMatch(kind, start, end, confidence, is_example, placeholder)


def _inside_identifier(text: str, name_start: int) -> bool:
    """`arn:aws:...:secret:Name`, `a/b/token`: the "name" is part of a path or ARN, not a name.

    PowerShell's ``$env:API_TOKEN`` (one colon) and URL-less names stay names.
    """
    if name_start < 2 or text[name_start - 1] not in ":/" or not text[name_start - 2].isalnum():
        return False
    window = text[max(0, name_start - 40) : name_start]
    token = window.split()[-1] if window.split() else window
    return token.count(":") >= 2 or "/" in token
