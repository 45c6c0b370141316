"""Scanners for what a code dataset must not carry: live secrets, insecure code, unusable licenses.

Each scanner works on plain text and knows nothing of the pipeline; ``litcode.curation``
wraps them into filters with the reasons ``secret``, ``insecure`` and ``license``.
"""

from __future__ import annotations

from litcode.scanning.license_checker import LicenseChecker, find_repo_license, is_license_file_name
from litcode.scanning.license_names import DEFAULT_PERMISSIVE
from litcode.scanning.secret_rules import PatternRule, SecretMatch, SecretRule
from litcode.scanning.secret_scanner import SecretFinding, SecretScanner, default_secret_rules
from litcode.scanning.security_finding import SecurityFinding
from litcode.scanning.security_scanner import SEVERITIES, SecurityScanner, highest_severity, severity_rank

__all__ = [
    "DEFAULT_PERMISSIVE",
    "SEVERITIES",
    "LicenseChecker",
    "PatternRule",
    "SecretFinding",
    "SecretMatch",
    "SecretRule",
    "SecretScanner",
    "SecurityFinding",
    "SecurityScanner",
    "default_secret_rules",
    "find_repo_license",
    "highest_severity",
    "is_license_file_name",
    "severity_rank",
]
