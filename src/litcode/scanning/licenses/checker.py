"""Which license a file or repository is under, and whether a training set may use it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from litcode.quality.languages import EXTENSION_TO_LANGUAGE
from litcode.scanning.licenses.index import license_index
from litcode.scanning.licenses.names import (
    DEFAULT_PERMISSIVE,
    expression_is_permissive,
    normalize_license_name,
    parse_spdx,
)
from litcode.scanning.licenses.texts import detect_license_text, offers_a_choice

_LICENSE_FILE = re.compile(
    r"^(?:un)?licen[cs]e(?:[._-].*)?$|^copying(?:[._-].*)?$|.*\.licen[cs]e$", re.IGNORECASE
)
_PRIMARY_LICENSE_FILE = re.compile(r"^(?:un)?(?:licen[cs]e|copying)(?:\.(?:txt|md|rst))?$", re.IGNORECASE)
_MAX_LICENSE_BYTES = 1_000_000
# A file's own notice sits at its top: a GPL or Apache header with its copyright lines fits in
# 3,000 characters; reading further finds licenses quoted in code, not the file's.
HEADER_CHARS = 3_000
_HEADER_WORDS = ("licen", "copyright", "permission", "redistribut", "public domain", "spdx")


class LicenseChecker:
    """Detects SPDX licenses and judges them against an allowlist of permissive licenses.

    * :meth:`detect` reads a text: a LICENSE/COPYING file, a file with an
      ``SPDX-License-Identifier:`` tag or a license header; :meth:`detect_header`
      reads only the head of a source file, where its own notice is.
    * :meth:`normalize` reads metadata: ``"Apache 2.0"``, a classifier, or a
      list such as The Stack's ``max_stars_repo_licenses``. A list means every
      license found in the repository applies, so it is joined with ``AND``: a
      repository holding MIT and GPL-3.0 code is not a permissive source.
    * :meth:`is_permissive`: ``MIT OR GPL-3.0-only`` is permissive (one may
      choose MIT), ``MIT AND GPL-3.0-only`` is not; ``None`` (unknown) is not.

    >>> checker = LicenseChecker()
    >>> checker.detect("# Licensed under the Apache License, Version 2.0 (the 'License');")
    'Apache-2.0'
    >>> checker.is_permissive("MIT OR GPL-3.0"), checker.is_permissive("MIT AND GPL-3.0")
    (True, False)
    >>> checker.normalize(["Apache-2.0", "MIT"]), checker.normalize("BSD 3-Clause License")
    ('Apache-2.0 AND MIT', 'BSD-3-Clause')
    """

    def __init__(self, allowlist: Iterable[str] = DEFAULT_PERMISSIVE) -> None:
        self.allowlist = frozenset(allowlist)
        # Expressions repeat (every file of a repository has its license): parse each once.
        self._decisions: dict[str, bool] = {}

    def warm_up(self) -> LicenseChecker:
        """Load the template index now (building it once if no cache exists), e.g. in a parent
        process before its workers fork and share it."""
        license_index()
        return self

    def detect(self, text: str) -> str | None:
        """SPDX expression of the license ``text`` states, or None."""
        return detect_license_text(text)

    def detect_header(self, source: str) -> str | None:
        """SPDX expression a source file states about itself, in its first :data:`HEADER_CHARS`.

        Only heads holding a word every notice uses (``licen[cs]e``, ``copyright``,
        ``permission``, ``redistribut``, ``public domain``, ``SPDX``) are matched, so
        most code files cost one lower-casing of 3 KB.

        >>> LicenseChecker().detect_header("# SPDX-License-Identifier: GPL-2.0-only\\nimport os\\n")
        'GPL-2.0-only'
        >>> LicenseChecker().detect_header("import os\\n") is None
        True
        """
        head = source[:HEADER_CHARS]
        lowered = head.lower()
        if not any(word in lowered for word in _HEADER_WORDS):
            return None
        return detect_license_text(head)

    def normalize(self, name: str | Sequence[str] | None) -> str | None:
        """SPDX expression for a metadata value (a name, SPDX id, classifier, or list of them), or None."""
        if name is None:
            return None
        if isinstance(name, str):
            return normalize_license_name(name)
        parts = [normalize_license_name(str(item)) for item in name]
        if not parts or any(part is None for part in parts):
            return None
        unique = list(dict.fromkeys(part for part in parts if part))
        return (
            unique[0]
            if len(unique) == 1
            else " AND ".join(f"({part})" if " " in part else part for part in unique)
        )

    def is_permissive(self, spdx_expression: str | None) -> bool:
        """True when the expression allows a choice made only of allowlisted licenses.

        A plain license name that is not SPDX (``"Apache 2.0"``, ``"MIT License"``)
        is normalized first, so metadata can be passed as it comes.
        """
        if not spdx_expression:
            return False
        decision = self._decisions.get(spdx_expression)
        if decision is None:
            expression = spdx_expression
            if parse_spdx(expression) is None:
                expression = normalize_license_name(expression) or expression
            decision = expression_is_permissive(expression, self.allowlist)
            if len(self._decisions) < 65_536:
                self._decisions[spdx_expression] = decision
        return decision


def is_license_file_name(name: str) -> bool:
    """LICENSE, LICENCE.md, COPYING, UNLICENSE, LICENSE.APACHE, apache-2.0.LICENSE ... but never
    source code named after licenses (``license_utils.py``, ``copying_helper.c``)."""
    return _LICENSE_FILE.match(name) is not None and not _is_source_code(name)


# Extensions a license text is written in; any other language's extension marks source code.
_DOCUMENT_LANGUAGES = frozenset({"markdown", "restructuredtext", "asciidoc", "html", "tex"})


def _is_source_code(name: str) -> bool:
    language = EXTENSION_TO_LANGUAGE.get(os.path.splitext(name)[1].lower())
    return language is not None and language not in _DOCUMENT_LANGUAGES


def find_repo_license(directory: str | os.PathLike[str]) -> str | None:
    """SPDX expression for a repository root from its LICENSE*/LICENCE*/COPYING* files, or None.

    The main file (``LICENSE``, ``COPYING.txt`` ...) decides when it names a
    license. When it names none, or says licenses are alternatives ("either
    of the licenses found in LICENSE.APACHE or LICENSE.BSD", "dual licensed"),
    the other license files are read too and every license found is joined
    with ``OR`` (alternatives) or ``AND``.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "LICENSE").write_text("SPDX-License-Identifier: MIT")
    >>> find_repo_license(root)
    'MIT'
    """
    root = Path(directory)
    if not root.is_dir():
        return None
    files = sorted(path for path in root.iterdir() if path.is_file() and is_license_file_name(path.name))
    primary = [path for path in files if _PRIMARY_LICENSE_FILE.match(path.name)]
    detections: list[str] = []
    choice = False
    for path in primary:
        text = _read(path)
        choice = choice or offers_a_choice(text)
        detected = detect_license_text(text)
        if detected:
            detections.append(detected)
    if detections and not choice:
        return detections[0]
    detections += [
        spdx for path in files if path not in primary if (spdx := detect_license_text(_read(path)))
    ]
    unique = list(dict.fromkeys(detections))
    if len(unique) <= 1:
        return unique[0] if unique else None
    joiner = " OR " if choice else " AND "
    return joiner.join(f"({spdx})" if " " in spdx else spdx for spdx in unique)


def _read(path: Path) -> str:
    with path.open("rb") as handle:
        return handle.read(_MAX_LICENSE_BYTES).decode("utf-8", "replace")
