"""Probes the DDP fit test loads into *every* rank through the CLI config (``PYTHONPATH`` = this folder).

- :class:`BatchLedger`, a callback: each rank appends the rows it trains on to
  ``rank<R>.txt`` and each checkpoint save it takes part in to ``saves.txt``.
- ``ledgerfile://``, a local filesystem registered with fsspec on import, that
  appends ``<rank> <target>`` to ``$LEDGER_UPLOADS`` for every file put to it, so the
  test sees which process uploaded what.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import fsspec
import pytorch_lightning as pl
from fsspec.implementations.local import LocalFileSystem

PARTIAL_SUFFIX = re.compile(r"\.partial-[0-9a-f]+$")


def _rank() -> str:
    return os.environ.get("RANK", os.environ.get("LOCAL_RANK", "0"))


class BatchLedger(pl.Callback):
    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    def on_train_batch_start(self, trainer: pl.Trainer, pl_module: Any, batch: Any, batch_idx: int) -> None:
        rows = [" ".join(map(str, row)) for row in batch["input_ids"].tolist()]
        with open(self.directory / f"rank{trainer.global_rank}.txt", "a") as handle:
            handle.write("".join(row + "\n" for row in rows))

    def on_save_checkpoint(self, trainer: pl.Trainer, pl_module: Any, checkpoint: dict[str, Any]) -> None:
        with open(self.directory / "saves.txt", "a") as handle:
            handle.write(f"{trainer.global_rank} {trainer.global_step}\n")


class LedgerFileSystem(LocalFileSystem):
    protocol = ("ledgerfile",)

    @classmethod
    def _strip_protocol(cls, path: Any) -> Any:
        if isinstance(path, str) and path.startswith("ledgerfile://"):
            path = path[len("ledgerfile://") :]
        return super()._strip_protocol(path)

    def put_file(self, lpath: Any, rpath: Any, *args: Any, **kwargs: Any) -> None:
        super().put_file(lpath, rpath, *args, **kwargs)
        with open(os.environ["LEDGER_UPLOADS"], "a") as handle:
            handle.write(f"{_rank()} {PARTIAL_SUFFIX.sub('', str(rpath))}\n")


fsspec.register_implementation("ledgerfile", LedgerFileSystem, clobber=True)
