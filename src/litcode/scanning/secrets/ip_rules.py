"""IP addresses as personal data: an IPv4 or IPv6 literal counts only where its context makes it an address.

A dotted quad is also a section number (``RFC 9110 section 8.4.1.3``), a
version (``7.2.0.0``), an OID prefix or a dotted constant; redacting those
rewrites ordinary code and docs (the standard library has hundreds). So each
candidate is classified by what surrounds it:

* *not an address* (no finding): a section/version/OID word just before it
  (``section``, ``§``, ``RFC``, ``version``, ``v``, ``release``, ``oid``...),
  a version suffix after it (``7.2.0.0-beta``), or small numbers with no
  network context at all (every octet below 25: ``1.3.6.1``, ``2.0.0.1``).
* *an address*, confidence 0.9: a port or prefix length after it
  (``:8080``, ``/24``), a URL or user-info before it (``://``, ``@``), or the
  line starts with it and a field follows (access logs, ``/etc/hosts``).
* confidence 0.8: a network word on the line (``host``, ``server``, ``ip``,
  ``from``, ``listen``, ``nameserver``, ``upstream``, ``remote_addr``...).
* confidence 0.6: quoted or bare, with address-like numbers (an octet of 25
  or more and two of two digits or more: ``"34.201.17.9"``).

Public addresses are PII; RFC 1918 LAN addresses, documentation ranges and
public resolvers are reported with ``is_example=True``; loopback, link-local,
multicast and unspecified addresses are everyday code and are not reported.
IPv6: global unicast literals (``2a00:1450:4001:82a::200e``) in the same
way; ``2001:db8::/32`` is documentation.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from litcode.scanning.secrets.rules import SecretMatch, SecretRule

# The search looks for ".d.d." (a literal first, so the engine skips quickly);
# the full address is then matched from up to three digits before the hit.
_IPV4_HINT = re.compile(r"\.\d{1,3}\.\d{1,3}\.\d")
_IPV4 = re.compile(
    r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\w)"
)
_IP_GLUE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")
_NOT_AN_ADDRESS_BEFORE = re.compile(
    r"(?:\b(?:versions?|ver|vers|release[sd]?|rel|rev|revision|v|section|sections|sect|sec|ss|rfc\s*\d*|"
    r"chapter|ch|clause|paragraph|para|appendix|annex|figure|fig|table|step|item|part|oid|arc|page|pp|"
    r"build|edition|draft|since|deprecated|changed|added|python|api|level|protocol|spec|standard|"
    r"x\.\d+|iso|itu-t)|§|__version__|version_info)[\s\"'=:_(\[,#-]*$",
    re.IGNORECASE,
)
_VERSION_AFTER = re.compile(
    r"[-+~](?:alpha|beta|rc|dev|post|pre|snapshot|final|b\d|a\d)|[a-z]|[+-]\d{4}\b", re.IGNORECASE
)
_LOG_OR_HOSTS_AFTER = re.compile(r"[ \t]+(?:-[ \t]|[A-Za-z][\w.-]*|\[)")
_STRONG_AFTER = re.compile(r":\d{1,5}(?!\d)|/(?:[0-9]|[12]\d|3[0-2])(?![\d.])")
_NETWORK_WORDS = re.compile(
    r"(?:^|[^a-z])(?:ip|ips|ipv4|inet|cidr|dns|lan|wan|vpn|nat|tcp|udp|src|dst|gw|from)(?:[^a-z]|$)|"
    r"ip(?:addr|_?address)|addr|host|server|nameserver|resolver|connect|bind|listen|gateway|proxy|"
    r"peer|remote|client|subnet|netmask|route|ping|ssh|upstream|endpoint|allow|deny|forwarded|"
    r"firewall|iptables|whitelist|allowlist|blocklist|blacklist|network|socket|http|smtp|ftp|"
    r"loadbalancer|ingress|egress|node|cluster|origin|public_ip|private_ip|address"
)
_WELL_KNOWN_ADDRESSES = frozenset(
    {"8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "208.67.222.222", "1.2.3.4", "4.3.2.1"}
)
_LAN_NETWORKS = tuple(ipaddress.IPv4Network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
_DOCUMENTATION_NETWORKS = tuple(
    ipaddress.IPv4Network(net) for net in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
)
_IPV6_CANDIDATE = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:){1,7}(?::|(?::[0-9A-Fa-f]{1,4}){1,6}|[0-9A-Fa-f]{1,4})(?![\w:])"
)
# Literal-first hint: the engine jumps between colons; the candidate is matched from the hex before it.
_IPV6_HINT = re.compile(r":[0-9A-Fa-f:]")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_IPV6_DOCUMENTATION = ipaddress.IPv6Network("2001:db8::/32")


def ipv4_confidence(text: str, start: int, end: int) -> float | None:
    """How sure the context makes it that ``text[start:end]`` (a valid dotted quad) is an address.

    >>> line = "RFC 9110 section 8.4.1.3; upstream 34.201.17.9:443; __version__ = '7.2.0.0'"
    >>> [ipv4_confidence(line, m.start(), m.end()) for m in _IPV4.finditer(line)]
    [None, 0.9, None]
    """
    # A window of the line around the candidate (bounded, so one huge minified line stays linear).
    line_start = max(text.rfind("\n", max(0, start - 200), start) + 1, start - 200, 0)
    line_end = text.find("\n", end, end + 200)
    line_end = min(len(text), end + 200) if line_end < 0 else line_end
    before = text[max(line_start, start - 30) : start]
    if _NOT_AN_ADDRESS_BEFORE.search(before) or _VERSION_AFTER.match(text, end):
        return None
    if _STRONG_AFTER.match(text, end) or before.endswith(("://", "@")):
        return 0.9
    if not text[line_start:start].strip(" \t[") and _LOG_OR_HOSTS_AFTER.match(text, end):
        return 0.9  # the line starts with it, then a field: access logs, /etc/hosts
    if _NETWORK_WORDS.search(text[line_start:line_end].lower()):
        return 0.8
    octets = [int(octet) for octet in text[start:end].split(".")]
    if max(octets) >= 25 and sum(octet >= 10 for octet in octets) >= 2:
        return 0.6
    return None


class IpAddressRule(SecretRule):
    """An IPv4 or IPv6 address that points somewhere: public ones are PII, private LAN ones examples.

    >>> text = "server = '34.201.17.9'; lan = '10.0.0.7'; local = '127.0.0.1'; see section 8.4.1.3"
    >>> [(text[m.start : m.end], m.is_example, m.confidence) for m in IpAddressRule().find(text)]
    [('34.201.17.9', False, 0.8), ('10.0.0.7', True, 0.8)]
    """

    kind = "ip_address"
    placeholder = "<IP_ADDRESS>"
    keywords = (".", ":")
    is_pii = True

    def find(self, text: str) -> Iterator[SecretMatch]:
        yield from self._ipv4(text)
        yield from self._ipv6(text)

    def _ipv4(self, text: str) -> Iterator[SecretMatch]:
        for match in self._addresses(text):
            value = match.group()
            address = ipaddress.IPv4Address(value)
            is_documentation = any(address in network for network in _DOCUMENTATION_NETWORKS)
            is_lan = any(address in network for network in _LAN_NETWORKS)
            if (not address.is_global or address.is_multicast) and not (is_documentation or is_lan):
                continue
            confidence = ipv4_confidence(text, match.start(), match.end())
            if confidence is None:
                continue
            is_example = is_documentation or is_lan or value in _WELL_KNOWN_ADDRESSES
            yield SecretMatch(
                self.kind, match.start(), match.end(), confidence, is_example, self.placeholder, True
            )

    def _ipv6(self, text: str) -> Iterator[SecretMatch]:
        resume = 0
        for hint in _IPV6_HINT.finditer(text):
            start = hint.start()
            if start < resume or start == 0 or text[start - 1] not in _HEX_DIGITS:
                continue
            while start > 0 and hint.start() - start < 4 and text[start - 1] in _HEX_DIGITS:
                start -= 1
            match = _IPV6_CANDIDATE.match(text, start)
            if match is None:
                continue
            resume = match.end()
            value = match.group()
            if value.count(":") < 2 or sum(len(group) >= 3 for group in value.split(":")) < 2:
                continue  # `a::b`, `dead:beef:` in code; real addresses carry several full groups
            try:
                address = ipaddress.IPv6Address(value)
            except ValueError:
                continue
            is_documentation = address in _IPV6_DOCUMENTATION
            if not (address.is_global or is_documentation) or address.is_multicast:
                continue
            yield SecretMatch(
                self.kind, match.start(), match.end(), 0.8, is_documentation, self.placeholder, True
            )

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
