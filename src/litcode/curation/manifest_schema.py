"""The manifest's tables and how one :class:`SampleOutcome` becomes one ``samples`` row.

``PRAGMA user_version`` holds :data:`SCHEMA_VERSION`; a manifest written by code with
another schema is rebuilt from scratch when opened (its rows could not be resumed anyway:
the config fingerprint includes the pipeline version).
"""

from __future__ import annotations

import json
from typing import Any

from litcode.curation.outcome import SampleOutcome
from litcode.curation.reasons import DROPPED, KEPT

SCHEMA_VERSION = 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS samples (
    sample_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    batch_index INTEGER NOT NULL,
    source TEXT,
    path TEXT,
    repo TEXT,
    language TEXT,
    language_method TEXT,
    bytes INTEGER,
    content_hash TEXT,
    quality_score REAL,
    stars INTEGER,
    forks INTEGER,
    license TEXT,
    frameworks TEXT,
    cluster_id INTEGER,
    decision TEXT NOT NULL CHECK (decision IN ('kept', 'dropped')),
    reason TEXT,
    detail TEXT,
    duplicate_of TEXT,
    issues TEXT,
    secrets_redacted INTEGER NOT NULL DEFAULT 0,
    pii_redacted INTEGER NOT NULL DEFAULT 0,
    insecure_rules TEXT,
    encoding TEXT
);
CREATE INDEX IF NOT EXISTS samples_by_batch ON samples (batch_index, seq);
CREATE TABLE IF NOT EXISTS batches (
    batch_index INTEGER PRIMARY KEY,
    first_seq INTEGER NOT NULL,
    count INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    seconds REAL NOT NULL,
    completed_at TEXT NOT NULL,
    steps TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    config_fingerprint TEXT NOT NULL,
    source_fingerprint TEXT NOT NULL,
    config TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    inputs INTEGER,
    kept INTEGER,
    dropped INTEGER
);
"""

DROP_TABLES = "DROP TABLE IF EXISTS samples; DROP TABLE IF EXISTS batches; DROP TABLE IF EXISTS runs;"

SAMPLE_COLUMNS = (
    "sample_id", "seq", "batch_index", "source", "path", "repo", "language", "language_method", "bytes",
    "content_hash",
    "quality_score", "stars", "forks", "license", "frameworks", "decision", "reason", "detail", "issues",
    "secrets_redacted", "pii_redacted", "insecure_rules", "encoding",
)  # fmt: skip


def sample_row(outcome: SampleOutcome, seq: int, batch_index: int) -> tuple[Any, ...]:
    """The ``samples`` row of ``outcome``, in :data:`SAMPLE_COLUMNS` order."""
    return (
        outcome.sample_id, seq, batch_index, outcome.source, outcome.path, outcome.repo, outcome.language,
        outcome.language_method, outcome.size_bytes, outcome.content_hash, outcome.quality_score,
        outcome.stars, outcome.forks,
        outcome.license, json.dumps(outcome.frameworks), KEPT if outcome.reason is None else DROPPED,
        outcome.reason, outcome.detail, json.dumps(outcome.issues), outcome.secrets_redacted,
        outcome.pii_redacted, json.dumps(outcome.insecure_rules), outcome.encoding,
    )  # fmt: skip
