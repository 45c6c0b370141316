"""Whether each condition of a run could apply: a rule that needs a field the source lacks says so.

``min_stars`` on a source without star counts, or ``licenses="permissive"`` on a
Parquet file without a license column, would otherwise pass or drop every row
without a word. After the per-sample steps, the manifest says how many samples
reached each such rule without the field it reads; the source says whether it
has the column at all. Both go into ``report.json`` (``conditions``) and each
problem is one warning (``warnings``, and logger ``litcode.curation``), as is a
source with no records at all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from litcode.curation.config import CurationConfig
from litcode.curation.manifest import Manifest
from litcode.curation.reasons import REASONS
from litcode.sources import (
    DEFAULT_COLUMNS,
    DirectorySource,
    HFDatasetSource,
    JsonlSource,
    ParquetSource,
    Source,
)


@dataclass(frozen=True)
class ConditionCheck:
    """One rule that reads a field: how many samples reached it, how many lacked the field.

    ``status``: ``"applied"`` (every sample had it), ``"not applied"`` (none had it: the
    rule did nothing, or, for licenses, dropped them all as unknown), ``"partly applied"``,
    or ``"not reached"`` (no sample got that far).

    >>> ConditionCheck("min_stars", "stars", 3, 3, False).status
    'not applied'
    """

    rule: str
    field: str
    samples: int
    without_field: int
    source_has_column: bool | None

    @property
    def status(self) -> str:
        if self.samples == 0:
            return "not reached"
        if self.without_field == 0:
            return "applied"
        return "not applied" if self.without_field == self.samples else "partly applied"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status}


#: rule -> (field, the manifest column holding it, the reason the rule drops with).
_RULES = {
    "min_stars": ("stars", "stars", "repo_threshold"),
    "min_forks": ("forks", "forks", "repo_threshold"),
    "licenses": ("license", "license", "license"),
}


def check_conditions(
    manifest: Manifest, config: CurationConfig, source: Source
) -> tuple[list[ConditionCheck], list[str]]:
    """The checks of the rules ``config`` turns on, and the warnings they (and an empty source) raise."""
    inputs, _, _ = manifest.counts()
    warnings: list[str] = []
    if inputs == 0:
        warnings.append(f"source {source.name!r} at {source.location} has no records: nothing was curated")
    else:
        warnings += [
            f"source {part.name!r} at {part.location} has no records"
            for part in _empty_parts(manifest, source)
        ]
    checks = [_check(manifest, rule, source) for rule in _active_rules(config)]
    for check in checks:
        message = _warning(check, config, source)
        if message:
            warnings.append(message)
    return checks, warnings


def _empty_parts(manifest: Manifest, source: Source) -> list[Source]:
    """Parts of a list of sources that gave no record: our readers stamp every record's ``source``
    with their name, so a reader whose name never shows in the manifest gave none."""
    parts = getattr(source, "sources", None)
    if not parts:
        return []
    seen = {name for (name,) in manifest.query("SELECT DISTINCT source FROM samples")}
    stamping = (DirectorySource, JsonlSource, ParquetSource, HFDatasetSource)
    return [part for part in parts if isinstance(part, stamping) and part.name not in seen]


def _active_rules(config: CurationConfig) -> list[str]:
    rules = [rule for rule in ("min_stars", "min_forks") if getattr(config, rule) is not None]
    if config.licenses == "permissive" and config.default_license is None:
        rules.append("licenses")
    return rules


def _check(manifest: Manifest, rule: str, source: Source) -> ConditionCheck:
    field, column, reason = _RULES[rule]
    earlier = REASONS[: REASONS.index(reason)]
    marks = ",".join("?" * len(earlier))
    [(reached, without)] = manifest.query(
        f"SELECT COUNT(*), COALESCE(SUM({column} IS NULL), 0) FROM samples"
        f" WHERE reason IS NULL OR reason NOT IN ({marks})",
        earlier,
    )
    return ConditionCheck(rule, field, int(reached), int(without), source.provides(field))


def _warning(check: ConditionCheck, config: CurationConfig, source: Source) -> str | None:
    if check.status in ("applied", "not reached"):
        return None
    columns = ", ".join(DEFAULT_COLUMNS[check.field])
    lacks = (
        f"source {source.name!r} at {source.location} has no {check.field} column (looked for {columns})"
        if check.source_has_column is False
        else f"{check.without_field} of {check.samples} samples from {source.name!r} have no {check.field}"
    )
    if check.rule == "licenses":
        if config.allow_unknown_license:
            return (
                f"{lacks}: licenses='permissive' kept {check.without_field} as allow_unknown_license is set"
            )
        return (
            f"{lacks}: licenses='permissive' dropped {check.without_field} of {check.samples} samples as "
            "'license' (detail 'unknown'); map a column with column_map={'license': ...}, set "
            "default_license, or licenses='off'"
        )
    return (
        f"{lacks}: {check.rule}={getattr(config, check.rule)} {check.status}: {check.without_field} of "
        f"{check.samples} samples passed it unchecked"
    )
