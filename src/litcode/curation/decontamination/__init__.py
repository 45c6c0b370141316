"""Benchmark decontamination: drop training files that hold an evaluation benchmark's prompts or solutions.

``CurationConfig(decontamination=("humaneval", "evals/mbpp.jsonl"))`` loads each
benchmark once (:mod:`.benchmarks`), builds one Aho-Corasick index over all of
them (:mod:`.index`, exact whitespace-normalized substrings plus word 13-grams,
BigCode's way), and the ``contaminated`` step (:mod:`.filter`) drops every file
the index matches, recording the task ids in the manifest's ``detail``.

>>> from litcode.curation.decontamination import DecontaminationFilter
>>> from litcode.quality.sample import CodeSample
>>> DecontaminationFilter().keep(CodeSample("def add(a, b):\\n    return a + b\\n", "python", {}))
True
"""

from __future__ import annotations

from litcode.curation.decontamination.benchmarks import (
    BUILTIN_BENCHMARKS,
    Benchmark,
    BenchmarkError,
    BenchmarkTask,
    load_benchmark,
    load_benchmarks,
)
from litcode.curation.decontamination.filter import (
    DecontaminationFilter,
    contamination_index,
    qualified_task_id,
)
from litcode.curation.decontamination.index import GENERIC_SOLUTIONS, ContaminationIndex, ContaminationMatch

__all__ = [
    "BUILTIN_BENCHMARKS",
    "GENERIC_SOLUTIONS",
    "Benchmark",
    "BenchmarkError",
    "BenchmarkTask",
    "ContaminationIndex",
    "ContaminationMatch",
    "DecontaminationFilter",
    "contamination_index",
    "load_benchmark",
    "load_benchmarks",
    "qualified_task_id",
]
