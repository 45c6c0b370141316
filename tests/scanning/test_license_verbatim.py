"""Word-for-word copies of a template skip matching, and say what matching would have said."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from litcode.scanning.licenses import dataset, matcher
from litcode.scanning.licenses.texts import detect_license_text
from litcode.scanning.licenses.verbatim import verbatim_match
from support.license_evaluation import dataset_texts, package_texts

SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])


def test_a_license_text_under_copyright_lines_is_a_copy() -> None:
    text = "Copyright (c) 2019-2024 Ada Lovelace\nAll rights reserved.\n\n" + dataset.license_text("MIT")

    copy = verbatim_match(text)

    assert copy is not None and copy.expression == "MIT"


def test_one_changed_word_is_no_copy() -> None:
    text = dataset.license_text("MIT").replace("merge", "fold")

    assert verbatim_match(text) is None


def test_a_copyright_line_that_states_a_license_is_kept() -> None:
    text = "Copyright (c) Acme. Licensed under the GPL.\n\n" + dataset.license_text("MIT")

    assert verbatim_match(text) is None


def test_templates_of_different_licenses_with_the_same_words_name_neither() -> None:
    # SPDX's HPND-export-US-acknowledgement template keeps its "Copyright (C) 1994 by USC" line;
    # a LicenseDB rule with the same words but no copyright line says HPND-export2-US. Left out,
    # the copyright lines make both one key: the matcher, which sees the line, decides.
    labeled = next(item for item in dataset_texts() if item.name == "HPND-export-US-acknowledgement")

    assert verbatim_match(labeled.text) is None
    assert detect_license_text(labeled.text) == "HPND-export-US-acknowledgement"


def installed_copies() -> list[str]:
    texts = [item.text for item in package_texts(SITE_PACKAGES)]
    return [text for text in texts if verbatim_match(text) is not None]


def test_every_copy_among_installed_license_files_reads_as_matching_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copies = installed_copies()
    fast = [detect_license_text(text) for text in copies]
    monkeypatch.setattr(matcher, "verbatim_match", lambda *args, **kwargs: None)
    slow = [detect_license_text(text) for text in copies]

    assert len(copies) >= 10  # MIT, Apache-2.0, BSD files of the dev dependencies
    assert fast == slow


def test_leaving_out_copyright_lines_from_the_tokens_is_leaving_them_out_of_the_text() -> None:
    from litcode.scanning.licenses import verbatim
    from litcode.scanning.licenses.index import license_index, tokens
    from litcode.scanning.licenses.verbatim_keys import copyright_line_spans, without_copyright_lines

    index = license_index()
    texts = [item.text for item in package_texts(SITE_PACKAGES)]
    texts.append("MIT License\r\n\r\nCopyright (c) 2024 Ada\r\n(C) Bo\r\nPermission is hereby granted ©")
    checked = 0
    for text in texts:
        spans = copyright_line_spans(text)
        if not spans:
            continue
        dropped = [len(tokens(text[start:end])) for start, end in spans]
        body = verbatim._without_spans(text, index.encode(text), spans, dropped)
        assert body.tolist() == index.encode(without_copyright_lines(text)).tolist()
        checked += 1
    assert checked >= 20
