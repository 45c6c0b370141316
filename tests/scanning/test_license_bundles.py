"""Files that bundle several licenses: a wheel's notices for the libraries it ships, a license
with its exception, the same license printed once per library."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from litcode.scanning import LicenseChecker
from litcode.scanning.licenses import dataset
from litcode.scanning.licenses.matcher import find_matches

CHECKER = LicenseChecker()
DATA = Path(__file__).resolve().parents[1] / "support" / "data"

GPL_3_OR_LATER_NOTICE = """\
This program is free software: you can redistribute it and/or modify
it under the terms of the GNU General Public License as published by
the Free Software Foundation, either version 3 of the License, or
(at your option) any later version.
"""

# FreeType's LICENSE.TXT, as wheels that bundle FreeType (matplotlib, pillow) print it.
FREETYPE_NOTICE = """\
The FreeType  2 font  engine is  copyrighted work  and cannot  be used
legally without  a software  license.  In order  to make  this project
usable to  a vast majority of  developers, we distribute it  under two
mutually exclusive open-source licenses.

This means that *you* must choose  *one* of the two licenses described
below, then obey all its terms and conditions when using FreeType 2 in
any of your projects or products.

  - The FreeType License,  found in the file  `docs/FTL.TXT`, which is
    similar to the  original BSD license *with*  an advertising clause
    that forces  you to explicitly  cite the FreeType project  in your
    product's  documentation.  All  details are  in the  license file.
    This license is suited to products which don't use the GNU General
    Public License.

    Note that  this license  is compatible to  the GNU  General Public
    License version 3, but not version 2.

  - The   GNU   General   Public   License   version   2,   found   in
    `docs/GPLv2.TXT`  (any  later  version  can  be  used  also),  for
    programs  which  already  use  the  GPL.  Note  that  the  FTL  is
    incompatible with GPLv2 due to its advertisement clause.

The contributed  BDF and PCF  drivers come  with a license  similar to
that  of the  X Window  System.   It is  compatible to  the above  two
licenses (see files `src/bdf/README`  and `src/pcf/README`).  The same
holds   for   the   source    code   files   `src/base/fthash.c`   and
`include/freetype/internal/fthash.h`; they were part of the BDF driver
in earlier FreeType versions.

The gzip  module uses the  zlib license (see  `src/gzip/zlib.h`) which
too is compatible to the above two licenses.

The  MD5 checksum  support  (only used  for  debugging in  development
builds) is in the public domain.
"""


@cache
def license_text(spdx: str) -> str:
    text = dataset.license_text(spdx)
    assert text, f"the data sets hold no text for {spdx}"
    return text


def test_the_same_license_printed_for_each_bundled_library_is_read_each_time() -> None:
    # The head of numpy's wheel LICENSE.txt: its own BSD-3-Clause, then OpenBLAS's a few lines
    # on. A template-sized window across both copies once read OpenBLAS's as BSD-2-Clause.
    text = (DATA / "numpy_wheel_license_head.txt").read_text("utf-8")

    assert [match.expression for match in find_matches(text)] == ["BSD-3-Clause"] * 3  # 2 texts, 1 field
    assert CHECKER.detect(text) == "BSD-3-Clause"


def test_an_exception_printed_after_its_license_joins_it_with_with() -> None:
    text = GPL_3_OR_LATER_NOTICE + "\nGCC RUNTIME LIBRARY EXCEPTION\n\n" + license_text("GCC-exception-3.1")

    assert CHECKER.detect(text) == "GPL-3.0-or-later WITH GCC-exception-3.1"


def test_an_exception_alone_stays_alone() -> None:
    assert CHECKER.detect(license_text("GCC-exception-3.1")) == "GCC-exception-3.1"


def test_a_license_field_with_an_expression_is_read_as_one() -> None:
    text = (
        f"Name: FreeType\nFiles: matplotlib/ft2font.so\nLicense: FTL OR GPL-2.0-or-later\n{FREETYPE_NOTICE}"
    )

    detected = CHECKER.detect(text)

    assert detected == "FTL OR GPL-2.0-or-later"
    assert CHECKER.is_permissive(detected)


def test_a_license_field_holding_prose_is_left_to_the_matcher() -> None:
    assert CHECKER.detect("License: the same terms as Perl itself, see LICENSE") != "the same terms"


def test_freetypes_dual_license_offers_gpl_2_or_later_not_gpl_3() -> None:
    # ScanCode's rule for this text says "freetype OR gpl-3.0"; the text offers GPLv2 "or any later".
    assert CHECKER.detect(FREETYPE_NOTICE) == "FTL OR GPL-2.0-or-later"


def test_copyright_years_do_not_outweigh_the_words() -> None:
    # The PSF agreement alone is PSF-2.0 (Python-2.0 is the whole CPython stack). A LicenseDB
    # rule labelled Python-2.0 holds the agreement with more copyright years, which once won.
    agreement = license_text("PSF-2.0")
    years = ", ".join(str(year) for year in range(2001, 2016))
    text = re.sub(r"20\d\d(?:[-, ]+20\d\d)*", years, agreement)

    assert years in text

    assert CHECKER.detect(text) == "PSF-2.0"


def test_a_license_field_beside_a_dual_license_notice_keeps_the_choice() -> None:
    # packaging's __init__.py: the notice offers Apache-2.0 or "the BSD License"; the field names which.
    text = (
        "# This file is dual licensed under the terms of the Apache License, Version\n"
        "# 2.0, and the BSD License. See the LICENSE file in the root of this repository\n"
        "# for complete details.\n\n"
        '__title__ = "packaging"\n__license__ = "BSD-2-Clause or Apache-2.0"\n'
    )

    detected = CHECKER.detect(text)

    assert detected is not None and " AND " not in detected and "BSD-2-Clause OR Apache-2.0" in detected
