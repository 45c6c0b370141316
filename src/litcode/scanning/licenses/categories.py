"""ScanCode LicenseDB's classification of every license: the source of the default allowlist.

``license-expression`` ships the LicenseDB index (key, SPDX id, category) as package
data. Its ``Permissive`` and ``Public Domain`` categories are what a permissive-only
training set may use; ``Copyleft``, ``Copyleft Limited``, ``Source-available``,
``Free Restricted``, ``Proprietary Free``, ``Commercial`` ... are not. That puts
Sleepycat (Copyleft), FDK-AAC (Copyleft Limited), ``FSL-1.1-MIT`` (Source-available)
and ``BSD-3-Clause-No-Nuclear-License`` (Free Restricted) outside the allowlist.

>>> "MIT" in permissive_ids() and "Sleepycat" not in permissive_ids()
True
>>> license_index()["boost-1.0"].spdx, license_index()["boost-1.0"].category
('BSL-1.0', 'Permissive')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

PERMISSIVE_CATEGORIES = ("Permissive", "Public Domain")


@dataclass(frozen=True)
class LicenseEntry:
    """One LicenseDB license: ScanCode ``key``, its SPDX id, older SPDX spellings and category."""

    key: str
    spdx: str
    other_spdx: tuple[str, ...]
    category: str
    is_exception: bool


@lru_cache(maxsize=1)
def license_index() -> dict[str, LicenseEntry]:
    """LicenseDB entries by ScanCode key (``mit``, ``gpl-2.0-plus``, ``boost-1.0`` ...)."""
    raw = resources.files("license_expression") / "data" / "scancode-licensedb-index.json"
    entries: dict[str, LicenseEntry] = {}
    for item in json.loads(raw.read_text("utf-8")):
        key = str(item["license_key"])
        entries[key] = LicenseEntry(
            key=key,
            spdx=str(item.get("spdx_license_key") or f"LicenseRef-scancode-{key}"),
            other_spdx=tuple(str(other) for other in item.get("other_spdx_license_keys") or ()),
            category=str(item.get("category") or ""),
            is_exception=bool(item.get("is_exception")),
        )
    return entries


@lru_cache(maxsize=1)
def category_by_spdx() -> dict[str, str]:
    """Category of each SPDX id (and ``LicenseRef-scancode-*`` id), lower-cased keys."""
    categories: dict[str, str] = {}
    for entry in license_index().values():
        for spdx in (entry.spdx, *entry.other_spdx):
            categories.setdefault(spdx.lower(), entry.category)
    return categories


@lru_cache(maxsize=1)
def permissive_ids() -> frozenset[str]:
    """Every license LicenseDB classifies as Permissive or Public Domain: the default allowlist.

    Exceptions are left out: an exception grants nothing alone, only ``X WITH exception``
    (``SHL-2.1``, which SPDX lists as a license, stays).
    """
    return frozenset(
        spdx
        for entry in license_index().values()
        if entry.category in PERMISSIVE_CATEGORIES
        and not (entry.is_exception and "exception" in entry.spdx.lower())
        for spdx in (entry.spdx, *entry.other_spdx)
    )


@lru_cache(maxsize=1)
def deprecated_spdx_ids() -> frozenset[str]:
    """Older SPDX spellings (``GPL-2.0``, ``GPL-2.0+``) that have a current id, lower-cased."""
    current = {entry.spdx.lower() for entry in license_index().values()}
    return (
        frozenset(other.lower() for entry in license_index().values() for other in entry.other_spdx) - current
    )
