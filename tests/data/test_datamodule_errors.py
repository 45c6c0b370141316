"""Bad input gets an error that says what was wrong and what to change."""

from __future__ import annotations

import pytest

from litcode.curation import CurationConfig
from litcode.data import CodeDataModule, DataPreparationError


def test_missing_source_path_is_named(tmp_path) -> None:
    dm = CodeDataModule(source=tmp_path / "no_such_corpus", cache_dir=tmp_path / "cache")
    with pytest.raises(FileNotFoundError, match="no_such_corpus"):
        dm.prepare_data()


def test_source_emptied_by_filters_lists_drops_by_reason(repo_tree, tmp_path) -> None:
    curation = CurationConfig(languages=["rust"], licenses="off", secrets="off", insecure="off")
    dm = CodeDataModule(source=repo_tree, cache_dir=tmp_path, curation=curation, curation_workers=0)
    with pytest.raises(DataPreparationError, match=r"no sample survived curation .*language=16"):
        dm.prepare_data()


def test_train_split_without_a_full_window_says_what_to_change(repo_tree, tmp_path, curation_config) -> None:
    dm = CodeDataModule(
        source=repo_tree, cache_dir=tmp_path, seq_len=5_000_000, curation=curation_config, curation_workers=0
    )
    with pytest.raises(DataPreparationError, match="smaller seq_len, a smaller val_fraction"):
        dm.prepare_data()


def test_missing_tokenizer_file_is_named(repo_tree, tmp_path, curation_config) -> None:
    dm = CodeDataModule(source=repo_tree, cache_dir=tmp_path, tokenizer=str(tmp_path / "tok.json"))
    with pytest.raises(FileNotFoundError, match=r"tok\.json"):
        dm.prepare_data()


def test_dataloader_before_setup_says_to_run_setup(tmp_path) -> None:
    with pytest.raises(RuntimeError, match=r"setup\(\) must run"):
        CodeDataModule(cache_dir=tmp_path).train_dataloader()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"seq_len": 0}, "seq_len"), ({"val_fraction": 1.0}, "val_fraction"), ({"batch_size": 0}, "batch_size")],
)
def test_invalid_settings_are_rejected_at_construction(tmp_path, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        CodeDataModule(cache_dir=tmp_path, **kwargs)
