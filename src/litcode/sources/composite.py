"""Several sources read one after another as one, with sample ids kept unique."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace

from litcode.sources.base import Source, SourceError, SourceRecord


class CompositeSource(Source):
    """Chains sources in the order given.

    With two or more sources every ``sample_id`` becomes ``"<label>/<id>"``,
    the label being the source's ``name`` (``"<name>~<index>"`` when two
    sources share a name), so ids stay unique across sources. With one source
    ids are left as they are.

    >>> class Fixed(Source):
    ...     def __init__(self, name): self.name = name
    ...     def __iter__(self): yield SourceRecord("a.py", data=b"x = 1")
    ...     def fingerprint(self): return self.name
    >>> [r.sample_id for r in CompositeSource([Fixed("one"), Fixed("two")])]
    ['one/a.py', 'two/a.py']
    """

    def __init__(self, sources: Sequence[Source], name: str = "composite") -> None:
        if not sources:
            raise SourceError("a composite source needs at least one source")
        self.sources = list(sources)
        self.name = name
        counts = Counter(source.name for source in self.sources)
        self.labels = [
            source.name if counts[source.name] == 1 else f"{source.name}~{index}"
            for index, source in enumerate(self.sources)
        ]

    def __iter__(self) -> Iterator[SourceRecord]:
        prefix = len(self.sources) > 1
        for label, source in zip(self.labels, self.sources, strict=True):
            for record in source:
                yield replace(record, sample_id=f"{label}/{record.sample_id}") if prefix else record

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for label, source in zip(self.labels, self.sources, strict=True):
            digest.update(f"{label}\0{source.fingerprint()}\0".encode())
        return digest.hexdigest()

    def provides(self, field: str) -> bool | None:
        answers = [source.provides(field) for source in self.sources]
        if any(answers):
            return True
        return False if all(answer is False for answer in answers) else None

    @property
    def location(self) -> str:
        return ", ".join(source.location for source in self.sources)

    def with_read_limit(self, max_bytes: int | None) -> CompositeSource:
        limited = [source.with_read_limit(max_bytes) for source in self.sources]
        if all(new is old for new, old in zip(limited, self.sources, strict=True)):
            return self
        return CompositeSource(limited, name=self.name)

    def estimated_count(self) -> int | None:
        counts = [source.estimated_count() for source in self.sources]
        return None if any(count is None for count in counts) else sum(c for c in counts if c is not None)
