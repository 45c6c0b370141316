"""Per-file license headers through ``curate()``: a file's own header outranks its repository's LICENSE.

Real files: standard-library modules as code, LicenseDB texts as LICENSE/COPYING files, and the
notices of :mod:`support.license_notices` as headers.
"""

from __future__ import annotations

import sqlite3
import sysconfig
from functools import cache
from pathlib import Path

import pytest

from litcode.curation import CurationConfig, CurationResult, curate
from litcode.scanning.licenses import dataset
from support.license_notices import APACHE_HEADER, NOTICES

STDLIB = Path(sysconfig.get_paths()["stdlib"])
GPL2_LATER_NOTICE = NOTICES[0][0]


@cache
def license_text(spdx: str) -> str:
    text = dataset.license_text(spdx)
    assert text, f"the data sets hold no text for {spdx}"
    return text


def module(name: str, header: str = "") -> str:
    """A standard-library module's source, with ``header`` as its leading comment."""
    commented = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return commented + (STDLIB / name).read_text("utf-8")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def header_run(tmp_path_factory: pytest.TempPathFactory) -> CurationResult:
    root = tmp_path_factory.mktemp("corpus")
    # An MIT repository whose files mostly inherit MIT, some with headers of their own.
    write(root / "mitrepo" / "LICENSE", "Copyright (c) 2024 Ada\n\n" + license_text("MIT"))
    write(root / "mitrepo" / "plain.py", module("colorsys.py"))
    write(root / "mitrepo" / "gpl_header.py", module("shlex.py", GPL2_LATER_NOTICE))
    write(root / "mitrepo" / "spdx_gpl.py", module("fnmatch.py", "SPDX-License-Identifier: GPL-3.0-only"))
    write(root / "mitrepo" / "apache_header.py", module("bisect.py", APACHE_HEADER))
    # A repository without a LICENSE file: only a header can make a file usable.
    write(root / "nolicense" / "bsd_header.py", module("heapq.py", license_text("BSD-3-Clause")))
    write(root / "nolicense" / "bare.py", module("genericpath.py"))
    # A GPL repository: its files are refused unless their own header says otherwise.
    write(root / "gplrepo" / "COPYING", license_text("GPL-3.0-only"))
    write(root / "gplrepo" / "inherits.py", module("textwrap.py"))
    write(root / "gplrepo" / "mit_header.py", module("glob.py", license_text("MIT")))
    config = CurationConfig(languages=("python",), min_quality_score=0.0, near_dedup=False)
    return curate(root, root.parent / "out", config, num_workers=0, progress=False)


def rows(result: CurationResult) -> dict[str, tuple[str, str | None, str | None, str | None]]:
    with sqlite3.connect(result.manifest_path) as connection:
        return {
            sample_id: (decision, reason, detail, license_id)
            for sample_id, decision, reason, detail, license_id in connection.execute(
                "SELECT sample_id, decision, reason, detail, license FROM samples WHERE sample_id LIKE '%.py'"
            )
        }


def test_a_file_without_a_header_inherits_its_repository_license(header_run: CurationResult) -> None:
    assert rows(header_run)["mitrepo/plain.py"] == ("kept", None, None, "MIT")


def test_a_gpl_header_in_an_mit_repository_is_dropped_with_its_id(header_run: CurationResult) -> None:
    assert rows(header_run)["mitrepo/gpl_header.py"][:3] == ("dropped", "license", "GPL-2.0-or-later")


def test_an_spdx_tag_in_an_mit_repository_is_dropped_with_its_id(header_run: CurationResult) -> None:
    assert rows(header_run)["mitrepo/spdx_gpl.py"][:3] == ("dropped", "license", "GPL-3.0-only")


def test_a_permissive_header_of_another_license_is_kept_under_it(header_run: CurationResult) -> None:
    assert rows(header_run)["mitrepo/apache_header.py"] == ("kept", None, None, "Apache-2.0")


def test_a_permissive_header_counts_in_a_repository_without_license(header_run: CurationResult) -> None:
    assert rows(header_run)["nolicense/bsd_header.py"] == ("kept", None, None, "BSD-3-Clause")


def test_a_file_no_license_covers_is_dropped_as_unknown(header_run: CurationResult) -> None:
    assert rows(header_run)["nolicense/bare.py"] == ("dropped", "license", "LicenseRef-unknown", None)


def test_a_gpl_repository_covers_its_files_without_header(header_run: CurationResult) -> None:
    assert rows(header_run)["gplrepo/inherits.py"][:3] == ("dropped", "license", "GPL-3.0-only")


def test_a_permissive_header_outranks_a_gpl_repository(header_run: CurationResult) -> None:
    assert rows(header_run)["gplrepo/mit_header.py"] == ("kept", None, None, "MIT")


def test_report_gives_the_license_mix_in_files_and_bytes(header_run: CurationResult) -> None:
    mix = header_run.report["licenses"]
    with sqlite3.connect(header_run.manifest_path) as connection:
        [(mit_bytes,)] = connection.execute(
            "SELECT SUM(bytes) FROM samples WHERE license = 'MIT' AND decision = 'kept'"
        )

    assert mix["MIT"]["kept"] == 2 and mix["MIT"]["kept_bytes"] == mit_bytes
    assert mix["GPL-3.0-only"]["refused"] == 2
    assert mix["LicenseRef-unknown"] == {
        "kept": 0,
        "kept_bytes": 0,
        "dropped": 1,
        "dropped_bytes": len(module("genericpath.py").encode()),
        "refused": 1,
    }
    assert "| LicenseRef-unknown | 0 | 0 | 1 |" in (header_run.output_dir / "report.md").read_text()


def test_allowlist_config_narrows_what_is_kept(tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "repo" / "LICENSE", license_text("MIT"))
    write(tmp_path / "corpus" / "repo" / "apache.py", module("bisect.py", APACHE_HEADER))
    write(tmp_path / "corpus" / "repo" / "plain.py", module("colorsys.py"))
    config = CurationConfig(
        languages=("python",),
        min_quality_score=0.0,
        near_dedup=False,
        license_allowlist=("MIT",),
    )
    result = curate(tmp_path / "corpus", tmp_path / "out", config, num_workers=0, progress=False)

    found = rows(result)
    assert found["repo/apache.py"][:3] == ("dropped", "license", "Apache-2.0")
    assert found["repo/plain.py"][0] == "kept"
