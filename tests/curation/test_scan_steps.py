"""The scanner steps fill typed fields: the resolved license, redaction counts, insecure rules."""

from __future__ import annotations

from pathlib import Path

from curation_corpus import AWS_KEY_ID, MIT_TEXT, curate_inline, stdlib_text, write

from litcode.curation import CurationConfig
from litcode.curation.scan_filters import InsecureFilter, InsecureTagging, LicenseResolver, SecretRedaction
from litcode.quality import CodeSample

PERSONAL = 'owner = "jane.doe@corp-mail.com"\n'


def test_redaction_counts_secrets_and_personal_data_apart() -> None:
    sample = SecretRedaction().apply(CodeSample(f'key = "{AWS_KEY_ID}"\n{PERSONAL}', "python", {}))
    assert (sample.secrets_redacted, sample.pii_redacted) == (1, 1)
    assert AWS_KEY_ID not in sample.content and "jane.doe" not in sample.content


def test_curation_records_pii_redactions_in_their_own_column(tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "app" / "owner.py", stdlib_text("colorsys.py") + PERSONAL)
    config = CurationConfig(licenses="off", min_quality_score=0.0, near_dedup=False)
    result = curate_inline(tmp_path / "corpus", tmp_path / "out", config)
    import sqlite3

    with sqlite3.connect(result.manifest_path) as connection:
        [row] = connection.execute("SELECT secrets_redacted, pii_redacted FROM samples")
    assert row == (0, 1)
    assert (result.report["secrets"]["redacted"], result.report["secrets"]["pii_redacted"]) == (0, 1)


def test_insecure_tagging_keeps_the_highest_severity_per_rule() -> None:
    sample = InsecureTagging().apply(CodeSample("import os\nos.system(input())\n", "python", {}))
    assert sample.insecure_rules == {"os_system": "high"}
    assert "insecure:os_system" in sample.issues


def test_insecure_filter_drops_only_at_or_above_its_severity() -> None:
    sample = CodeSample("x", "python", {}, insecure_rules={"weak_hash": "medium"})
    assert InsecureFilter("high").keep(sample) and not InsecureFilter("medium").keep(sample)


def test_the_repository_license_comes_from_the_license_files_folder(tmp_path: Path) -> None:
    license_file = write(tmp_path / "repo" / "LICENSE", MIT_TEXT)
    sample = CodeSample("x = 1\n", "python", {}, license_file=str(license_file))
    assert LicenseResolver().apply(sample).license == "MIT"


def test_a_header_outranks_the_stated_license() -> None:
    sample = CodeSample(
        "# SPDX-License-Identifier: GPL-3.0-only\nx = 1\n", "python", {}, stated_licenses=("MIT",)
    )
    assert LicenseResolver().resolve(sample) == "GPL-3.0-only"


def test_stated_licenses_all_apply() -> None:
    sample = CodeSample("x = 1\n", "python", {}, stated_licenses=("MIT", "GPL-3.0-only"))
    assert LicenseResolver().resolve(sample) == "MIT AND GPL-3.0-only"
