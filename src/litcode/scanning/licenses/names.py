"""License names people write, mapped to SPDX, and permissiveness of SPDX expressions.

Parsing and canonical spelling come from ``license-expression`` (the SPDX
license list it ships): ``mit`` -> ``MIT``, ``GPL-2.0+`` -> ``GPL-2.0-or-later``.
The table below covers what metadata says instead of SPDX ids (``Apache 2.0``,
``BSD 3-Clause License``, trove classifier names). A bare ``BSD`` is left
unknown on purpose: 2-clause and 3-clause differ, and guessing is how
non-compliant datasets happen.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from license_expression import ExpressionError, LicenseSymbol, LicenseWithExceptionSymbol, get_spdx_licensing

from litcode.scanning.licenses.categories import permissive_ids

# The permissive class of ScanCode LicenseDB (Permissive and Public Domain), not a hand list.
DEFAULT_PERMISSIVE = permissive_ids()

_NAME_ALIASES = {
    "mit": "MIT",
    "mit license": "MIT",
    "the mit license": "MIT",
    "mit licence": "MIT",
    "expat": "MIT",
    "mit no attribution": "MIT-0",
    "apache": "Apache-2.0",
    "apache 2": "Apache-2.0",
    "apache 2 0": "Apache-2.0",
    "apache2": "Apache-2.0",
    "apache license": "Apache-2.0",
    "apache license 2 0": "Apache-2.0",
    "apache license version 2 0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "apache software license 2 0": "Apache-2.0",
    "asl 2 0": "Apache-2.0",
    "bsd 3 clause": "BSD-3-Clause",
    "bsd 3 clause license": "BSD-3-Clause",
    "3 clause bsd": "BSD-3-Clause",
    "3 clause bsd license": "BSD-3-Clause",
    "new bsd": "BSD-3-Clause",
    "new bsd license": "BSD-3-Clause",
    "modified bsd": "BSD-3-Clause",
    "modified bsd license": "BSD-3-Clause",
    "revised bsd": "BSD-3-Clause",
    "bsd 2 clause": "BSD-2-Clause",
    "bsd 2 clause license": "BSD-2-Clause",
    "2 clause bsd": "BSD-2-Clause",
    "simplified bsd": "BSD-2-Clause",
    "simplified bsd license": "BSD-2-Clause",
    "freebsd": "BSD-2-Clause",
    "isc": "ISC",
    "isc license": "ISC",
    "isc license iscl": "ISC",
    "iscl": "ISC",
    "mpl 2 0": "MPL-2.0",
    "mozilla public license 2 0": "MPL-2.0",
    "mozilla public license 2 0 mpl 2 0": "MPL-2.0",
    "psf": "PSF-2.0",
    "psfl": "PSF-2.0",
    "psf license": "PSF-2.0",
    "python software foundation license": "PSF-2.0",
    "unlicense": "Unlicense",
    "the unlicense": "Unlicense",
    "the unlicense unlicense": "Unlicense",
    "cc0": "CC0-1.0",
    "cc0 1 0": "CC0-1.0",
    "cc0 1 0 universal": "CC0-1.0",
    "cc0 1 0 universal cc0 1 0 public domain dedication": "CC0-1.0",
    "zlib": "Zlib",
    "zlib libpng": "Zlib",
    "zlib libpng license": "Zlib",
    "boost": "BSL-1.0",
    "boost software license": "BSL-1.0",
    "boost software license 1 0": "BSL-1.0",
    "boost software license 1 0 bsl 1 0": "BSL-1.0",
    "0bsd": "0BSD",
    "bsd zero clause": "0BSD",
    "gpl": "GPL-2.0-or-later",
    "gplv2": "GPL-2.0-only",
    "gplv3": "GPL-3.0-only",
    "gnu general public license v2 gplv2": "GPL-2.0-only",
    "gnu general public license v3 gplv3": "GPL-3.0-only",
    "gnu general public license v2 or later gplv2": "GPL-2.0-or-later",
    "gnu general public license v3 or later gplv3": "GPL-3.0-or-later",
    "lgplv2": "LGPL-2.1-only",
    "lgplv3": "LGPL-3.0-only",
    "gnu lesser general public license v3 lgplv3": "LGPL-3.0-only",
    "gnu lesser general public license v2 or later lgplv2": "LGPL-2.1-or-later",
    "gnu affero general public license v3": "AGPL-3.0-only",
    "eclipse public license 2 0 epl 2 0": "EPL-2.0",
}
_UNKNOWN_NAMES = frozenset(
    {"", "unknown", "other", "other proprietary license", "proprietary", "none", "dual license"}
)
_NOT_WORDS = re.compile(r"[^a-z0-9]+")


def _name_key(name: str) -> str:
    return _NOT_WORDS.sub(" ", name.lower()).strip()


@lru_cache(maxsize=1)
def spdx_licensing() -> Any:
    """The SPDX-aware ``Licensing`` of ``license-expression`` (built once: it indexes the SPDX list)."""
    return get_spdx_licensing()


# Ids license-expression flags as exceptions that SPDX lists as (deprecated) licenses: each is a
# license and its exception in one id, so it stands alone.
_LICENSES_FLAGGED_AS_EXCEPTIONS = frozenset({"ecos-2.0"})


@lru_cache(maxsize=1)
def spdx_exception_ids() -> frozenset[str]:
    """SPDX exception ids, lower-cased: what may follow ``WITH`` (``GCC-exception-3.1``, ``LLVM-exception``).

    >>> {"gcc-exception-3.1", "linux-syscall-note"} <= spdx_exception_ids(), "mit" in spdx_exception_ids()
    (True, False)
    """
    return frozenset(
        key.lower()
        for key, symbol in spdx_licensing().known_symbols.items()
        if symbol.is_exception
        and not key.startswith("LicenseRef-")
        and "-with-" not in key.lower()
        and key.lower() not in _LICENSES_FLAGGED_AS_EXCEPTIONS
    )


@lru_cache(maxsize=4096)
def parse_spdx(expression: str) -> str | None:
    """Canonical rendering of an SPDX expression, or None when it holds a key SPDX does not know.

    >>> parse_spdx("mit or apache-2.0"), parse_spdx("GPL-2.0+"), parse_spdx("Apache 2.0")
    ('MIT OR Apache-2.0', 'GPL-2.0-or-later', None)
    """
    licensing = spdx_licensing()
    try:
        parsed = licensing.parse(expression, validate=False)
    except ExpressionError:
        return None
    if parsed is None or licensing.unknown_license_keys(parsed):
        return None
    return str(parsed.render())


def normalize_license_name(name: str) -> str | None:
    """SPDX for a license name as metadata writes it; a classifier's last segment works too.

    >>> normalize_license_name("Apache Software License"), normalize_license_name("BSD 3-Clause License")
    ('Apache-2.0', 'BSD-3-Clause')
    >>> normalize_license_name("OSI Approved :: MIT License"), normalize_license_name("BSD")
    ('MIT', None)
    """
    name = name.split("::")[-1].strip()
    key = _name_key(name)
    if key in _UNKNOWN_NAMES:
        return None
    if key in _NAME_ALIASES:
        return _NAME_ALIASES[key]
    if "\n" in name or len(name) > 200:
        return None  # a whole license text pasted into a metadata field
    return parse_spdx(name) or (parse_spdx(key.replace(" ", "-")) if " " in key else None)


@lru_cache(maxsize=8)
def _lowered(allowlist: frozenset[str]) -> frozenset[str]:
    return frozenset(key.lower() for key in allowlist)


def expression_is_permissive(expression: str, allowlist: frozenset[str]) -> bool:
    """True when the licensee may pick a path through ``expression`` made only of allowed licenses.

    ``OR`` needs one allowed branch, ``AND`` needs all; ``X WITH exception`` counts as ``X``.
    Unparsable or unknown expressions are not permissive.
    """
    licensing = spdx_licensing()
    try:
        parsed = licensing.parse(expression, validate=False)
    except ExpressionError:
        return False
    if parsed is None:
        return False
    allowed = _lowered(allowlist)

    def allowed_tree(node: Any) -> bool:
        if isinstance(node, LicenseWithExceptionSymbol):
            return str(node.license_symbol.key).lower() in allowed
        if isinstance(node, LicenseSymbol):
            return str(node.key).lower() in allowed
        if isinstance(node, licensing.OR):
            return any(allowed_tree(arg) for arg in node.args)
        if isinstance(node, licensing.AND):
            return all(allowed_tree(arg) for arg in node.args)
        return False

    return allowed_tree(parsed)
