"""IP addresses are PII only where the context makes them addresses (issue 22's PII precision)."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from litcode.scanning import SecretScanner
from support.labeled_pii import NON_ADDRESS_LINES, address_lines

SCANNER = SecretScanner()


def addresses(text: str) -> list[str]:
    return [text[f.start : f.end] for f in SCANNER.scan(text) if f.kind == "ip_address"]


@pytest.mark.parametrize(("line", "address"), address_lines(), ids=lambda value: str(value)[:40])
def test_address_in_config_or_log_line_is_found(line: str, address: str) -> None:
    assert address in addresses(line)


@pytest.mark.parametrize("line", NON_ADDRESS_LINES)
def test_section_version_and_oid_numbers_are_not_addresses(line: str) -> None:
    assert addresses(line) == []


def test_public_ipv6_address_is_pii_and_documentation_range_an_example() -> None:
    text = 'upstream = "2a00:1450:4001:82a::200e"\ndocs = "2001:db8::8a2e:370:7334"'

    findings = [(text[f.start : f.end], f.is_pii, f.is_example) for f in SCANNER.scan(text)]

    assert findings == [("2a00:1450:4001:82a::200e", True, False), ("2001:db8::8a2e:370:7334", True, True)]


@pytest.mark.parametrize(
    "text", ["std::vector<int> v;", "x = a[1:2:3]", "mac = '00:1a:2b:3c:4d:5e'", "t = '12:34:56'"]
)
def test_colon_lookalikes_are_not_ipv6(text: str) -> None:
    assert addresses(text) == []


def test_address_confidence_is_higher_with_a_port_than_bare() -> None:
    (with_port,) = SCANNER.scan("connect to 34.201.17.9:5432")
    (bare,) = SCANNER.scan('x = "34.201.17.9"')

    assert with_port.confidence > bare.confidence


def test_git_url_template_in_a_docstring_is_not_redacted() -> None:
    line = "    git+https://[user[:password]@]host/repo.git"

    assert [f for f in SCANNER.scan(line) if not f.is_example] == []


def test_rfc_section_lines_of_the_standard_library_keep_their_numbers() -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    texts = [
        (stdlib / name).read_text("utf-8") for name in ("http/cookiejar.py", "email/_header_value_parser.py")
    ]
    lines = [
        line for text in texts for line in text.splitlines() if "RFC" in line or "section" in line.lower()
    ]

    assert [line for line in lines if addresses(line)] == []
