"""Pipeline adapters over :mod:`litcode.scanning`: the ``license``, ``secret`` and ``insecure`` steps.

The scanners only report; these filters turn their findings into the run's
policy (drop, redact, tag) and leave what they did on the sample
(``metadata["secrets_redacted"]``, ``metadata["insecure_rules"]``, ``issues``)
for the manifest and the report.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from litcode.quality.filter_base import Filter
from litcode.quality.sample import CodeSample

if TYPE_CHECKING:
    from litcode.scanning import LicenseChecker, SecretScanner, SecurityScanner

SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
# Per-file headers sit in the first lines; reading further only finds licenses quoted in code.
HEADER_CHARS = 2_000


class LicenseResolver:
    """The license of a sample: its ``SPDX-License-Identifier`` header, else its repository's license
    file, else the source's metadata (The Stack's ``max_stars_repo_licenses``), else ``default``.

    >>> LicenseResolver(default="PSF-2.0").resolve(CodeSample("x = 1\\n", "python", {}))
    'PSF-2.0'
    """

    def __init__(self, checker: LicenseChecker | None = None, default: str | None = None) -> None:
        from litcode.scanning import LicenseChecker  # scanners load only when their policy is on

        self.checker = checker or LicenseChecker()
        self.default = default
        self._license_file = functools.lru_cache(maxsize=1024)(self._detect_license_file)

    def resolve(self, sample: CodeSample) -> str | None:
        header = self._header_license(sample.content)
        if header:
            return header
        license_file = sample.metadata.get("license_file")
        if license_file:
            detected = self._license_file(str(license_file))
            if detected:
                return detected
        stated = sample.metadata.get("license") or sample.metadata.get("licenses")
        # A list (The Stack's max_stars_repo_licenses) means all of them apply: normalize joins with AND.
        return self.checker.normalize(stated) if stated else self.default

    def _header_license(self, content: str) -> str | None:
        head = content[:HEADER_CHARS]
        if "SPDX-License-Identifier" not in head and "icense" not in head:
            return None
        return self.checker.detect(head)

    def _detect_license_file(self, path: str) -> str | None:
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        return self.checker.detect(text)


class LicenseFilter(Filter):
    """Keep samples whose resolved license (``metadata["license"]``) is permissive.

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
        expression = sample.metadata.get("license")
        if not expression:
            return self.allow_unknown
        return bool(self.checker.is_permissive(expression))


class SecretFilter(Filter):
    """``policy="drop"``: drop samples holding a secret. ``"redact"``: keep them with each secret
    replaced by its placeholder, counting the redactions in ``metadata["secrets_redacted"]``.

    >>> sample = CodeSample("key = 'AKIAZ7XQ4PLM2VN8RT3W'\\n", "python", {})
    >>> SecretFilter("redact").keep(sample), "AKIAZ7XQ4PLM2VN8RT3W" in sample.content
    (True, False)
    """

    reason = "secret"

    def __init__(self, policy: str = "redact", scanner: SecretScanner | None = None) -> None:
        if policy not in ("redact", "drop"):
            raise ValueError(f"secret policy must be 'redact' or 'drop', got {policy!r}")
        from litcode.scanning import SecretScanner

        self.policy = policy
        self.scanner = scanner or SecretScanner()

    def keep(self, sample: CodeSample) -> bool:
        if self.policy == "drop":
            return not self.scanner.has_secrets(sample.content)
        # Documented placeholders (AKIA...EXAMPLE) are reported but left in place by the scanner.
        findings = [finding for finding in self.scanner.scan(sample.content) if not finding.is_example]
        if findings:
            sample.content = self.scanner.redact(sample.content, findings)
            sample.metadata["secrets_redacted"] = len(findings)
        return True


class InsecureFilter(Filter):
    """Record insecure-code findings as issues (``insecure:<rule>``); with ``policy="drop"`` drop
    samples with a finding at or above ``min_severity``.

    >>> sample = CodeSample("import os\\nos.system(input())\\n", "python", {})
    >>> InsecureFilter("tag").keep(sample), bool(sample.metadata["insecure_rules"])
    (True, True)
    """

    reason = "insecure"

    def __init__(
        self, policy: str = "tag", min_severity: str = "high", scanner: SecurityScanner | None = None
    ):
        if policy not in ("tag", "drop"):
            raise ValueError(f"insecure policy must be 'tag' or 'drop', got {policy!r}")
        if min_severity not in SEVERITY_RANK:
            raise ValueError(f"min_severity must be one of {list(SEVERITY_RANK)}, got {min_severity!r}")
        from litcode.scanning import SecurityScanner

        self.policy = policy
        self.min_rank = SEVERITY_RANK[min_severity]
        # Syntax is not a security property: parse only modules a rule could fire in.
        self.scanner = scanner or SecurityScanner(check_syntax=False)

    def keep(self, sample: CodeSample) -> bool:
        findings = self.scanner.scan(sample.content, sample.language)
        rules = sorted({str(finding.rule_id) for finding in findings})
        sample.metadata["insecure_rules"] = rules
        sample.issues.extend(f"insecure:{rule}" for rule in rules)
        if self.policy == "tag":
            return True
        return not any(
            SEVERITY_RANK.get(str(finding.severity).lower(), 0) >= self.min_rank for finding in findings
        )
