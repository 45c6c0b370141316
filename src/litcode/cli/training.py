"""``litcode fit|validate|test``: LightningCLI wired with litcode's model, data and callbacks.

On top of Lightning's own keys (``trainer``, ``model``, ``data``, ``seed_everything``, ``ckpt_path``)
a config has three blocks whose callbacks are always added — ``metrics``
(``MetricsTrackerCallback``), ``checkpoint`` (``ModelCheckpoint``) — or added when configured —
``upload`` (``CheckpointUploadCallback``, when ``upload.remote_url`` is set). ``model.vocab_size``
follows ``data.vocab_size`` and ``model.block_size`` follows ``data.seq_len``.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Literal, NoReturn

from jsonargparse import Namespace
from pytorch_lightning.callbacks import ModelCheckpoint, ProgressBar
from pytorch_lightning.cli import LightningArgumentParser, LightningCLI
from pytorch_lightning.trainer import Trainer
from pytorch_lightning.utilities import rank_zero_only

from litcode.callbacks import MetricsTrackerCallback
from litcode.callbacks.upload import CheckpointUploadCallback, RemoteConfigurationError, check_remote
from litcode.cli.datamodule_factory import code_datamodule
from litcode.cli.fit_summary import (
    RunLifecycleCallback,
    describe_start,
    finish_run,
    record_stop,
    resume_command,
)
from litcode.cli.interrupts import InterruptGuard, interruption_of
from litcode.cli.loggers import default_logger
from litcode.cli.preflight import PreflightError, missing_source_paths, run_remote, source_problem
from litcode.cli.progress_bar import TokenRateProgressBar
from litcode.cli.resume import ResumePlan, ResumeRefused, apply_plan, follower_checkpoint, plan_resume
from litcode.cli.run_directory import RunDirectory
from litcode.cli.upload_settings import UploadSettings
from litcode.cli.usage import ConciseErrors
from litcode.curation import CurationError
from litcode.data import CodeDataModule
from litcode.metrics import MetricsTracker
from litcode.models import CodeLM

#: Errors a config can cause when classes are built; reported as usage errors (exit code 2).
CONFIG_ERRORS = (ValueError, TypeError, FileNotFoundError, CurationError)
#: ``litcode fit`` finished training, but checkpoints are still pending upload (saved locally, journaled).
EXIT_UPLOADS_PENDING = 3


class FitStopped(Exception):
    """``litcode fit`` stopped early (a signal, a failure) after recording it; carries the exit code."""

    def __init__(self, exit_code: int) -> None:
        super().__init__(f"fit stopped with exit code {exit_code}")
        self.exit_code = exit_code


class LitcodeLightningParser(ConciseErrors, LightningArgumentParser):
    """Lightning's parser with short usage errors and a close-match suggestion."""


class LitcodeCLI(LightningCLI):
    """The Lightning command line of ``litcode`` (``fit``, ``validate``, ``test``).

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
        self.resume_plan: ResumePlan | None = None
        self.remote_base_url: str | None = None
        #: the exit code after a normal end (an end-of-fit check may raise it, e.g. uploads pending)
        self.exit_code = 0
        self.argv = list(sys.argv[1:] if args is None else args)
        kwargs.setdefault("save_config_kwargs", {"overwrite": True})
        kwargs.setdefault("seed_everything_default", 0)
        kwargs.setdefault("auto_configure_optimizers", False)
        kwargs.setdefault("parser_class", LitcodeLightningParser)
        kwargs.setdefault("parser_kwargs", {"prog": "litcode"})
        super().__init__(CodeLM, code_datamodule, args=args, run=run, **kwargs)

    @staticmethod
    def subcommands() -> dict[str, set[str]]:
        """``fit``, ``validate`` and ``test``; Lightning's ``predict`` has no prompt input here."""
        commands = dict(LightningCLI.subcommands())
        commands.pop("predict", None)
        return commands

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
                # One last.ckpt (and one file per name) overwritten in place: a resumed run never
                # writes last-v1.ckpt beside a stale last.ckpt that the next restart would pick.
                "checkpoint.enable_version_counter": False,
            }
        )
        parser.add_argument(
            "--resume",
            type=Literal["auto", "never"],
            default="auto",
            help="fit into a run directory that holds a run: auto resumes from checkpoints/last.ckpt "
            "(refuses when there is none), never starts a new run (the old one moves to previous/)",
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
            # TensorBoard when it is installed (litcode[tensorboard]), else CSV, under the run directory.
            config.trainer.logger = default_logger(self.run_directory.path)
        problem = missing_source_paths(config.data.source)
        if problem:
            self._usage_error(problem)
        if self.subcommand == "fit" and getattr(rank_zero_only, "rank", 0) != 0:
            config.ckpt_path = follower_checkpoint(self.run_directory, config.resume, config.ckpt_path)
        elif self.subcommand == "fit":
            try:
                self.resume_plan = plan_resume(self.run_directory, config.resume, config.ckpt_path)
            except ResumeRefused as error:
                self._usage_error(str(error))
            config.ckpt_path = self.resume_plan.checkpoint

    def instantiate_classes(self) -> None:
        try:
            super().instantiate_classes()
        except CONFIG_ERRORS as error:
            self._usage_error(f"invalid configuration: {error}")

    def instantiate_trainer(self, **kwargs: Any) -> Trainer:
        settings: UploadSettings = self._get(self.config_init, "upload")
        base_url = self.remote_base_url = settings.resolved_remote_url(self.run_directory.path)
        remote_url = self._run_remote_url(base_url, settings) if base_url else None
        configured = self._get(self.config_init, "trainer", default={}).get("callbacks") or []
        configured = list(configured if isinstance(configured, list) else [configured])
        extra: list[Any] = [RunLifecycleCallback()] if self.subcommand == "fit" else []
        wants_bar = self._get(self.config_init, "trainer", default={}).get("enable_progress_bar") is not False
        if wants_bar and not any(isinstance(callback, ProgressBar) for callback in configured):
            extra.append(TokenRateProgressBar())
        if remote_url:
            try:  # credentials, bucket, permission: a remote that cannot work is a usage error now
                check_remote(remote_url, settings.storage_options)
            except RemoteConfigurationError as error:
                self._usage_error(f"upload.remote_url: {error}")
            self.upload_callback = CheckpointUploadCallback(remote_url, **settings.callback_options())
            extra.append(self.upload_callback)
        if extra:
            kwargs["callbacks"] = [*configured, *extra]
        return super().instantiate_trainer(**kwargs)

    def after_instantiate_classes(self) -> None:
        """Move the previous run aside or trim its step log, then one MetricsTracker for the run."""
        if self.subcommand == "fit":
            problem = source_problem(getattr(self.datamodule, "source", None))
            if problem:
                self._usage_error(problem)
        if self.resume_plan is not None:
            # Everything is built and checked: say what this fit does, then do it to the directory.
            print(self.resume_plan.first_line(self.run_directory.path), flush=True)
            checkpoint = apply_plan(self.resume_plan, self.run_directory)
            if checkpoint != self.resume_plan.checkpoint:
                self.config_init[self.subcommand].ckpt_path = checkpoint
        metrics_callback = next(
            (cb for cb in self.trainer.callbacks if isinstance(cb, MetricsTrackerCallback)),  # type: ignore[attr-defined]
            None,
        )
        if metrics_callback is None:
            return
        if metrics_callback.tracker is None:
            metrics_callback.tracker = self._open_tracker()
        self.tracker = metrics_callback.tracker
        if isinstance(self.datamodule, CodeDataModule) and self.datamodule.tracker is None:
            self.datamodule.tracker = self.tracker
        if self.upload_callback is not None and self.upload_callback.tracker is None:
            self.upload_callback.tracker = self.tracker

    # -- around fit ----------------------------------------------------------------------------

    def _run_subcommand(self, subcommand: str) -> None:
        """Run ``fit`` so that a signal or a failure still leaves an honest ``run.json`` and a summary."""
        if subcommand != "fit":
            super()._run_subcommand(subcommand)
            return
        with InterruptGuard() as guard:
            try:
                super()._run_subcommand(subcommand)
            except BaseException as error:
                interruption = interruption_of(error, guard, trainer_interrupted=self.trainer.interrupted)
                if not self.trainer.is_global_zero:
                    raise
                record_stop(
                    self.run_directory,
                    self.trainer,
                    self.upload_callback,
                    interruption,
                    error,
                    resume_command(self.argv, self.run_directory),
                )
                if interruption is not None:
                    raise FitStopped(interruption.exit_code) from None
                raise

    def before_fit(self) -> None:
        if self.trainer.is_global_zero:
            assert self.resume_plan is not None
            describe_start(
                self.run_directory,
                self.trainer,
                self.datamodule,
                self.upload_callback,
                self.tracker,
                self.resume_plan,
                self.remote_base_url,
            )

    def after_fit(self) -> None:
        if self.trainer.is_global_zero:
            finish_run(self.run_directory, self.trainer, self.upload_callback, self.tracker)
            if self.upload_callback is not None and self.upload_callback.pending():
                self.exit_code = EXIT_UPLOADS_PENDING

    # -- helpers -------------------------------------------------------------------------------

    def _usage_error(self, message: str) -> NoReturn:
        """Exit 2 with ``message``, from the subcommand's parser (``litcode fit: error: ...``)."""
        parser = self._subcommand_parsers.get(self.subcommand or "", self.parser)
        parser.error(message)

    def _run_remote_url(self, base_url: str, settings: UploadSettings) -> str:
        if self.resume_plan is None:
            return base_url
        try:
            return run_remote(base_url, self.resume_plan, self.run_directory, settings.storage_options or {})
        except PreflightError as error:
            self._usage_error(str(error))

    def _open_tracker(self) -> MetricsTracker:
        """A resumed run continues its metrics (history and step log); a new run starts its own."""
        metrics_file = self.run_directory.metrics_file
        resumed = self.resume_plan is not None and not self.resume_plan.new_run
        if resumed and (metrics_file.exists() or metrics_file.with_suffix(".steps.jsonl").exists()):
            try:
                return MetricsTracker.load(metrics_file)
            except (OSError, ValueError):
                pass  # damaged: keep the file, append to it with a fresh tracker
        return MetricsTracker(metrics_file)
