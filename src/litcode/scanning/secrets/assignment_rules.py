"""Secrets recognised by where they sit: a string assigned to a secret-looking name.

``password = "s3cr3t!"``, ``"api_key": "9f8e..."``, ``DB_PASSWORD=hunter22`` and
``--token=...`` share one shape: a name, an assignment operator, a value. The
rule finds secret words (a fast case-insensitive literal search), widens each
hit to the name around it, then reads operator and value with one anchored
regex. Names are judged by their words (``clientSecret`` -> client, secret), so
``bypass`` or ``tokenizer`` never count, and names that describe a secret
rather than hold one (``password_file``, ``token_type``) are skipped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache

from litcode.scanning.secrets.entropy import has_letters_and_digits, shannon_entropy
from litcode.scanning.secrets.rules import SecretMatch, SecretRule, looks_like_placeholder


def _word_set(words: str) -> frozenset[str]:
    """A set literal of many short words, written as one wrapped string."""
    return frozenset(words.split())


PASSWORD_WORDS = frozenset({"password", "passwords", "passwd", "pwd", "pass", "passphrase", "pword"})
SECRET_WORDS = frozenset(
    {"secret", "secrets", "token", "apikey", "credential", "credentials", "authorization"}
)
SECRET_WORD_PAIRS = frozenset(
    {
        ("api", "key"),
        ("access", "key"),
        ("secret", "key"),
        ("private", "key"),
        ("auth", "key"),
        ("signing", "key"),
        ("encryption", "key"),
        ("master", "key"),
        ("client", "secret"),
    }
)
# A name ending in one of these describes a secret (where it lives, what it is
# called, how it is checked) instead of holding one.
DESCRIPTIVE_LAST_WORDS = _word_set(
    "file files path paths dir url uri name names type types id ids env var field fields prefix "
    "suffix header headers len length size count regex re pattern format fmt template prompt label "
    "hash hashed salt policy mode required enabled max min chars char class cls method endpoint "
    "expiry expires expiration ttl timeout set list map dict index idx kind placeholder message msg "
    "error errors help description doc text hint input widget form reset changed validator manager "
    "store storage provider backend param params arg args option options attr attribute column col "
    "table position pos start end test tests tokens char_set charset length_min source scheme "
    "location lifetime usage version"
)
_FIRST_WORDS_OF_FLAGS = frozenset({"is", "has", "use", "no", "require", "requires", "allow", "should"})
COMMON_FAKE_PASSWORDS = _word_set(
    "password passwd secret changeme admin root guest test testing pass default none null nil "
    "undefined mypassword yourpassword foobar foo bar baz qwerty letmein 123456 12345678 password1 "
    "passw0rd p@ssw0rd abc123 hunter2 s3cret topsecret"
)

_SECRET_WORD_HIT = re.compile(r"pass|pwd|secret|token|key|credential|authorization")
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$.-")
_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# After the name: an optional closing quote/bracket (dict keys), an optional
# type annotation, the operator, then a quoted value or a bare one that runs to
# the end of the line (.env, YAML, INI, shell).
_ASSIGNMENT_TAIL = re.compile(
    r"""['"\]]?[ \t]*(?::[ \t]*[A-Za-z_][\w.\[\], |]*[ \t]*)?(?::=|=>|\|\|=|\?\?=|=|:)[ \t]*[rRbBuU]{0,2}"""
    r"""(?:(?P<quote>['"`])(?P<quoted>[^'"`\n\\]{1,300})(?P=quote)"""
    r"""|(?P<bare>[^\s'"`,;()\[\]{}<>]{6,300})(?=[ \t]*(?:$|[;#&]|//)))""",
    re.MULTILINE,
)
_AUTH_SCHEME = re.compile(r"(?:Bearer|Basic|Token|token|bearer)\s+")
_BARE_IDENTIFIER = re.compile(r"[A-Za-z_][\w.]*")
# "user_password", "db.secret_key": the name of a field, not its content.
_FIELD_NAME_VALUE = re.compile(r"[a-z]+(?:[_.\-][a-z]+)+")
_TEMPLATE_MARKERS = ("{{", "${", "%(", "%s", "{0}", "{}", "$(", "<%")
_HEX = frozenset("0123456789abcdefABCDEF-")


def name_words(name: str) -> list[str]:
    """Lowercase words of an identifier in any case style.

    >>> name_words("AWS_SECRET_ACCESS_KEY"), name_words("clientSecret"), name_words("self.db-password")
    (['aws', 'secret', 'access', 'key'], ['client', 'secret'], ['self', 'db', 'password'])
    """
    return [word.lower() for word in _NAME_WORDS.findall(name)]


@lru_cache(maxsize=8192)  # identifiers repeat: the same names recur all over a file
def secret_name_kind(name: str) -> str | None:
    """``"password"`` or ``"secret"`` when ``name`` holds one, else None.

    >>> secret_name_kind("DB_PASSWORD"), secret_name_kind("apiKey"), secret_name_kind("password_file")
    ('password', 'secret', None)
    """
    words = name_words(name)
    if not words or words[-1] in DESCRIPTIVE_LAST_WORDS or words[0] in _FIRST_WORDS_OF_FLAGS:
        return None
    if any(word in PASSWORD_WORDS for word in words):
        return "password"
    if any(word in SECRET_WORDS for word in words):
        return "secret"
    if any(pair in SECRET_WORD_PAIRS for pair in itertools.pairwise(words)):
        return "secret"
    return None


def _is_not_a_value(value: str) -> bool:
    """Templates, references and field names: the value says where a secret comes from, not what it is."""
    if len(set(value)) <= 1 or value[0] in "$%{<@*" or any(marker in value for marker in _TEMPLATE_MARKERS):
        return True
    return _FIELD_NAME_VALUE.fullmatch(value) is not None and any(
        word in value for word in ("pass", "secret", "token", "key", "auth", "user", "name", "pwd")
    )


def judge_password(value: str) -> tuple[float, bool] | None:
    """(confidence, is_example) for a value assigned to a password name, or None when it is no password.

    >>> judge_password("xK9#mQ2v"), judge_password("changeme"), judge_password("Enter your password")
    ((0.75, False), (0.5, True), None)
    """
    if len(value) < 4 or any(char.isspace() for char in value) or _is_not_a_value(value):
        return None
    lowered = value.lower()
    is_example = (
        lowered in COMMON_FAKE_PASSWORDS
        or looks_like_placeholder(value)
        or any(word in lowered for word in ("test", "pass", "pwd", "secret"))  # "badpass", "mysecret"
    )
    classes = sum(
        (any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value))
    ) + (not value.isalnum())
    return (0.75 if classes >= 2 else 0.5), is_example


def judge_high_entropy(value: str) -> tuple[float, bool] | None:
    """(confidence, is_example) for a value under a token/secret/key name; None when it looks hand-made.

    >>> judge_high_entropy("9f86d081884c7d659a2feaa0c55ad015")[1], judge_high_entropy("my-app-token")
    (False, None)
    """
    if len(value) < 16 or any(char.isspace() for char in value) or _is_not_a_value(value):
        return None
    if "://" in value or not has_letters_and_digits(value):
        return None
    entropy = shannon_entropy(value)
    threshold = 3.0 if set(value) <= _HEX else 3.5
    if entropy < threshold:
        return None
    return min(0.85, 0.55 + 0.1 * (entropy - threshold)), looks_like_placeholder(value)


class AssignmentRule(SecretRule):
    """``password_assignment`` and ``high_entropy_assignment``: secrets recognised by their name.

    Passwords are reported whatever their entropy (people pick ``hunter22``);
    values under other secret names must look machine-made (letters and
    digits, entropy >= 3.5 bits/char, or >= 3.0 for hex). Values that are
    common fake passwords or placeholders come back with ``is_example=True``.

    >>> code = 'db_password = "Tr0ub4dor&3"\\nuser_token = token'
    >>> [(m.kind, m.is_example) for m in AssignmentRule().find(code)]
    [('password_assignment', False)]
    """

    kind = "password_assignment"
    placeholder = "<SECRET_PASSWORD>"
    keywords = ("=", ":")  # secret words come in any case, so the operator is the literal every match holds
    entropy_kind = "high_entropy_assignment"
    entropy_placeholder = "<SECRET_KEY>"

    def find(self, text: str) -> Iterator[SecretMatch]:
        lowered = text.lower()
        if len(lowered) != len(text):  # a few non-ASCII letters lowercase to two characters
            lowered = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
        last_name_end = -1
        for hit in _SECRET_WORD_HIT.finditer(lowered):
            if hit.start() < last_name_end:
                continue
            start, end = hit.start(), hit.end()
            while start > 0 and text[start - 1] in _NAME_CHARS:
                start -= 1
            while end < len(text) and text[end] in _NAME_CHARS:
                end += 1
            last_name_end = end
            name_kind = secret_name_kind(text[start:end])
            if name_kind is None:
                continue
            tail = _ASSIGNMENT_TAIL.match(text, end)
            if tail is None:
                continue
            match = self._judge(name_kind, tail)
            if match is not None:
                yield match

    def _judge(self, name_kind: str, tail: re.Match[str]) -> SecretMatch | None:
        group = "quoted" if tail.group("quoted") is not None else "bare"
        value_start, value_end = tail.span(group)
        value = tail.group(group)
        scheme = _AUTH_SCHEME.match(value)
        if scheme:
            value_start += scheme.end()
            value = value[scheme.end() :]
        if group == "bare" and _BARE_IDENTIFIER.fullmatch(value) and not has_letters_and_digits(value):
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
        return SecretMatch(kind, value_start, value_end, confidence, is_example, placeholder)
