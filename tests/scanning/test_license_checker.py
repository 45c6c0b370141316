"""LicenseChecker: detection on real license texts, SPDX normalization, permissiveness."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from litcode.scanning import DEFAULT_PERMISSIVE, LicenseChecker, find_repo_license
from support.license_evaluation import evaluate_license_detection

CHECKER = LicenseChecker()
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
STDLIB_LICENSE = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"

MIT_TEXT = """MIT License

Copyright (c) 2024 Ada

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.
"""
MIT_0_TEXT = MIT_TEXT.split(", subject to the following conditions:")[0] + "."
BSD_3_TEXT = """Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:
1. Redistributions of source code must retain the above copyright notice.
2. Redistributions in binary form must reproduce the above copyright notice.
3. Neither the name of the copyright holder nor the names of its contributors
   may be used to endorse or promote products derived from this software."""
BSD_2_TEXT = BSD_3_TEXT.rsplit("\n3.", 1)[0]
ISC_TEXT = """Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies."""
ZERO_BSD_TEXT = """Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted."""
GPL2_LATER_HEADER = """# This program is free software; you can redistribute it and/or modify
# it under the terms of the GNU General Public License as published by
# the Free Software Foundation; either version 2 of the License, or
# (at your option) any later version."""


@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        (MIT_TEXT, "MIT"),
        (MIT_0_TEXT, "MIT-0"),
        (BSD_3_TEXT, "BSD-3-Clause"),
        (BSD_2_TEXT, "BSD-2-Clause"),
        (ISC_TEXT, "ISC"),
        (ZERO_BSD_TEXT, "0BSD"),
        (GPL2_LATER_HEADER, "GPL-2.0-or-later"),
        ('# Licensed under the Apache License, Version 2.0 (the "License");', "Apache-2.0"),
        ("// SPDX-License-Identifier: MIT OR Apache-2.0\nfn main() {}", "MIT OR Apache-2.0"),
        ("/* SPDX-License-Identifier: GPL-2.0+ */", "GPL-2.0-or-later"),
        ("# Use of this source code is governed by a BSD-style license", "BSD-3-Clause"),
        ("This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0.", "MPL-2.0"),
        ("This is free and unencumbered software released into the public domain.", "Unlicense"),
        ("Released under the MIT license.", "MIT"),
        ("All contributions towards parso are MIT licensed.", "MIT"),
    ],
)
def test_detect_names_the_license_of_a_text(text: str, spdx: str) -> None:
    assert CHECKER.detect(text) == spdx


@pytest.mark.parametrize(
    "text", ["", "def main():\n    return 0\n", "Copyright (c) 2024 Ada. All rights reserved."]
)
def test_text_without_a_license_is_none(text: str) -> None:
    assert CHECKER.detect(text) is None


def test_pythons_own_license_file_is_psf() -> None:
    if not STDLIB_LICENSE.is_file():
        pytest.skip("this interpreter ships no LICENSE.txt")
    assert CHECKER.detect(STDLIB_LICENSE.read_text("utf-8")) == "PSF-2.0"


def test_first_stated_license_wins_over_bundled_ones() -> None:
    assert CHECKER.detect(BSD_3_TEXT + "\n\nBundled code:\n" + MIT_TEXT) == "BSD-3-Clause"


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
    (tmp_path / "LICENSE").write_text(MIT_TEXT)
    (tmp_path / "README.md").write_text("Licensed under the Apache License, Version 2.0")

    assert find_repo_license(tmp_path) == "MIT"


def test_repo_offering_a_choice_of_license_files_is_an_or(tmp_path: Path) -> None:
    (tmp_path / "LICENSE").write_text(
        "This software is made available under the terms of *either* of the licenses"
    )
    (tmp_path / "LICENSE.APACHE").write_text("Apache License\nVersion 2.0, January 2004")
    (tmp_path / "LICENSE.BSD").write_text(BSD_2_TEXT)

    assert find_repo_license(tmp_path) == "Apache-2.0 OR BSD-2-Clause"


def test_repo_with_copying_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "COPYING").write_text(GPL2_LATER_HEADER)

    assert find_repo_license(tmp_path) == "GPL-2.0-or-later"


def test_repo_without_license_file_is_none(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("print('hi')\n")

    assert find_repo_license(tmp_path) is None
    assert find_repo_license(tmp_path / "missing") is None


def test_detection_agrees_with_installed_packages_metadata() -> None:
    result = evaluate_license_detection(SITE_PACKAGES)

    print(
        f"license accuracy {result.accuracy:.1%} on {result.evaluated} packages "
        f"(skipped {result.skipped_ambiguous} with ambiguous metadata, "
        f"{result.skipped_no_license_file} without a license file); mistakes: {result.mistakes}"
    )
    assert result.evaluated >= 50
    assert result.accuracy > 0.95
