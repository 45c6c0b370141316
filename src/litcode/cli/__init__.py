"""The ``litcode`` console script.

``litcode fit|validate|test`` are LightningCLI's subcommands (see :class:`LitcodeCLI`);
``litcode curate``, ``litcode report`` and ``litcode upload`` are litcode's own, dispatched here
before Lightning parses anything. Imports are lazy: ``litcode report`` and the notebooks (which read
:class:`RunDirectory`) do not pay for importing Lightning.
"""

from __future__ import annotations

import difflib
import importlib
import sys
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from litcode.cli.run_directory import RunDirectory
    from litcode.cli.training import LitcodeCLI
    from litcode.cli.upload_settings import UploadSettings

__all__ = ["LitcodeCLI", "RunDirectory", "UploadSettings", "main"]

#: subcommand -> "module:function" taking the remaining arguments and returning the exit code.
COMMANDS = {
    "curate": "litcode.cli.curate_command:run_curate",
    "report": "litcode.cli.report_command:run_report",
    "upload": "litcode.cli.upload_command:run_upload",
}

_LAZY_EXPORTS = {
    "LitcodeCLI": "litcode.cli.training",
    "RunDirectory": "litcode.cli.run_directory",
    "UploadSettings": "litcode.cli.upload_settings",
}

OVERVIEW = """\
usage: litcode COMMAND [options]   (litcode COMMAND --help for each)

Lightning's commands (LightningCLI: --config FILE, --print_config, any key as a flag):
  fit        curate + tokenize the data (cached), train, upload checkpoints
  validate   evaluate a checkpoint (--ckpt_path) on the validation repositories
  test       the same through Lightning's test loop
litcode's own:
  curate     curation only: manifest, kept Parquet, report (--source, --output_dir or --config)
  report     a run's metrics summary, last steps, upload health (litcode report RUN_DIR)
  upload     finish checkpoint uploads a run left pending (litcode upload --resume RUN_DIR)

Start with: litcode fit --config configs/default.yaml
Exit codes: 0 done, 1 failed, 2 usage error, 130 interrupted (Ctrl-C), 143 stopped by SIGTERM.
"""

LIGHTNING_COMMANDS = ("fit", "validate", "test")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code (usage errors exit with 2)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(OVERVIEW)
        return 0 if args else 2
    if args[0] in COMMANDS:
        module, function = COMMANDS[args[0]].split(":")
        code: int = getattr(importlib.import_module(module), function)(args[1:])
        return code
    if args[0] not in LIGHTNING_COMMANDS:
        _unknown_command(args[0])
    return _run_lightning(args, from_sys_argv=argv is None)


def _unknown_command(name: str) -> NoReturn:
    known = [*LIGHTNING_COMMANDS, *COMMANDS]
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]}?" if close else f"; the commands are {', '.join(known)}"
    if name == "predict":
        hint = " (CodeLM has no prompt input to predict on); the commands are " + ", ".join(known)
    print(f"litcode: error: unknown command {name!r}{hint}\n(overview: litcode --help)", file=sys.stderr)
    raise SystemExit(2)


def _run_lightning(args: list[str], from_sys_argv: bool) -> int:
    from litcode.cli.training import FitStopped, LitcodeCLI
    from litcode.curation import CurationError
    from litcode.data import DataPreparationError
    from litcode.sources import SourceError

    try:
        cli = LitcodeCLI(args=None if from_sys_argv else args)
    except FitStopped as stopped:
        return stopped.exit_code  # interrupted: run.json and the summary already say so
    except KeyboardInterrupt:
        print(f"litcode {args[0]}: interrupted (Ctrl-C) before training started", file=sys.stderr)
        return 130
    except (DataPreparationError, CurationError, SourceError) as error:
        # Bad data found while running (nothing survived curation, an unreadable source):
        # one clear line, not a traceback from deep inside.
        print(f"litcode {args[0]}: error: {error}", file=sys.stderr)
        return 1
    return cli.exit_code  # 3: training finished, checkpoints still pending upload (journaled)


def __getattr__(name: str) -> Any:
    if name in _LAZY_EXPORTS:
        return getattr(importlib.import_module(_LAZY_EXPORTS[name]), name)
    raise AttributeError(f"module 'litcode.cli' has no attribute {name!r}")
