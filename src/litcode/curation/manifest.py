"""The SQLite manifest: one row per input item, the batches already done, and the runs.

Every write is one transaction (WAL mode, so readers never block the writer);
a writer that meets ``database is locked`` retries with backoff through
:func:`litcode.resilience.retry_with_backoff` instead of failing the run.
A batch's rows and its completion mark commit together, which is what makes
resume exact: a batch is either fully recorded or redone.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from litcode.curation.manifest_schema import DROP_TABLES, SAMPLE_COLUMNS, SCHEMA, SCHEMA_VERSION, sample_row
from litcode.curation.outcome import SampleOutcome
from litcode.curation.reasons import DROPPED, KEPT, REASONS
from litcode.quality.chain import StepStats, merge_step_stats
from litcode.resilience import retry_with_backoff

_T = TypeVar("_T")


#: ``(sample_id, content_hash, quality_score, stars, path)`` of a sample that passed the per-sample checks.
SurvivorRow = tuple[str, str, float | None, int | None, str | None]


class DatabaseLockedError(sqlite3.OperationalError):
    """Another connection holds the write lock; worth a retry, unlike other operational errors."""


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Manifest:
    """Read and write a run's ``manifest.sqlite``.

    ``busy_timeout`` is SQLite's own wait for a lock (seconds) before a write
    raises ``database is locked``; the retry then waits and tries again.

    >>> import tempfile, pathlib
    >>> with Manifest(pathlib.Path(tempfile.mkdtemp()) / "manifest.sqlite") as manifest:
    ...     manifest.completed_batches()
    set()
    """

    def __init__(self, path: str | Path, *, busy_timeout: float = 5.0, max_retries: int = 8) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is exactly what we say.
        self._connection = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
        self._retry = retry_with_backoff(
            max_retries=max_retries, base_delay=0.05, max_delay=2.0, exceptions=(DatabaseLockedError,)
        )
        self._retry(_convert_lock_errors(self._create_schema))()

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._connection.close()

    def _create_schema(self) -> None:
        # WAL cannot be switched on inside a transaction; the schema then commits as one script.
        self._connection.execute("PRAGMA journal_mode=WAL")
        (version,) = self._connection.execute("PRAGMA user_version").fetchone()
        has_tables = self._connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'samples'").fetchone()
        stale = DROP_TABLES if has_tables and version != SCHEMA_VERSION else ""
        self._connection.executescript(
            f"BEGIN IMMEDIATE;{stale}{SCHEMA}PRAGMA user_version = {SCHEMA_VERSION};COMMIT;"
        )

    # --- transactions ------------------------------------------------------------------------------------

    def transaction(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run ``work`` inside BEGIN IMMEDIATE ... COMMIT, retrying the whole of it while the db is locked."""

        def attempt() -> _T:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                result = work(self._connection)
                self._connection.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:
                    self._connection.execute("ROLLBACK")
                raise
            return result

        return self._retry(_convert_lock_errors(attempt))()

    _transaction = transaction  # the name earlier callers use

    # --- identity and runs -------------------------------------------------------------------------------

    def latest_run(self) -> dict[str, Any] | None:
        """The most recent run's row as a dict, or None for a new manifest."""
        cursor = self._connection.execute("SELECT * FROM runs ORDER BY run_id DESC LIMIT 1")
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([column[0] for column in cursor.description], row, strict=True))

    def start_run(self, config_fingerprint: str, source_fingerprint: str, config: dict[str, Any]) -> int:
        def insert(connection: sqlite3.Connection) -> int:
            cursor = connection.execute(
                "INSERT INTO runs (config_fingerprint, source_fingerprint, config, started_at, status)"
                " VALUES (?, ?, ?, ?, 'running')",
                (config_fingerprint, source_fingerprint, json.dumps(config, sort_keys=True), utc_now()),
            )
            return int(cursor.lastrowid or 0)

        return self.transaction(insert)

    def finish_run(self, run_id: int, inputs: int, kept: int) -> None:
        self.transaction(
            lambda connection: connection.execute(
                "UPDATE runs SET finished_at = ?, status = 'finished', inputs = ?, kept = ?, dropped = ?"
                " WHERE run_id = ?",
                (utc_now(), inputs, kept, inputs - kept, run_id),
            )
        )

    def mark_interrupted(self) -> bool:
        """Mark the latest run ``interrupted`` if it is still ``running``; a rerun resumes it per batch."""

        def update(connection: sqlite3.Connection) -> bool:
            cursor = connection.execute(
                "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE run_id = "
                "(SELECT MAX(run_id) FROM runs) AND status = 'running'",
                (utc_now(),),
            )
            return cursor.rowcount > 0

        return self.transaction(update)

    def clear(self) -> None:
        """Forget every sample and batch (a changed config or source starts fresh); runs stay as history."""

        def delete(connection: sqlite3.Connection) -> None:
            connection.execute("DELETE FROM samples")
            connection.execute("DELETE FROM batches")

        self.transaction(delete)

    # --- per-batch results -------------------------------------------------------------------------------

    def completed_batches(self) -> set[int]:
        return {row[0] for row in self._connection.execute("SELECT batch_index FROM batches")}

    def forget_batches(self, batch_indices: Iterable[int]) -> None:
        """Remove batches (rows and completion marks) so they are processed again."""
        indices = [(index,) for index in batch_indices]

        def delete(connection: sqlite3.Connection) -> None:
            connection.executemany("DELETE FROM samples WHERE batch_index = ?", indices)
            connection.executemany("DELETE FROM batches WHERE batch_index = ?", indices)

        self.transaction(delete)

    def existing_ids(self, sample_ids: Iterable[str]) -> set[str]:
        """Which of ``sample_ids`` already have a row (to keep ids unique across sources)."""
        wanted = list(sample_ids)
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT sample_id FROM samples WHERE sample_id IN ({marks})"
            found.update(row[0] for row in self._connection.execute(query, chunk))
        return found

    def record_batch(
        self,
        batch_index: int,
        first_seq: int,
        outcomes: list[SampleOutcome],
        seconds: float,
        steps: list[StepStats] | None = None,
    ) -> None:
        """Insert the batch's rows and mark it complete with its time and step stats, atomically."""
        rows = [
            sample_row(outcome, first_seq + offset, batch_index) for offset, outcome in enumerate(outcomes)
        ]
        total_bytes = sum(outcome.size_bytes for outcome in outcomes)
        columns = ",".join(SAMPLE_COLUMNS)
        marks = ",".join("?" * len(SAMPLE_COLUMNS))
        step_json = json.dumps([stats.to_dict() for stats in steps or []])

        def write(connection: sqlite3.Connection) -> None:
            connection.execute("DELETE FROM samples WHERE batch_index = ?", (batch_index,))
            connection.executemany(f"INSERT INTO samples ({columns}) VALUES ({marks})", rows)
            connection.execute(
                "INSERT OR REPLACE INTO batches VALUES (?, ?, ?, ?, ?, ?, ?)",
                (batch_index, first_seq, len(outcomes), total_bytes, seconds, utc_now(), step_json),
            )

        self.transaction(write)

    # --- dedup -------------------------------------------------------------------------------------------

    def survivors(self) -> Iterator[SurvivorRow]:
        """``(sample_id, content_hash, quality_score, stars, path)`` of each kept sample, in input order."""
        yield from self._connection.execute(
            "SELECT sample_id, content_hash, quality_score, stars, path FROM samples"
            f" WHERE decision = '{KEPT}' ORDER BY seq"
        )

    def reset_dedup(self) -> None:
        """Undo earlier dedup decisions so dedup can be rerun from scratch (it is cheap and must see all)."""
        self.transaction(
            lambda connection: connection.execute(
                "UPDATE samples SET decision = 'kept', reason = NULL, duplicate_of = NULL, cluster_id = NULL"
                " WHERE reason IN ('exact_duplicate', 'near_duplicate') OR cluster_id IS NOT NULL"
            )
        )

    def record_duplicates(self, reason: str, duplicate_of: dict[str, str]) -> None:
        """Drop each key with ``reason``, pointing at the sample kept in its place."""
        self.transaction(
            lambda connection: connection.executemany(
                f"UPDATE samples SET decision = '{DROPPED}', reason = ?, duplicate_of = ?"
                " WHERE sample_id = ?",
                [(reason, kept, dropped) for dropped, kept in duplicate_of.items()],
            )
        )

    def record_clusters(self, cluster_of: dict[str, int]) -> None:
        self.transaction(
            lambda connection: connection.executemany(
                "UPDATE samples SET cluster_id = ? WHERE sample_id = ?",
                [(cluster, sample_id) for sample_id, cluster in cluster_of.items()],
            )
        )

    # --- reading results ---------------------------------------------------------------------------------

    def kept_ids(self, batch_index: int) -> set[str]:
        return {
            row[0]
            for row in self._connection.execute(
                f"SELECT sample_id FROM samples WHERE batch_index = ? AND decision = '{KEPT}'", (batch_index,)
            )
        }

    def counts(self) -> tuple[int, int, dict[str, int]]:
        """``(inputs, kept, dropped_by_reason)`` with every reason present, in vocabulary order."""
        dropped = dict.fromkeys(REASONS, 0)
        inputs = kept = 0
        for decision, reason, count in self._connection.execute(
            "SELECT decision, reason, COUNT(*) FROM samples GROUP BY decision, reason"
        ):
            inputs += count
            if decision == KEPT:
                kept += count
            else:
                # An unknown reason would break the invariant check downstream, which is what we want.
                dropped[reason] = dropped.get(reason, 0) + count
        return inputs, kept, dropped

    def step_stats(self) -> list[StepStats]:
        """Per-step samples, seconds and drops summed over every recorded batch, in chain order."""
        return merge_step_stats(
            [StepStats.from_dict(values) for values in json.loads(steps)]
            for (steps,) in self._connection.execute("SELECT steps FROM batches ORDER BY batch_index")
        )

    def query(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Read-only helper for reports."""
        return list(self._connection.execute(sql, parameters))


def _convert_lock_errors(work: Callable[[], _T]) -> Callable[[], _T]:
    """Re-raise SQLite's lock/busy errors as :class:`DatabaseLockedError` so only those are retried."""

    def converted() -> _T:
        try:
            return work()
        except sqlite3.OperationalError as error:
            message = str(error)
            if "locked" in message or "busy" in message:
                raise DatabaseLockedError(message) from error
            raise

    return converted
