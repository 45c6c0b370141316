"""A notice's "or (at your option) any later version" decides ``-or-later``, wherever the words fall.

The wordings are from Debian copyright files (``/usr/share/doc/*/copyright``), where the
version and the grant are often split by a date or a file path, or sit in words no
template holds. A full license text quotes the grant in its appendix and stays ``-only``.
"""

from __future__ import annotations

import pytest

from litcode.scanning import LicenseChecker
from litcode.scanning.licenses import dataset
from litcode.scanning.licenses.texts import or_later_as_stated

CHECKER = LicenseChecker()

DATED_GRANT = """This program is free software; you can redistribute it and/or modify
it under the terms of the GNU General Public License as published by
the Free Software Foundation; version 3 dated June, 2007, or (at
your option) any later version.
On Debian systems, the complete text of version 3 of the GNU General
Public License can be found in '/usr/share/common-licenses/GPL-3'."""
LESSER_WITH_A_TYPO = """This is free software; you can redistribute it and/or modify it under
the terms of the GNU Lesser General Public License as published by
the Free Software Foundation; either version 3 of the License, or
(at your option) any later version.

On Debian systems, the full text of the GNU General Public
License version 2.1 can be found in the file
`/usr/share/common-licenses/LGPL-3'."""  # no "GPL version 2.1" exists: not a second license
BARE_VERSION = """On Debian systems the full text of the GNU General Public License
version 3 can be found in the file /usr/share/common-licenses/GPL-3."""


@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        (DATED_GRANT, "GPL-3.0-or-later"),  # was GPL-3.0-only
        (LESSER_WITH_A_TYPO, "LGPL-3.0-or-later"),  # was GPL-3.0-or-later
        (BARE_VERSION, "GPL-3.0-only"),
    ],
)
def test_debian_paragraphs(text: str, spdx: str) -> None:
    assert CHECKER.detect(text) == spdx


@pytest.mark.parametrize("spdx", ["GPL-2.0-only", "GPL-3.0-only", "LGPL-2.1-only", "AGPL-3.0-only"])
def test_a_full_text_stays_only_though_its_appendix_quotes_the_grant(spdx: str) -> None:
    text = dataset.license_text(spdx)
    assert text and "any later version" in text
    assert CHECKER.detect(text) == spdx


def test_only_the_granted_version_is_upgraded() -> None:
    text = "under the GNU GPL version 2 or any later version, and the GNU FDL version 1.3"
    assert or_later_as_stated(text, ["GPL-2.0-only", "GFDL-1.3-only", "MIT"]) == [
        "GPL-2.0-or-later",
        "GFDL-1.3-only",
        "MIT",
    ]
    granted = "the GNU Free Documentation License, Version 1.2 or any later version"
    assert or_later_as_stated(granted, ["GFDL-1.2-no-invariants-only"]) == ["GFDL-1.2-no-invariants-or-later"]
