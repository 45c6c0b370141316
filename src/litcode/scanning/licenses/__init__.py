"""License detection: SPDX ids from full texts, notices and ``SPDX-License-Identifier:`` tags.

Also the one finder of a repository's license files (:func:`find_repo_license`), which
sources and curation share.
"""

from __future__ import annotations

from litcode.scanning.licenses.checker import LicenseChecker, find_repo_license, is_license_file_name
from litcode.scanning.licenses.names import DEFAULT_PERMISSIVE

__all__ = ["DEFAULT_PERMISSIVE", "LicenseChecker", "find_repo_license", "is_license_file_name"]
