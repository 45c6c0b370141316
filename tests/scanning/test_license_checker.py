"""LicenseChecker: notices, full texts, tags, near-misses, SPDX normalization, permissiveness."""

from __future__ import annotations

import sysconfig
from functools import cache
from pathlib import Path

import pytest

from litcode.scanning import DEFAULT_PERMISSIVE, LicenseChecker, find_repo_license
from litcode.scanning.licenses import dataset
from litcode.scanning.licenses.categories import license_index
from support.license_evaluation import (
    NEAR_MISSES,
    as_found_in_a_repository,
    dataset_texts,
    debian_texts,
    equivalent,
    evaluate_license_detection,
    evaluate_texts,
    package_texts,
)
from support.license_notices import NON_PERMISSIVE_VARIANTS, NOTICES, PERMISSIVE_VARIANTS

CHECKER = LicenseChecker()
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
STDLIB_LICENSE = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"


@cache
def license_text(spdx: str) -> str:
    """The full text the data sets hold for ``spdx``."""
    text = dataset.license_text(spdx)
    assert text, f"the data sets hold no text for {spdx}"
    return text


@pytest.mark.parametrize(("text", "spdx"), NOTICES, ids=[f"notice-{n}" for n in range(len(NOTICES))])
def test_detect_names_the_license_of_a_notice(text: str, spdx: str | None) -> None:
    detected = CHECKER.detect(text)
    assert detected == spdx or (spdx is not None and equivalent(detected, spdx)), detected  # A OR B == B OR A


@pytest.mark.parametrize(
    "spdx",
    [
        "MIT",
        "MIT-0",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "ISC",
        "0BSD",
        "Apache-2.0",
        "MPL-1.1",
        "MPL-2.0",
        "CC0-1.0",
        "BSL-1.0",
        "Zlib",
        "X11",
        "HPND-sell-variant",
        "Unlicense",
        "GPL-2.0-only",
        "LGPL-2.1-only",
        "AGPL-3.0-only",
        "EPL-2.0",
        "CDDL-1.0",
    ],
)
def test_full_text_as_a_repository_carries_it_is_named(spdx: str) -> None:
    assert CHECKER.detect(as_found_in_a_repository(license_text(spdx))) == spdx


def test_apache_text_without_its_first_line_is_apache() -> None:
    text = license_text("Apache-2.0").strip().split("\n", 1)[1]

    assert CHECKER.detect(text) == "Apache-2.0"


@pytest.mark.parametrize("spdx", NEAR_MISSES)
def test_near_miss_of_a_permissive_license_is_its_own_id_and_refused(spdx: str) -> None:
    detected = CHECKER.detect(as_found_in_a_repository(license_text(spdx)))

    assert detected == spdx
    assert CHECKER.is_permissive(detected) is False


@pytest.mark.parametrize("text", PERMISSIVE_VARIANTS)
def test_permissive_variant_is_accepted(text: str) -> None:
    assert CHECKER.is_permissive(CHECKER.detect(text)) is True


@pytest.mark.parametrize("text", NON_PERMISSIVE_VARIANTS)
def test_copyleft_variant_without_a_version_is_refused(text: str) -> None:
    detected = CHECKER.detect(text)

    assert detected is not None
    assert CHECKER.is_permissive(detected) is False


def test_licenses_printed_one_after_another_are_all_named() -> None:
    text = license_text("BSD-3-Clause") + "\n\nBundled code:\n\n" + license_text("MIT")

    assert CHECKER.detect(text) == "BSD-3-Clause AND MIT"


def test_a_bundled_copyleft_text_makes_the_file_not_permissive() -> None:
    text = license_text("MIT") + "\n\nThird-party code:\n\n" + license_text("GPL-2.0-only")

    assert CHECKER.is_permissive(CHECKER.detect(text)) is False


def test_dual_license_statement_is_an_or() -> None:
    detected = CHECKER.detect(
        "This project is dual licensed under the MIT license or the GNU General Public License v2."
    )

    assert detected == "MIT OR GPL-2.0-only"
    assert CHECKER.is_permissive(detected) is True


def test_gpl_or_later_is_not_read_as_a_choice_between_licenses() -> None:
    text = NOTICES[0][0] + "\n\nIncludes code released under the MIT license."

    assert CHECKER.detect(text) == "GPL-2.0-or-later AND MIT"


def test_every_spdx_id_as_a_tag_is_read() -> None:
    ids = sorted(
        {entry.spdx for entry in license_index().values() if not entry.spdx.startswith("LicenseRef")}
    )

    misread = [
        (spdx, found)
        for spdx in ids
        if (found := CHECKER.detect(f"// SPDX-License-Identifier: {spdx}")) != spdx
    ]

    assert len(ids) > 700
    assert misread == []


@pytest.mark.parametrize("comment", ["{- SPDX-License-Identifier: MIT -}", "-- SPDX-License-Identifier: MIT"])
def test_spdx_tag_in_other_comment_styles_is_read(comment: str) -> None:
    assert CHECKER.detect(comment) == "MIT"


def test_spdx_tag_with_an_id_newer_than_the_list_is_kept_and_refused() -> None:
    detected = CHECKER.detect("# SPDX-License-Identifier: Brand-New-License-9.0")

    assert detected == "Brand-New-License-9.0"
    assert CHECKER.is_permissive(detected) is False


def test_spdx_tag_with_license_ref_is_kept() -> None:
    assert CHECKER.detect("// SPDX-License-Identifier: (MIT OR LicenseRef-Acme) AND Apache-2.0") == (
        "(MIT OR LicenseRef-Acme) AND Apache-2.0"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("// SPDX-License-Identifier: Brand-New-1.0 Licensed under the Brand New License", "Brand-New-1.0"),
        ("# SPDX-License-Identifier: MIT OR LicenseRef-Acme see LICENSE", "MIT OR LicenseRef-Acme"),
        ("# SPDX-License-Identifier: LicenseRef-Acme OR", "LicenseRef-Acme"),
    ],
)
def test_prose_after_a_tag_expression_is_not_part_of_it(line: str, expected: str) -> None:
    assert CHECKER.detect(line) == expected


def test_a_tag_with_unbalanced_parentheses_names_no_expression() -> None:
    assert CHECKER.detect("# SPDX-License-Identifier: (LicenseRef-Acme OR Brand-New-1.0") is None


@pytest.mark.parametrize(
    "text",
    [
        "Copyright (c) 2024 Ada. All rights reserved.",
        "x = compute_license_fee(order)  # the license of the order, not of this code\n",
        "See the LICENSE file in the project root for details.",
    ],
)
def test_text_naming_no_license_is_none(text: str) -> None:
    assert CHECKER.detect(text) is None


def test_pythons_own_license_file_is_the_python_license_stack() -> None:
    if not STDLIB_LICENSE.is_file():
        pytest.skip("this interpreter ships no LICENSE.txt")
    detected = CHECKER.detect(STDLIB_LICENSE.read_text("utf-8"))

    assert detected is not None and "Python-2.0" in detected
    assert CHECKER.is_permissive(detected)


@pytest.mark.parametrize(
    ("expression", "permissive"),
    [
        ("MIT", True),
        ("mit", True),
        ("Apache-2.0 WITH LLVM-exception", True),
        ("MIT OR GPL-3.0", True),
        ("MIT AND GPL-3.0", False),
        ("GPL-3.0-only", False),
        ("(MIT OR GPL-2.0) AND BSD-3-Clause", True),
        ("(MIT AND GPL-2.0) OR LGPL-3.0", False),
        ("LicenseRef-Proprietary", False),
        ("Apache 2.0", True),
        ("MIT License", True),
        ("GNU General Public License v3 (GPLv3)", False),
        ("not ( a license", False),
        ("", False),
        (None, False),
    ],
)
def test_is_permissive_follows_and_or_semantics(expression: str | None, permissive: bool) -> None:
    assert CHECKER.is_permissive(expression) is permissive


@pytest.mark.parametrize(
    "spdx", ["NTP", "HPND", "MIT-CMU", "Python-2.0", "BSL-1.0", "LicenseRef-scancode-other-permissive"]
)
def test_default_allowlist_accepts_licenses_licensedb_calls_permissive(spdx: str) -> None:
    assert CHECKER.is_permissive(spdx) is True


@pytest.mark.parametrize(
    "spdx",
    ["Sleepycat", "FDK-AAC", "FSL-1.1-MIT", "BSD-3-Clause-No-Nuclear-License", "SSPL-1.0", "CC-BY-NC-4.0"],
)
def test_default_allowlist_refuses_copyleft_restricted_and_source_available(spdx: str) -> None:
    assert CHECKER.is_permissive(spdx) is False


def test_allowlist_is_configurable() -> None:
    assert LicenseChecker(allowlist={"MIT"}).is_permissive("Apache-2.0") is False
    assert LicenseChecker(allowlist={"MPL-2.0", *DEFAULT_PERMISSIVE}).is_permissive("MPL-2.0") is True


@pytest.mark.parametrize(
    ("value", "spdx"),
    [
        ("MIT", "MIT"),
        ("Apache 2.0", "Apache-2.0"),
        ("Apache License 2.0", "Apache-2.0"),
        ("BSD 3-Clause License", "BSD-3-Clause"),
        ("OSI Approved :: MIT License", "MIT"),
        ("ISC license", "ISC"),
        (["MIT"], "MIT"),
        (["Apache-2.0", "MIT"], "Apache-2.0 AND MIT"),
        (["mit", "MIT"], "MIT"),
        ("BSD", None),
        ("UNKNOWN", None),
        (["MIT", "some custom thing"], None),
        ([], None),
        (None, None),
    ],
)
def test_normalize_maps_metadata_values_to_spdx(value: object, spdx: str | None) -> None:
    assert CHECKER.normalize(value) == spdx  # type: ignore[arg-type]


def test_repo_license_comes_from_the_main_license_file(tmp_path: Path) -> None:
    (tmp_path / "LICENSE").write_text(license_text("MIT"))
    (tmp_path / "README.md").write_text("Licensed under the Apache License, Version 2.0")

    assert find_repo_license(tmp_path) == "MIT"


def test_repo_offering_a_choice_of_license_files_is_an_or(tmp_path: Path) -> None:
    (tmp_path / "LICENSE").write_text(
        "This software is made available under the terms of *either* of the licenses"
    )
    (tmp_path / "LICENSE.APACHE").write_text(license_text("Apache-2.0"))
    (tmp_path / "LICENSE.BSD").write_text(license_text("BSD-2-Clause"))

    assert find_repo_license(tmp_path) == "Apache-2.0 OR BSD-2-Clause"


def test_repo_with_copying_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "COPYING").write_text(license_text("GPL-3.0-only"))

    assert find_repo_license(tmp_path) == "GPL-3.0-only"


def test_repo_without_license_file_is_none(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("print('hi')\n")

    assert find_repo_license(tmp_path) is None
    assert find_repo_license(tmp_path / "missing") is None


@pytest.mark.slow
def test_package_license_files_never_pass_a_non_permissive_license() -> None:
    result = evaluate_texts(package_texts(SITE_PACKAGES, CHECKER), CHECKER)

    print(f"package texts: exact {result.exact_accuracy:.1%}, decisions {result.decision_accuracy:.1%}")
    assert result.texts >= 50
    assert result.non_permissive_accepted == 0
    assert result.decision_accuracy >= 0.95


@pytest.mark.slow
def test_package_detection_names_only_licenses_the_metadata_declares() -> None:
    result = evaluate_license_detection(SITE_PACKAGES)

    print(f"license agreement {result.accuracy:.1%} on {result.evaluated} packages; {result.mistakes}")
    assert result.evaluated >= 50
    assert result.accuracy >= 0.85  # the rest bundle third-party licenses their metadata leaves out


@pytest.mark.slow
def test_every_spdx_text_of_the_data_set_is_named() -> None:
    result = evaluate_texts(dataset_texts(CHECKER), CHECKER)

    print(f"{result.texts} SPDX texts: exact {result.exact_accuracy:.1%}; misses {result.mistakes}")
    assert result.texts >= 700
    assert result.exact_accuracy >= 0.98
    assert result.non_permissive_accepted == 0


@pytest.mark.slow
def test_debian_license_paragraphs_are_named_and_never_wrongly_accepted() -> None:
    labeled = debian_texts(checker=CHECKER)
    if len(labeled) < 50:
        pytest.skip("this system has few machine-readable Debian copyright files")
    result = evaluate_texts(labeled, CHECKER)

    print(f"{result.texts} Debian paragraphs: exact {result.exact_accuracy:.1%}; misses {result.mistakes}")
    assert result.exact_accuracy >= 0.85
    assert result.non_permissive_accepted == 0
