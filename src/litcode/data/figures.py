"""``prepared_figures``: a prepared cache's curation and packing counts, keyed for a logger."""

from __future__ import annotations

from collections.abc import Mapping, Set

from litcode.data.prepared import PreparedData
from litcode.data.split import TRAIN, VAL


def prepared_figures(prepared: PreparedData, split_repos: Mapping[str, Set[str]]) -> dict[str, float]:
    """``data/*`` counts from ``meta.json``: inputs, kept, drops by reason, windows, tokens and
    repositories per split (``split_repos``: split -> its repositories), average quality, vocabulary.

    The keys are what ``CodeDataModule`` logs at step 0 once its data is set up.
    """
    meta = prepared.meta
    counts: dict[str, float] = {
        "data/inputs": meta["curation"]["inputs"],
        "data/kept": meta["curation"]["kept"],
        "data/average_quality_score": meta["average_quality_score"],
        "data/vocab_size": prepared.index.vocab_size,
    }
    counts.update(
        {f"data/dropped/{reason}": n for reason, n in meta["curation"]["dropped_by_reason"].items()}
    )
    for split in (TRAIN, VAL):
        counts[f"data/{split}_windows"] = meta["windows"][split]
        counts[f"data/{split}_tokens"] = meta["tokens"][split]
        counts[f"data/{split}_repos"] = len(split_repos.get(split, ()))
    return counts
