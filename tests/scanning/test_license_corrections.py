"""The package-label corrections hold only while the file still says what they quote."""

from __future__ import annotations

from support.license_corrections import CORRECTIONS, corrected_label


def test_correction_applies_when_the_file_holds_every_quoted_part() -> None:
    text = "PSF licensed.\nSome Python files have been taken from the standard library and are\ntherefore"
    text += " PSF licensed.\n...\nPYTHON SOFTWARE FOUNDATION LICENSE VERSION 2\n"
    assert corrected_label("parso-0.8.7.dist-info", text) == "MIT AND PSF-2.0"


def test_correction_is_dropped_when_the_file_changed() -> None:
    assert (
        corrected_label("parso-9.0.dist-info", "The MIT License (MIT)\nPermission is hereby granted") is None
    )


def test_every_correction_names_more_than_one_license_and_quotes_the_file() -> None:
    for correction in CORRECTIONS.values():
        assert " AND " in correction.expression and len(correction.quote) > 40


def test_every_correction_is_a_valid_spdx_expression() -> None:
    from litcode.scanning.licenses.names import parse_spdx

    assert [
        name for name, correction in CORRECTIONS.items() if parse_spdx(correction.expression) is None
    ] == []
