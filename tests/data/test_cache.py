from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from litcode.data import cache


def test_fingerprint_changes_with_any_part() -> None:
    base = {"seq_len": 256, "tokenizer": {"kind": "byte"}, "source": "abc"}
    assert cache.fingerprint(base) != cache.fingerprint({**base, "seq_len": 128})
    assert cache.fingerprint(base) != cache.fingerprint({**base, "source": "abd"})


def test_fingerprint_ignores_key_order() -> None:
    assert cache.fingerprint({"a": 1, "b": {"x": 1, "y": 2}}) == cache.fingerprint(
        {"b": {"y": 2, "x": 1}, "a": 1}
    )


def test_default_cache_dir_honours_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("LITCODE_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.default_cache_dir() == tmp_path / "mine"


def test_default_cache_dir_falls_back_to_xdg_cache(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("LITCODE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.default_cache_dir() == tmp_path / "litcode" / "data"


def test_publish_moves_staging_into_place(tmp_path) -> None:
    final = tmp_path / "fp"
    with cache.staging_directory(final) as staging:
        (staging / "data.bin").write_bytes(b"new")
        cache.publish(staging, final)
    assert (final / "data.bin").read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["fp"]


def test_publish_replaces_a_stale_directory(tmp_path) -> None:
    final = tmp_path / "fp"
    final.mkdir()
    (final / "old.bin").write_bytes(b"old")
    with cache.staging_directory(final) as staging:
        (staging / "new.bin").write_bytes(b"new")
        cache.publish(staging, final)
    assert sorted(p.name for p in final.iterdir()) == ["new.bin"]
    assert [p.name for p in tmp_path.iterdir()] == ["fp"]


def test_failed_build_leaves_no_directory_behind(tmp_path) -> None:
    final = tmp_path / "fp"
    with pytest.raises(RuntimeError), cache.staging_directory(final) as staging:
        (staging / "half.bin").write_bytes(b"half")
        raise RuntimeError("crash mid-build")
    assert list(tmp_path.iterdir()) == []


def _hold_lock(lock_path: str, log_path: str, hold_seconds: float) -> None:
    with cache.exclusive_lock(lock_path):
        with open(log_path, "a") as log:
            log.write(f"enter {time.monotonic()}\n")
        time.sleep(hold_seconds)
        with open(log_path, "a") as log:
            log.write(f"exit {time.monotonic()}\n")


def test_exclusive_lock_serializes_processes(tmp_path) -> None:
    lock, log = str(tmp_path / "x.lock"), str(tmp_path / "log")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_hold_lock, args=(lock, log, 0.03)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=10)
    events = [line.split()[0] for line in Path(log).read_text().splitlines()]
    assert events == ["enter", "exit", "enter", "exit"]
