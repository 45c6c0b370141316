"""The real ``litcode`` console script as a subprocess: start it, wait for what it says, signal it."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cli.tiny_run import REPO_ROOT

LITCODE = str(Path(sys.executable).parent / "litcode")
DEADLINE = 240.0


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str

    @property
    def first_line(self) -> str:
        return self.stdout.splitlines()[0] if self.stdout else ""


@dataclass
class LitcodeProcess:
    """A running ``litcode`` in its own process group (a terminal's Ctrl-C reaches the whole group)."""

    args: list[str]
    process: subprocess.Popen[str] = field(init=False)
    _lines: queue.Queue[str] = field(init=False, default_factory=queue.Queue)
    _stdout: list[str] = field(init=False, default_factory=list)
    _stderr: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.process = subprocess.Popen(
            [LITCODE, *self.args],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            start_new_session=True,
        )
        self._threads = [
            threading.Thread(target=self._pump, args=(self.process.stdout, self._stdout, True), daemon=True),
            threading.Thread(target=self._pump, args=(self.process.stderr, self._stderr, False), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _pump(self, stream: object, into: list[str], announce: bool) -> None:
        for line in stream:  # type: ignore[attr-defined]
            into.append(line)
            if announce:
                self._lines.put(line)

    def wait_for_line(self, text: str) -> str:
        """Block until stdout prints a line containing ``text`` (fails if the process ends first)."""
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self._lines.empty():
                    raise AssertionError(
                        f"litcode ended before printing {text!r}:\n{self.output()}"
                    ) from None
                continue
            if text in line:
                return line
        raise AssertionError(f"litcode did not print {text!r} in time:\n{self.output()}")

    def wait_until(self, condition: Callable[[], bool], what: str) -> None:
        """Poll ``condition`` (a file appearing, a row committed) until it holds."""
        deadline = time.monotonic() + DEADLINE
        while not condition():
            if self.process.poll() is not None:
                raise AssertionError(f"litcode ended before {what}:\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{self.output()}")
            time.sleep(0.05)

    def signal_group(self, signum: int) -> None:
        os.killpg(self.process.pid, signum)

    def finish(self, timeout: float = DEADLINE) -> Finished:
        try:
            returncode = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise
        for thread in self._threads:
            thread.join(timeout=10)  # both pipes drained to their end
        return Finished(returncode, "".join(self._stdout), "".join(self._stderr))

    def output(self) -> str:
        return "".join(self._stdout) + "\n--- stderr ---\n" + "".join(self._stderr)[-4000:]


def run_litcode(*args: str) -> Finished:
    """Run ``litcode`` to the end."""
    return LitcodeProcess(list(args)).finish()
