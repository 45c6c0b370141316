"""The cheap shape heuristics every code-LM corpus applies: empty, size, line lengths, alnum share.

Defaults are StarCoder's (The Stack v1 "basic filter"): files with a line over
1000 characters, a mean line over 100, or under 25% alphanumeric characters are
mostly data, minified bundles or generated tables, not code a model should learn.
"""

from __future__ import annotations

from litcode.quality.filter_base import Filter
from litcode.quality.sample import CodeSample, utf8_size
from litcode.quality.text_stats import alnum_fraction, longest_line_exceeds, mean_line_length


class EmptyFilter(Filter):
    """Drops files that are empty or whitespace only.

    >>> EmptyFilter().keep(CodeSample(" \\n\\t", "python", {}))
    False
    """

    reason = "empty"

    def keep(self, sample: CodeSample) -> bool:
        return bool(sample.content) and not sample.content.isspace()


class SizeFilter(Filter):
    """Keeps files whose UTF-8 size lies in ``[min_bytes, max_bytes]`` (both inclusive).

    >>> size = SizeFilter(min_bytes=2, max_bytes=4)
    >>> [size.keep(CodeSample(text, "python", {})) for text in ("a", "ab", "abcd", "abcde")]
    [False, True, True, False]
    """

    reason = "size"

    def __init__(self, min_bytes: int = 0, max_bytes: int | None = None) -> None:
        if min_bytes < 0 or (max_bytes is not None and max_bytes < min_bytes):
            raise ValueError(f"need 0 <= min_bytes <= max_bytes, got {min_bytes=} {max_bytes=}")
        self.min_bytes = min_bytes
        self.max_bytes = max_bytes

    def keep(self, sample: CodeSample) -> bool:
        size = utf8_size(sample.content)
        return size >= self.min_bytes and (self.max_bytes is None or size <= self.max_bytes)


class MaxLineLengthFilter(Filter):
    """Drops files with any line longer than ``max_length`` characters (minified code, data blobs).

    >>> MaxLineLengthFilter(10).keep(CodeSample("x = 1\\n" + "y" * 11, "python", {}))
    False
    """

    reason = "max_line_length"

    def __init__(self, max_length: int = 1000) -> None:
        self.max_length = max_length

    def keep(self, sample: CodeSample) -> bool:
        # No line is longer than the file: short files pass without a scan for line breaks.
        return len(sample.content) <= self.max_length or not longest_line_exceeds(
            sample.content, self.max_length
        )


class AvgLineLengthFilter(Filter):
    """Drops files whose mean line length exceeds ``max_average`` characters.

    >>> AvgLineLengthFilter(3).keep(CodeSample("ab\\nabcd\\n", "python", {}))
    True
    """

    reason = "avg_line_length"

    def __init__(self, max_average: float = 100.0) -> None:
        self.max_average = max_average

    def keep(self, sample: CodeSample) -> bool:
        return mean_line_length(sample.content) <= self.max_average


class AlnumFractionFilter(Filter):
    """Drops files where under ``min_fraction`` of all characters are letters or digits.

    >>> AlnumFractionFilter(0.25).keep(CodeSample("{[(;;)]} x\\n", "c", {}))
    False
    """

    reason = "alnum_fraction"

    def __init__(self, min_fraction: float = 0.25) -> None:
        if not 0.0 <= min_fraction <= 1.0:
            raise ValueError(f"min_fraction must be in [0, 1], got {min_fraction}")
        self.min_fraction = min_fraction

    def keep(self, sample: CodeSample) -> bool:
        return alnum_fraction(sample.content) >= self.min_fraction
