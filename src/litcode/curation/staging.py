"""Survivors of finished batches, parked on disk until dedup has decided which of them to keep.

One Parquet file per batch, written to a temp name and moved into place before
the batch is marked complete in the manifest, so a crash leaves either nothing
or a whole file (which a rerun simply overwrites).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Container
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from litcode.curation.outcome import SampleOutcome
from litcode.dedup import signatures_from_bytes

STAGED_SCHEMA = pa.schema(
    [
        ("sample_id", pa.string()),
        ("content", pa.large_string()),
        ("language", pa.string()),
        ("repo", pa.string()),
        ("path", pa.string()),
        ("quality_score", pa.float64()),
        ("frameworks", pa.list_(pa.string())),
        ("content_hash", pa.string()),
        ("stars", pa.int64()),
        ("signature", pa.binary()),
    ]
)
#: Staged columns only dedup reads (stars rank copies; signatures cluster them), not the kept shards.
DEDUP_ONLY_COLUMNS = ("stars", "signature")


class SurvivorStaging:
    """``output_dir/.staging/batch-NNNNNN.parquet`` files, one per completed batch.

    >>> import tempfile
    >>> staging = SurvivorStaging(Path(tempfile.mkdtemp()))
    >>> staging.write(0, [SampleOutcome("a.py", content="x = 1\\n")])
    >>> staging.read(0).column("sample_id").to_pylist()
    ['a.py']
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def path(self, batch_index: int) -> Path:
        """Where batch ``batch_index`` is staged (on a cluster: a filesystem every worker shares)."""
        return self.directory / f"batch-{batch_index:06d}.parquet"

    def write(self, batch_index: int, outcomes: list[SampleOutcome]) -> None:
        survivors = [outcome for outcome in outcomes if outcome.kept]
        table = pa.Table.from_pydict(
            {
                "sample_id": [outcome.sample_id for outcome in survivors],
                "content": [outcome.content for outcome in survivors],
                "language": [outcome.language for outcome in survivors],
                "repo": [outcome.repo for outcome in survivors],
                "path": [outcome.path for outcome in survivors],
                "quality_score": [outcome.quality_score for outcome in survivors],
                "frameworks": [outcome.frameworks for outcome in survivors],
                "content_hash": [outcome.content_hash for outcome in survivors],
                "stars": [outcome.stars for outcome in survivors],
                "signature": [outcome.signature for outcome in survivors],
            },
            schema=STAGED_SCHEMA,
        )
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.path(batch_index)
        temporary = target.with_name(target.name + ".tmp")
        pq.write_table(table, temporary)
        os.replace(temporary, target)

    def read(self, batch_index: int, columns: list[str] | None = None) -> pa.Table:
        return pq.read_table(self.path(batch_index), columns=columns)

    def signatures(self, batch_index: int, keep: Container[str]) -> tuple[list[str], np.ndarray]:
        """Ids and ``(n, num_perm)`` uint32 signatures of the staged samples with an id in ``keep``."""
        ids, _, matrix = signature_rows(self.read(batch_index, columns=["sample_id", "signature"]), keep)
        return ids, matrix

    def remove(self) -> None:
        """Delete every staged file, and what a cluster run parks beside them (manifest parts, dedup
        decisions), after the kept shards are written or when starting fresh."""
        shutil.rmtree(self.directory, ignore_errors=True)


def signature_rows(table: pa.Table, keep: Container[str]) -> tuple[list[str], list[bytes], np.ndarray]:
    """Ids, raw signature bytes and the ``(n, num_perm)`` uint32 matrix of rows whose id is in ``keep``.

    Shared by the local dedup stage and its Ray Data twin, so both read staged signatures alike.
    """
    ids: list[str] = []
    rows: list[bytes] = []
    for sample_id, signature in zip(
        table.column("sample_id").to_pylist(), table.column("signature").to_pylist(), strict=True
    ):
        if sample_id in keep and signature is not None:
            ids.append(sample_id)
            rows.append(signature)
    return ids, rows, signatures_from_bytes(rows)
