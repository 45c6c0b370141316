"""Is this credential a documented example? The conventions people use when they write a fake one.

Tutorials, READMEs and test fixtures are full of key-shaped strings that are
not keys: ``AKIAIOSFODNN7EXAMPLE`` (AWS's documented example),
``ghp_xxxxxxxx...``, ``sk-1234567890abcdef...``, ``xoxb-my-bot-token``,
``<your-token>``, ``changeme``, ``****``, ``${API_KEY}``. A finding whose
value follows one of these conventions is reported with ``is_example=True``:
still redactable, never a reason to drop a file.
"""

from __future__ import annotations

import re

from litcode.scanning.secrets.entropy import shannon_entropy

# Words that documentation and fixtures put into fake credentials.
_PLACEHOLDER_WORDS = (
    "example",
    "sample",
    "dummy",
    "fake",
    "placeholder",
    "xxx",
    "redacted",
    "changeme",
    "change_me",
    "change-me",
    "replace",
    "your_",
    "your-",
    "yourtoken",
    "yourkey",
    "yoursecret",
    "yourpass",
    "insert",
    "goes_here",
    "goes-here",
    "_here",
    "-here",
    "notreal",
    "not_real",
    "not-real",
    "not_a_",
    "not-a-",
    "invalid",
    "foobar",
    "todo",
    "fixme",
    "mock",
    "testtoken",
    "testkey",
    "test_key",
    "test-key",
    "testsecret",
)
# Runs a human types when inventing a key; a random key holds one of these
# with vanishing probability.
_SEQUENTIAL_RUNS = (
    "abcdefgh",
    "01234567",
    "12345678",
    "23456789",
    "98765432",
    "qwertyui",
    "asdfghjk",
    "abcdef123",
    "123abc",
    "1234abcd",
    "abcd",
    "1a2b3c",
)
_MASK_RUN = re.compile(r"([#*.xX<>?])\1\1|(\w)\2\2\2\2")  # ###, ***, ..., 00000, aaaaa
_WRAPPED = re.compile(r"^(?:<[^<>]*>|\[[^\[\]]*\]|\{[^{}]*\}|%[^%]*%)$")  # <token>, [KEY], {key}, %KEY%
# Values made of plain words: ``my-bot-token``, ``super_secret_key``, ``abcd-efgh``.
_WORD_SEGMENTS = re.compile(r"[A-Za-z]{2,12}(?:[-_.][A-Za-z]{2,12})+")
# Keys printed in providers' documentation, reused verbatim in countless tutorials.
DOCUMENTED_EXAMPLE_KEYS = frozenset(
    {
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        "pk_test_TYooMQauvdEDq54NiTphI7jx",
        "rk_test_26PHem9AhJZvU623DfE1x4sd",
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
        "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",
        "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
    }
)


def strip_known_prefix(value: str) -> str:
    """The part of a token after its provider prefix (``ghp_``, ``xoxb-``, ``sk-proj-``), if any."""
    match = re.match(r"^[A-Za-z0-9]{2,8}[_-](?:(?:live|test|proj|api\d\d|v1)[_-])?", value)
    return value[match.end() :] if match and match.end() < len(value) else value


def has_placeholder_words(value: str) -> bool:
    """``example``, ``dummy``, ``xxx``, ``your_``...: the words of :func:`looks_like_placeholder` alone."""
    lowered = value.lower()
    return any(word in lowered for word in _PLACEHOLDER_WORDS)


def looks_like_placeholder(value: str) -> bool:
    """True for documented example credentials and hand-made fakes.

    >>> looks_like_placeholder("AKIAIOSFODNN7EXAMPLE"), looks_like_placeholder("xoxb-my-bot-token")
    (True, True)
    >>> looks_like_placeholder("<your-token>"), looks_like_placeholder("sk-1234567890abcdef")
    (True, True)
    >>> real = "ghp_9fQ2xLr4TbV8wZ1kPa3mC7nD5sE0uY6hJ2gB"
    >>> looks_like_placeholder("AKIA2E0A8F3B244C9986"), looks_like_placeholder(real)
    (False, False)
    """
    if value in DOCUMENTED_EXAMPLE_KEYS:
        return True
    lowered = value.lower()
    if any(word in lowered for word in _PLACEHOLDER_WORDS) or any(run in lowered for run in _SEQUENTIAL_RUNS):
        return True
    if _MASK_RUN.search(value) or _WRAPPED.match(value):
        return True
    body = strip_known_prefix(value)
    if _WORD_SEGMENTS.fullmatch(body) or _WORD_SEGMENTS.fullmatch(value):
        return True
    return len(body) >= 12 and shannon_entropy(body) < 2.5
