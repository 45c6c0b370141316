"""The per-sample work a worker does on one batch: decode, filter in reason order, score, sign.

This is the part that runs in worker processes, so it takes and returns plain
picklable values (a config and :class:`SourceRecord` s in, :class:`SampleOutcome` s
out) and builds its filters and scanners once per process.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from litcode.curation.config import CurationConfig
from litcode.curation.errors import CurationError
from litcode.curation.filter_chain import Assessment, build_filter_chain
from litcode.curation.outcome import SampleOutcome
from litcode.curation.reasons import REASONS
from litcode.curation.scan_filters import LicenseResolver
from litcode.curation.staging import MINHASH_SEED, SIGNATURE_DTYPE
from litcode.dedup import MinHasher
from litcode.quality.sample import CodeSample
from litcode.sources.base import SourceRecord
from litcode.sources.decode import decode_record


class SampleProcessor:
    """Judge a batch of records: each gets the first drop reason that applies, or survives.

    Survivors carry their final content (after redaction) and, when near dedup is
    on, their MinHash signature, computed for the whole batch at once.

    >>> from litcode.sources.base import SourceRecord
    >>> processor = SampleProcessor(CurationConfig(licenses="off", near_dedup=False))
    >>> [outcome.reason for outcome in processor.process([SourceRecord("a.py", path="a.py", data=b"")])]
    ['empty']
    """

    def __init__(self, config: CurationConfig) -> None:
        self.config = config
        self.filters = build_filter_chain(config)
        self.license_resolver = (
            LicenseResolver(default=config.default_license) if config.licenses != "off" else None
        )
        # Workers only sign; banding and clustering happen once, in the dedup stage.
        self.minhash = (
            MinHasher(num_perm=config.num_perm, shingle_size=config.shingle_size, seed=MINHASH_SEED)
            if config.near_dedup
            else None
        )

    def process(self, records: list[SourceRecord]) -> list[SampleOutcome]:
        outcomes: list[SampleOutcome] = []
        survivors: list[SampleOutcome] = []
        for record in records:
            outcome = self._judge(record)
            outcomes.append(outcome)
            if outcome.kept:
                survivors.append(outcome)
        if self.minhash is not None and survivors:
            signatures = np.asarray(self.minhash.signatures([outcome.content or "" for outcome in survivors]))
            signatures = signatures.astype(SIGNATURE_DTYPE, copy=False)
            for outcome, signature in zip(survivors, signatures, strict=True):
                outcome.signature = signature.tobytes()
        return outcomes

    def _judge(self, record: SourceRecord) -> SampleOutcome:
        metadata = record.metadata or {}
        outcome = SampleOutcome(
            sample_id=record.sample_id,
            source=_text(metadata.get("source")),
            path=record.path,
            repo=record.repo,
            language=record.language,
            size_bytes=_input_bytes(record),
            stars=_count(metadata.get("stars", metadata.get("max_stars_count"))),
            forks=_count(metadata.get("forks", metadata.get("max_forks_count"))),
        )
        if record.skip_reason is not None:
            outcome.reason = record.skip_reason if record.skip_reason in REASONS else "unreadable"
            return outcome
        decoded = decode_record(record)
        if isinstance(decoded, str):
            outcome.reason = decoded
            return outcome
        sample = decoded
        outcome.language = sample.language
        if self.license_resolver is not None:
            sample.metadata["license"] = self.license_resolver.resolve(sample)
        outcome.license = _text(sample.metadata.get("license"))
        for step in self.filters:
            if isinstance(step, Assessment):
                step.annotate(sample)
                continue
            try:
                keep = step.keep(sample)
            except Exception as error:
                raise CurationError(
                    f"{step!r} failed on sample {record.sample_id!r}: {type(error).__name__}: {error}"
                ) from error
            if not keep:
                outcome.reason = step.reason
                break
        _copy_verdicts(sample, outcome)
        if outcome.kept:
            outcome.content = sample.content
        return outcome


def _copy_verdicts(sample: CodeSample, outcome: SampleOutcome) -> None:
    outcome.content_hash = sample.content_hash
    outcome.quality_score = float(sample.quality_score) if sample.metadata.get("assessed") else None
    outcome.frameworks = list(sample.frameworks)
    outcome.issues = list(sample.issues)
    outcome.secrets_redacted = int(sample.metadata.get("secrets_redacted", 0))
    outcome.insecure_rules = list(sample.metadata.get("insecure_rules", ()))


def _input_bytes(record: SourceRecord) -> int:
    if isinstance(record.data, bytes):
        return len(record.data)
    if isinstance(record.data, str):
        return len(record.data.encode("utf-8", "surrogatepass"))
    return _count(record.metadata.get("bytes")) or 0


def _count(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


_processors: dict[str, SampleProcessor] = {}


def process_numbered_batch(
    config: CurationConfig, batch: tuple[int, int, list[SourceRecord]]
) -> tuple[int, int, list[SampleOutcome], float]:
    """:func:`process_batch` for ``(batch_index, first_seq, records)``, returning its index and timing."""
    batch_index, first_seq, records = batch
    started = time.perf_counter()
    outcomes = process_batch(config, records)
    return batch_index, first_seq, outcomes, time.perf_counter() - started


def process_batch(config: CurationConfig, records: list[SourceRecord]) -> list[SampleOutcome]:
    """Worker entry point: judge ``records`` with a processor built once per process and config."""
    key = config.fingerprint()
    processor = _processors.get(key)
    if processor is None:
        processor = _processors[key] = SampleProcessor(config)
    return processor.process(records)
