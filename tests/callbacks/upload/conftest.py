"""Fixtures for upload tests: a tiny Trainer, fake clocks and sleeps, and a real S3 server on loopback.

The S3 side is moto's server (``ThreadedMotoServer``) reached through s3fs.
A second loopback server answers from the same moto backend through a fault
injector that, by a fixed seed, delays requests, resets connections and
answers 503 SlowDown; tests pick the endpoint they need.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytorch_lightning as pl
from pytorch_lightning.callbacks import Callback, ModelCheckpoint
from pytorch_lightning.demos.boring_classes import BoringModel

from litcode.resilience import CircuitBreaker, RetryPolicy

S3_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


# -- time --------------------------------------------------------------------------------


class FakeClock:
    """A monotonic clock tests move by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordingSleep:
    """Stands in for the retry wait: records each requested delay, returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self._lock:
            self.delays.append(seconds)


@pytest.fixture(autouse=True)
def checkpoint_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Verified remote downloads go under the test's tmp dir, never ``~/.cache``."""
    cache = tmp_path / "checkpoint-cache"
    monkeypatch.setenv("LITCODE_CHECKPOINT_CACHE", str(cache))
    return cache


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake_sleep() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def fast_retry() -> RetryPolicy:
    """Full jitter and a deadline, as in production; the waits go to the fake sleep."""
    return RetryPolicy(max_retries=8, base_delay=0.5, max_delay=4.0, jitter=True, deadline=60.0)


@pytest.fixture
def patient_breaker(fake_clock: FakeClock) -> CircuitBreaker:
    """A breaker that tolerates the injected failure rate but opens on an outage."""
    return CircuitBreaker(failure_threshold=12, recovery_timeout=30.0, name="test-upload", clock=fake_clock)


# -- a tiny Trainer ----------------------------------------------------------------------------


def make_trainer(root: Path, callbacks: list[Callback], max_steps: int = 6, **kwargs: Any) -> pl.Trainer:
    """CPU, no logger, no progress bar: a fit of a 32x2 linear model takes well under a second."""
    options: dict[str, Any] = {
        "default_root_dir": str(root),
        "max_steps": max_steps,
        "limit_val_batches": 0,
        "logger": False,
        "enable_progress_bar": False,
        "enable_model_summary": False,
        "accelerator": "cpu",
        "devices": 1,
    }
    options.update(kwargs)
    return pl.Trainer(callbacks=callbacks, **options)


def every_step_checkpoint(root: Path, **kwargs: Any) -> ModelCheckpoint:
    """Keep every checkpoint, one per optimizer step, plus ``last.ckpt``."""
    options: dict[str, Any] = {
        "dirpath": str(root / "checkpoints"),
        "every_n_train_steps": 1,
        "save_top_k": -1,
        "save_last": True,
    }
    options.update(kwargs)
    return ModelCheckpoint(**options)


@pytest.fixture
def model() -> BoringModel:
    return BoringModel()


# -- S3 on loopback ----------------------------------------------------------------------------


class FaultInjector:
    """WSGI middleware in front of moto: by a seeded RNG, delay, reset the connection, or answer 503/500."""

    SLOW_DOWN = (
        b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
        b"<Message>Please reduce your request rate.</Message></Error>"
    )
    INTERNAL = (
        b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code>'
        b"<Message>We encountered an internal error. Please try again.</Message></Error>"
    )

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self._lock = threading.Lock()
        self.configure()

    def configure(
        self, failure_rate: float = 0.0, seed: int = 0, delay: float = 0.0, outage: bool = False
    ) -> None:
        with self._lock:
            self.failure_rate = failure_rate
            self.delay = delay
            self.outage = outage
            self.rng = random.Random(seed)
            self.requests = 0
            self.injected: dict[str, int] = {"503": 0, "500": 0, "reset": 0}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with self._lock:
            self.requests += 1
            roll, kind = self.rng.random(), self.rng.choice(("503", "500", "reset"))
            fail = self.outage or roll < self.failure_rate
            if fail:
                kind = "503" if self.outage else kind
                self.injected[kind] += 1
        if self.delay:
            time.sleep(self.delay)
        if not fail:
            return self.app(environ, start_response)
        _drain_body(environ)
        if kind == "reset":
            connection = environ.get("werkzeug.socket")
            if connection is not None:
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                connection.close()  # RST: the client sees "connection reset by peer"
            start_response("500 Internal Server Error", [("Content-Length", "0")])
            return [b""]
        status, body = ("503 Slow Down", self.SLOW_DOWN) if kind == "503" else ("500 Internal", self.INTERNAL)
        start_response(status, [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
        return [body]


def _drain_body(environ: dict[str, Any]) -> None:
    stream = environ.get("wsgi.input")
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if stream is not None and length:
        stream.read(length)


class S3Endpoints:
    """The clean endpoint, the faulty one (same data), and helpers to make buckets and options."""

    def __init__(self, clean: str, faulty: str, injector: FaultInjector) -> None:
        from aiobotocore.session import AioSession

        self.clean = clean
        self.faulty = faulty
        self.injector = injector
        self.session = AioSession()  # shared: loading botocore's service models costs ~0.5 s per session

    def options(self, faulty: bool = False) -> dict[str, Any]:
        return {
            "key": "testing",
            "secret": "testing",
            "session": self.session,
            "client_kwargs": {
                "endpoint_url": self.faulty if faulty else self.clean,
                "region_name": "us-east-1",
            },
            "config_kwargs": {"connect_timeout": 2, "read_timeout": 5},
        }

    def make_bucket(self) -> str:
        import boto3

        name = f"ckpt-{uuid.uuid4().hex[:12]}"
        boto3.client("s3", endpoint_url=self.clean, region_name="us-east-1").create_bucket(Bucket=name)
        return name


@pytest.fixture(scope="session")
def s3_endpoints() -> Iterator[S3Endpoints]:
    pytest.importorskip("s3fs")
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    from moto.server import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per request is noise
    saved = {key: os.environ.get(key) for key in S3_CREDENTIALS}
    os.environ.update(S3_CREDENTIALS)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    injector = FaultInjector(DomainDispatcherApplication(create_backend_app))
    faulty_server = make_server("127.0.0.1", 0, injector, threaded=True)
    thread = threading.Thread(target=faulty_server.serve_forever, daemon=True)
    thread.start()
    faulty_port = faulty_server.server_address[1]
    yield S3Endpoints(f"http://{host}:{port}", f"http://127.0.0.1:{faulty_port}", injector)
    faulty_server.shutdown()
    server.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def s3(s3_endpoints: S3Endpoints) -> Iterator[S3Endpoints]:
    """The loopback S3 server with its fault injector reset to "no faults"."""
    s3_endpoints.injector.configure()
    yield s3_endpoints
    s3_endpoints.injector.configure()


# -- an in-process remote with faults ---------------------------------------------------------


class FlakyRemote:
    """Controls for a memory filesystem registered under its own protocol, which fails on demand.

    ``failure_rate`` (seeded): writes fail with a transient ``ConnectionResetError``;
    ``outage``: every call fails so; ``permanent``: writes raise this error;
    ``gate``: writes of names containing ``gate_substring`` wait for it (a stuck upload).
    """

    def __init__(self, protocol: str) -> None:
        from fsspec.implementations.memory import MemoryFileSystem

        self.protocol = protocol
        self.url = f"{protocol}://bucket/run"
        self.failure_rate = 0.0
        self.rng = random.Random(0)
        self.outage = False
        self.permanent: BaseException | None = None
        self.gate = threading.Event()
        self.gate.set()
        self.gate_substring = ""
        self.gate_entered = threading.Event()
        self.writes = 0
        self.failures = 0
        self._lock = threading.Lock()
        controls = self

        class FlakyMemoryFileSystem(MemoryFileSystem):
            store: dict = {}
            pseudo_dirs = [""]

            @classmethod
            def _strip_protocol(cls, path: str) -> str:
                return super()._strip_protocol(path.removeprefix(f"{protocol}://"))

            def put_file(self, lpath: str, rpath: str, **kwargs: Any) -> None:
                controls.before_write(rpath)
                super().put_file(lpath, rpath, **kwargs)

            def pipe_file(self, path: str, value: bytes, *args: Any, **kwargs: Any) -> None:
                controls.before_write(path)
                super().pipe_file(path, value, *args, **kwargs)

            def rm(self, path: Any, recursive: bool = False, maxdepth: int | None = None) -> None:
                if controls.outage:  # deletions fail only in an outage, apart from the seeded write faults
                    raise ConnectionResetError(104, "Connection reset by peer (injected, delete)")
                super().rm(path, recursive=recursive, maxdepth=maxdepth)

        FlakyMemoryFileSystem.protocol = (protocol,)
        self.filesystem_class = FlakyMemoryFileSystem
        import fsspec

        fsspec.register_implementation(protocol, FlakyMemoryFileSystem, clobber=True)

    def before_write(self, path: str) -> None:
        if self.gate_substring and self.gate_substring in path:
            self.gate_entered.set()
            assert self.gate.wait(10), "test gate never opened"
        with self._lock:
            self.writes += 1
            if self.permanent is not None:
                self.failures += 1
                raise self.permanent
            if self.outage or self.rng.random() < self.failure_rate:
                self.failures += 1
                raise ConnectionResetError(104, "Connection reset by peer (injected)")

    def block(self, substring: str) -> None:
        self.gate_substring = substring
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()

    def read(self, name: str) -> bytes:
        return bytes(self.filesystem_class().cat_file(f"{self.url}/{name}"))

    def exists(self, name: str) -> bool:
        return bool(self.filesystem_class().exists(f"{self.url}/{name}"))

    def latest(self) -> dict[str, Any]:
        import json

        return dict(json.loads(self.read("latest.json")))


@pytest.fixture
def flaky_remote() -> Iterator[FlakyRemote]:
    remote = FlakyRemote(f"flaky{uuid.uuid4().hex[:8]}")
    yield remote
    remote.release()
