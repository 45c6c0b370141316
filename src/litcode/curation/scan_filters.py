"""Pipeline steps over :mod:`litcode.scanning`: resolve and check licenses, redact or drop secrets,
tag or drop insecure code.

The scanners only report; these steps turn their findings into the run's policy
and leave what they did in the sample's fields (``license``, ``secrets_redacted``,
``pii_redacted``, ``insecure_rules``, ``issues``) for the manifest and the report.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from litcode.quality.filter_base import Filter, Transform
from litcode.quality.sample import CodeSample

if TYPE_CHECKING:
    from litcode.scanning import LicenseChecker, SecretScanner, SecurityScanner

#: What the manifest and the report call a sample no license statement covers.
UNKNOWN_LICENSE = "LicenseRef-unknown"


class LicenseResolver(Transform):
    """Set ``sample.license``: its ``SPDX-License-Identifier``/notice header, else its repository's
    license files (:func:`~litcode.scanning.find_repo_license` over the folder of
    ``sample.license_file``), else the source's stated licenses (The Stack's list means all of
    them apply), else a license already set on the sample, else ``default``.

    >>> LicenseResolver(default="PSF-2.0").resolve(CodeSample("x = 1\\n", "python", {}))
    'PSF-2.0'
    """

    def __init__(self, checker: LicenseChecker | None = None, default: str | None = None) -> None:
        from litcode.scanning import LicenseChecker  # scanners load only when their policy is on

        # Loaded here, where the chain is built: forked workers then share the index's pages.
        self.checker = (checker or LicenseChecker()).warm_up()
        self.default = default
        self._repo_license = functools.lru_cache(maxsize=1024)(self._detect_repo_license)

    def apply(self, sample: CodeSample) -> CodeSample:
        sample.license = self.resolve(sample)
        return sample

    def resolve(self, sample: CodeSample) -> str | None:
        header = self._header_license(sample.content)
        if header:
            return header
        if sample.license_file:
            detected = self._repo_license(str(Path(sample.license_file).parent))
            if detected:
                return detected
        if sample.stated_licenses:
            # normalize joins a list with AND: every license of the repository applies.
            stated = self.checker.normalize(list(sample.stated_licenses))
            if stated:
                return stated
        return sample.license or self.default

    def _header_license(self, content: str) -> str | None:
        return self.checker.detect_header(content)

    @staticmethod
    def _detect_repo_license(directory: str) -> str | None:
        from litcode.scanning import find_repo_license

        return find_repo_license(directory)


class LicenseFilter(Filter):
    """Keep samples whose resolved license (``sample.license``) is permissive; the drop's detail
    is the refused SPDX expression (:data:`UNKNOWN_LICENSE` when there is none).

    >>> LicenseFilter().keep(CodeSample("x = 1\\n", "python", {"license": "MIT"}))
    True
    >>> LicenseFilter().keep(CodeSample("x = 1\\n", "python", {"license": "GPL-3.0-only"}))
    False
    """

    reason = "license"

    def __init__(
        self,
        allowlist: Iterable[str] | None = None,
        allow_unknown: bool = False,
        checker: LicenseChecker | None = None,
    ) -> None:
        from litcode.scanning import LicenseChecker

        self.checker = checker or (
            LicenseChecker(allowlist=tuple(allowlist)) if allowlist else LicenseChecker()
        )
        self.allow_unknown = allow_unknown

    def keep(self, sample: CodeSample) -> bool:
        if not sample.license:
            return self.allow_unknown
        return bool(self.checker.is_permissive(sample.license))

    def explain(self, sample: CodeSample) -> str | None:
        return sample.license or UNKNOWN_LICENSE


class SecretFilter(Filter):
    """Drop samples holding a live secret (``secrets="drop"``); the detail names the kinds found.

    >>> SecretFilter().keep(CodeSample("key = 'AKIAZ7XQ4PLM2VN8RT3W'\\n", "python", {}))
    False
    """

    reason = "secret"

    def __init__(self, scanner: SecretScanner | None = None, *, min_confidence: float = 0.0) -> None:
        from litcode.scanning import SecretScanner

        self.scanner = scanner or SecretScanner(min_confidence=min_confidence)

    def keep(self, sample: CodeSample) -> bool:
        return not self.scanner.has_secrets(sample.content)

    def explain(self, sample: CodeSample) -> str | None:
        kinds = sorted(
            {finding.kind for finding in self.scanner.scan(sample.content) if finding.counts_as_secret}
        )
        return ",".join(kinds) or None


class SecretRedaction(Transform):
    """Replace each secret and piece of personal data with its placeholder (``secrets="redact"``),
    counting live secrets in ``secrets_redacted`` and personal data in ``pii_redacted``.

    >>> sample = SecretRedaction().apply(CodeSample("key = 'AKIAZ7XQ4PLM2VN8RT3W'\\n", "python", {}))
    >>> "AKIAZ7XQ4PLM2VN8RT3W" in sample.content, sample.secrets_redacted
    (False, 1)
    """

    def __init__(self, scanner: SecretScanner | None = None, *, min_confidence: float = 0.0) -> None:
        from litcode.scanning import SecretScanner

        self.scanner = scanner or SecretScanner(min_confidence=min_confidence)

    def apply(self, sample: CodeSample) -> CodeSample:
        # Documented placeholders (AKIA...EXAMPLE) are reported but left in place.
        findings = [finding for finding in self.scanner.scan(sample.content) if not finding.is_example]
        if findings:
            sample.content = self.scanner.redact(sample.content, findings)
            sample.pii_redacted = sum(1 for finding in findings if finding.is_pii)
            sample.secrets_redacted = len(findings) - sample.pii_redacted
        return sample


class InsecureTagging(Transform):
    """Record insecure-code findings: ``insecure_rules`` (rule id -> highest severity) and one
    ``insecure:<rule>`` issue per rule.

    >>> sample = InsecureTagging().apply(CodeSample("import os\\nos.system(input())\\n", "python", {}))
    >>> sample.insecure_rules
    {'os_system': 'high'}
    """

    def __init__(self, scanner: SecurityScanner | None = None) -> None:
        from litcode.scanning import SecurityScanner

        # Syntax is not a security property: parse only modules a rule could fire in.
        self.scanner = scanner or SecurityScanner(check_syntax=False)

    def apply(self, sample: CodeSample) -> CodeSample:
        from litcode.scanning import severity_rank

        rules: dict[str, str] = {}
        for finding in self.scanner.scan(sample.content, sample.language):
            rule, severity = str(finding.rule_id), str(finding.severity).lower()
            if rule not in rules or severity_rank(severity) > severity_rank(rules[rule]):
                rules[rule] = severity
        sample.insecure_rules = dict(sorted(rules.items()))
        sample.issues.extend(f"insecure:{rule}" for rule in sample.insecure_rules)
        return sample


class InsecureFilter(Filter):
    """Drop samples that :class:`InsecureTagging` found a rule at or above ``min_severity`` in
    (``insecure="drop"``); the detail lists those rules.

    >>> InsecureFilter("high").keep(CodeSample("x", "python", {}, insecure_rules={"os_system": "high"}))
    False
    """

    reason = "insecure"

    def __init__(self, min_severity: str = "high") -> None:
        from litcode.scanning import severity_rank

        self._rank = severity_rank
        self.min_rank = severity_rank(min_severity)

    def _offending(self, sample: CodeSample) -> list[str]:
        return [
            rule for rule, severity in sample.insecure_rules.items() if self._rank(severity) >= self.min_rank
        ]

    def keep(self, sample: CodeSample) -> bool:
        return not self._offending(sample)

    def explain(self, sample: CodeSample) -> str | None:
        return ",".join(self._offending(sample))
