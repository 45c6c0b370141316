"""What a security scan reports: one insecure pattern at one line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SecurityFinding:
    """An insecure pattern at ``line`` (1-based); ``severity`` is ``"low"``, ``"medium"`` or ``"high"``.

    >>> SecurityFinding("os_system", "high", 4, "os.system() runs its argument in a shell").severity
    'high'
    """

    rule_id: str
    severity: str
    line: int
    message: str
