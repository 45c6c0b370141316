"""A real, tiny ``litcode fit`` run on a slice of the standard library: the demo path, small."""

from __future__ import annotations

import contextlib
import io
import shutil
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from litcode.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = REPO_ROOT / "configs" / "default.yaml"
# Small stdlib packages, each a "repository" of the directory source (the split is by repository).
STDLIB_SLICE = ("json", "wsgiref", "concurrent", "zoneinfo", "tomllib")
MAX_STEPS = 12


def copy_stdlib_slice(destination: Path) -> Path:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for package in STDLIB_SLICE:
        if (stdlib / package).is_dir():
            shutil.copytree(
                stdlib / package, destination / package, ignore=shutil.ignore_patterns("__pycache__")
            )
    return destination


def tiny_flags(source: Path, cache_dir: Path) -> list[str]:
    """Overrides that shrink configs/default.yaml to seconds: few files, a tiny model, a dozen steps."""
    return [
        "--data.source", str(source),
        "--data.cache_dir", str(cache_dir),
        "--data.curation.licenses", "off",  # a copied folder carries no license file
        "--data.curation_workers", "0",
        "--data.seq_len", "32",
        "--data.batch_size", "8",
        "--data.val_fraction", "0.3",
        "--model.n_layer", "1",
        "--model.n_head", "2",
        "--model.n_embd", "32",
        "--model.warmup_steps", "2",
        "--model.learning_rate", "0.01",
        "--trainer.max_steps", str(MAX_STEPS),
        "--trainer.val_check_interval", "6",
        "--trainer.limit_val_batches", "2",
        "--trainer.enable_progress_bar", "false",
        "--trainer.enable_model_summary", "false",
        "--metrics.log_every_n_steps", "3",
    ]  # fmt: skip


@dataclass
class TinyRun:
    run_dir: Path
    source: Path
    cache_dir: Path
    stdout: str

    def flags(self) -> list[str]:
        return tiny_flags(self.source, self.cache_dir)


def make_tiny_run(root: Path, *extra: str) -> TinyRun:
    """``litcode fit --config configs/default.yaml`` with the tiny overrides, stdout captured."""
    source = copy_stdlib_slice(root / "corpus")
    cache_dir = root / "cache"
    run_dir = root / "run"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(
            [
                "fit",
                "--config",
                str(DEFAULT_CONFIG),
                *tiny_flags(source, cache_dir),
                "--trainer.default_root_dir",
                str(run_dir),
                *extra,
            ]
        )
    assert code == 0, stdout.getvalue()
    return TinyRun(run_dir, source, cache_dir, stdout.getvalue())
