"""The ``contaminated`` step of the filter chain: drop files that hold a benchmark's prompt or solution."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from litcode.curation.decontamination.benchmarks import benchmarks_digest, load_benchmarks
from litcode.curation.decontamination.index import ContaminationIndex
from litcode.quality.filter_base import Filter
from litcode.quality.sample import CodeSample


def contamination_index(benchmarks: tuple[str, ...], ngram_size: int = 13) -> ContaminationIndex:
    """The index of ``benchmarks`` (built-in names or JSONL paths), built once per process and run.

    Cached by the benchmarks' contents too, so an edited file is read again. Raises
    :class:`~litcode.curation.decontamination.benchmarks.BenchmarkError` naming the file and
    line of a missing or malformed benchmark.
    """
    return _cached_index(tuple(benchmarks), ngram_size, benchmarks_digest(benchmarks))


@lru_cache(maxsize=8)
def _cached_index(benchmarks: tuple[str, ...], ngram_size: int, _digest: str) -> ContaminationIndex:
    return ContaminationIndex(load_benchmarks(benchmarks), ngram_size=ngram_size)


class DecontaminationFilter(Filter):
    """Drop samples that contain a benchmark task; the drop's detail lists the task ids matched
    (``"HumanEval/12"``; ``"mbpp:11"`` for a task of a user JSONL file named ``mbpp.jsonl``).

    >>> from litcode.curation.decontamination.benchmarks import load_benchmark
    >>> step = DecontaminationFilter(("humaneval",))
    >>> sample = CodeSample("import os\\n" + load_benchmark("humaneval").tasks[3].prompt, "python", {})
    >>> step.keep(sample), step.explain(sample)
    (False, 'HumanEval/3')
    >>> step.keep(CodeSample("x = 1\\n", "python", {}))
    True
    """

    reason = "contaminated"

    def __init__(
        self,
        benchmarks: Sequence[str] = ("humaneval",),
        ngram_size: int = 13,
        index: ContaminationIndex | None = None,
    ) -> None:
        self.index = index or contamination_index(tuple(benchmarks), ngram_size)

    def keep(self, sample: CodeSample) -> bool:
        return not self.index.match(sample.content)

    def explain(self, sample: CodeSample) -> str | None:
        # Only dropped files get here, so matching them twice costs nothing worth caching.
        return ",".join(self.task_ids(sample)) or None

    def task_ids(self, sample: CodeSample) -> list[str]:
        """The qualified ids of the benchmark tasks ``sample`` holds, sorted; [] for a clean sample."""
        return [
            qualified_task_id(match.benchmark, match.task_id) for match in self.index.match(sample.content)
        ]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.index!r})"


def qualified_task_id(benchmark: str, task_id: str) -> str:
    """The task id as the manifest's ``detail`` shows it: HumanEval's own ids as they are, other
    benchmarks' ids prefixed by the benchmark name unless they already carry it.

    >>> qualified_task_id("humaneval", "HumanEval/12"), qualified_task_id("mbpp", "11")
    ('HumanEval/12', 'mbpp:11')
    >>> qualified_task_id("mbpp", "Mbpp/11")
    'Mbpp/11'
    """
    if task_id.lower().startswith(benchmark.lower()):
        return task_id
    return f"{benchmark}:{task_id}"
