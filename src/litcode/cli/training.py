"""``litcode fit|validate|test``: LightningCLI wired with litcode's model, data and callbacks.

On top of Lightning's own keys (``trainer``, ``model``, ``data``, ``seed_everything``, ``ckpt_path``)
a config has three blocks whose callbacks are always added — ``metrics``
(``MetricsTrackerCallback``), ``checkpoint`` (``ModelCheckpoint``) — or added when configured —
``upload`` (``CheckpointUploadCallback``, when ``upload.remote_url`` is set). ``model.vocab_size``
follows ``data.vocab_size`` and ``model.block_size`` follows ``data.seq_len``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jsonargparse import Namespace
from pytorch_lightning.callbacks import ModelCheckpoint
from pytorch_lightning.cli import LightningArgumentParser, LightningCLI
from pytorch_lightning.trainer import Trainer

from litcode.callbacks import MetricsTrackerCallback
from litcode.callbacks.upload import CheckpointUploadCallback
from litcode.cli.datamodule_factory import code_datamodule
from litcode.cli.fit_summary import describe_start, finish_run
from litcode.cli.run_directory import RunDirectory
from litcode.cli.upload_settings import UploadSettings
from litcode.curation import CurationError
from litcode.data import CodeDataModule
from litcode.metrics import MetricsTracker
from litcode.models import CodeLM

#: Errors a config can cause when classes are built; reported as usage errors (exit code 2).
CONFIG_ERRORS = (ValueError, TypeError, FileNotFoundError, CurationError)


class LitcodeCLI(LightningCLI):
    """The Lightning command line of ``litcode`` (``fit``, ``validate``, ``test``, ``predict``).

    Between parsing and running it fills in the run layout (``checkpoint.dirpath`` and a CSV logger
    under ``trainer.default_root_dir``), builds ``CheckpointUploadCallback`` from the ``upload``
    block, gives the datamodule and both callbacks one ``MetricsTracker``, and around ``fit`` writes
    ``run.json`` and prints where everything went (rank 0 only).

    Example (what ``litcode fit --config configs/default.yaml --trainer.max_steps 50`` runs)::

        from litcode.cli import LitcodeCLI

        cli = LitcodeCLI(args=["fit", "--config", "configs/default.yaml", "--trainer.max_steps", "50"])
        cli.trainer.global_step  # 50

        # or build everything without running, e.g. to inspect the model a config describes:
        cli = LitcodeCLI(args=["--config", "configs/default.yaml"], run=False)
        cli.model.network.num_parameters()
    """

    def __init__(self, args: list[str] | None = None, run: bool = True, **kwargs: Any) -> None:
        self.upload_callback: CheckpointUploadCallback | None = None
        self.tracker: MetricsTracker | None = None
        kwargs.setdefault("save_config_kwargs", {"overwrite": True})
        kwargs.setdefault("seed_everything_default", 0)
        kwargs.setdefault("auto_configure_optimizers", False)
        super().__init__(CodeLM, code_datamodule, args=args, run=run, **kwargs)

    # -- parser ----------------------------------------------------------------------------

    def add_arguments_to_parser(self, parser: LightningArgumentParser) -> None:
        parser.add_lightning_class_args(MetricsTrackerCallback, "metrics")
        parser.add_lightning_class_args(ModelCheckpoint, "checkpoint")
        parser.set_defaults(
            {
                "checkpoint.filename": "{step:06d}-{val_loss:.3f}",
                "checkpoint.monitor": "val_loss",
                "checkpoint.save_top_k": 2,
                "checkpoint.save_last": True,
            }
        )
        parser.add_class_arguments(UploadSettings, "upload", help="CheckpointUploadCallback's settings")
        parser.link_arguments("data.seq_len", "model.block_size")
        parser.link_arguments("data.vocab_size", "model.vocab_size", apply_on="instantiate")

    # -- between parsing and running ---------------------------------------------------------

    @property
    def active_config(self) -> Namespace:
        config: Namespace = self.config[self.subcommand] if self.subcommand else self.config
        return config

    @property
    def run_directory(self) -> RunDirectory:
        return RunDirectory(self.active_config.trainer.default_root_dir or os.getcwd())

    def before_instantiate_classes(self) -> None:
        config = self.active_config
        if config.checkpoint.dirpath is None:
            config.checkpoint.dirpath = str(self.run_directory.checkpoint_dir)
        if config.trainer.logger in (None, True):
            # Lightning's own default, made explicit: CSV logs under the run directory.
            config.trainer.logger = Namespace(
                class_path="pytorch_lightning.loggers.CSVLogger",
                init_args=Namespace(save_dir=str(self.run_directory.path), name="lightning_logs"),
            )
        self._check_source_exists(config.data.source)

    def instantiate_classes(self) -> None:
        try:
            super().instantiate_classes()
        except CONFIG_ERRORS as error:
            self.parser.error(f"invalid configuration: {error}")

    def instantiate_trainer(self, **kwargs: Any) -> Trainer:
        settings: UploadSettings = self._get(self.config_init, "upload")
        remote_url = settings.resolved_remote_url(self.run_directory.path)
        if remote_url:
            self.upload_callback = CheckpointUploadCallback(
                remote_url,
                retry=settings.retry,
                breaker=settings.build_breaker(),
                storage_options=settings.storage_options,
                num_workers=settings.num_workers,
                max_backlog=settings.max_backlog,
                flush_timeout=settings.flush_timeout,
                verify=settings.verify,
                mirror_deletions=settings.mirror_deletions,
                skip_superseded=settings.skip_superseded,
            )
            configured = self._get(self.config_init, "trainer", default={}).get("callbacks") or []
            configured = configured if isinstance(configured, list) else [configured]
            kwargs["callbacks"] = [*configured, self.upload_callback]
        return super().instantiate_trainer(**kwargs)

    def after_instantiate_classes(self) -> None:
        """One MetricsTracker for the run: curation counts (datamodule) and training figures (callback)."""
        metrics_callback = next(
            (cb for cb in self.trainer.callbacks if isinstance(cb, MetricsTrackerCallback)),  # type: ignore[attr-defined]
            None,
        )
        if metrics_callback is None:
            return
        if metrics_callback.tracker is None:
            metrics_callback.tracker = MetricsTracker(self.run_directory.metrics_file)
        self.tracker = metrics_callback.tracker
        if isinstance(self.datamodule, CodeDataModule) and self.datamodule.tracker is None:
            self.datamodule.tracker = self.tracker
        if self.upload_callback is not None and self.upload_callback.tracker is None:
            self.upload_callback.tracker = self.tracker

    # -- around fit ----------------------------------------------------------------------------

    def before_fit(self) -> None:
        if self.trainer.is_global_zero:
            describe_start(
                self.run_directory, self.trainer, self.datamodule, self.upload_callback, self.tracker
            )

    def after_fit(self) -> None:
        if self.trainer.is_global_zero:
            finish_run(self.run_directory, self.trainer, self.upload_callback, self.tracker)

    # -- helpers -------------------------------------------------------------------------------

    def _check_source_exists(self, source: Any) -> None:
        """A missing local path is a usage error now, not a traceback after minutes of setup."""
        for item in source if isinstance(source, list | tuple) else [source]:
            if isinstance(item, str) and "://" not in item and not Path(item).expanduser().exists():
                self.parser.error(f"data.source: {item!r} does not exist (relative to {os.getcwd()})")
