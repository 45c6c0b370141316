"""The shape every keep/drop step shares, datatrove style: one method, one named reason."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from litcode.quality.sample import CodeSample


class Filter(ABC):
    """A pure keep/drop decision over one sample.

    Subclasses set ``reason`` (a word from the manifest's drop-reason vocabulary)
    and implement :meth:`keep`. Bookkeeping — counts, timing, manifest rows — is
    the pipeline's job, never the filter's.

    >>> class NotEmpty(Filter):
    ...     reason = "empty"
    ...     def keep(self, sample: CodeSample) -> bool:
    ...         return bool(sample.content.strip())
    >>> NotEmpty().keep(CodeSample("", "python", {}))
    False
    """

    reason: ClassVar[str]

    @abstractmethod
    def keep(self, sample: CodeSample) -> bool:
        """True to keep the sample, False to drop it with :attr:`reason`."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(reason={self.reason!r})"
