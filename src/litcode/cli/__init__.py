"""The ``litcode`` console script.

``litcode fit|validate|test|predict`` are LightningCLI's subcommands (see :class:`LitcodeCLI`);
``litcode curate``, ``litcode report`` and ``litcode upload`` are litcode's own, dispatched here
before Lightning parses anything.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from litcode.cli.curate_command import run_curate
from litcode.cli.report_command import run_report
from litcode.cli.run_directory import RunDirectory
from litcode.cli.training import LitcodeCLI
from litcode.cli.upload_command import run_upload
from litcode.cli.upload_settings import UploadSettings
from litcode.curation import CurationError
from litcode.data import DataPreparationError
from litcode.sources import SourceError

__all__ = ["LitcodeCLI", "RunDirectory", "UploadSettings", "main"]

RUN_ERRORS = (DataPreparationError, CurationError, SourceError)

COMMANDS: dict[str, Callable[[list[str]], int]] = {
    "curate": run_curate,
    "report": run_report,
    "upload": run_upload,
}

OVERVIEW = """\
usage: litcode COMMAND [options]   (litcode COMMAND --help for each)

Lightning's commands (LightningCLI: --config FILE, --print_config, any key as a flag):
  fit        curate + tokenize the data (cached), train, upload checkpoints
  validate   evaluate a checkpoint (--ckpt_path) on the validation repositories
  test       the same through Lightning's test loop
  predict    Lightning's predict loop
litcode's own:
  curate     curation only: manifest, kept Parquet, report (--source, --output_dir or --config)
  report     a run's metrics summary, last steps, upload health (litcode report RUN_DIR)
  upload     finish checkpoint uploads a run left pending (litcode upload --resume RUN_DIR)

Start with: litcode fit --config configs/default.yaml
"""


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code (usage errors exit with 2)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(OVERVIEW)
        return 0 if args else 2
    command = COMMANDS.get(args[0])
    if command is not None:
        return command(args[1:])
    try:
        LitcodeCLI(args=None if argv is None else args)
    except RUN_ERRORS as error:
        # Bad data or settings found while running (nothing survived curation, an unreadable
        # source): one clear line, not a traceback from deep inside.
        print(f"litcode {args[0]}: error: {error}", file=sys.stderr)
        return 1
    return 0
