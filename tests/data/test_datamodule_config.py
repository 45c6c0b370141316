"""A YAML config (jsonargparse, as LightningCLI reads it) builds the datamodule and its curation config."""

from __future__ import annotations

from jsonargparse import ArgumentParser

from litcode.curation import CurationConfig
from litcode.data import CodeDataModule

CONFIG = """
data:
  source: corpus/
  seq_len: 64
  batch_size: 4
  tokenizer: bpe
  bpe_vocab_size: 1024
  curation:
    licenses: "off"
    min_quality_score: 0.2
"""


def test_yaml_config_builds_datamodule_with_curation_dataclass() -> None:
    parser = ArgumentParser()
    parser.add_class_arguments(CodeDataModule, "data")
    dm = parser.instantiate(parser.parse_string(CONFIG)).data
    assert isinstance(dm.curation, CurationConfig)
    assert (dm.curation.licenses, dm.curation.min_quality_score) == ("off", 0.2)
    assert (dm.seq_len, dm.batch_size, dm.settings.tokenizer, dm.settings.bpe_vocab_size) == (
        64,
        4,
        "bpe",
        1024,
    )
