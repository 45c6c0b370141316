"""Which files of a repository are not code: its license, readme, changelog, lock and marker files.

They describe or pin a repository rather than program it, so curation does not train
on them by default (``CurationConfig.drop_non_code``); license files still serve as
the repository's metadata (:func:`litcode.scanning.find_repo_license`). Decided from
the path alone, so it costs nothing per sample.
"""

from __future__ import annotations

import re

# Prose documents carry these extensions, or none; ``news.py``, ``changes.c`` are code.
_DOCUMENT = r"(\.(md|markdown|rst|txt|adoc|asciidoc|org|html?))?"
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("readme", re.compile(rf"readme{_DOCUMENT}", re.IGNORECASE)),
    (
        "changelog",
        re.compile(rf"(change[-_]?log|changes|history|news|release[-_]?notes|releases){_DOCUMENT}", re.I),
    ),
    (
        "project document",
        re.compile(
            rf"(authors|contributors|contributing|code[-_]of[-_]conduct|maintainers){_DOCUMENT}", re.I
        ),
    ),
    ("type marker", re.compile(r"py\.typed")),
    (
        "lock file",
        re.compile(
            r".+\.lock|.+\.lockb|package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|go\.sum"
            r"|packages\.lock\.json"
        ),
    ),
    ("marker file", re.compile(r"\.gitkeep|\.keep|\.nojekyll|\.placeholder|INSTALLER|REQUESTED")),
)
# Metadata folders written by packaging tools (their files are generated, never authored code).
_PACKAGE_METADATA = re.compile(r"(^|/)[^/]+\.(dist-info|egg-info)/")


def non_code_kind(path: str) -> str | None:
    """What kind of not-code file ``path`` is (``"license file"``, ``"readme"``, ``"changelog"``,
    ``"project document"``, ``"type marker"``, ``"lock file"``, ``"marker file"``,
    ``"package metadata"``), or None for a file that may be code.

    >>> [non_code_kind(p) for p in ("LICENSE", "docs/README.md", "pkg/py.typed", "Cargo.lock", "news.py")]
    ['license file', 'readme', 'type marker', 'lock file', None]
    """
    from litcode.scanning.licenses import is_license_file_name  # the one license-file finder

    name = path.rsplit("/", 1)[-1]
    if is_license_file_name(name):
        return "license file"
    for kind, pattern in _KINDS:
        if pattern.fullmatch(name):
            return kind
    if _PACKAGE_METADATA.search(path):
        return "package metadata"
    return None
