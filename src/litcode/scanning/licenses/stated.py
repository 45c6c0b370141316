"""What a notice says in so many words: the license's name, its version, "or any later version".

The matcher finds the template nearest to a notice; notices differ from their templates
in exactly the words that decide the id ("version 2.1", "Lesser", "or (at your option)
any later version", "with no Invariant Sections"). So a notice match is re-read: the
id follows from the family the notice names and the version it states, and a version
that names no SPDX license of that family drops the match (no guess). Full license
texts are left as matched: their whole wording, not one number, tells them apart.

>>> restate("GPL-2.0-only", "this library is free software under the gnu lesser general"
...         " public license version 2 1 or at your option any later version")
'LGPL-2.1-or-later'
>>> restate("OSL-3.0", "licensed under the open software license version 1 0")
'OSL-1.0'
"""

from __future__ import annotations

import re

from litcode.scanning.licenses.names import parse_spdx

# "version 2.1", "v3", "GPLv2", "LGPL-2.1", "Version 0.51" (tokens: "version 2 1", "v3", "gplv2", "lgpl 2 1"):
# a number, then the word just before it. Numbers are rare in a license, so they are found first.
# Punctuation is gone from tokens, so "Version 3, 29 June 2007" reads "version 3 29 june": a
# two-digit number before a month is the day, not a minor version.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
_VERSION_NUMBER = re.compile(rf"(\d{{1,2}})(?: (\d{{1,2}})\b(?! {_MONTH}))?")
_VERSION_WORD = re.compile(r"\b(?:version|v|[al]?gpl|gpl ?v|g?fdl)\s?$")
_VERSION_WORD_CHARS = 9  # "version " and "gpl v " are the longest
_OR_LATER = re.compile(r"\b(?:any later version|or later|or newer|any newer version|or above)\b")
_GNU_FAMILY = re.compile(r"^(A?GPL|LGPL|GFDL)-(\d+\.\d+)")
_DOTTED_ID = re.compile(r"^([A-Za-z][A-Za-z0-9-]*?)-(\d+\.\d+(?:\.\d+)?)(-[A-Za-z][A-Za-z0-9-]*)?$")
# The GNU license a notice names, most specific first ("Lesser General Public" holds "General Public").
_GNU_NAMES = (
    ("lesser general public", "LGPL"),
    ("library general public", "LGPL"),
    ("affero general public", "AGPL"),
    ("free documentation license", "GFDL"),
    ("general public licen", "GPL"),
    ("lgpl", "LGPL"),
    ("agpl", "AGPL"),
    ("gfdl", "GFDL"),
    ("gpl", "GPL"),
)
# Families whose notices always name them: a notice match whose words lack the name is another
# license built on the same boilerplate (Sun's SISSL on the MPL-1.1 notice).
_NAME_WORDS = {
    "MPL": ("mozilla", "mpl"),
    "Apache": ("apache",),
    "EPL": ("eclipse", "epl"),
    "CDDL": ("common development and distribution", "cddl"),
    "OSL": ("open software licen", "osl"),
    "AFL": ("academic free", "afl"),
    "EUPL": ("european union public", "eupl"),
}
_NO_INVARIANTS = re.compile(r"\bwith no invariant sections?\b|\bno invariant sections?\b")
_SUFFIXES = ("-only", "-or-later")


def stated_versions(words: str) -> set[tuple[int, ...]]:
    """Distinct versions ``words`` (lower-case tokens joined by spaces) states, ``2.0`` == ``2``."""
    versions: set[tuple[int, ...]] = set()
    for number in _VERSION_NUMBER.finditer(words):
        start = number.start()
        if not _VERSION_WORD.search(words, max(0, start - _VERSION_WORD_CHARS), start):
            continue
        major, minor = number.groups()
        version = (int(major), int(minor or 0))
        versions.add(version[:1] if version[1] == 0 else version)
    return versions


def _as_tuple(version: str) -> tuple[int, ...]:
    parts = [int(part) for part in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def restate(expression: str, words: str, after: str = "") -> str | None:
    """The id a notice's own words give to the single-license match ``expression``, or None
    when they state a version no license of its family has. ``after``: the words just past
    the match, where "or (at your option) any later version" may sit."""
    # The version may follow the matched name at once: "the Open Software License" "version 1.0".
    versioned = words + " " + " ".join(after.split()[:3])
    gnu = _GNU_FAMILY.match(expression)
    if gnu:
        return _restate_gnu(expression, gnu.group(1), gnu.group(2), versioned, after)
    family_words = _NAME_WORDS.get(expression.split("-")[0])
    if family_words and not any(f" {word}" in f" {versioned}" for word in family_words):
        return None
    dotted = _DOTTED_ID.match(expression)
    if not dotted:
        return expression
    versions = stated_versions(versioned)
    if len(versions) != 1:
        return expression
    (version,) = versions
    family, current, suffix = dotted.group(1), dotted.group(2), dotted.group(3) or ""
    if version == _as_tuple(current):
        return expression
    return _spdx_with_version(family, version, suffix)


def _restate_gnu(expression: str, family: str, current: str, words: str, after: str) -> str | None:
    named = next((name for phrase, name in _GNU_NAMES if phrase in words), family)
    versions = stated_versions(words)
    if len(versions) > 1:
        return expression if named == family else None
    version = next(iter(versions), _as_tuple(current))
    or_later = bool(_OR_LATER.search(words + " " + after))
    if not versions and named == family:
        return expression  # nothing stated: the template's reading stands
    suffix = "-or-later" if or_later else "-only"
    if family == "GFDL" and named == "GFDL":
        middle = "-no-invariants" if _NO_INVARIANTS.search(words + " " + after) else ""
        if "-invariants" in expression and not middle and "no-invariants" not in expression:
            middle = "-invariants"  # the template said so and the words do not say otherwise
        return _spdx_with_version("GFDL", version, middle + suffix)
    if not versions and named != family:
        return None  # "Lesser" matched against a GPL template, no version to tell which LGPL
    return _spdx_with_version(named, version, suffix)


def _spdx_with_version(family: str, version: tuple[int, ...], suffix: str) -> str | None:
    """``family-version suffix`` as SPDX spells it (``2`` -> ``2.0``), or None when SPDX has no such id."""
    spellings = [".".join(map(str, version + (0,) * (2 - len(version))))]
    if len(version) == 1:
        spellings.append(str(version[0]))
    for spelling in spellings:
        spdx = parse_spdx(f"{family}-{spelling}{suffix}")
        if spdx and spdx.lower() == f"{family}-{spelling}{suffix}".lower():
            return spdx
    return None
