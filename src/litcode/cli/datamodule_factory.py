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


def code_datamodule(
    source: str | list[str] | Source | None = None,
    cache_dir: str | None = None,
    seq_len: int = 256,
    batch_size: int = 8,
    tokenizer: str = "byte",
    val_fraction: float = 0.05,
    seed: int = 0,
    num_workers: int = 0,
    curation: CurationConfig | None = None,
    bpe_vocab_size: int = 8192,
    curation_workers: int | None = None,
) -> CodeDataModule:
    """Build a ``CodeDataModule``; see its docstring for every argument.

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
    )
