"""SecretScanner on real modules: planted secrets are found, redacted, and the module still parses."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from litcode.scanning import SecretFinding, SecretScanner
from support.planted import PII_KINDS, PLANTED_KINDS, PlantedSecret, plant, synthetic_secrets

SCANNER = SecretScanner()


def plant_into(path: Path, secrets: list[PlantedSecret], rng: random.Random) -> str:
    """Write the planted module back to disk and read it again, as a source reader would."""
    path.write_text(plant(path.read_text("utf-8"), [secret.line for secret in secrets], rng), "utf-8")
    return path.read_text("utf-8")


def finding_for(findings: list[SecretFinding], text: str, value: str) -> SecretFinding | None:
    start = text.index(value)
    return next((f for f in findings if f.start < start + len(value) and start < f.end), None)


@pytest.mark.parametrize("kind", PLANTED_KINDS)
def test_planted_secret_is_found_with_its_kind(kind: str, stdlib_copy: Path, rng: random.Random) -> None:
    secret = next(s for s in synthetic_secrets(rng) if s.kind == kind)
    text = plant_into(stdlib_copy, [secret], rng)

    finding = finding_for(SCANNER.scan(text), text, secret.value)

    assert finding is not None, f"{kind} not found"
    assert (finding.kind, finding.is_example, finding.is_pii) == (kind, False, kind in PII_KINDS)


def test_every_planted_secret_is_redacted_and_the_module_still_parses(
    stdlib_copy: Path, rng: random.Random
) -> None:
    secrets = synthetic_secrets(rng)
    text = plant_into(stdlib_copy, secrets, rng)

    redacted = SCANNER.redact(text)

    ast.parse(redacted)
    assert redacted.count("\n") == text.count("\n")
    leaked = [s.kind for s in secrets if s.kind != "private_key" and s.value in redacted]
    assert leaked == []
    assert "-----BEGIN RSA PRIVATE KEY-----" in redacted and "MIIEpAIBAAKCAQEA" not in redacted


def test_rescanning_redacted_text_finds_no_live_secret(stdlib_copy: Path, rng: random.Random) -> None:
    text = plant_into(stdlib_copy, synthetic_secrets(rng), rng)

    rescanned = SCANNER.scan(SCANNER.redact(text))

    assert [f.kind for f in rescanned if f.counts_as_secret] == []


def test_line_and_span_point_at_the_secret_in_its_line(stdlib_copy: Path, rng: random.Random) -> None:
    secrets = [s for s in synthetic_secrets(rng) if s.kind != "private_key"]
    text = plant_into(stdlib_copy, secrets, rng)
    lines = text.splitlines()
    findings = SCANNER.scan(text)

    for secret in secrets:
        finding = finding_for(findings, text, secret.value)
        assert finding is not None
        assert lines[finding.line - 1][finding.span[0] : finding.span[1]] in secret.value
        assert text[finding.start : finding.end] == lines[finding.line - 1][slice(*finding.span)]


def test_private_key_spans_lines_and_keeps_its_armour_lines(rng: random.Random) -> None:
    pem = next(s for s in synthetic_secrets(rng) if s.kind == "private_key")
    text = "import os\n" + pem.line + "\n"

    (finding,) = SCANNER.scan(text)
    redacted = SCANNER.redact(text)

    assert (finding.kind, finding.line, finding.end_line) == ("private_key", 2, 12)
    assert redacted.splitlines()[2] == "<SECRET_PRIVATE_KEY>"
    assert redacted.count("<SECRET_PRIVATE_KEY>") == 9


def test_private_key_in_one_line_string_with_escapes_redacts_to_valid_python(rng: random.Random) -> None:
    body = "\\n".join(next(s for s in synthetic_secrets(rng) if s.kind == "private_key").value.splitlines())
    text = f'KEY = "{body}"\n'

    redacted = SCANNER.redact(text)

    assert ast.literal_eval(redacted.split("=", 1)[1].strip()).startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    assert "MIIEpAIBAAKCAQEA" not in redacted


def test_redaction_uses_stable_placeholders_per_kind() -> None:
    text = 'A = "AKIAZ7XQ4PLM2VN8RT3W"\nB = "AKIAQ3RT9WXZ2LMN8VB4"\nmail = "ada.l@analytical.org"\n'

    assert SCANNER.redact(text) == 'A = "<SECRET_AWS_KEY>"\nB = "<SECRET_AWS_KEY>"\nmail = "<EMAIL>"\n'


def test_url_credentials_redact_only_the_password() -> None:
    text = 'DSN = "postgres://app:Zq8v9rT2xLp4@db.internal:5432/app"'

    assert SCANNER.redact(text) == 'DSN = "postgres://app:<SECRET_PASSWORD>@db.internal:5432/app"'


def test_specific_rule_wins_over_generic_assignment_for_the_same_span() -> None:
    text = 'api_token = "ghp_R8kq2ZxV4mW9pL3nT7bY1cF6hJ0sD5aG8eQ2"'

    assert [f.kind for f in SCANNER.scan(text)] == ["github_token"]


def test_has_secrets_ignores_pii_and_examples() -> None:
    assert SCANNER.has_secrets('owner = "ada.l@analytical.org"; host = "34.201.17.9"') is False
    assert SCANNER.has_secrets('KEY = "AKIAIOSFODNN7EXAMPLE"') is False
    assert SCANNER.has_secrets('KEY = "AKIAZ7XQ4PLM2VN8RT3W"') is True


def test_examples_are_redacted_by_default() -> None:
    text = 'KEY = "AKIAIOSFODNN7EXAMPLE"\nmail = "support@example.com"\n'

    assert SCANNER.redact(text) == 'KEY = "<SECRET_AWS_KEY>"\nmail = "<EMAIL>"\n'


def test_keep_examples_leaves_documented_placeholders_in_place() -> None:
    text = 'KEY = "AKIAIOSFODNN7EXAMPLE"\nLIVE = "AKIAZ7XQ4PLM2VN8RT3W"\n'

    assert (
        SCANNER.redact(text, keep_examples=True)
        == 'KEY = "AKIAIOSFODNN7EXAMPLE"\nLIVE = "<SECRET_AWS_KEY>"\n'
    )


def test_include_pii_false_reports_no_emails_or_addresses() -> None:
    scanner = SecretScanner(include_pii=False)

    assert scanner.scan('owner = "ada.l@analytical.org"; host = "34.201.17.9"') == []


def test_min_confidence_drops_weaker_findings() -> None:
    text = 'password = "coyote"\nKEY = "AKIAZ7XQ4PLM2VN8RT3W"\n'

    assert [f.kind for f in SecretScanner(min_confidence=0.9).scan(text)] == ["aws_access_key_id"]


def test_redact_with_findings_from_an_earlier_scan_matches_redact_alone(rng: random.Random) -> None:
    text = "\n".join(s.line for s in synthetic_secrets(rng))

    assert SCANNER.redact(text, SCANNER.scan(text)) == SCANNER.redact(text)


@pytest.mark.parametrize("text", ["", "\n\n", "x = 1", "é" * 1000 + " İstanbul password = 'Ünï¢ødé9!'"])
def test_odd_inputs_do_not_break_scanning(text: str) -> None:
    findings = SCANNER.scan(text)

    assert SCANNER.redact(text).count("\n") == text.count("\n")
    assert all(0 <= f.start < f.end <= len(text) for f in findings)


def test_unmodified_stdlib_module_has_no_live_secret(stdlib_copy: Path) -> None:
    assert SCANNER.has_secrets(stdlib_copy.read_text("utf-8")) is False


def test_short_private_key_body_is_still_a_key() -> None:
    armour = "-----{} OPENSSH PRIVATE KEY-----"
    text = f'KEY = """{armour.format("BEGIN")}\nb3BlbnNzaC1rZXktdjEAAAAA\n{armour.format("END")}"""\n'

    assert [f.kind for f in SCANNER.scan(text)] == ["private_key"]


def test_private_key_armour_without_body_is_not_a_key() -> None:
    text = 'if line == "-----BEGIN RSA PRIVATE KEY-----" or line == "-----END RSA PRIVATE KEY-----":\n'

    assert SCANNER.scan(text) == []
