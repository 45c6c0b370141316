"""A Hugging Face ``datasets`` Dataset, given as an object or a ``save_to_disk`` folder (never the hub)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from litcode.sources.base import Source, SourceError, SourceNotFoundError, SourceRecord
from litcode.sources.columns import ColumnMapping

DEFAULT_BATCH_ROWS = 1000


def import_datasets() -> Any:
    """The ``datasets`` module, or an ImportError that says how to get it (it is an optional extra)."""
    try:
        import datasets
    except ImportError as error:
        raise ImportError(
            "reading Hugging Face datasets needs the optional 'datasets' package: "
            "pip install 'litcode[hf]' (or pip install datasets)"
        ) from error
    return datasets


def is_saved_dataset(path: Path) -> bool:
    """True for a folder written by ``Dataset.save_to_disk`` or ``DatasetDict.save_to_disk``."""
    return (path / "dataset_info.json").is_file() or (path / "dataset_dict.json").is_file()


class HFDatasetSource(Source):
    """Rows of a ``datasets.Dataset`` (or one split of a ``DatasetDict``), read in Arrow batches.

    ``dataset_or_path`` is a Dataset/DatasetDict object or a folder for
    ``datasets.load_from_disk``; nothing is ever downloaded. A DatasetDict
    needs ``split`` unless it has exactly one. Columns are understood as in
    :mod:`litcode.sources.columns`. The fingerprint is the dataset's own
    ``_fingerprint``, which ``datasets`` changes on every transform.

    >>> import datasets
    >>> data = datasets.Dataset.from_dict({"text": ["x = 1"], "language": ["Python"]})
    >>> [(r.sample_id, r.data, r.language) for r in HFDatasetSource(data)]
    [('dataset:0', 'x = 1', 'python')]
    """

    def __init__(
        self,
        dataset_or_path: Any,
        split: str | None = None,
        column_map: Mapping[str, str] | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
        name: str | None = None,
    ) -> None:
        datasets = import_datasets()
        default_name = "dataset"
        if isinstance(dataset_or_path, (str, os.PathLike)):
            path = Path(dataset_or_path).expanduser().absolute()
            if not path.exists():
                raise SourceNotFoundError(f"saved dataset folder does not exist: {path}")
            if not is_saved_dataset(path):
                raise SourceError(f"not a folder written by Dataset.save_to_disk: {path}")
            dataset_or_path = datasets.load_from_disk(str(path))
            default_name = path.name
        if isinstance(dataset_or_path, datasets.DatasetDict):
            dataset_or_path = _pick_split(dataset_or_path, split)
        if not isinstance(dataset_or_path, datasets.Dataset):
            raise SourceError(
                "expected a datasets.Dataset, DatasetDict or save_to_disk folder, "
                f"got {type(dataset_or_path)!r}"
            )
        self.dataset = dataset_or_path
        self.split = split
        self.column_map = dict(column_map) if column_map else None
        self.batch_rows = batch_rows
        self.name = name or default_name
        self.mapping = ColumnMapping.resolve(self.dataset.column_names, self.column_map)

    def __iter__(self) -> Iterator[SourceRecord]:
        index = 0
        for batch in self.dataset.iter(batch_size=self.batch_rows):
            columns = list(batch)
            for values in zip(*(batch[column] for column in columns), strict=True):
                yield self.mapping.to_record(
                    dict(zip(columns, values, strict=True)), f"{self.name}:{index}", self.name
                )
                index += 1

    def provides(self, field: str) -> bool | None:
        return self.mapping.has(field)

    def fingerprint(self) -> str:
        settings = {"column_map": self.column_map, "split": self.split, "name": self.name}
        identity = json.dumps([self.dataset._fingerprint, settings], sort_keys=True)
        return hashlib.sha256(identity.encode()).hexdigest()

    def estimated_count(self) -> int:
        return len(self.dataset)


def _pick_split(dataset_dict: Any, split: str | None) -> Any:
    splits = list(dataset_dict)
    if split is None:
        if len(splits) == 1:
            return dataset_dict[splits[0]]
        raise SourceError(f"the dataset has splits {splits}: pass split=... to choose one")
    if split not in dataset_dict:
        raise SourceError(f"no split {split!r} in the dataset; the splits are {splits}")
    return dataset_dict[split]
