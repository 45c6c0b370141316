"""Personal data in code, after BigCode's PII pipeline: email addresses and public IPv4 addresses.

PII findings are redacted like secrets but carry ``is_pii=True``, so a
pipeline can keep the file (a maintainer's address in a header is no leaked
credential) while still removing the address.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

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

# The search looks for ".d.d." (a literal first, so the engine skips quickly);
# the full address is then matched from up to three digits before the hit.
_IPV4_HINT = re.compile(r"\.\d{1,3}\.\d{1,3}\.\d")
_IPV4 = re.compile(
    r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\w)"
)
_IP_GLUE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")
_VERSION_CONTEXT = re.compile(r"\b(?:version|ver|release|v)[\s\"'=:_(]*$", re.IGNORECASE)
_NETWORK_CONTEXT = ("ip", "addr", "host", "server", "dns", "inet", "connect", "bind")
# Public resolvers and the stand-in everyone types: addresses of no one.
_WELL_KNOWN_ADDRESSES = frozenset(
    {"8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "208.67.222.222", "1.2.3.4", "4.3.2.1"}
)
_LAN_NETWORKS = tuple(ipaddress.IPv4Network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
_DOCUMENTATION_NETWORKS = tuple(
    ipaddress.IPv4Network(net) for net in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
)


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


class IpAddressRule(SecretRule):
    """An IPv4 address that points somewhere: public ones are PII, private LAN ones examples.

    Public addresses are reported as PII. RFC 1918 LAN addresses (10/8,
    172.16/12, 192.168/16), documentation ranges (192.0.2.0/24 ...) and
    well-known addresses (8.8.8.8, 1.2.3.4) are reported with
    ``is_example=True``: they identify no one, but an internal network layout
    is still worth redacting. Loopback, unspecified, link-local, multicast and
    broadcast addresses (``127.0.0.1``, ``0.0.0.0``) are everyday code and are
    not reported. Strings preceded by a version word (``version 1.2.3.4``), and
    all-single-digit quads with no network word on the line, are version numbers.

    >>> text = "server = '34.201.17.9'; lan = '10.0.0.7'; local = '127.0.0.1'"
    >>> [(text[m.start : m.end], m.is_example) for m in IpAddressRule().find(text)]
    [('34.201.17.9', False), ('10.0.0.7', True)]
    """

    kind = "ip_address"
    placeholder = "<IP_ADDRESS>"
    keywords = (".",)
    is_pii = True

    def find(self, text: str) -> Iterator[SecretMatch]:
        for match in self._addresses(text):
            value = match.group()
            address = ipaddress.IPv4Address(value)
            is_documentation = any(address in network for network in _DOCUMENTATION_NETWORKS)
            is_lan = any(address in network for network in _LAN_NETWORKS)
            if (not address.is_global or address.is_multicast) and not (is_documentation or is_lan):
                continue
            line_start = text.rfind("\n", 0, match.start()) + 1
            before = text[line_start : match.start()]
            if _VERSION_CONTEXT.search(before[-20:]):
                continue
            if len(value) == 7:
                line_end = text.find("\n", match.end())
                line = (before + text[match.start() : line_end if line_end >= 0 else len(text)]).lower()
                if not any(word in line for word in _NETWORK_CONTEXT):
                    continue
            is_example = is_documentation or is_lan or value in _WELL_KNOWN_ADDRESSES
            yield SecretMatch(self.kind, match.start(), match.end(), 0.5, is_example, self.placeholder, True)

    @staticmethod
    def _addresses(text: str) -> Iterator[re.Match[str]]:
        resume = 0
        for hint in _IPV4_HINT.finditer(text):
            start = hint.start()
            while start > 0 and hint.start() - start < 3 and text[start - 1].isdigit():
                start -= 1
            if start < resume or start == hint.start() or (start > 0 and text[start - 1] in _IP_GLUE):
                continue
            match = _IPV4.match(text, start)
            if match is not None:
                resume = match.end()
                yield match
