"""How often :func:`find_repo_license` agrees with what installed packages declare.

Every ``*.dist-info`` folder is a small repository with a license file and
metadata that names its license. Metadata is trusted only when unambiguous:
``License-Expression`` first, then a ``License`` field that normalizes to
SPDX, then the license classifiers when they name exactly one license. A
detection is right when every license it names is in the declared
expression: a file may carry one part of ``Apache-2.0 AND MIT``.
"""

from __future__ import annotations

import email.parser
from dataclasses import dataclass, field
from pathlib import Path

from litcode.scanning.licenses.checker import LicenseChecker, find_repo_license, is_license_file_name
from litcode.scanning.licenses.names import parse_spdx, spdx_licensing


@dataclass(frozen=True)
class PackageLicense:
    """One installed distribution: where its license files are and what its metadata declares.

    >>> PackageLicense("six-1.17.0.dist-info", Path("six-1.17.0.dist-info"), "MIT").declared
    'MIT'
    """

    name: str
    license_root: Path
    declared: str | None


@dataclass
class LicenseEvaluation:
    """Counts of one evaluation run; ``mistakes`` lists (package, declared, detected).

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
    return [path for path in root.iterdir() if path.is_file() and is_license_file_name(path.name)]
