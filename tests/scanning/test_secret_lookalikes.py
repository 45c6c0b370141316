"""Strings that look like secrets but are not, and the verdict a user expects for each."""

from __future__ import annotations

import pytest

from litcode.scanning import SecretScanner
from litcode.scanning.secrets.assignment_rules import judge_high_entropy, judge_password, secret_name_kind
from support.planted import LOOKALIKE_LINES

SCANNER = SecretScanner()


@pytest.mark.parametrize("line", LOOKALIKE_LINES)
def test_lookalike_is_not_a_live_secret(line: str) -> None:
    assert [f.kind for f in SCANNER.scan(line) if f.counts_as_secret] == []


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ('DOC_KEY_ID = "AKIAIOSFODNN7EXAMPLE"', "aws_access_key_id"),
        ('doc_aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"', "aws_secret_access_key"),
        ('TOKEN = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"', "github_token"),
        ('db_password = "changeme"', "password_assignment"),
        ('CONTACT = "support@example.com"', "email"),
        ('DOC_NET = "192.0.2.44"', "ip_address"),
        ('DNS = "8.8.8.8"', "ip_address"),
        ('ROUTER = "192.168.1.1"', "ip_address"),
        ('DB_HOST = "10.1.2.3"', "ip_address"),
        ('URL = "http://joe:password@proxy.example.com/"', "url_credentials"),
    ],
)
def test_documented_placeholder_is_reported_as_example(line: str, kind: str) -> None:
    assert [(f.kind, f.is_example) for f in SCANNER.scan(line)] == [(kind, True)]


@pytest.mark.parametrize(
    "line",
    [
        '__version__ = "1.2.3.4"',
        'release = "version 10.20.30.40"',
        'LOCALHOST = "127.0.0.1"',
        'ANY = "0.0.0.0"',
        'MULTICAST = "224.0.0.1"',
        'OID = "1.3.6.1.4.1.311"',
        'PTR = "4.3.2.1.in-addr.arpa"',
    ],
)
def test_non_personal_dotted_quads_are_not_reported(line: str) -> None:
    assert SCANNER.scan(line) == []


def test_public_address_with_network_context_is_pii() -> None:
    (finding,) = SCANNER.scan('upstream_host = "34.201.17.9"')

    assert (finding.kind, finding.is_pii, finding.is_example) == ("ip_address", True, False)


@pytest.mark.parametrize(
    "line",
    ["result = a@b.shape", "y = x@w.to(device)", "@dataclass", "m = weights@inputs.T"],
)
def test_matrix_products_and_decorators_are_not_emails(line: str) -> None:
    assert SCANNER.scan(line) == []


def test_git_ssh_remote_is_a_role_account_example() -> None:
    (finding,) = SCANNER.scan('REMOTE = "git@github.com:org/repo.git"')

    assert (finding.kind, finding.is_example) == ("email", True)


@pytest.mark.parametrize(
    "line",
    [
        'DSN = "postgres://{user}:{password}@{host}/db"',
        'DSN = "postgres://app:${DB_PASSWORD}@db/app"',
        'DSN = "mysql://root:%s@localhost/db" % pw',
    ],
)
def test_templated_url_passwords_are_not_reported(line: str) -> None:
    assert [f.kind for f in SCANNER.scan(line) if f.kind == "url_credentials"] == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("DB_PASSWORD", "password"),
        ("passwd", "password"),
        ("userPass", "password"),
        ("apiKey", "secret"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("client_secret", "secret"),
        ("auth_token", "secret"),
        ("password_file", None),
        ("token_type", None),
        ("tokenizer", None),
        ("bypass", None),
        ("sort_key", None),
        ("is_password", None),
    ],
)
def test_secret_name_kind_reads_words_of_the_name(name: str, kind: str | None) -> None:
    assert secret_name_kind(name) == kind


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        ("Tr0ub4dor&3", (0.75, False)),
        ("letmein22", (0.75, False)),
        ("hunter", (0.5, False)),
        ("changeme", (0.5, True)),
        ("test1234", (0.75, True)),
        ("", None),
        ("abc", None),
        ("Enter password:", None),
        ("${DB_PASSWORD}", None),
        ("%(password)s", None),
        ("<password>", None),
        ("********", None),
        ("user_password", None),
        ("supersecret", (0.5, True)),
        ("coyote", (0.5, False)),
        ("password", (0.5, True)),
    ],
)
def test_judge_password_separates_literals_from_templates(
    value: str, verdict: tuple[float, bool] | None
) -> None:
    assert judge_password(value) == verdict


@pytest.mark.parametrize(
    ("value", "reported"),
    [
        ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", True),
        ("q8Zr4LmT2xWv9KpN3bYc7HdF", True),
        ("my-app-token-value", False),
        ("https://example.org/token", False),
        ("0123456789012345", False),
        ("short1", False),
    ],
)
def test_judge_high_entropy_needs_a_machine_made_value(value: str, reported: bool) -> None:
    assert (judge_high_entropy(value) is not None) is reported


@pytest.mark.parametrize(
    "line",
    [
        "connect(password='Zq8v9rT2')",
        "{'password': 'Zq8v9rT2'}",
        "$password = 'Zq8v9rT2';",
        'password := "Zq8v9rT2"',
        "PASSWORD=Zq8v9rT2!",
        "password: Zq8v9rT2!",
        'String password = "Zq8v9rT2";',
        "password: str = 'Zq8v9rT2'",
        '"Authorization": "Bearer q8Zr4LmT2xWv9KpN3bYc7HdF"',
    ],
)
def test_assignment_syntaxes_of_many_languages_are_recognised(line: str) -> None:
    assert [f.kind for f in SCANNER.scan(line)] in (["password_assignment"], ["high_entropy_assignment"])


@pytest.mark.parametrize(
    "line",
    [
        "password = get_password()",
        "self.password = password",
        "if password == 'Zq8v9rT2':",
        "password = os.environ['DB_PASSWORD']",
        "token = next_token",
    ],
)
def test_code_that_moves_passwords_around_is_not_a_literal(line: str) -> None:
    assert SCANNER.scan(line) == []
