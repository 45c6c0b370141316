"""The Trainer's logger when a config names none: TensorBoard when installed, else CSV.

Both write under ``<run_dir>/lightning_logs/version_N``. TensorBoard needs the ``tensorboard`` (or
``tensorboardX``) package: ``pip install 'litcode[tensorboard]'``; without it the CSV logger needs
nothing, and ``litcode report`` and the notebooks read the MetricsTracker files either way.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from jsonargparse import Namespace

TENSORBOARD_PACKAGES = ("tensorboard", "tensorboardX")


def tensorboard_available() -> bool:
    """Whether Lightning's ``TensorBoardLogger`` can write here (either package will do)."""
    return any(importlib.util.find_spec(name) is not None for name in TENSORBOARD_PACKAGES)


def default_logger(run_dir: Path, tensorboard: bool | None = None) -> Namespace:
    """The logger block ``trainer.logger`` gets when unset; ``tensorboard=None`` asks the environment.

    >>> default_logger(Path("runs/a"), tensorboard=False).class_path
    'pytorch_lightning.loggers.CSVLogger'
    >>> default_logger(Path("runs/a"), tensorboard=True).class_path
    'pytorch_lightning.loggers.TensorBoardLogger'
    """
    use_tensorboard = tensorboard_available() if tensorboard is None else tensorboard
    name = "TensorBoardLogger" if use_tensorboard else "CSVLogger"
    return Namespace(
        class_path=f"pytorch_lightning.loggers.{name}",
        init_args=Namespace(save_dir=str(run_dir), name="lightning_logs"),
    )
