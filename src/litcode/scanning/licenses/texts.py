"""The SPDX expression a text states: its ``SPDX-License-Identifier:`` tags and the templates it matches.

Tags are read as SPDX expressions (they are a syntax, not prose). Everything else
goes through :mod:`.matcher` against the LicenseDB and SPDX templates. Several
licenses in one text form one expression: ``OR`` when the text offers a choice
("dual licensed", "at your choice", "either of the licenses"), ``AND`` otherwise
(a project license followed by the licenses of code it bundles). A license already
named by a broader match (the ``MIT OR Apache-2.0`` notice before both texts) is
not repeated, and ScanCode's "unstated" references ("see LICENSE", a bare
warranty disclaimer) name no license, so they are left out.
"""

from __future__ import annotations

import re

from litcode.scanning.licenses.categories import category_by_spdx
from litcode.scanning.licenses.index import text_tokens, tokens
from litcode.scanning.licenses.matcher import LicenseMatch, find_matches
from litcode.scanning.licenses.names import normalize_license_name, parse_spdx, spdx_exception_ids
from litcode.scanning.licenses.stated import restate, stated_versions

_SPDX_TAG = re.compile(
    r"SPDX-License-Identifier\s*:\s*(?P<expression>[A-Za-z0-9.+\-() :]+?)\s*(?:\*/|-->|-\}|#|\"|'|;|,|$)",
    re.MULTILINE | re.IGNORECASE,
)
# A field holding an SPDX expression and nothing else: "License:" (DEP-5 stanzas, the
# Name/Files/License blocks of a wheel's bundled-library notices, package metadata), JSDoc's
# "@license MIT", Python's ``__license__ = "MIT"``.
_LICENSE_FIELD = re.compile(
    r"^[ \t#*/;!-]*(?:Licen[cs]e[ \t]*:|@license\b|__license__[ \t]*=[ \t]*(?P<quote>[\"']))[ \t]*"
    r"(?P<expression>[A-Za-z0-9.+\-() ]+?)(?(quote)(?P=quote))[ \t.,;]*$",
    re.MULTILINE | re.IGNORECASE,
)
_SPDX_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9+]")
_LICENSE_REF = re.compile(r"^(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$")
# How a text says "pick one": its licenses are alternatives (OR), not a bundle (AND).
# Read only around a short statement naming them (never across license texts printed one
# after another), and never the GPL's own "or (at your option) any later version".
DUAL_LICENSE_PHRASES = (
    "either of the licenses",
    "dual licensed",
    "dual license",
    "dual licensing",
    "dually licensed",
    "multi licensed",
    "at your choice",
    "your choice of",
    "at your option",
    "either of",
    "either the",
    "under either",
    "either license",
    "alternatively",
)
_OR_LATER = "at your option any later version"
# "version 2 [of the License, or (at your option)] any later version", over word tokens.
_OR_LATER_GRANT = re.compile(r"\bversion (\d+(?: \d+)?) (?:(?!version )\w+ ){0,12}?(?:any|a) later version")
_GNU_ONLY = re.compile(r"\b((?:AGPL|LGPL|GPL|GFDL)-(\d+\.\d+)(?:-(?:no-)?invariants)?)-only\b")
_NOTICE_TOKENS = 300
_STATEMENT_TOKENS = 150
_AROUND_TOKENS = 20
# ScanCode matches that name no license of the code: "see LICENSE", a bare warranty disclaimer,
# a contributor agreement.
_NO_LICENSE_CATEGORIES = frozenset({"Unstated License", "CLA"})
# ASCII letters lowered, digits kept, every other byte a space: one C-level translate.
_FOLD_TABLE = bytes(
    code + 32 if 65 <= code <= 90 else code if 48 <= code <= 57 or 97 <= code <= 122 else 32
    for code in range(256)
)


def detect_license_text(text: str) -> str | None:
    """SPDX expression for ``text``, or None when no license is recognised well enough.

    >>> detect_license_text("# SPDX-License-Identifier: apache-2.0 OR mit\\nimport os")
    'Apache-2.0 OR MIT'
    >>> detect_license_text("Released under the MIT license.")
    'MIT'
    >>> detect_license_text("def main():\\n    return 0\\n") is None
    True
    """
    tags = [spdx for spdx in (_tag_expression(tag.group("expression")) for tag in _spdx_tags(text)) if spdx]
    rest = _SPDX_TAG.sub(" ", text) if tags else text
    fields, rest = license_fields(rest)
    matches = _as_stated(rest, [match for match in find_matches(rest) if _names_a_license(match)])
    # Fields and matches in text order: an exception joins the license printed just before it.
    found = sorted([*fields, *((match.start, match.expression) for match in matches)], key=lambda f: f[0])
    if not tags and not found:
        stripped = text.strip()
        if stripped and len(stripped) < 80 and "\n" not in stripped:  # a LICENSE file holding only a name
            return normalize_license_name(stripped)
        return None
    in_text = with_exceptions(or_later_as_stated(rest, [expression for _, expression in found]))
    stated = [LicenseMatch(spdx, position, position, 1.0, "tag") for position, spdx in fields]
    choice = not tags and states_alternatives(rest, sorted([*matches, *stated], key=lambda m: m.start))
    return combine([*dict.fromkeys(tags), *in_text], choice=choice)


def _spdx_tags(text: str) -> list[re.Match[str]]:
    # A plain substring test first: the case-blind tag pattern costs a scan of every text.
    if "dentifier" not in text and "DENTIFIER" not in text and "Dentifier" not in text:
        return []
    return list(_SPDX_TAG.finditer(text))


def license_fields(text: str) -> tuple[list[tuple[int, str]], str]:
    """(token position, SPDX expression) of each ``License:`` field, and the text with those
    lines blanked (positions count the tokens of that text).

    A field counts only when all of its value is a valid expression: ``License: BaKoMa Fonts
    Licence`` is prose the matcher reads.

    >>> [spdx for _, spdx in license_fields("/**\\n * @license MIT\\n */\\n__license__ = 'ISC'")[0]]
    ['MIT', 'ISC']

    >>> license_fields("Name: FreeType\\nLicense: FTL OR GPL-2.0-or-later\\n  The FreeType ...")[0]
    [(2, 'FTL OR GPL-2.0-or-later')]
    >>> license_fields("License: BaKoMa Fonts Licence")[0]
    []
    """
    if "icen" not in text and "ICEN" not in text:
        return [], text
    found: list[tuple[int, str]] = []
    pieces: list[str] = []
    last = position = 0
    for field in _LICENSE_FIELD.finditer(text):
        spdx = parse_spdx(field.group("expression"))
        if spdx is None:
            continue
        before = text[last : field.start()]
        position += len(tokens(before))
        pieces += [before, " "]
        last = field.end()
        found.append((position, spdx))
    if not found:
        return [], text
    pieces.append(text[last:])
    return found, "".join(pieces)


def or_later_as_stated(text: str, expressions: list[str]) -> list[str]:
    """GNU ``-only`` ids made ``-or-later`` where a notice grants "version N ... or any later version".

    Matching finds the version ("the GNU General Public License version 3") in one template
    and the grant in another, or in words no template holds ("version 3 dated June 2007, or
    (at your option) any later version"); the grant decides. Read only in notice-sized
    texts: a full GPL text quotes the grant in its how-to-apply appendix.

    >>> or_later_as_stated("GNU GPL; version 3 dated June, 2007, or (at your option) any later version",
    ...                    ["GPL-3.0-only"])
    ['GPL-3.0-or-later']
    >>> or_later_as_stated("the GNU General Public License version 3", ["GPL-3.0-only"])
    ['GPL-3.0-only']
    """
    if not any("-only" in expression for expression in expressions):
        return expressions
    words = text_tokens(text)
    if len(words) > _NOTICE_TOKENS:
        return expressions
    granted = {_version(found.group(1)) for found in _OR_LATER_GRANT.finditer(" ".join(words))}
    if not granted:
        return expressions

    def upgrade(found: re.Match[str]) -> str:
        return f"{found.group(1)}-or-later" if _version(found.group(2)) in granted else found.group(0)

    return [_GNU_ONLY.sub(upgrade, expression) for expression in expressions]


_WITH_EXCEPTION = re.compile(r"\bWITH ([A-Za-z0-9.+-]+)")


def with_exceptions(expressions: list[str]) -> list[str]:
    """An exception found beside a license joins it: ``GPL-3.0-or-later WITH GCC-exception-3.1``.

    A file prints an exception right after the license it modifies (the GPL notice, then the
    GCC Runtime Library Exception); ``AND`` with a bare exception is no SPDX expression. The
    exception takes the license just before it, else the one just after; its repeats (the
    exception's own text after its name, after a ``License: X WITH exception`` field) go with
    it. Alone, it stays as found.

    >>> with_exceptions(["MIT", "GPL-3.0-or-later", "GCC-exception-3.1", "GCC-exception-3.1", "Zlib"])
    ['MIT', 'GPL-3.0-or-later WITH GCC-exception-3.1', 'Zlib']
    >>> with_exceptions(["Classpath-exception-2.0", "GPL-2.0-only"]), with_exceptions(["LLVM-exception"])
    (['GPL-2.0-only WITH Classpath-exception-2.0'], ['LLVM-exception'])
    """
    exceptions = spdx_exception_ids()
    joined: list[str] = []
    attached: set[str] = set()
    pending: str | None = None  # an exception waiting for the license after it
    for expression in expressions:
        key = expression.lower()
        attached.update(word.lower() for word in _WITH_EXCEPTION.findall(expression))
        if key in exceptions:
            if key in attached or expression == pending:
                continue
            last = joined[-1] if joined else ""
            if last and " " not in last and last.lower() not in exceptions:
                joined[-1] = f"{last} WITH {expression}"
                attached.add(key)
            else:
                if pending:
                    joined.append(pending)
                pending = expression
            continue
        if pending and " " not in expression:
            joined.append(f"{expression} WITH {pending}")
            attached.add(pending.lower())
            pending = None
            continue
        if pending:
            joined.append(pending)
            pending = None
        joined.append(expression)
    if pending:
        joined.append(pending)
    return joined


def _version(number: str) -> str:
    parts = number.replace(" ", ".").split(".")
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)


def combine(expressions: list[str], choice: bool) -> str:
    """One expression from several found in a text; repeats and narrower restatements dropped.

    >>> combine(["MIT OR Apache-2.0", "MIT", "Apache-2.0"], choice=False)
    'MIT OR Apache-2.0'
    >>> combine(["BSD-3-Clause", "MIT"], choice=False), combine(["MIT", "GPL-2.0-only"], choice=True)
    ('BSD-3-Clause AND MIT', 'MIT OR GPL-2.0-only')
    """
    unique = _without_generic_restatements(list(dict.fromkeys(expressions)))
    keys = {expression: frozenset(license_keys(expression)) for expression in unique}
    broadest_first = sorted(unique, key=lambda expression: -len(keys[expression]))
    kept: list[str] = []
    for expression in broadest_first:
        if not any(keys[expression] <= keys[other] for other in kept):
            kept.append(expression)
    ordered = [expression for expression in unique if expression in kept]
    if len(ordered) == 1:
        return ordered[0]
    joiner = " OR " if choice else " AND "
    return joiner.join(f"({part})" if " " in part else part for part in ordered)


# A match that names no particular license, and the family a particular one must belong to for
# the generic one to say nothing more: "the GNU General Public License" (no version) next to
# GPL-3.0's own text, or ScanCode's catch-all "other-copyleft" next to a named copyleft license.
# Dropping one never changes the decision: what stays is at least as restrictive.
_GENERIC_MATCHES = {
    "gpl-1.0-or-later": ("gpl-",),
    "lgpl-2.0-or-later": ("lgpl-",),
    "agpl-1.0-or-later": ("agpl-",),
    "licenseref-scancode-other-copyleft": ("gpl-", "lgpl-", "agpl-", "mpl-", "epl-", "cddl-", "eupl-"),
}
_CATCH_ALL_PERMISSIVE = "licenseref-scancode-other-permissive"


def _without_generic_restatements(expressions: list[str]) -> list[str]:
    named = {key for expression in expressions for key in license_keys(expression)}
    kept = []
    for expression in expressions:
        keys = license_keys(expression)
        if len(keys) == 1 and keys[0].endswith("-only") and keys[0][: -len("-only")] + "-or-later" in named:
            # "version 2.1 or (at your option) any later version" plus "the full text of version
            # 2.1 is in /usr/share/common-licenses/LGPL-2.1": the grant is -or-later.
            continue
        if len(keys) == 1 and len(expressions) > 1:
            families = _GENERIC_MATCHES.get(keys[0])
            if families and any(other != keys[0] and other.startswith(families) for other in named):
                continue
            if keys[0] == _CATCH_ALL_PERMISSIVE:
                continue  # whatever else the text names decides at least as strictly
        kept.append(expression)
    return kept


def license_keys(expression: str) -> list[str]:
    """The license ids an expression names, exceptions included, lower-cased."""
    return [
        word.lower()
        for word in re.findall(r"[A-Za-z0-9.+:-]+", expression)
        if word not in ("AND", "OR", "WITH")
    ]


def states_alternatives(text: str, matches: list[LicenseMatch]) -> bool:
    """True when the licenses of ``matches`` are offered as a choice: a short statement
    ("dual licensed under the MIT license or the GPL") with a choice phrase around it.

    >>> states_alternatives("dual licensed under MIT or GPL", [LicenseMatch("MIT", 3, 4, 1.0, "reference"),
    ...                     LicenseMatch("GPL-2.0-only", 5, 6, 1.0, "reference")])
    True
    """
    if len(matches) < 2:
        return False
    first, last = matches[0].start, max(match.end for match in matches)
    if last - first > _STATEMENT_TOKENS:
        return False
    window = " " + " ".join(text_tokens(text)[max(0, first - _AROUND_TOKENS) : last + _AROUND_TOKENS])
    window = window.replace(_OR_LATER, " ") + " "
    return any(f" {phrase} " in window for phrase in DUAL_LICENSE_PHRASES)


def offers_a_choice(text: str) -> bool:
    """True when ``text`` says its licenses are alternatives ("either of the licenses", "dual licensed")."""
    folded = b" ".join(text.encode("utf-8", "replace").translate(_FOLD_TABLE).split()).decode(
        "ascii", "replace"
    )
    return any(phrase in folded for phrase in DUAL_LICENSE_PHRASES)


def _tag_expression(raw: str) -> str | None:
    raw = raw.strip().rstrip(".")
    if _LICENSE_REF.match(raw):
        return raw
    return parse_spdx(raw) or _with_license_refs(raw)


_OPERATOR_WORDS = ("AND", "OR", "WITH")


def _with_license_refs(raw: str) -> str | None:
    """The expression a tag's words begin with: SPDX ids, ``LicenseRef-`` ids and ids newer than
    the SPDX list ``license-expression`` knows (known ids canonical, unknown ones as written, so
    the allowlist refuses them: the safe answer). Words past it are prose on the tag's line
    ("SPDX-License-Identifier: CAL-1.0 Licensed under ..."): the expression ends where two ids
    meet or a word is no id.

    >>> _with_license_refs("CAL-1.0 Licensed under the Cryptographic Autonomy License")
    'CAL-1.0'
    >>> _with_license_refs("MIT OR LicenseRef-Acme see LICENSE")
    'MIT OR LicenseRef-Acme'
    """
    canonical: list[str] = []
    depth = 0
    for word in re.findall(r"[()]|[^\s()]+", raw):
        after_operand = bool(canonical) and canonical[-1] not in (*_OPERATOR_WORDS, "(")
        if word == "(" and not after_operand:
            depth += 1
        elif word == ")" and after_operand and depth:
            depth -= 1
        elif word.upper() in _OPERATOR_WORDS and after_operand:
            word = word.upper()
        elif after_operand or word in "()" or word.upper() in _OPERATOR_WORDS:
            break
        elif _LICENSE_REF.match(word) or _SPDX_ID.fullmatch(word):
            word = parse_spdx(word) or word
        else:
            break
        canonical.append(word)
    while canonical and canonical[-1] in (*_OPERATOR_WORDS, "("):
        depth -= canonical.pop() == "("
    if not canonical or depth:
        return None
    joined = re.sub(r"\( | \)", lambda match: match.group(0).strip(), " ".join(canonical))
    return parse_spdx(joined) or joined


# Words past a notice's match read for "or (at your option) any later version".
_AFTER_TOKENS = 12


def _as_stated(text: str, matches: list[LicenseMatch]) -> list[LicenseMatch]:
    """Notice matches with the id their own words state (:func:`.stated.restate`); a match whose
    words state a version its family lacks is dropped. Full texts stay as matched."""
    if not any(match.kind != "text" and " " not in match.expression for match in matches):
        return matches
    words = text_tokens(text)
    kept = []
    for match in matches:
        if match.kind != "text" and " " not in match.expression:
            spdx = restate(
                match.expression,
                " ".join(words[match.start : match.end]),
                " ".join(words[match.end : match.end + _AFTER_TOKENS]),
            )
            if spdx is None:
                continue
            match = LicenseMatch(spdx, match.start, match.end, match.containment, match.kind)
        kept.append(match)
    return _versions_shared(words, kept)


def _versions_shared(words: tuple[str, ...], matches: list[LicenseMatch]) -> list[LicenseMatch]:
    """A GNU reference that states no version ("the section entitled GNU Free Documentation
    License") takes the id another match of the same family in the text states."""
    stated: dict[str, str] = {}
    for match in matches:
        if match.kind != "text" and stated_versions(" ".join(words[match.start : match.end + 3])):
            stated.setdefault(match.expression.split("-")[0], match.expression)
    return [
        LicenseMatch(stated[family], match.start, match.end, match.containment, match.kind)
        if match.kind != "text"
        and (family := match.expression.split("-")[0]) in stated
        and family in ("GPL", "LGPL", "AGPL", "GFDL")
        and not stated_versions(" ".join(words[match.start : match.end + 3]))
        else match
        for match in matches
    ]


def _names_a_license(match: LicenseMatch) -> bool:
    if not match.expression:
        return False  # a known false positive
    return not all(
        key.startswith("licenseref-scancode-") and category_by_spdx().get(key) in _NO_LICENSE_CATEGORIES
        for key in license_keys(match.expression)
    )
