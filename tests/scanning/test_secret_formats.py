"""SecretScanner on real shapes: provider formats, assignments in many languages, placeholders."""

from __future__ import annotations

import pytest

from litcode.scanning import SecretScanner
from litcode.scanning.secrets.keywords import KeywordIndex
from support.labeled_secrets import labeled_secrets

SCANNER = SecretScanner()
SNIPPETS = labeled_secrets()


def live_kinds(text: str) -> list[str]:
    return [finding.kind for finding in SCANNER.scan(text) if finding.counts_as_secret]


@pytest.mark.parametrize(
    "snippet", [s for s in SNIPPETS if s.is_secret], ids=lambda s: f"{s.family}{s.extension}"
)
def test_labeled_credential_is_found(snippet) -> None:
    assert live_kinds(snippet.text), snippet.text


@pytest.mark.parametrize(
    "snippet", [s for s in SNIPPETS if not s.is_secret], ids=lambda s: f"{s.family}:{s.text[:30]}"
)
def test_labeled_lookalike_is_not_a_live_secret(snippet) -> None:
    assert live_kinds(snippet.text) == [], snippet.text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('HF = "api_org_' + "Qx" + "kLmWpRtZsVbNcYhGjDfTeUaQiOxLyMwZ" + '"', "huggingface_token"),
        (
            "HOOK=https://hooks.slack.com/services/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",
            "slack_webhook",
        ),
        ("glrt-" + "t8Gz2WqLm4Vp9XcR1sKb", "gitlab_token"),
        (
            "dop_v1_" + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "digitalocean_token",
        ),
        ("sk_live_" + "4Tq9Lm2Xv7Pz1Kc8Rb3Nw6Yh", "stripe_key"),
        ('DATADOG_APP = "9f86d081884c7d659a2feaa0c55ad015"', "datadog_key"),
        ('twilio_auth: "0a9b8c7d6e5f40312a3b4c5d6e7f8091"', "twilio_key"),
    ],
)
def test_provider_format_is_named(text: str, kind: str) -> None:
    assert kind in live_kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        'SLACK_TOKEN = "xoxb-my-bot-token"',
        "token: xoxb-####-####-####",
        "see https://xoxo-blog.example.org/xoxo-2019",
        'API_KEY = "<your-api-key>"',
        "password: changeme",
    ],
)
def test_placeholder_is_no_live_secret(text: str) -> None:
    assert live_kinds(text) == []


def test_password_with_braces_and_dollar_is_a_password() -> None:
    assert live_kinds('password = "p{a}ss${w0rdX9"') == ["password_assignment"]


def test_template_reference_is_not_a_password() -> None:
    assert SCANNER.scan('password = "${DB_PASSWORD}"') == []


@pytest.mark.parametrize(
    "line",
    [
        "curl -u admin:Zq8v9rT2x https://api.internal/",
        "mysql -h db -u root -pZq8v9rT2x app",
        "ENV DB_PASSWORD Zq8v9rT2x",
    ],
)
def test_command_line_password_is_redacted_alone(line: str) -> None:
    assert SCANNER.redact(line) == line.replace("Zq8v9rT2x", "<SECRET_PASSWORD>")


def test_xml_value_redaction_keeps_the_document_well_formed() -> None:
    import xml.etree.ElementTree as ElementTree

    document = '<appSettings><add key="ClearTextPassword" value="Zq8v9rT2x!"/></appSettings>'

    redacted = SCANNER.redact(document)

    assert "Zq8v9rT2x" not in redacted
    assert ElementTree.fromstring(redacted).find("add").get("value") == "<SECRET_PASSWORD>"


def test_element_text_redaction_keeps_the_document_well_formed() -> None:
    import xml.etree.ElementTree as ElementTree

    redacted = SCANNER.redact("<db><password>Zq8v9rT2x!</password></db>")

    assert ElementTree.fromstring(redacted).findtext("password") == "<SECRET_PASSWORD>"


def test_min_confidence_leaves_out_generic_assignments_but_keeps_provider_tokens() -> None:
    text = 'db_password = "Zq8v9rT2x!"\ntoken = "ghp_' + "9fQ2xLr4TbV8wZ1kPa3mC7nD5sE0uY6hJ2gB" + '"'

    strict = SecretScanner(min_confidence=0.9)

    assert [f.kind for f in SCANNER.scan(text)] == ["password_assignment", "github_token"]
    assert [f.kind for f in strict.scan(text)] == ["github_token"]


def test_keyword_index_regex_fallback_agrees_with_the_automaton() -> None:
    keywords = sorted({word for rule in SCANNER.rules for word in rule.lowered_keywords})
    text = "\n".join(snippet.text for snippet in SNIPPETS).lower()

    assert KeywordIndex(keywords, use_automaton=False).present(text) == KeywordIndex(keywords).present(text)
