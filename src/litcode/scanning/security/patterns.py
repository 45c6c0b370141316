"""Every regex security rule, for the languages without a parser here (see :mod:`.pattern_rule`)."""

from __future__ import annotations

from litcode.scanning.security.crypto_patterns import CRYPTO_RULES
from litcode.scanning.security.injection_patterns import INJECTION_RULES
from litcode.scanning.security.pattern_rule import PatternSecurityRule

PATTERN_SECURITY_RULES: tuple[PatternSecurityRule, ...] = INJECTION_RULES + CRYPTO_RULES

__all__ = ["PATTERN_SECURITY_RULES", "PatternSecurityRule"]
