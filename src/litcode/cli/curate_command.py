"""``litcode curate``: run curation only and print its report.

Options come from flags or a YAML file (``--config``); the ``curation:`` block is a
``CurationConfig``, so unknown keys and wrong types are usage errors (exit code 2)::

    source: repos/            # or a list, a .jsonl(.gz/.zst) or .parquet file; null = the stdlib
    output_dir: curated/
    executor: local
    num_workers: 2
    curation:
      languages: [python]
      near_dedup_threshold: 0.8
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal

from jsonargparse import ActionConfigFile, ArgumentParser, Namespace

from litcode.cli.interrupts import InterruptGuard, Interruption, RunInterrupted, interruption_of
from litcode.cli.usage import LitcodeArgumentParser, column_map_hint
from litcode.curation import CurationConfig, CurationError, CurationResult, curate
from litcode.curation.manifest import Manifest
from litcode.curation.pipeline import MANIFEST_NAME
from litcode.sources import (
    ColumnMappingError,
    CompositeSource,
    JsonlSource,
    ParquetSource,
    Source,
    SourceError,
    open_source,
)


def build_parser() -> ArgumentParser:
    parser = LitcodeArgumentParser(
        prog="litcode curate",
        description="Curate a code corpus: filter, deduplicate, scan, and write a manifest and a report.",
    )
    parser.add_argument("-c", "--config", action=ActionConfigFile, help="a YAML file with these options")
    parser.add_argument(
        "--source",
        type=str | list[str] | None,
        default=None,
        help="path(s) of a directory of repositories, a .jsonl(.gz/.zst) or a .parquet; null: the stdlib",
    )
    parser.add_argument(
        "--output_dir", type=str, required=True, help="where the manifest, report and kept/ go"
    )
    parser.add_argument(
        "--column_map",
        type=dict[str, str] | None,
        default=None,
        help="for .jsonl/.parquet sources: field -> column, e.g. '{content: code, repo: repo_name}'",
    )
    parser.add_argument(
        "--executor", type=Literal["local", "ray"], default="local", help="local processes or a Ray cluster"
    )
    parser.add_argument(
        "--ray_address",
        type=str | None,
        default=None,
        help="with --executor ray: the cluster to join (ray://head:10001, auto); default: start one here",
    )
    parser.add_argument("--num_workers", type=int | None, default=None, help="processes (default: CPU count)")
    parser.add_argument("--progress", type=bool, default=True, help="show a progress bar")
    parser.add_class_arguments(CurationConfig, "curation", help="thresholds and policies (CurationConfig)")
    return parser


def run_curate(args: list[str]) -> int:
    """Parse ``args``, curate, print the Markdown report and where the outputs are; the exit code."""
    parser = build_parser()
    config = parser.parse_args(args)
    for item in _as_list(config.source):
        if "://" not in item and not Path(item).expanduser().exists():
            parser.error(f"--source: {item!r} does not exist (relative to {Path.cwd()})")
    curation = _curation_config(parser, config)
    source = _open_source(parser, config)
    try:
        with InterruptGuard():
            executor: Any = config.executor
            if config.executor == "ray" and config.ray_address:
                from litcode.curation.executors import make_executor

                executor = make_executor("ray", config.num_workers, address=config.ray_address)
            result = curate(
                source,
                config.output_dir,
                curation,
                num_workers=config.num_workers,
                executor=executor,
                progress=config.progress,
            )
    except (KeyboardInterrupt, RunInterrupted) as error:
        interruption = interruption_of(error) or Interruption.of("SIGINT")
        print(interrupted_line(Path(config.output_dir), interruption), file=sys.stderr, flush=True)
        return interruption.exit_code
    except CurationError as error:
        print(f"litcode curate: error: {error}", file=sys.stderr)
        return 1
    print(describe(result))
    return 0


def interrupted_line(output_dir: Path, interruption: Interruption) -> str:
    """Mark the manifest's run ``interrupted`` and say, in one line, how far it got and how to go on."""
    manifest_path = output_dir / MANIFEST_NAME
    done = ""
    if manifest_path.exists():
        with Manifest(manifest_path) as manifest:
            manifest.mark_interrupted()
            done = f" after {manifest.counts()[0]} inputs"
    return (
        f"litcode curate: interrupted by {interruption.reason}{done}; "
        f"run the same command again to resume from the last finished batch (exit {interruption.exit_code})"
    )


def describe(result: CurationResult) -> str:
    """The report, then one line per output file."""
    report = result.report_path.with_suffix(".md") if result.report_path else result.output_dir / "report.md"
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    return (
        f"{text.rstrip()}\n\n"
        f"curated {result.inputs} inputs: kept {result.kept}, dropped {result.dropped}\n"
        f"  manifest  {result.manifest_path}\n"
        f"  kept      {result.output_dir / 'kept'}\n"
        f"  report    {report}"
    )


def _curation_config(parser: ArgumentParser, config: Namespace) -> CurationConfig:
    try:
        # ``instantiate`` replaced ``instantiate_classes`` in jsonargparse 4.49.
        instantiate = getattr(parser, "instantiate", None) or parser.instantiate_classes
        built = instantiate(config).curation
    except (CurationError, ValueError, TypeError) as error:
        parser.error(f"curation: {error}")
    if not isinstance(built, CurationConfig):
        built = CurationConfig.from_dict(dict(built))
    if built.decontamination:
        # A benchmark that cannot be read is a configuration that cannot work: usage error, exit 2.
        from litcode.curation.decontamination import contamination_index

        try:
            contamination_index(built.decontamination, built.decontamination_ngram_size)
        except CurationError as error:
            parser.error(f"curation.decontamination: {error}")
    return built


def _open_source(parser: ArgumentParser, config: Namespace) -> Any:
    """The source, opened now: a missing path or a wrong column is a usage error before any work."""
    items = _as_list(config.source)
    try:
        if not config.column_map:
            open_source(config.source)  # checks paths and columns; curate opens it again, the same way
            return config.source
        opened = [_with_column_map(item, config.column_map) for item in items]
    except ColumnMappingError as error:
        parser.error(f"--source: {column_map_hint(str(error), '--column_map')}")
    except (SourceError, OSError, ValueError, TypeError) as error:
        parser.error(f"--source: {error}")
    if not opened:
        parser.error("--column_map needs a --source (.jsonl or .parquet)")
    return opened[0] if len(opened) == 1 else CompositeSource(opened)


def _with_column_map(item: str, column_map: dict[str, str]) -> Source:
    """A table source read with ``column_map``: Parquet (a file or a folder of them) or JSON Lines."""
    path = Path(item).expanduser()
    if path.name.endswith(".parquet") or path.is_dir():
        return ParquetSource(path, column_map=column_map)
    return JsonlSource(path, column_map=column_map)


def _as_list(source: str | list[str] | None) -> list[str]:
    if source is None:
        return []
    return [source] if isinstance(source, str) else list(source)
