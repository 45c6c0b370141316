"""The ``upload:`` block of a training config, derived from ``CheckpointUploadCallback``'s signature.

Defaults live in one place, the callback: every keyword it takes that a config
can hold becomes a field here with the same type and default (so none is
dropped and none disagrees), and its ``Args:`` lines become the help. Two
fields are the CLI's own: ``remote_url`` may be unset (no upload callback at
all) and may hold ``{run_dir}``; ``breaker`` is :class:`BreakerSettings`, the
numbers of the callback's default breaker, instead of a live object.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litcode.callbacks.upload import (
    DEFAULT_FAILURE_THRESHOLD,
    DEFAULT_RECOVERY_TIMEOUT,
    CheckpointUploadCallback,
    check_remote,
)
from litcode.resilience import CircuitBreaker

#: Replaced by the run directory (absolute) in ``remote_url``, so one config serves many runs.
RUN_DIR_PLACEHOLDER = "{run_dir}"

#: Callback keywords that are live objects, not configuration.
RUNTIME_ONLY = frozenset({"self", "remote_url", "breaker", "tracker", "sleep"})


@dataclass
class BreakerSettings:
    """The circuit breaker that guards the remote: open after ``failure_threshold`` failures in a row.

    Args:
        failure_threshold: consecutive failed attempts that open the breaker.
        recovery_timeout: seconds an open breaker waits before one trial call.

    >>> breaker = UploadSettings("s3://b/run", breaker=BreakerSettings(failure_threshold=3)).build_breaker()
    >>> breaker.failure_threshold, breaker.recovery_timeout, breaker.state == "closed"
    (3, 30.0, True)
    """

    failure_threshold: int = DEFAULT_FAILURE_THRESHOLD
    recovery_timeout: float = DEFAULT_RECOVERY_TIMEOUT


class UploadSettingsBase:
    """What every ``UploadSettings`` can do with its fields."""

    remote_url: str | None
    breaker: BreakerSettings | None

    def resolved_remote_url(self, run_dir: Path) -> str | None:
        if not self.remote_url:
            return None
        return self.remote_url.replace(RUN_DIR_PLACEHOLDER, str(run_dir.absolute()))

    def build_breaker(self) -> CircuitBreaker | None:
        if self.breaker is None:
            return None
        return CircuitBreaker(
            failure_threshold=self.breaker.failure_threshold,
            recovery_timeout=self.breaker.recovery_timeout,
            name="checkpoint-upload",
        )

    def callback_options(self) -> dict[str, Any]:
        """The callback's keyword arguments (all but ``remote_url``), breaker built."""
        options = {item.name: getattr(self, item.name) for item in dataclasses.fields(self)}  # type: ignore[arg-type]
        options.pop("remote_url")
        options["breaker"] = self.build_breaker()
        return options

    def build_callback(self, run_dir: Path) -> CheckpointUploadCallback | None:
        """The configured callback, or None when no ``remote_url`` is set."""
        remote_url = self.resolved_remote_url(run_dir)
        return CheckpointUploadCallback(remote_url, **self.callback_options()) if remote_url else None

    def preflight(self, run_dir: Path) -> None:
        """Check the remote and credentials now; raises ``RemoteConfigurationError`` saying what to fix."""
        remote_url = self.resolved_remote_url(run_dir)
        if remote_url:
            check_remote(remote_url, self.storage_options)  # type: ignore[attr-defined]


def _argument_help(docstring: str) -> dict[str, str]:
    """``name: text`` lines of an ``Args:`` section (``a / b: text`` gives both names the text)."""
    helps: dict[str, str] = {}
    for names, text in re.findall(r"^\s{8}([\w ,/]+):\s+(.+)$", docstring, flags=re.MULTILINE):
        for name in re.split(r"[ ,/]+", names.strip()):
            helps[name] = text.strip()
    return helps


def _derived_fields() -> list[tuple[str, Any, Any]]:
    hints = typing.get_type_hints(CheckpointUploadCallback.__init__)
    fields: list[tuple[str, Any, Any]] = [
        ("remote_url", str | None, dataclasses.field(default=None)),
        ("breaker", BreakerSettings | None, dataclasses.field(default=None)),
    ]
    for name, parameter in inspect.signature(CheckpointUploadCallback.__init__).parameters.items():
        if name in RUNTIME_ONLY:
            continue
        hint = hints[name]
        if name == "staging_dir":
            hint = str | None  # a path from YAML
        if name == "storage_options":
            hint = dict[str, Any] | None
        fields.append((name, hint, dataclasses.field(default=parameter.default)))
    return fields


def _settings_docstring() -> str:
    helps = _argument_help(CheckpointUploadCallback.__doc__ or "")
    helps["remote_url"] = "any fsspec URL (s3://bucket/run, file:///mnt/ckpt); {run_dir} is the run directory"
    helps["breaker"] = "the circuit breaker's numbers; unset keeps the callback's default breaker"
    lines = [f"        {name}: {helps.get(name, name.replace('_', ' '))}" for name, _, _ in _derived_fields()]
    return (
        "Options of ``CheckpointUploadCallback``; no ``remote_url`` means no upload callback at all.\n\n"
        "    >>> UploadSettings('file://{run_dir}/remote').resolved_remote_url(Path('/runs/a'))\n"
        "    'file:///runs/a/remote'\n\n    Args:\n" + "\n".join(lines) + "\n"
    )


if TYPE_CHECKING:

    @dataclass
    class UploadSettings(UploadSettingsBase):
        remote_url: str | None = None
        breaker: BreakerSettings | None = None
        storage_options: dict[str, Any] | None = None

        def __init__(self, remote_url: str | None = None, **options: Any) -> None: ...

else:
    UploadSettings = dataclasses.make_dataclass(
        "UploadSettings",
        _derived_fields(),
        bases=(UploadSettingsBase,),
        namespace={"__doc__": _settings_docstring(), "__module__": __name__},
    )
