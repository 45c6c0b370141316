"""Secret and PII detection: provider token formats, credential assignments, URLs with passwords.

>>> from litcode.scanning.secrets import SecretScanner
>>> [finding.kind for finding in SecretScanner().scan("AKIA" + "Z7QW3RTY5UIO9PLK")]
['aws_access_key_id']
"""

from __future__ import annotations

from litcode.scanning.secrets.rules import PatternRule, SecretMatch, SecretRule
from litcode.scanning.secrets.scanner import SecretFinding, SecretScanner, default_secret_rules

__all__ = [
    "PatternRule",
    "SecretFinding",
    "SecretMatch",
    "SecretRule",
    "SecretScanner",
    "default_secret_rules",
]
