"""Passwords written into URLs: ``postgres://user:s3cret@db.internal/app``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from litcode.scanning.secrets.assignment_rules import COMMON_FAKE_PASSWORDS
from litcode.scanning.secrets.pii_rules import is_example_domain
from litcode.scanning.secrets.rules import SecretMatch, SecretRule, looks_like_placeholder

# Anchored on the literal "://" so the regex engine skips straight to URLs.
_URL_USERINFO = re.compile(
    r"://(?P<user>[^:/\s@'\"`<>]{0,64}):(?P<secret>[^@/\s'\"`<>]{1,128})@(?P<host>[A-Za-z0-9._\-\[\]]+)"
)
_NOT_A_PASSWORD_START = "${%<*"
# `gist://username:token@id`, `github://org:repo@sha`: the URL syntax explained, not a credential.
_NAMES_OF_SECRETS = frozenset(
    "pass pwd passwd user username token repo key secret apikey api_key pw access_token auth".split()  # noqa: SIM905
)


class UrlCredentialsRule(SecretRule):
    """The password in a URL's user-info part; only the password is redacted, user and host stay.

    Template references (``${DB_PASS}``, ``%s``, ``<password>``) are no password;
    well-known fakes (``password``, ``secret``) and URLs to example hosts come
    back with ``is_example=True``.

    >>> [m.kind for m in UrlCredentialsRule().find('DSN = "postgres://app:Zq8v!rT2@db.internal:5432/app"')]
    ['url_credentials']
    """

    kind = "url_credentials"
    placeholder = "<SECRET_PASSWORD>"
    keywords = ("://",)

    def find(self, text: str) -> Iterator[SecretMatch]:
        for match in _URL_USERINFO.finditer(text):
            password = match.group("secret")
            if password[0] in _NOT_A_PASSWORD_START or "{" in password or len(set(password)) <= 1:
                continue
            if "[" in match.group("user") or "]" in password:  # `[user[:password]@]host`: URL syntax docs
                continue
            is_example = (
                password.lower() in COMMON_FAKE_PASSWORDS
                or password.lower() in _NAMES_OF_SECRETS
                or looks_like_placeholder(password)
                or is_example_domain(match.group("host"))
            )
            start, end = match.span("secret")
            yield SecretMatch(self.kind, start, end, 0.8, is_example, self.placeholder)
