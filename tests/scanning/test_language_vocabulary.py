"""The security rules speak ``CodeSample.language``'s vocabulary (one vocabulary for the package)."""

from __future__ import annotations

import pytest

from litcode.quality.languages import EXTENSION_TO_LANGUAGE, detect_language
from litcode.scanning import SecurityScanner
from litcode.scanning.security.patterns import PATTERN_SECURITY_RULES

CANONICAL = frozenset(EXTENSION_TO_LANGUAGE.values())


@pytest.mark.parametrize("rule", PATTERN_SECURITY_RULES, ids=lambda rule: rule.rule_id)
def test_every_pattern_rule_names_canonical_languages(rule):
    assert rule.languages <= CANONICAL, sorted(rule.languages - CANONICAL)


def test_csharp_rules_fire_for_the_language_a_cs_file_gets():
    language = detect_language("Program.cs", "")
    assert language == "c-sharp"
    findings = SecurityScanner().scan("var f = new BinaryFormatter();\n", language)
    assert [finding.rule_id for finding in findings] == ["unsafe_deserialization"]


@pytest.mark.parametrize("alias", ["C#", "csharp", "cs"])
def test_security_scanner_accepts_the_aliases_normalize_language_knows(alias):
    assert SecurityScanner().scan("var f = new BinaryFormatter();\n", alias)
