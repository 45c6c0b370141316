"""Scanners for what a code dataset must not carry: live secrets, insecure code, unusable licenses.

Three parts, each with its own vocabulary: ``secrets/``, ``security/`` and ``licenses/``.
Each scanner works on plain text and knows nothing of the pipeline; ``litcode.curation``
wraps them into filters with the reasons ``secret``, ``insecure`` and ``license``.
"""

from __future__ import annotations

from litcode.scanning.licenses import (
    DEFAULT_PERMISSIVE,
    LicenseChecker,
    find_repo_license,
    is_license_file_name,
)
from litcode.scanning.secrets import (
    PatternRule,
    SecretFinding,
    SecretMatch,
    SecretRule,
    SecretScanner,
    default_secret_rules,
)
from litcode.scanning.security import (
    SEVERITIES,
    SecurityFinding,
    SecurityScanner,
    highest_severity,
    severity_rank,
)

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
