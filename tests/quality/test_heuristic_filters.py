"""Shape heuristics: empty, size, line lengths, alphanumeric share — each at its boundary."""

from __future__ import annotations

import pytest

from litcode.quality import (
    AlnumFractionFilter,
    AvgLineLengthFilter,
    CodeSample,
    EmptyFilter,
    MaxLineLengthFilter,
    SizeFilter,
    text_stats,
)


def sample(content: str, language: str = "python", **metadata) -> CodeSample:
    return CodeSample(content, language, metadata)


@pytest.mark.parametrize(
    ("content", "kept"), [("", False), (" \n\t\r\n", False), ("x", True), ("\n x", True)]
)
def test_empty_filter_drops_whitespace_only(content, kept):
    assert EmptyFilter().keep(sample(content)) is kept


def test_filters_name_their_drop_reason():
    reasons = [
        EmptyFilter().reason,
        SizeFilter().reason,
        MaxLineLengthFilter().reason,
        AvgLineLengthFilter().reason,
        AlnumFractionFilter().reason,
    ]
    assert reasons == ["empty", "size", "max_line_length", "avg_line_length", "alnum_fraction"]


@pytest.mark.parametrize(("size", "kept"), [(9, False), (10, True), (20, True), (21, False)])
def test_size_filter_bounds_are_inclusive(size, kept):
    assert SizeFilter(min_bytes=10, max_bytes=20).keep(sample("a" * size)) is kept


def test_size_filter_counts_utf8_bytes_not_characters():
    # Four characters, ten bytes.
    assert SizeFilter(max_bytes=9).keep(sample("日本語!")) is False
    assert SizeFilter(max_bytes=10).keep(sample("日本語!")) is True
    assert SizeFilter(min_bytes=11).keep(sample("日本語!")) is False


def test_size_filter_without_maximum_keeps_large_files():
    assert SizeFilter(min_bytes=1).keep(sample("x" * 1_000_000)) is True


@pytest.mark.parametrize(("min_bytes", "max_bytes"), [(-1, None), (10, 5)])
def test_size_filter_rejects_inverted_bounds(min_bytes, max_bytes):
    with pytest.raises(ValueError, match="min_bytes"):
        SizeFilter(min_bytes, max_bytes)


@pytest.mark.parametrize(("longest", "kept"), [(1000, True), (1001, False)])
def test_max_line_length_default_is_1000(longest, kept):
    content = "short line\n" + "x" * longest + "\nend\n"
    assert MaxLineLengthFilter().keep(sample(content)) is kept


def test_max_line_length_threshold_is_configurable():
    assert MaxLineLengthFilter(max_length=5).keep(sample("123456\n")) is False
    assert MaxLineLengthFilter(max_length=6).keep(sample("123456\n")) is True


@pytest.mark.parametrize(("line_length", "kept"), [(100, True), (101, False)])
def test_avg_line_length_default_is_100(line_length, kept):
    content = ("y" * line_length + "\n") * 10
    assert AvgLineLengthFilter().keep(sample(content)) is kept


def test_avg_line_length_is_the_mean_over_lines():
    # Lines of 10 and 200 characters: mean 105.
    content = "a" * 10 + "\n" + "b" * 200 + "\n"
    assert AvgLineLengthFilter(105).keep(sample(content)) is True
    assert AvgLineLengthFilter(104.9).keep(sample(content)) is False


@pytest.mark.parametrize(("content", "kept"), [("ab;;;;;;", True), ("a;;;;;;;", False)])
def test_alnum_fraction_default_is_a_quarter(content, kept):
    assert AlnumFractionFilter().keep(sample(content)) is kept


def test_alnum_fraction_counts_non_ascii_letters():
    assert text_stats("日本;;").alnum_fraction == 0.5
    assert text_stats("é_ ").alnum_fraction == pytest.approx(1 / 3)


def test_alnum_fraction_rejects_a_threshold_outside_unit_interval():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        AlnumFractionFilter(1.2)


def test_mixed_line_endings_split_into_the_same_lines():
    unix, mixed = text_stats("ab\ncd\nef\n"), text_stats("ab\r\ncd\ref\n")
    assert (mixed.line_count, mixed.max_line_length, mixed.mean_line_length) == (
        unix.line_count,
        unix.max_line_length,
        unix.mean_line_length,
    )


def test_text_stats_of_empty_text_is_all_zero():
    stats = text_stats("")
    assert (stats.line_count, stats.max_line_length, stats.mean_line_length, stats.alnum_fraction) == (
        0,
        0,
        0.0,
        0.0,
    )


def test_max_line_length_shortcut_for_short_files_keeps_the_boundary() -> None:
    # A file no longer than the limit passes without a line scan; one character more is scanned.
    assert MaxLineLengthFilter(max_length=6).keep(sample("123456")) is True
    assert MaxLineLengthFilter(max_length=5).keep(sample("123456")) is False
    assert MaxLineLengthFilter(max_length=5).keep(sample("123\n456\n")) is True
