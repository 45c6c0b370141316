"""Notices get the name and version they state: the GNU-name veto, then the notice's own words.

Also the standard notices LicenseDB records for licenses without a notice rule (GFDL
variants, UCL-1.0 ...), which the index now holds as notice templates.

Each notice below is the standard wording of its license (the header its authors ask
users to put in files), as a file carries it: under a copyright line, bare and behind
comment markers. The wrong answers in the comments are what the matcher gave before wave 2.
"""

from __future__ import annotations

import pytest

from litcode.scanning import LicenseChecker
from litcode.scanning.licenses.claim_checks import ClaimChecks
from litcode.scanning.licenses.index import license_index

CHECKER = LicenseChecker()

CDDL_1_0 = """The contents of this file are subject to the terms of the Common Development
and Distribution License (the "License"), version 1.0. You may not use this file except
in compliance with the License."""  # was CDDL-1.1
EPL_2_0_SHORT = (
    "Licensed under the Eclipse Public License - v 2.0"  # was EPL-1.0 (a rule worded v2.0, labeled 1.0)
)
AGPL_3_0_HEADER = """This program is free software: you can redistribute it and/or modify it under
the terms of the GNU Affero General Public License as published by the Free Software
Foundation, either version 3 of the License, or (at your option) any later version.

This program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY;
without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.
See the GNU Affero General Public License for more details."""
LGPL_2_1_HEADER = """This library is free software; you can redistribute it and/or modify it under
the terms of the GNU Lesser General Public License as published by the Free Software
Foundation; either version 2.1 of the License, or (at your option) any later version."""
LGPL_2_0_HEADER = """This library is free software; you can redistribute it and/or modify it under
the terms of the GNU Library General Public License as published by the Free Software
Foundation; either version 2 of the License, or (at your option) any later version."""
GFDL_1_2_OR_LATER = """Permission is granted to copy, distribute and/or modify this document under the
terms of the GNU Free Documentation License, Version 1.2 or any later version published by
the Free Software Foundation; with no Invariant Sections, no Front-Cover Texts, and no
Back-Cover Texts. A copy of the license is included in the section entitled "GNU Free
Documentation License"."""
GFDL_1_3_INVARIANTS = """Permission is granted to copy, distribute and/or modify this document under the
terms of the GNU Free Documentation License, Version 1.3; with the Invariant Sections being
LIST THEIR TITLES, with the Front-Cover Texts being LIST, and with the Back-Cover Texts being
LIST. A copy of the license is included in the section entitled "GNU Free Documentation
License"."""  # was GFDL-1.1-or-later AND GFDL-1.3-only; UCL-1.0 below was None
MPL_1_1_HEADER = """The contents of this file are subject to the Mozilla Public License Version 1.1
(the "License"); you may not use this file except in compliance with the License. You may
obtain a copy of the License at http://www.mozilla.org/MPL/"""

STATED = [
    (CDDL_1_0, "CDDL-1.0"),
    (EPL_2_0_SHORT, "EPL-2.0"),
    (AGPL_3_0_HEADER, "AGPL-3.0-or-later"),
    (LGPL_2_1_HEADER, "LGPL-2.1-or-later"),
    (LGPL_2_0_HEADER, "LGPL-2.0-or-later"),
    # "with no Invariant Sections, no Front-Cover Texts, and no Back-Cover Texts": SPDX's own id
    # for exactly that choice (LicenseDB's standard notice for it), not the plain -or-later.
    (GFDL_1_2_OR_LATER, "GFDL-1.2-no-invariants-or-later"),
    (GFDL_1_3_INVARIANTS, "GFDL-1.3-invariants-only"),
    ("Licensed under the Upstream Compatibility License 1.0", "UCL-1.0"),
    (MPL_1_1_HEADER, "MPL-1.1"),
    ("Licensed under the Open Software License version 3.0", "OSL-3.0"),
    ("Licensed under the Academic Free License version 2.1", "AFL-2.1"),
]


def as_header(text: str, marker: str) -> str:
    lines = ["Copyright (C) 2019 Jane Doe", "", *text.splitlines()]
    return "\n".join(f"{marker}{line}".rstrip() for line in lines) + "\n"


@pytest.mark.parametrize("marker", ["", "# ", "// ", " * ", "-- "])
@pytest.mark.parametrize(("text", "spdx"), STATED, ids=[spdx for _, spdx in STATED])
def test_a_notice_gets_the_version_and_name_it_states(text: str, spdx: str, marker: str) -> None:
    assert CHECKER.detect(as_header(text, marker)) == spdx


def test_a_version_no_template_has_is_read_from_the_notice_not_rounded_to_another() -> None:
    # LicenseDB holds the OSL 3.0 reference "open software license" only; the notice says 1.0.
    assert CHECKER.detect("Licensed under the Open Software License version 1.0") == "OSL-1.0"


@pytest.fixture(scope="module")
def checks() -> ClaimChecks:
    index = license_index()
    words = [""] * len(index.vocabulary)
    for word, token in index.vocabulary.items():
        words[token] = word
    return ClaimChecks(words)


def test_a_gpl_template_cannot_claim_a_lesser_gpl_span(checks: ClaimChecks) -> None:
    plain = checks.ids(["the", "gnu", "general", "public", "license", "version", "2"])
    lesser = checks.ids(["the", "gnu", "lesser", "general", "public", "license", "version", "2"])
    gpl = checks.template(plain)
    assert not checks.agrees(gpl, lesser)
    assert checks.agrees(gpl, plain)


def test_a_full_text_may_mention_another_license_after_its_head(checks: ClaimChecks) -> None:
    # GPL-3.0's last paragraph advises the Lesser GPL: its span still belongs to the GPL.
    words = ["gnu", "general", "public", "license", "version", "3", *["word"] * 200]
    words += ["gnu", "lesser", "general", "public", "license"]
    full_text = checks.ids(words)
    statement = checks.template(full_text)
    assert checks.agrees(statement, full_text)
