from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from litcode.quality.sample import CodeSample
from litcode.sources import DirectorySource, SourceRecord, Undecodable, decode_bytes, decode_record


def decoded(record: SourceRecord) -> CodeSample:
    sample = decode_record(record)
    assert isinstance(sample, CodeSample), sample
    return sample


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (SourceRecord("a", error="broken symlink"), "unreadable"),
        (SourceRecord("a", data=None), "unreadable"),
        (SourceRecord("a", skip_reason="size"), "size"),
        (SourceRecord("img.png", data=b"\x89PNG\r\n\x1a\n\x00\x00"), "binary"),
        (SourceRecord("late.bin", data=b"a" * 8000 + b"\x00"), "binary"),
        (SourceRecord("high.txt", data=bytes(range(0x80, 0x100)) * 4), "binary"),
        (SourceRecord("noise.bin", data=bytes(range(1, 256)) * 16), "binary"),
        (SourceRecord("row", data="abc\x00def"), "binary"),
    ],
)
def test_records_that_cannot_become_text_get_their_reason(record: SourceRecord, reason: str) -> None:
    rejected = decode_record(record)
    assert isinstance(rejected, Undecodable) and rejected.reason == reason


def test_unreadable_records_keep_the_error_text_as_detail() -> None:
    assert decode_record(SourceRecord("a", error="broken symlink")) == Undecodable(
        "unreadable", "broken symlink"
    )


def test_nul_after_the_sniff_window_is_not_binary() -> None:
    assert decoded(SourceRecord("big.txt", data=b"a" * 8192 + b"\x00")).content.endswith("\x00")


def test_utf8_bom_is_stripped_from_bytes_and_text() -> None:
    assert decoded(SourceRecord("a.py", data=b"\xef\xbb\xbfx = 1\n")).content == "x = 1\n"
    assert decoded(SourceRecord("a.py", data="\ufeffx = 1\n")).content == "x = 1\n"


def test_pep263_cookie_decodes_latin1_python_files() -> None:
    data = "# -*- coding: latin-1 -*-\nname = 'José'\n".encode("latin-1")
    assert decoded(SourceRecord("pkg/m.py", path="m.py", data=data)).content.endswith("'José'\n")


def test_a_cookie_records_the_encoding_it_declares() -> None:
    data = "# -*- coding: cp1252 -*-\nname = 'José'\n".encode("cp1252")
    assert decoded(SourceRecord("pkg/m.py", path="m.py", data=data)).encoding == "cp1252"


def test_an_unknown_cookie_codec_falls_back_to_detection_not_a_crash() -> None:
    text = decode_bytes(b"# coding: klingon\nx = '\xe9t\xe9'\n", is_python=True)
    assert text == "# coding: klingon\nx = 'été'\n"


@pytest.mark.parametrize(
    ("text", "codec", "recorded"),
    [
        ("name = 'naïve café, Müller, Ærøskøbing'\n", "latin-1", "iso8859-1"),
        ("It\u2019s \u201cquoted\u201d \u2014 5 \u20ac, the naïve café\n" * 3, "cp1252", "cp1252"),
        ("Привет, мир! Это тестовый файл с русским текстом.\n" * 3, "cp1251", "cp1251"),  # noqa: RUF001
        ("x = 1\n", "utf-8", "utf-8"),
        ("\ufeffx = 'é'\n", "utf-8", "utf-8-sig"),
        ("\ufeffx = 'é'\n", "utf-16-le", "utf-16-le"),
        ("\ufeffx = 'é'\n", "utf-32-be", "utf-32-be"),
    ],
)
def test_text_is_decoded_and_its_encoding_recorded(text: str, codec: str, recorded: str) -> None:
    sample = decoded(SourceRecord("notes.txt", path="notes.txt", data=text.encode(codec)))
    assert (sample.content, sample.encoding) == (text.removeprefix("\ufeff"), recorded)


def test_text_given_as_str_has_no_encoding() -> None:
    assert decoded(SourceRecord("row", data="x = 1\n")).encoding is None


def test_mostly_utf8_with_stray_bytes_is_undecodable_not_garbled() -> None:
    data = "naïve café résumé\n".encode() * 5 + b"stray \xe9\n"
    rejected = decode_record(SourceRecord("mixed.txt", data=data))
    assert isinstance(rejected, Undecodable) and rejected.reason == "binary"
    assert rejected.detail is not None and rejected.detail.startswith("undecodable text: mostly UTF-8 but")


def test_a_short_non_western_guess_without_a_language_is_not_trusted() -> None:
    data = (Path(sysconfig.get_paths()["stdlib"]) / "test" / "cjkencodings" / "big5hkscs.txt").read_bytes()
    assert len(data) < 64
    rejected = decode_record(SourceRecord("big5hkscs.txt", data=data))
    assert isinstance(rejected, Undecodable) and rejected.reason == "binary"
    assert rejected.detail is not None and rejected.detail.startswith("undecodable text:")


def test_undecodable_text_says_why() -> None:
    rejected = decode_record(SourceRecord("high.txt", data=bytes(range(0x80, 0x100)) * 4))
    assert rejected == Undecodable(
        "binary",
        "undecodable text: not UTF-8 (byte 0x80 at offset 0), no byte-order mark,"
        " and no confident encoding detection",
    )


def test_binary_says_where_its_nul_is() -> None:
    assert decode_record(SourceRecord("img.png", data=b"\x89PNG\x00")) == Undecodable(
        "binary", "NUL byte at offset 4"
    )


def test_language_from_the_record_wins_over_detection() -> None:
    assert decoded(SourceRecord("x.txt", data="SELECT 1", language="sql")).language == "sql"


@pytest.mark.parametrize(
    ("path", "content", "language"),
    [
        ("src/lib.rs", "fn main() {}", "rust"),
        ("bin/tool", "#!/usr/bin/env python3\nprint(1)\n", "python"),
        ("notes.unknown_ext", "hello", "unknown"),
    ],
)
def test_language_is_detected_from_path_or_shebang_else_unknown(
    path: str, content: str, language: str
) -> None:
    assert decoded(SourceRecord(path, path=path, data=content.encode())).language == language


def test_source_facts_become_typed_fields_and_extras_stay_in_metadata() -> None:
    record = SourceRecord(
        "octo/x.py",
        path="x.py",
        repo="octo",
        data="é = 1\n",
        metadata={"stars": "5", "forks": 2, "license": ["MIT", "Apache-2.0"], "source": "s", "size": 33},
    )
    sample = decoded(record)
    assert (sample.sample_id, sample.path, sample.repo, sample.source) == ("octo/x.py", "x.py", "octo", "s")
    assert (sample.stars, sample.forks, sample.stated_licenses) == (5, 2, ("MIT", "Apache-2.0"))
    assert (sample.size_bytes, sample.quality_score, sample.license) == (7, None, None)
    assert sample.metadata == {"size": 33}


def test_decoding_keeps_line_endings_as_written() -> None:
    assert decoded(SourceRecord("a.py", data=b"x = 1\r\ny = 2\r\n")).content == "x = 1\r\ny = 2\r\n"


def test_directory_tree_decodes_with_one_reason_per_bad_file(repo_tree: Path) -> None:
    outcomes = {r.sample_id: decode_record(r) for r in DirectorySource(repo_tree)}
    reasons = {
        sample_id: outcome.reason
        for sample_id, outcome in outcomes.items()
        if isinstance(outcome, Undecodable)
    }
    assert reasons == {"alpha/logo.png": "binary", "beta/dangling.rs": "unreadable"}
    main = outcomes["alpha/main.py"]
    assert isinstance(main, CodeSample) and main.stars == 50


def test_the_stacks_columns_become_typed_fields_of_the_decoded_sample(tmp_path: Path) -> None:
    import json

    from litcode.sources import JsonlSource

    from .conftest import STACK_ROWS

    path = tmp_path / "stack.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in STACK_ROWS))
    first, second = (decoded(record) for record in JsonlSource(path))
    assert (first.stars, first.forks, first.stated_licenses, first.repo) == (120, 7, ("MIT",), "octo/math")
    assert (second.stars, second.stated_licenses) == (None, ("Apache-2.0", "MIT"))
    assert first.metadata == {"size": 33}
