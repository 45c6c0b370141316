"""Benchmark decontamination: its cost in a full stdlib curation, recall on planted leaks, false matches.

1. **Cost** — ``curate(None)`` (this interpreter's whole standard library, the
   embedded default) with ``decontamination=()`` (the anchor) and with
   ``("humaneval",)``, alternating, ``--runs`` times each, same workers: the added
   wall time as a share of the anchor's (target <= 15%). Each run's
   ``report.json`` also times the ``DecontaminationFilter`` step itself (summed over
   workers), printed as its share of all step time.
2. **Recall** — every HumanEval task planted into real stdlib modules
   (``tests/support/contamination_plants.py``): its prompt, its canonical solution,
   and both, each verbatim, with names renamed, reformatted, and with comments
   added. Recall per cell; solutions on the generic list (``return x + y``...) are
   counted apart, since not matching them is the point (targets: >= 99% verbatim,
   >= 90% edited).
3. **False matches** — every ``.py`` file of the standard library and of the
   running environment's site-packages (unmodified, deduplicated by real path):
   files matched, each listed with the task and matcher (target <= 0.1%).

Run: ``.venv/bin/python benchmarks/bench_decontamination.py [--runs 1] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # planted cases live beside the tests

from litcode.curation import CurationConfig, curate
from litcode.curation.decontamination import GENERIC_SOLUTIONS, ContaminationIndex, load_benchmark
from litcode.curation.decontamination.text_views import normalize_whitespace
from support.contamination_plants import EDITS, PARTS, planted_cases

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def measure_cost(runs: int, workers: int) -> None:
    walls: dict[str, list[float]] = {"off": [], "on": []}
    step_share: list[float] = []
    step_seconds: list[float] = []
    for _ in range(runs):
        for label, benchmarks in (("off", ()), ("on", ("humaneval",))):
            with tempfile.TemporaryDirectory() as output:
                started = time.perf_counter()
                result = curate(None, output, CurationConfig(decontamination=benchmarks), num_workers=workers)
                walls[label].append(time.perf_counter() - started)
                report = json.loads((Path(output) / "report.json").read_text())
            if label == "on":
                steps = report["steps"]
                total = sum(step["seconds"] for step in steps)
                mine = sum(step["seconds"] for step in steps if step["reason"] == "contaminated")
                step_share.append(mine / total)
                step_seconds.append(mine)
                print(
                    f"  run: {result.inputs} inputs, contaminated {result.dropped_by_reason['contaminated']}"
                )
    off, on = statistics.median(walls["off"]), statistics.median(walls["on"])
    print(f"cost: stdlib curation {off:.1f} s without, {on:.1f} s with decontamination (medians of {runs})")
    print(f"  added wall time: {(on - off) / off:+.1%} of the anchor (target <= 15%)")
    print(
        f"  DecontaminationFilter step: {statistics.median(step_share):.1%} of all step time (report.json);"
        f" its seconds over {workers} workers = {statistics.median(step_seconds) / max(workers, 1) / off:.1%}"
        " of the anchor's wall"
    )


def measure_recall(index: ContaminationIndex, hosts: list[Path]) -> None:
    benchmark = index.benchmarks[0]
    generic = {
        task.task_id
        for task in benchmark.tasks
        if normalize_whitespace(task.solutions[0]) in GENERIC_SOLUTIONS
    }
    found: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    missed: dict[tuple[str, str], list[str]] = {}
    started = time.perf_counter()
    cases = planted_cases(benchmark.tasks, hosts)
    for case in cases:
        if case.part == "solution" and case.task_id in generic:
            continue
        key = (case.part, case.edit)
        total[key] += 1
        if case.task_id in [match.task_id for match in index.match(case.content)]:
            found[key] += 1
        else:
            missed.setdefault(key, []).append(case.task_id)
    seconds = time.perf_counter() - started
    print(f"\nrecall: {len(cases)} planted files in {len(hosts)} stdlib hosts, matched in {seconds:.1f} s")
    print(f"  (solution-alone cases skip the {len(generic)} generic solutions: {sorted(generic)})")
    print(f"  {'part':9s} " + " ".join(f"{edit:>12s}" for edit in EDITS))
    for part in PARTS:
        cells = " ".join(f"{found[part, edit] / total[part, edit]:12.1%}" for edit in EDITS)
        print(f"  {part:9s} {cells}")
    verbatim = sum(found[part, "verbatim"] for part in PARTS) / sum(total[part, "verbatim"] for part in PARTS)
    edited_keys = [(part, edit) for part in PARTS for edit in EDITS if edit != "verbatim"]
    edited = sum(found[key] for key in edited_keys) / sum(total[key] for key in edited_keys)
    print(f"  verbatim {verbatim:.1%} (target >= 99%), lightly edited {edited:.1%} (target >= 90%)")
    for key, task_ids in sorted(missed.items()):
        print(f"  missed {key[0]}/{key[1]}: {', '.join(task_ids)}")


def measure_false_matches(index: ContaminationIndex) -> None:
    roots = [STDLIB, Path(sysconfig.get_paths()["purelib"])]
    files = sorted({path.resolve() for root in roots for path in root.rglob("*.py") if path.is_file()})
    matched: list[tuple[Path, list[str]]] = []
    size = 0
    seconds = 0.0
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        size += len(text)
        started = time.perf_counter()
        matches = index.match(text)
        seconds += time.perf_counter() - started
        if matches:
            matched.append((path, [f"{match.task_id} ({match.kind})" for match in matches]))
    print(
        f"\nfalse matches: {len(matched)} of {len(files)} clean files ({len(matched) / len(files):.3%};"
        f" target <= 0.1%), {size / 1e6:.0f} MB matched at {size / 1e6 / seconds:.1f} MB/s"
    )
    for path, tasks in matched:
        print(f"  {path}: {', '.join(tasks)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="curation runs per setting (medians)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=["cost", "recall", "false"], help="cost recall false")
    args = parser.parse_args()
    started = time.perf_counter()
    index = ContaminationIndex([load_benchmark("humaneval")])
    print(f"index: {index!r}, built in {time.perf_counter() - started:.2f} s")
    if "cost" in args.only:
        measure_cost(args.runs, args.workers)
    if "recall" in args.only:
        hosts = sorted(path for path in STDLIB.glob("*.py") if 2_000 < path.stat().st_size < 200_000)[:50]
        measure_recall(index, hosts)
    if "false" in args.only:
        measure_false_matches(index)


if __name__ == "__main__":
    main()
