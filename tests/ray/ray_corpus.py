"""What the Ray tests share: the config both executors run with and a manifest reader.

A plain module (not conftest) so test files can import it by a name unique to this folder.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from litcode.curation import CurationConfig

#: Licenses from the stdlib default; batches small enough that a few hundred files make many tasks,
#: kept shards small enough that several parts roll mid-batch.
CONFIG = CurationConfig(allow_unknown_license=True, batch_size=16, rows_per_shard=50)
COLUMNS = "sample_id, decision, reason, duplicate_of, cluster_id, content_hash, quality_score"


def manifest_rows(output_dir: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(output_dir / "manifest.sqlite") as connection:
        return list(connection.execute(f"SELECT {COLUMNS} FROM samples ORDER BY sample_id"))
