"""``CodeDataModule`` as the CLI builds it: the same arguments, with types jsonargparse can check.

``CodeDataModule`` takes ``source`` and ``curation`` loosely typed (a Python caller may hand it a
``datasets.Dataset``). The command line needs them typed, so that ``data.curation`` is a real
``CurationConfig`` block — unknown keys and wrong types are usage errors, and
``--data.curation.languages [python]`` overrides one field of the YAML block instead of replacing
it — and ``data.source`` is a path, a list of paths or a ``litcode.sources`` class
(``class_path: litcode.sources.StdlibSource``). ``tracker`` is wired by the CLI itself.
"""

# No ``from __future__ import annotations`` here: LightningCLI reads the return annotation of
# the factory at run time and needs the class itself, not its name.

from litcode.curation import CurationConfig
from litcode.data import CodeDataModule
from litcode.sources import Source

#: ``data.curation``'s default: a plain block (not ``Optional``), so every field is a documented
#: ``--data.curation.*`` flag and a typo in it is an unknown key, not a Union dump.
DEFAULT_CURATION = CurationConfig()


def code_datamodule(
    source: str | list[str] | Source | None = None,
    cache_dir: str | None = None,
    seq_len: int = 256,
    batch_size: int = 8,
    tokenizer: str = "byte",
    val_fraction: float = 0.05,
    seed: int = 0,
    num_workers: int = 0,
    curation: CurationConfig = DEFAULT_CURATION,
    bpe_vocab_size: int = 8192,
    curation_workers: int | None = None,
    fim_rate: float = 0.0,
    fim_spm_rate: float = 0.5,
    repo_level: bool = False,
    language_weights: dict[str, float] | None = None,
) -> CodeDataModule:
    """Build a ``CodeDataModule`` (the ``data:`` block of a training config).

    Args:
        source: a directory of repositories, a .jsonl(.gz/.zst) or .parquet file, a list, a
            ``litcode.sources`` class (``class_path``/``init_args``), or null for the stdlib.
        cache_dir: root of the prepared-data cache; null: $LITCODE_CACHE_DIR or ~/.cache/litcode/data.
        seq_len: tokens per training example (the model's context follows it).
        batch_size: examples per batch, per device.
        tokenizer: ``byte``, ``bpe`` (trained on the train split) or a path to a tokenizer.json.
        val_fraction: share of repositories held out for validation.
        seed: seed of the repository split and the shuffle.
        num_workers: DataLoader worker processes.
        curation: the curation thresholds and policies (``CurationConfig``).
        bpe_vocab_size: vocabulary size of the ``bpe`` tokenizer.
        curation_workers: processes for curation; null: one per CPU.
        fim_rate: share of documents turned into fill-in-the-middle examples (StarCoder's way).
        fim_spm_rate: share of those in suffix-prefix-middle order; the rest are prefix-suffix-middle.
        repo_level: one document per repository (its files in path order, StarCoder2's layout).
        language_weights: the train split's language mix, e.g. ``{python: 2.0, c: 0.5, "*": 1.0}``.

    >>> code_datamodule(seq_len=64, curation=CurationConfig(languages=["python"])).seq_len
    64
    """
    return CodeDataModule(
        source=source,
        cache_dir=cache_dir,
        seq_len=seq_len,
        batch_size=batch_size,
        tokenizer=tokenizer,
        val_fraction=val_fraction,
        seed=seed,
        num_workers=num_workers,
        curation=curation,
        bpe_vocab_size=bpe_vocab_size,
        curation_workers=curation_workers,
        fim_rate=fim_rate,
        fim_spm_rate=fim_spm_rate,
        repo_level=repo_level,
        language_weights=language_weights,
    )
