"""Insecure code patterns: Python through its AST, other languages through regex rules."""

from __future__ import annotations

from collections.abc import Iterable

from litcode.quality.languages import normalize_language
from litcode.scanning.secrets.assignment_rules import AssignmentRule
from litcode.scanning.security.finding import SecurityFinding
from litcode.scanning.security.patterns import PATTERN_SECURITY_RULES, PatternSecurityRule
from litcode.scanning.security.python_rules import scan_python

SEVERITIES = ("low", "medium", "high")


def severity_rank(severity: str) -> int:
    """0 for ``"low"``, 1 for ``"medium"``, 2 for ``"high"``; a clear error for anything else."""
    try:
        return SEVERITIES.index(severity)
    except ValueError:
        raise ValueError(f"severity must be one of {SEVERITIES}, got {severity!r}") from None


def highest_severity(findings: Iterable[SecurityFinding]) -> str | None:
    """The most severe finding's severity, or None when there is none (for drop-at-severity policies)."""
    ranks = [severity_rank(finding.severity) for finding in findings]
    return SEVERITIES[max(ranks)] if ranks else None


class SecurityScanner:
    """Finds insecure patterns: eval/exec on input, shell=True, os.system, pickle/marshal loads,
    yaml.load without a safe Loader, SQL built by formatting, disabled TLS checks, hard-coded
    passwords and fast hashes over passwords.

    Python is parsed with :mod:`ast` (imports are resolved, so aliases do not hide a call); a
    file that does not parse yields one low ``parse_error`` finding instead of an exception.
    JavaScript/TypeScript, Go, Rust, Java/Kotlin, PHP, Ruby, C/C++, C# and shell use regex
    rules; any language gets the hard-coded password check. Findings under ``min_severity``
    are left out. ``check_syntax=False`` reports ``parse_error`` only for modules that hold a
    trigger word (and so must be parsed anyway), which roughly halves the cost on typical code.

    Why not bandit: on the same 90 stdlib files ``benchmarks/bench_secrets.py`` measured
    bandit 1.9.4 (``BanditManager``, all Python checks) about 7x slower than this scanner,
    and it would be one more dependency; its rule set is also broader than a dataset filter
    needs. Rule ids follow its wording. The cost here is one ``ast.parse`` per file (needed
    for the parse check anyway); the walk runs only when a trigger word occurs in the file.

    >>> scanner = SecurityScanner()
    >>> code = "import subprocess\\nsubprocess.run(cmd, shell=True)\\n"
    >>> [(f.rule_id, f.severity, f.line) for f in scanner.scan(code, "python")]
    [('subprocess_shell_true', 'high', 2)]
    >>> [f.rule_id for f in scanner.scan("tls := &tls.Config{InsecureSkipVerify: true}", "go")]
    ['tls_verification_disabled']
    >>> [f.rule_id for f in scanner.scan("def broken(:", "python")]
    ['parse_error']
    """

    def __init__(
        self,
        rules: Iterable[PatternSecurityRule] = PATTERN_SECURITY_RULES,
        *,
        min_severity: str = "low",
        check_syntax: bool = True,
    ) -> None:
        self.rules = tuple(rules)
        self.min_rank = severity_rank(min_severity)
        self.check_syntax = check_syntax
        self._passwords = AssignmentRule()

    def scan(self, text: str, language: str) -> list[SecurityFinding]:
        """Findings for ``text`` in ``language`` (``CodeSample.language``'s vocabulary, or any alias
        :func:`~litcode.quality.languages.normalize_language` knows: ``"py"``, ``"JS"``, ``"C#"``)."""
        canonical = normalize_language(language) or ""
        if canonical == "python":
            findings = scan_python(text, self.check_syntax)
        else:
            findings = self._scan_by_patterns(text, canonical) + self._hardcoded_passwords(text)
            findings.sort(key=lambda finding: finding.line)
        return [finding for finding in findings if severity_rank(finding.severity) >= self.min_rank]

    def _scan_by_patterns(self, text: str, language: str) -> list[SecurityFinding]:
        findings = []
        for rule in self.rules:
            if language not in rule.languages:
                continue
            for match in rule.pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                findings.append(SecurityFinding(rule.rule_id, rule.severity, line, rule.message))
        return findings

    def _hardcoded_passwords(self, text: str) -> list[SecurityFinding]:
        return [
            SecurityFinding(
                "hardcoded_password", "low", text.count("\n", 0, match.start) + 1, "password literal in code"
            )
            for match in self._passwords.find(text)
            if match.kind == "password_assignment" and not match.is_example
        ]
