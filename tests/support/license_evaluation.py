"""Labeled license texts and how often :class:`LicenseChecker` gets them right.

Four groups, none of them written to fit the matcher:

* ``package`` — every ``*.dist-info`` of an environment holding exactly one license
  file, labeled with the license its METADATA declares (or, where the file holds more
  than METADATA names, the quoted correction of :mod:`support.license_corrections`). Metadata is trusted only
  when unambiguous: ``License-Expression`` first, then a ``License`` field that
  normalizes to SPDX, then the license classifiers when they name one license.
* ``notice`` — the notices of :mod:`support.license_notices` (GNU, Apache, MPL,
  EPL, Boost, zlib, MIT/ISC family, SPDX tags, dual licenses, no license at all),
  and texts labeled only by class (permissive or not).
* ``near-miss`` — non-permissive texts that resemble permissive ones (Sleepycat,
  the BSD No-Nuclear family, FDK-AAC, the Functional Source Licenses, Commons
  Clause), re-wrapped and under a copyright line.
* ``dataset`` — the full text of every SPDX license the data set holds, re-wrapped
  and under a copyright line (the held-out check "every text on the SPDX list").
* ``debian`` — the stand-alone license paragraphs of this system's machine-readable
  ``/usr/share/doc/*/copyright`` files, labeled by the short name the Debian maintainer
  gave them (``GPL-2+``, ``Expat`` ...), where this system has them.

:func:`evaluate_license_detection` is the package-level check of
:func:`find_repo_license` (a detection agrees when every license it names is in
the declared expression).
"""

from __future__ import annotations

import email.parser
import json
import re
import textwrap
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from litcode.scanning.licenses.categories import category_by_spdx
from litcode.scanning.licenses.checker import LicenseChecker, find_repo_license, is_license_file_name
from litcode.scanning.licenses.dataset import load_templates
from litcode.scanning.licenses.names import parse_spdx, spdx_licensing
from support.license_corrections import corrected_label
from support.license_notices import NON_PERMISSIVE_VARIANTS, NOTICES, PERMISSIVE_VARIANTS

NEAR_MISSES = (
    "Sleepycat",
    "BSD-3-Clause-No-Nuclear-License",
    "BSD-3-Clause-No-Nuclear-License-2014",
    "BSD-3-Clause-No-Nuclear-Warranty",
    "FDK-AAC",
    "FSL-1.1-MIT",
    "FSL-1.1-ALv2",
    "CommonsClause",
)


@dataclass(frozen=True)
class LabeledText:
    """A text with the SPDX expression it states (``None``: none) and the right permissive decision.

    ``exact_known=False`` labels only the decision (the id is disputed between data sets);
    ``decision_known=False`` only the id (LicenseDB does not classify it yet).

    >>> LabeledText("notice", "mit", "Released under the MIT license.", "MIT", True).expected
    'MIT'
    """

    group: str
    name: str
    text: str
    expected: str | None
    permissive: bool
    exact_known: bool = True
    decision_known: bool = True


@dataclass
class TextEvaluation:
    """Counts over labeled texts; ``mistakes`` lists (group, name, expected, detected).

    >>> TextEvaluation(texts=4, exact_labeled=4, exact=3).exact_accuracy
    0.75
    """

    texts: int = 0
    decisions_labeled: int = 0
    exact_labeled: int = 0
    exact: int = 0
    decisions_right: int = 0
    non_permissive_accepted: int = 0
    seconds: float = 0.0
    mistakes: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)

    @property
    def exact_accuracy(self) -> float:
        return self.exact / self.exact_labeled if self.exact_labeled else 0.0

    @property
    def decision_accuracy(self) -> float:
        return self.decisions_right / self.decisions_labeled if self.decisions_labeled else 0.0

    @property
    def texts_per_second(self) -> float:
        return self.texts / self.seconds if self.seconds else 0.0


def evaluate_texts(labeled: Iterable[LabeledText], checker: LicenseChecker | None = None) -> TextEvaluation:
    """Detect each text once, timing only detection, and count exact ids and decisions."""
    checker = checker or LicenseChecker()
    items = list(labeled)
    found: list[str | None] = []
    seconds = 0.0
    for item in items:
        start = time.perf_counter()
        found.append(checker.detect(item.text))
        seconds += time.perf_counter() - start
    return judge(items, found, seconds, checker)


def judge(
    labeled: list[LabeledText], found: list[str | None], seconds: float, checker: LicenseChecker
) -> TextEvaluation:
    """Count exact ids and decisions of one detector's answers, judged by ``checker``'s allowlist."""
    result = TextEvaluation(seconds=seconds)
    for item, detected in zip(labeled, found, strict=True):
        result.texts += 1
        accepted = checker.is_permissive(detected)
        if item.decision_known:
            result.decisions_labeled += 1
            result.decisions_right += accepted == item.permissive
            result.non_permissive_accepted += accepted and not item.permissive
        if item.exact_known:
            result.exact_labeled += 1
            result.exact += equivalent(detected, item.expected)
        if (item.exact_known and not equivalent(detected, item.expected)) or (
            item.decision_known and accepted != item.permissive
        ):
            result.mistakes.append((item.group, item.name, item.expected, detected))
    return result


def notice_texts(checker: LicenseChecker | None = None) -> list[LabeledText]:
    """The written notices, labeled by id, then the variants labeled by class."""
    checker = checker or LicenseChecker()
    labeled = [
        LabeledText("notice", f"notice-{number}", text, spdx, checker.is_permissive(spdx))
        for number, (text, spdx) in enumerate(NOTICES)
    ]
    labeled += [
        LabeledText("notice", f"permissive-variant-{number}", text, None, True, exact_known=False)
        for number, text in enumerate(PERMISSIVE_VARIANTS)
    ]
    labeled += [
        LabeledText("notice", f"copyleft-variant-{number}", text, None, False, exact_known=False)
        for number, text in enumerate(NON_PERMISSIVE_VARIANTS)
    ]
    return labeled


def as_found_in_a_repository(text: str) -> str:
    """A license text as a LICENSE file carries it: a copyright line on top, re-wrapped to 72 columns."""
    paragraphs = [" ".join(paragraph.split()) for paragraph in text.split("\n\n") if paragraph.strip()]
    body = "\n\n".join(textwrap.fill(paragraph, 72) for paragraph in paragraphs)
    return "Copyright (c) 2019-2024 Jane Doe <jane@example.org>\n\n" + body


def dataset_texts(
    checker: LicenseChecker | None = None, only: Iterable[str] | None = None
) -> list[LabeledText]:
    """Each SPDX license's full text from the data set, as a repository would carry it."""
    checker = checker or LicenseChecker()
    wanted = set(only) if only is not None else None
    seen: set[str] = set()
    labeled = []
    for template in load_templates():
        spdx = template.expression
        if template.kind != "text" or not spdx or spdx.startswith("LicenseRef") or spdx in seen:
            continue
        if wanted is not None and spdx not in wanted:
            continue
        seen.add(spdx)
        group = "near-miss" if wanted is not None else "dataset"
        text = as_found_in_a_repository(template.text)
        classified = spdx.lower() in category_by_spdx()
        labeled.append(
            LabeledText(group, spdx, text, spdx, checker.is_permissive(spdx), decision_known=classified)
        )
    return labeled


def near_miss_texts(checker: LicenseChecker | None = None) -> list[LabeledText]:
    """The non-permissive lookalikes of :data:`NEAR_MISSES`, from the data set."""
    return dataset_texts(checker, only=NEAR_MISSES)


@dataclass(frozen=True)
class PackageLicense:
    """One installed distribution: where its license files are and what its metadata declares.

    >>> PackageLicense("six-1.17.0.dist-info", Path("six-1.17.0.dist-info"), "MIT").declared
    'MIT'
    """

    name: str
    license_root: Path
    declared: str | None


def declared_license(metadata_text: str, checker: LicenseChecker) -> str | None:
    """The SPDX expression a METADATA file declares, or None when it is missing or ambiguous."""
    metadata = email.parser.HeaderParser().parsestr(metadata_text)
    expression = metadata.get("License-Expression")
    if expression:
        return parse_spdx(expression.strip())
    license_field = metadata.get("License")
    if license_field and "\n" not in license_field.strip():
        normalized = checker.normalize(license_field)
        if normalized:
            return normalized
    classifiers = [
        value
        for value in metadata.get_all("Classifier") or []
        if value.startswith("License :: OSI Approved ::")
    ]
    names = {checker.normalize(value) for value in classifiers}
    if len(names) == 1 and None not in names:
        return names.pop()
    return None


def installed_package_licenses(site_packages: Path, checker: LicenseChecker) -> list[PackageLicense]:
    """Every ``*.dist-info`` under ``site_packages`` with its license folder and declared license."""
    packages = []
    for dist_info in sorted(site_packages.glob("*.dist-info")):
        metadata_path = dist_info / "METADATA"
        if not metadata_path.is_file():
            continue
        declared = declared_license(metadata_path.read_text("utf-8", "replace"), checker)
        licenses = dist_info / "licenses"
        packages.append(
            PackageLicense(dist_info.name, licenses if licenses.is_dir() else dist_info, declared)
        )
    return packages


def package_texts(site_packages: Path, checker: LicenseChecker | None = None) -> list[LabeledText]:
    """The license file of each package that has exactly one, labeled with its declared license."""
    checker = checker or LicenseChecker()
    labeled = []
    for package in installed_package_licenses(site_packages, checker):
        files = find_license_files(package.license_root) if package.declared else []
        if len(files) != 1:
            continue
        text = files[0].read_text("utf-8", "replace")
        label = corrected_label(package.name, text) or package.declared
        labeled.append(LabeledText("package", package.name, text, label, checker.is_permissive(label)))
    return labeled


@dataclass
class LicenseEvaluation:
    """Counts of one package-level run; ``mistakes`` lists (package, declared, detected).

    >>> LicenseEvaluation(evaluated=4, correct=3).accuracy
    0.75
    """

    evaluated: int = 0
    correct: int = 0
    skipped_ambiguous: int = 0
    skipped_no_license_file: int = 0
    mistakes: list[tuple[str, str, str | None]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.evaluated if self.evaluated else 0.0


def evaluate_license_detection(
    site_packages: Path, checker: LicenseChecker | None = None
) -> LicenseEvaluation:
    """Run :func:`find_repo_license` on every installed package and count agreements with metadata."""
    checker = checker or LicenseChecker()
    licensing = spdx_licensing()
    result = LicenseEvaluation()
    for package in installed_package_licenses(site_packages, checker):
        if package.declared is None:
            result.skipped_ambiguous += 1
            continue
        if not any(find_license_files(package.license_root)):
            result.skipped_no_license_file += 1
            continue
        detected = find_repo_license(package.license_root)
        result.evaluated += 1
        declared_keys = set(licensing.license_keys(package.declared))
        detected_keys = set(licensing.license_keys(detected)) if detected else set()
        if detected_keys and detected_keys <= declared_keys:
            result.correct += 1
        else:
            result.mistakes.append((package.name, package.declared, detected))
    return result


def find_license_files(root: Path) -> list[Path]:
    """LICENSE*/LICENCE*/COPYING* files directly in ``root`` (``find_repo_license`` reads the same)."""
    return sorted(path for path in root.iterdir() if path.is_file() and is_license_file_name(path.name))


# Debian's short license names (DEP-5) for the licenses whose SPDX id they determine.
DEBIAN_NAMES = {
    "gpl-1+": "GPL-1.0-or-later",
    "gpl-2": "GPL-2.0-only",
    "gpl-2+": "GPL-2.0-or-later",
    "gpl-2.0+": "GPL-2.0-or-later",
    "gpl-3": "GPL-3.0-only",
    "gpl-3+": "GPL-3.0-or-later",
    "gplv3+": "GPL-3.0-or-later",
    "lgpl-2": "LGPL-2.0-only",
    "lgpl-2+": "LGPL-2.0-or-later",
    "lgpl-2.1": "LGPL-2.1-only",
    "lgpl-2.1+": "LGPL-2.1-or-later",
    "lgplv2.1+": "LGPL-2.1-or-later",
    "lgpl-3": "LGPL-3.0-only",
    "lgpl-3+": "LGPL-3.0-or-later",
    "agpl-3": "AGPL-3.0-only",
    "agpl-3+": "AGPL-3.0-or-later",
    "expat": "MIT",
    "mit": "MIT",
    "bsd-2-clause": "BSD-2-Clause",
    "bsd-3-clause": "BSD-3-Clause",
    "bsd-4-clause": "BSD-4-Clause",
    "apache-2.0": "Apache-2.0",
    "zlib": "Zlib",
    "isc": "ISC",
    "cc0-1.0": "CC0-1.0",
    "bsl-1.0": "BSL-1.0",
    "mpl-1.1": "MPL-1.1",
    "mpl-2.0": "MPL-2.0",
    "x11": "X11",
    "curl": "curl",
    "ftl": "FTL",
    "openldap-2.8": "OLDAP-2.8",
}
_DEBIAN_LICENSE_PARAGRAPH = re.compile(r"License:[ \t]*([^\n]+)\n((?:[ \t].*\n?)+)")


def debian_texts(
    root: Path = Path("/usr/share/doc"), checker: LicenseChecker | None = None
) -> list[LabeledText]:
    """Stand-alone license paragraphs of DEP-5 copyright files, one per distinct text."""
    checker = checker or LicenseChecker()
    texts: dict[str, str] = {}
    for path in sorted(root.glob("*/copyright")):
        try:
            content = path.read_text("utf-8", "replace")
        except OSError:
            continue
        if "copyright-format" not in content[:300]:
            continue
        for paragraph in re.split(r"\n\s*\n", content):
            found = _DEBIAN_LICENSE_PARAGRAPH.match(paragraph.strip("\n") + "\n")
            spdx = DEBIAN_NAMES.get(found.group(1).strip().lower()) if found else None
            if found is None or spdx is None or "Files:" in paragraph:
                continue
            lines = [line[1:] if line.startswith(" ") else line for line in found.group(2).splitlines()]
            body = "\n".join("" if line.strip() == "." else line for line in lines).strip()
            if len(body.split()) >= 8:
                texts.setdefault(body, spdx)
    return [
        LabeledText("debian", f"debian-{number}", body, spdx, checker.is_permissive(spdx))
        for number, (body, spdx) in enumerate(texts.items())
    ]


def equivalent(detected: str | None, expected: str | None) -> bool:
    """Same license expression up to order and grouping: ``MIT AND ISC`` == ``ISC AND MIT``.

    >>> equivalent("MIT AND BSD-3-Clause", "BSD-3-Clause AND MIT"), equivalent("MIT", "MIT OR ISC")
    (True, False)
    """
    if detected == expected:
        return True
    if detected is None or expected is None:
        return False
    licensing = spdx_licensing()
    try:
        return bool(licensing.is_equivalent(detected, expected))
    except Exception:  # an expression license-expression cannot parse is judged by its spelling
        return False


# The SPDX ids most used in open source (GitHub, PyPI, npm, Debian): the held-out "common ones".
COMMON_SPDX = frozenset(
    [
        "0BSD",
        "AFL-2.1",
        "AFL-3.0",
        "AGPL-1.0-only",
        "AGPL-1.0-or-later",
        "AGPL-3.0-only",
        "AGPL-3.0-or-later",
        "Apache-1.0",
        "Apache-1.1",
        "Apache-2.0",
        "APSL-2.0",
        "Artistic-1.0",
        "Artistic-1.0-Perl",
        "Artistic-2.0",
        "Beerware",
        "BlueOak-1.0.0",
        "BSD-1-Clause",
        "BSD-2-Clause",
        "BSD-2-Clause-Patent",
        "BSD-3-Clause",
        "BSD-3-Clause-Clear",
        "BSD-3-Clause-LBNL",
        "BSD-4-Clause",
        "BSD-4-Clause-UC",
        "BSD-Source-Code",
        "BSL-1.0",
        "BUSL-1.1",
        "bzip2-1.0.6",
        "CAL-1.0",
        "CC-BY-3.0",
        "CC-BY-4.0",
        "CC-BY-NC-4.0",
        "CC-BY-NC-SA-4.0",
        "CC-BY-ND-4.0",
        "CC-BY-SA-3.0",
        "CC-BY-SA-4.0",
        "CC0-1.0",
        "CDDL-1.0",
        "CDDL-1.1",
        "CECILL-2.1",
        "CECILL-B",
        "CECILL-C",
        "CPAL-1.0",
        "CPL-1.0",
        "curl",
        "ECL-2.0",
        "EFL-2.0",
        "EPL-1.0",
        "EPL-2.0",
        "EUPL-1.1",
        "EUPL-1.2",
        "FTL",
        "GFDL-1.3-only",
        "GFDL-1.3-or-later",
        "GPL-1.0-or-later",
        "GPL-2.0-only",
        "GPL-2.0-or-later",
        "GPL-3.0-only",
        "GPL-3.0-or-later",
        "HPND",
        "ICU",
        "IJG",
        "ImageMagick",
        "IPL-1.0",
        "ISC",
        "JSON",
        "LGPL-2.0-only",
        "LGPL-2.0-or-later",
        "LGPL-2.1-only",
        "LGPL-2.1-or-later",
        "LGPL-3.0-only",
        "LGPL-3.0-or-later",
        "Libpng",
        "libpng-2.0",
        "libtiff",
        "LPL-1.02",
        "LPPL-1.3c",
        "MirOS",
        "MIT",
        "MIT-0",
        "MIT-CMU",
        "MIT-Modern-Variant",
        "MPL-1.0",
        "MPL-1.1",
        "MPL-2.0",
        "MPL-2.0-no-copyleft-exception",
        "MS-PL",
        "MS-RL",
        "MulanPSL-2.0",
        "NCSA",
        "ODbL-1.0",
        "OFL-1.1",
        "OpenSSL",
        "OSL-3.0",
        "PHP-3.01",
        "PostgreSQL",
        "PSF-2.0",
        "Python-2.0",
        "Qhull",
        "Ruby",
        "SSPL-1.0",
        "TCL",
        "UPL-1.0",
        "Unicode-3.0",
        "Unicode-DFS-2016",
        "Unlicense",
        "Vim",
        "W3C",
        "WTFPL",
        "X11",
        "Zlib",
        "zlib-acknowledgement",
        "ZPL-2.1",
    ]
)


def common_dataset_texts(checker: LicenseChecker | None = None) -> list[LabeledText]:
    """The full texts of :data:`COMMON_SPDX` the data set holds, grouped ``common``."""
    return [
        LabeledText("common", item.name, item.text, item.expected, item.permissive, True, item.decision_known)
        for item in dataset_texts(checker)
        if item.expected in COMMON_SPDX
    ]


STANDARD_HEADERS = Path(__file__).parent / "data" / "spdx_standard_headers.json"
# How source files carry a header: line comments of C/Python/Lisp/SQL/batch/m4, and a C block.
COMMENT_STYLES = ("#", "//", "/*", ";", "--", "REM", "dnl")


def as_file_header(header: str, style: str) -> str:
    """A standard header as a source file carries it: a copyright line, wrapped, commented, then code."""
    paragraphs = [" ".join(paragraph.split()) for paragraph in header.split("\n\n") if paragraph.strip()]
    lines = ["Copyright (C) 2021 Jane Doe <jane@example.org>", ""]
    for paragraph in paragraphs:
        lines += [*textwrap.wrap(paragraph, 72), ""]
    if style == "/*":
        body = "/*\n" + "\n".join(f" * {line}".rstrip() for line in lines) + "\n */\n"
    else:
        body = "\n".join(f"{style} {line}".rstrip() for line in lines) + "\n"
    return body + "\nmain();\n"


def standard_header_texts(checker: LicenseChecker | None = None) -> list[LabeledText]:
    """Every SPDX ``standardLicenseHeader`` (vendored JSON) as a file header in each comment style."""
    checker = checker or LicenseChecker()
    headers: dict[str, str] = json.loads(STANDARD_HEADERS.read_text("utf-8"))["headers"]
    return [
        LabeledText(
            "header",
            f"{spdx} {style}",
            as_file_header(header, style),
            spdx,
            checker.is_permissive(spdx),
            decision_known=spdx.lower() in category_by_spdx(),
        )
        for spdx, header in headers.items()
        for style in COMMENT_STYLES
    ]
