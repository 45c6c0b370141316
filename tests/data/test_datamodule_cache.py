"""prepare_data builds once per fingerprint, rebuilds what it cannot trust, and never half-publishes."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

import litcode.curation
from litcode.data import CodeDataModule


def make_dm(source: Path, cache_dir: Path, curation: Any, **overrides: Any) -> CodeDataModule:
    settings: dict[str, Any] = {"seq_len": 32, "batch_size": 2, "val_fraction": 0.25, "curation_workers": 0}
    settings.update(overrides)
    return CodeDataModule(source=source, cache_dir=cache_dir, curation=curation, **settings)


def test_second_prepare_with_same_settings_does_not_curate_again(
    repo_tree, tmp_path, curation_config, mocker
) -> None:
    curate = mocker.spy(litcode.curation, "curate")
    make_dm(repo_tree, tmp_path, curation_config).prepare_data()
    make_dm(repo_tree, tmp_path, curation_config).prepare_data()
    assert curate.call_count == 1


def test_cache_lives_in_a_fingerprint_directory_under_cache_dir(repo_tree, tmp_path, curation_config) -> None:
    dm = make_dm(repo_tree, tmp_path, curation_config)
    dm.prepare_data()
    assert dm.cache_path().parent == tmp_path
    assert (dm.cache_path() / "COMPLETE").is_file()
    assert (dm.cache_path() / "curation" / "manifest.sqlite").is_file()


@pytest.mark.parametrize(
    "change",
    [
        {"seq_len": 16},
        {"seed": 1},
        {"val_fraction": 0.5},
        {"tokenizer": "bpe", "bpe_vocab_size": 300},
        {"fim_rate": 0.5},
        {"repo_level": True},
    ],
)
def test_changed_setting_gets_a_new_cache(repo_tree, tmp_path, curation_config, change) -> None:
    base = make_dm(repo_tree, tmp_path, curation_config)
    assert make_dm(repo_tree, tmp_path, curation_config, **change).cache_path() != base.cache_path()


def test_changed_curation_config_gets_a_new_cache(repo_tree, tmp_path, curation_config) -> None:
    stricter = litcode.curation.CurationConfig(**{**curation_config.to_dict(), "min_quality_score": 0.9})
    assert (
        make_dm(repo_tree, tmp_path, stricter).cache_path()
        != make_dm(repo_tree, tmp_path, curation_config).cache_path()
    )


def test_edited_source_file_invalidates_the_cache(fresh_repo_tree, tmp_path, curation_config, mocker) -> None:
    make_dm(fresh_repo_tree, tmp_path, curation_config).prepare_data()
    with open(fresh_repo_tree / "json" / "tool.py", "a") as handle:
        handle.write("\n# an edit\n")
    curate = mocker.spy(litcode.curation, "curate")
    make_dm(fresh_repo_tree, tmp_path, curation_config).prepare_data()
    assert curate.call_count == 1


def test_corrupt_shard_is_detected_and_rebuilt_with_a_warning(repo_tree, tmp_path, curation_config) -> None:
    dm = make_dm(repo_tree, tmp_path, curation_config)
    dm.prepare_data()
    shard = dm.cache_path() / "train-00000.bin"
    original = shard.read_bytes()
    shard.write_bytes(bytes([original[0] ^ 0xFF]) + original[1:])
    with pytest.warns(UserWarning, match="checksum mismatch"):
        make_dm(repo_tree, tmp_path, curation_config).prepare_data()
    assert shard.read_bytes() == original


def test_foreign_directory_under_the_fingerprint_is_replaced(repo_tree, tmp_path, curation_config) -> None:
    dm = make_dm(repo_tree, tmp_path, curation_config)
    dm.cache_path().mkdir(parents=True)
    (dm.cache_path() / "stray.txt").write_text("not ours")
    with pytest.warns(UserWarning, match="rebuilding"):
        dm.prepare_data()
    assert not (dm.cache_path() / "stray.txt").exists()
    assert (dm.cache_path() / "COMPLETE").is_file()


def test_failed_build_publishes_nothing(repo_tree, tmp_path, curation_config) -> None:
    dm = make_dm(repo_tree, tmp_path, curation_config, seq_len=10_000_000)
    with pytest.raises(ValueError, match="seq_len"):
        dm.prepare_data()
    assert [path.name for path in tmp_path.iterdir() if not path.name.endswith(".lock")] == []


def _prepare_in_child(source: str, cache_dir: str, log: str) -> None:
    real_curate = litcode.curation.curate

    def logged_curate(*args: Any, **kwargs: Any) -> Any:
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        return real_curate(*args, **kwargs)

    litcode.curation.curate = logged_curate
    curation = litcode.curation.CurationConfig(licenses="off", secrets="off", insecure="off")
    make_dm(Path(source), Path(cache_dir), curation).prepare_data()


def test_concurrent_processes_curate_once_and_share_the_cache(repo_tree, tmp_path) -> None:
    log = tmp_path / "curate_calls.log"
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_prepare_in_child, args=(str(repo_tree), str(tmp_path / "cache"), str(log)))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert len(log.read_text().splitlines()) == 1
    assert len([p for p in (tmp_path / "cache").iterdir() if p.is_dir()]) == 1


def test_cache_copied_from_another_fingerprint_is_rebuilt(repo_tree, tmp_path, curation_config) -> None:
    built = make_dm(repo_tree, tmp_path, curation_config, seq_len=32)
    built.prepare_data()
    wanted = make_dm(repo_tree, tmp_path, curation_config, seq_len=16)
    shutil.copytree(built.cache_path(), wanted.cache_path())
    with pytest.warns(UserWarning, match="foreign cache"):
        wanted.prepare_data()
    wanted.setup("fit")
    assert next(iter(wanted.train_dataloader()))["input_ids"].shape[1] == 16


def test_fim_spm_rate_matters_only_when_fim_is_on(repo_tree, tmp_path, curation_config) -> None:
    def path(**change):
        return make_dm(repo_tree, tmp_path, curation_config, **change).cache_path()

    assert path(fim_spm_rate=0.1) == path()
    assert path(fim_rate=0.5, fim_spm_rate=0.1) != path(fim_rate=0.5)
