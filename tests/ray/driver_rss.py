"""A curation driver on its own, for measuring its peak RSS: ``python driver_rss.py CORPUS OUT ADDRESS``.

It joins the Ray cluster at ADDRESS, curates the JSON Lines CORPUS into OUT with
:data:`RSS_CONFIG` and prints one JSON line: ``maxrss_mb`` (this process alone, from
``getrusage(RUSAGE_SELF)``), ``inputs``, ``kept``. Also a corpus writer, :func:`write_corpus`.
"""

from __future__ import annotations

import json
import random
import resource
import sys
from pathlib import Path

from litcode.curation import CurationConfig, curate

#: Cheap checks (the bound is about the driver, not the chain), both dedup stages on, on Ray.
RSS_CONFIG = CurationConfig(
    licenses="off",
    secrets="off",
    insecure="off",
    decontamination=(),
    min_quality_score=0.0,
    num_perm=64,
    batch_size=64,
    distributed_dedup=True,
)
WORDS = ("value", "count", "total", "items", "index", "result", "buffer", "record", "offset", "window")


def module_text(generator: random.Random, functions: int) -> str:
    """Plausible Python: functions over random names and constants, so signatures differ."""
    lines = ['"""Generated module."""', ""]
    for _ in range(functions):
        name = "_".join(generator.choice(WORDS) for _ in range(2)) + f"_{generator.randrange(10**6)}"
        lines += [f"def {name}(items: list[int], limit: int = {generator.randrange(1000)}) -> int:"]
        lines += [f'    """Sum of {generator.choice(WORDS)} below the limit."""']
        lines += [f"    {generator.choice(WORDS)} = 0", "    for item in items:"]
        lines += [f"        if item < limit + {generator.randrange(100)}:"]
        lines += [f"            total += item * {generator.randrange(97)}"]
        lines += ["    return total", ""]
    return "\n".join(lines) + "\n"


def write_corpus(path: Path, files: int, seed: int = 0, functions: int = 40) -> int:
    """``files`` records in The Stack's columns, every 50th an exact copy and every 50th+1 a near copy."""
    generator = random.Random(seed)
    size = 0
    previous = ""
    with path.open("w", encoding="utf-8") as out:
        for number in range(files):
            if number % 50 == 49:
                content = previous
            elif number % 50 == 25 and previous:
                content = previous + "# vendored copy\n"
            else:
                content = module_text(generator, functions)
            previous = content
            size += len(content)
            record = {
                "id": f"f{number:07d}",
                "content": content,
                "lang": "Python",
                "max_stars_repo_name": f"repo{number // 100}",
                "max_stars_repo_path": f"m{number}.py",
            }
            out.write(json.dumps(record) + "\n")
    return size


def main() -> None:
    corpus, output, address = sys.argv[1], sys.argv[2], (sys.argv[3:] or [None])[0]
    result = curate(
        Path(corpus), Path(output), RSS_CONFIG, executor="ray", ray_address=address, progress=False
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(json.dumps({"maxrss_mb": round(peak, 1), "inputs": result.inputs, "kept": result.kept}))


if __name__ == "__main__":
    main()
