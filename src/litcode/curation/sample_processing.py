"""The per-sample work a worker does on one batch: decode, run the step chain, sign the survivors.

This is the part that runs in worker processes, so it takes and returns plain
picklable values (a config and :class:`SourceRecord` s in, a :class:`BatchResult`
out) and builds its steps and scanners once per process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from litcode.curation.config import CurationConfig
from litcode.curation.errors import CurationError
from litcode.curation.filter_chain import build_chain
from litcode.curation.outcome import SampleOutcome
from litcode.curation.reasons import REASONS
from litcode.dedup import MINHASH_SEED, MinHasher, signatures_to_bytes
from litcode.quality.chain import StepError, StepStats
from litcode.sources.base import SourceRecord
from litcode.sources.decode import Undecodable, decode_record, record_size


@dataclass
class BatchResult:
    """One batch's verdicts, what each step cost and decided on it, and the batch's wall time."""

    batch_index: int
    first_seq: int
    outcomes: list[SampleOutcome]
    steps: list[StepStats] = field(default_factory=list)
    seconds: float = 0.0


class SampleProcessor:
    """Judge a batch of records: each gets the first drop reason that applies, or survives.

    Survivors carry their final content (after redaction) and, when near dedup is
    on, their MinHash signature, computed for the whole batch at once. After each
    :meth:`process`, :attr:`stats` says what the batch cost: ``decode`` (its drops are
    the ``unreadable``/``binary`` records and those the source skipped), each step
    of the chain, then ``minhash`` (signing the survivors, when near dedup is on).

    >>> processor = SampleProcessor(CurationConfig(licenses="off", near_dedup=False))
    >>> [outcome.reason for outcome in processor.process([SourceRecord("a.py", path="a.py", data=b"")])]
    ['empty']
    """

    def __init__(self, config: CurationConfig) -> None:
        self.config = config
        self.chain = build_chain(config)
        self.stats: list[StepStats] = []
        # Workers only sign; banding and clustering happen once, in the dedup stage.
        self.minhash = (
            MinHasher(num_perm=config.num_perm, shingle_size=config.shingle_size, seed=MINHASH_SEED)
            if config.near_dedup
            else None
        )

    def process(self, records: list[SourceRecord]) -> list[SampleOutcome]:
        """The outcomes of ``records``, in order; :attr:`stats` then cover exactly this batch."""
        clock = time.perf_counter
        self.chain.reset()
        decoding = StepStats("decode", None)
        outcomes: list[SampleOutcome] = []
        for record in records:
            started = clock()
            decoded = decode_record(record, language_by_content=self.config.language_by_content)
            decoding.seconds += clock() - started
            decoding.samples += 1
            if isinstance(decoded, Undecodable):
                decoding.dropped += 1
                outcomes.append(_undecodable(record, decoded))
                continue
            try:
                verdict = self.chain.run(decoded)
            except StepError as error:
                raise CurationError(str(error)) from error
            outcomes.append(SampleOutcome.of(verdict.sample, verdict.reason))
        self.stats = [decoding, *self.chain.stats]
        if self.minhash is not None:
            survivors = [outcome for outcome in outcomes if outcome.kept]
            started = clock()
            signatures = self.minhash.signatures([outcome.content or "" for outcome in survivors])
            for outcome, signature in zip(survivors, signatures_to_bytes(signatures), strict=True):
                outcome.signature = signature
            self.stats.append(StepStats("minhash", None, len(survivors), clock() - started))
        return outcomes


def _undecodable(record: SourceRecord, rejected: Undecodable) -> SampleOutcome:
    return SampleOutcome(
        sample_id=record.sample_id,
        source=_text(record.metadata.get("source")),
        path=record.path,
        repo=record.repo,
        language=record.language,
        size_bytes=record_size(record),
        reason=rejected.reason if rejected.reason in REASONS else "unreadable",
        detail=rejected.detail,
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


_processors: dict[str, SampleProcessor] = {}


def process_numbered_batch(config: CurationConfig, batch: tuple[int, int, list[SourceRecord]]) -> BatchResult:
    """Worker entry point: judge ``(batch_index, first_seq, records)`` with a processor built once per
    process and config; the result carries the batch's step stats and wall time."""
    batch_index, first_seq, records = batch
    started = time.perf_counter()
    key = config.fingerprint()
    processor = _processors.get(key)
    if processor is None:
        processor = _processors[key] = SampleProcessor(config)
    outcomes = processor.process(records)
    return BatchResult(batch_index, first_seq, outcomes, processor.stats, time.perf_counter() - started)
