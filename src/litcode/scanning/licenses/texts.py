"""Recognise a license from its text: full license files, SPDX tags and the usual file headers.

Texts are compared after folding case and collapsing every run of
non-alphanumerics to one space, so wrapping, bullets and quotes do not
matter. Each license is known by phrases that occur in its text and not in
its neighbours' (MIT keeps "the above copyright notice ... shall be
included", MIT-0 drops it; ISC keeps "provided that the above copyright
notice", 0BSD drops it). A file holding several texts (a project license
followed by vendored ones) is judged by the one that starts first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litcode.scanning.licenses.names import normalize_license_name, parse_spdx

# Folding table: ASCII letters lowered, digits kept, every other byte a space.
_FOLD_TABLE = bytes(
    code + 32 if 65 <= code <= 90 else code if 48 <= code <= 57 or 97 <= code <= 122 else 32
    for code in range(256)
)
_SPDX_TAG = re.compile(r"SPDX-License-Identifier:\s*([A-Za-z0-9.+\-() ]+?)\s*(?:\*/|-->|#|$)", re.MULTILINE)
_LICENSE_FIELD = re.compile(
    r"^\W{0,4}licen[cs]e\s*:\s*([A-Za-z0-9.+\- ]{2,40})\s*$", re.MULTILINE | re.IGNORECASE
)
# Header phrases, matched in folded text: "licensed under the MIT License", "are MIT licensed".
_NAMED_LICENSE = re.compile(
    r"(?:licensed|released|distributed|available) under (?:the )?(?:terms of the )?(?:open source )?"
    r"(?P<name>[a-z0-9][a-z0-9 ]{0,30}?) licen[cs]e\b"
)
_LICENSED_ADJECTIVE = re.compile(
    r"\b(?:is|are) (?P<name>mit|bsd|apache(?: 2 0)?|isc|mpl(?: 2 0)?) licensed\b"
)


def fold(text: str) -> str:
    """Lowercase ASCII words separated by single spaces: the form all phrases are matched in.

    One ``bytes.translate`` and one ``split``: both C loops, no regex.

    >>> fold("Version 2.0,\\n  January 2004")
    'version 2 0 january 2004'
    """
    return b" ".join(text.encode("ascii", "replace").translate(_FOLD_TABLE).split()).decode("ascii")


@dataclass(frozen=True)
class LicenseSignature:
    """``spdx`` when every ``required`` phrase occurs and no ``excluded`` one; placed at ``required[0]``.

    >>> signature = LicenseSignature("WTFPL", ("do what the fuck you want",))
    >>> signature.position(fold("0. You just DO WHAT THE FUCK YOU WANT to."))
    11
    """

    spdx: str
    required: tuple[str, ...]
    excluded: tuple[str, ...] = ()

    def position(self, folded: str) -> int | None:
        first = folded.find(self.required[0])
        if first < 0 or any(phrase not in folded for phrase in self.required[1:]):
            return None
        if any(phrase in folded for phrase in self.excluded):
            return None
        return first


_BSD_BODY = "redistribution and use in source and binary forms with or without modification are permitted"
_MIT_GRANT = "permission is hereby granted free of charge to any person obtaining a copy"
_ISC_GRANT = "distribute this software for any purpose with or without fee is hereby granted"
_ISC_CONDITION = "provided that the above copyright notice and this permission notice appear in all copies"
_GPL_LATER = "or at your option any later version"
_LGPL_HEADER = "the gnu lesser general public license as published by the free software foundation"
_HPND_GRANT = (
    "permission to use copy modify and distribute this software and its documentation for any purpose "
    "and without fee is hereby granted"
)

SIGNATURES: tuple[LicenseSignature, ...] = (
    LicenseSignature("Apache-2.0", ("apache license version 2 0",)),
    LicenseSignature("Apache-2.0", ("licensed under the apache license version 2 0",)),
    LicenseSignature(
        "MIT", (_MIT_GRANT, "the above copyright notice and this permission notice shall be included")
    ),
    LicenseSignature("MIT-0", (_MIT_GRANT, "to deal in the software without restriction")),
    LicenseSignature("BSD-4-Clause", (_BSD_BODY, "all advertising materials mentioning features")),
    LicenseSignature("BSD-3-Clause", (_BSD_BODY, "endorse or promote products derived")),
    LicenseSignature("BSD-2-Clause", (_BSD_BODY,), ("endorse or promote products derived",)),
    LicenseSignature("ISC", (_ISC_GRANT, _ISC_CONDITION)),
    LicenseSignature("0BSD", (_ISC_GRANT,), (_ISC_CONDITION,)),
    LicenseSignature("MIT-CMU", (_HPND_GRANT,)),
    LicenseSignature(
        "Unlicense", ("this is free and unencumbered software released into the public domain",)
    ),
    LicenseSignature("CC0-1.0", ("cc0 1 0 universal",)),
    LicenseSignature("CC0-1.0", ("creative commons legal code", "cc0")),
    LicenseSignature(
        "Zlib",
        ("in no event will the authors be held liable", "altered source versions must be plainly marked"),
    ),
    LicenseSignature("BSL-1.0", ("boost software license version 1 0",)),
    LicenseSignature("PSF-2.0", ("python software foundation license version 2",)),
    LicenseSignature("PSF-2.0", ("psf license agreement",)),
    LicenseSignature("MPL-2.0", ("mozilla public license version 2 0",)),
    LicenseSignature("MPL-2.0", ("mozilla public license v 2 0",)),
    LicenseSignature("EPL-2.0", ("eclipse public license v 2 0",)),
    LicenseSignature("EPL-2.0", ("eclipse public license version 2 0",)),
    LicenseSignature("EPL-1.0", ("eclipse public license v 1 0",)),
    LicenseSignature("AGPL-3.0-only", ("gnu affero general public license version 3 19 november 2007",)),
    LicenseSignature("LGPL-3.0-only", ("gnu lesser general public license version 3 29 june 2007",)),
    LicenseSignature("LGPL-2.1-only", ("gnu lesser general public license version 2 1 february 1999",)),
    LicenseSignature("LGPL-2.0-only", ("gnu library general public license version 2 june 1991",)),
    LicenseSignature("GPL-3.0-only", ("gnu general public license version 3 29 june 2007",)),
    LicenseSignature("GPL-2.0-only", ("gnu general public license version 2 june 1991",)),
    # Per-file headers
    LicenseSignature(
        "GPL-3.0-or-later",
        (
            "the gnu general public license as published by the free software foundation either version 3",
            _GPL_LATER,
        ),
    ),
    LicenseSignature(
        "GPL-2.0-or-later",
        (
            "the gnu general public license as published by the free software foundation either version 2",
            _GPL_LATER,
        ),
    ),
    LicenseSignature(
        "LGPL-2.1-or-later",
        (
            _LGPL_HEADER + " either version 2 1",
            _GPL_LATER,
        ),
    ),
    LicenseSignature(
        "LGPL-3.0-or-later",
        (
            _LGPL_HEADER + " either version 3",
            _GPL_LATER,
        ),
    ),
    LicenseSignature("BSD-3-Clause", ("use of this source code is governed by a bsd style license",)),
    LicenseSignature("MIT", ("use of this source code is governed by an mit style license",)),
    LicenseSignature(
        "CC-BY-4.0", ("creative commons attribution 4 0 international",), ("sharealike", "noncommercial")
    ),
    LicenseSignature("CC-BY-SA-4.0", ("creative commons attribution sharealike 4 0 international",)),
    LicenseSignature("WTFPL", ("do what the fuck you want to public license",)),
)
# How a file says "pick either": the licenses it lists are alternatives (OR), not a bundle (AND).
DUAL_LICENSE_PHRASES = (
    "either of the licenses",
    "dual licensed",
    "dual license",
    "at your choice",
    "at your option",
)


def detect_license_text(text: str) -> str | None:
    """SPDX expression for ``text``, or None when no license is recognised.

    The license stated earliest wins, among ``SPDX-License-Identifier:``
    tags, full-text signatures and file headers (``Licensed under the MIT
    License``); a text that is only a name (``Apache 2.0``) or a ``License:
    MIT`` field is the last resort. Earliest, because
    a project's own license comes before the vendored ones it bundles.

    >>> detect_license_text("# SPDX-License-Identifier: apache-2.0 OR mit\\nimport os")
    'Apache-2.0 OR MIT'
    >>> detect_license_text("Pillow is licensed under the open source MIT-CMU License:")
    'MIT-CMU'
    """
    folded = fold(text)
    found: list[tuple[int, int, str]] = []  # (position, rank, spdx): earliest wins, table order breaks ties
    for tag in _SPDX_TAG.finditer(text):
        spdx = parse_spdx(tag.group(1).strip())
        if spdx:
            found.append((len(fold(text[: tag.start()])), -1, spdx))
            break
    for rank, signature in enumerate(SIGNATURES):
        position = signature.position(folded)
        if position is not None:
            found.append((position, rank, signature.spdx))
    for pattern in (_NAMED_LICENSE, _LICENSED_ADJECTIVE):
        for named in pattern.finditer(folded):
            spdx = normalize_license_name(named.group("name"))
            if spdx:
                found.append((named.start(), len(SIGNATURES), spdx))
    if not found:
        stripped = text.strip()
        if len(stripped) < 80 and "\n" not in stripped:  # a LICENSE file holding only a name: "Apache 2.0"
            return normalize_license_name(stripped)
        field = _LICENSE_FIELD.search(text)
        return normalize_license_name(field.group(1)) if field else None
    return min(found)[2]


def offers_a_choice(text: str) -> bool:
    """True when ``text`` says its licenses are alternatives ("either of the licenses", "dual licensed")."""
    folded = fold(text)
    return any(phrase in folded for phrase in DUAL_LICENSE_PHRASES)
