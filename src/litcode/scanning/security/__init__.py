"""Insecure-code rules: an AST visitor for Python, line patterns for other languages.

Languages are named in :mod:`litcode.quality.languages`' vocabulary, the one
``CodeSample.language`` uses, so curation's ``insecure`` step reaches every rule family.
"""

from __future__ import annotations

from litcode.scanning.security.finding import SecurityFinding
from litcode.scanning.security.scanner import SEVERITIES, SecurityScanner, highest_severity, severity_rank

__all__ = ["SEVERITIES", "SecurityFinding", "SecurityScanner", "highest_severity", "severity_rank"]
