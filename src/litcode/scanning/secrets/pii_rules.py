"""Personal data in code, after BigCode's PII pipeline: email addresses (IP addresses: :mod:`.ip_rules`).

PII findings are redacted like secrets but carry ``is_pii=True``, so a
pipeline can keep the file (a maintainer's address in a header is no leaked
credential) while still removing the address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from litcode.scanning.secrets.ip_rules import IpAddressRule
from litcode.scanning.secrets.placeholders import has_placeholder_words
from litcode.scanning.secrets.rules import SecretMatch, SecretRule


def _word_set(words: str) -> frozenset[str]:
    """A set literal of many short words, written as one wrapped string."""
    return frozenset(words.split())


# Anchored on "@" so that the engine jumps between at-signs; the local part is
# read backwards by hand. The TLD check keeps `a@b.shape` (matrix product) out.
_EMAIL_DOMAIN = re.compile(
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?P<tld>[A-Za-z]{2,24}))(?![\w(-])"
)
_LOCAL_PART_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_GENERIC_TLDS = _word_set(
    "com org net edu gov mil int info biz name pro io dev app ai co me tech cloud online site xyz "
    "email mail page blog news shop store museum aero coop jobs mobi travel local example test "
    "invalid localhost"
)
_EXAMPLE_DOMAINS = frozenset(
    [
        "example.com",
        "example.org",
        "example.net",
        "example.edu",
        "domain.com",
        "email.com",
        "test.com",
        "foo.com",
        "bar.com",
        "company.com",
        "yourdomain.com",
        "mydomain.com",
        "somewhere.com",
        "localhost",
    ]
)
_EXAMPLE_TLDS = frozenset({"example", "test", "invalid", "localhost", "local"})
_ROLE_ACCOUNTS = frozenset({"git", "noreply", "no-reply", "donotreply", "do-not-reply", "postmaster"})


def is_example_domain(domain: str) -> bool:
    """RFC 2606 names (``example.com``, ``*.test``) and the usual stand-ins (``domain.com``)."""
    domain = domain.lower().rstrip(".")
    if domain in _EXAMPLE_DOMAINS or domain.rsplit(".", 1)[-1] in _EXAMPLE_TLDS:
        return True
    return any(domain.endswith("." + example) for example in _EXAMPLE_DOMAINS)


class EmailRule(SecretRule):
    """An email address. Addresses at example domains, placeholders and role accounts are examples.

    >>> text = "# Author: Ada <ada.l@analytical.org>, see x@example.com"
    >>> [(m.kind, m.is_example) for m in EmailRule().find(text)]
    [('email', False), ('email', True)]
    """

    kind = "email"
    placeholder = "<EMAIL>"
    keywords = ("@",)
    is_pii = True

    def find(self, text: str) -> Iterator[SecretMatch]:
        for match in _EMAIL_DOMAIN.finditer(text):
            tld = match.group("tld").lower()
            if tld not in _GENERIC_TLDS and len(tld) != 2:
                continue
            at = match.start()
            start = at
            while start > 0 and at - start < 64 and text[start - 1] in _LOCAL_PART_CHARS:
                start -= 1
            local = text[start:at]
            while local.startswith((".", "-")):
                local = local[1:]
                start += 1
            if not local or local.endswith("."):
                continue
            is_example = (
                is_example_domain(match.group("domain"))
                or local.lower() in _ROLE_ACCOUNTS
                or has_placeholder_words(local)
            )
            yield SecretMatch(self.kind, start, match.end(), 0.6, is_example, self.placeholder, is_pii=True)


__all__ = ["EmailRule", "IpAddressRule", "is_example_domain"]
