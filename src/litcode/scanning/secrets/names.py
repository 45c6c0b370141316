"""Which names hold a secret: ``DB_PASSWORD``, ``clientSecret``, ``api-key`` do; ``password_file`` does not.

Names are judged by their words in any case style, so ``bypass`` or
``tokenizer`` never count, and names that describe a secret rather than hold
one (``password_file``, ``token_type``, ``is_secret``) are skipped.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache


def _word_set(words: str) -> frozenset[str]:
    """A set literal of many short words, written as one wrapped string."""
    return frozenset(words.split())


PASSWORD_WORDS = _word_set("password passwords passwd pwd pass passphrase pword passcode")
SECRET_WORDS = _word_set(
    "secret secrets token apikey apitoken apisecret authtoken accesstoken accesskey secretkey "
    "privatekey clientsecret credential credentials creds authorization"
)
SECRET_WORD_PAIRS = frozenset(
    tuple(pair.split("-"))
    for pair in _word_set(
        "api-key auth-key access-key secret-key private-key signing-key encryption-key master-key "
        "client-secret account-key shared-key session-key consumer-key hmac-key app-key"
    )
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
    "location lifetime usage version hashes hasher hashers encryption encoding algorithm algorithms algo "
    "cipher ciphers strength complexity rules rule history expire expired age days digest digests "
    "store keystore command cmd program helper handler callback generator check checker flag flags "
    "icon button dialog screen page view label_text title toggle visible visibility used date time "
    "at updated created last"
)
# Tokens that are not credentials: pagination cursors, idempotency and change tokens.
_HARMLESS_TOKEN_WORDS = _word_set(
    "next continuation page pagination change request idempotency cursor marker sync lifecycle "
    "client_request csrf xsrf nonce state resume"
)
_PASSWORD_SUFFIXES = ("password", "passwd", "passphrase")
_SECRET_SUFFIXES = ("secret", "apikey", "secretkey", "privatekey", "accesskey", "authtoken", "accesstoken")
# Abbreviations that are a password only at the end of a name: `db_pass`, not `PassArg`/`pass_through`.
_ONLY_LAST = _word_set("pass pwd")
_FIRST_WORDS_OF_FLAGS = _word_set("is has use no require requires allow should")
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$.-")
_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


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
    if (
        any(word in PASSWORD_WORDS for word in words[:-1] if word not in _ONLY_LAST)
        or words[-1] in PASSWORD_WORDS
    ):
        return "password"
    if any(word in SECRET_WORDS for word in words):
        only_token = all(word == "token" or word not in SECRET_WORDS for word in words)
        if only_token and any(word in _HARMLESS_TOKEN_WORDS for word in words):
            return None
        return "secret"
    if any(pair in SECRET_WORD_PAIRS for pair in itertools.pairwise(words)):
        return "secret"
    # Run-together names: PGPASSWORD, ADMINPASS... no: only the unambiguous long suffixes.
    if any(word.endswith(_PASSWORD_SUFFIXES) for word in words):
        return "password"
    if any(word.endswith(_SECRET_SUFFIXES) and not word.startswith(("csrf", "xsrf")) for word in words):
        return "secret"
    return None


def widen_name(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the identifier around ``text[start:end]`` (letters, digits, ``_$.-``)."""
    while start > 0 and text[start - 1] in NAME_CHARS:
        start -= 1
    while end < len(text) and text[end] in NAME_CHARS:
        end += 1
    return start, end


def lower_same_length(text: str) -> str:
    """``text.lower()`` with offsets kept: letters that lowercase to two characters stay as they are."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
