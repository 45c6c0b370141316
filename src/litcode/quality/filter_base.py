"""The two shapes of a per-sample step, datatrove style: a pure keep/drop :class:`Filter` with a
named reason, and a :class:`Transform` that returns the sample changed (scored, redacted, tagged)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from litcode.quality.sample import CodeSample


class Filter(ABC):
    """A pure keep/drop decision over one sample.

    Subclasses set ``reason`` (a word from the manifest's drop-reason vocabulary)
    and implement :meth:`keep`; :meth:`explain` may say what exactly failed (it fills
    the manifest's ``detail``). Bookkeeping — counts, timing, manifest rows — is the
    chain's job (:class:`~litcode.quality.chain.SampleChain`), never the filter's.

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
        """True to keep the sample, False to drop it with :attr:`reason`. Must not change the sample."""

    def explain(self, sample: CodeSample) -> str | None:
        """Called only after :meth:`keep` said False: the drop's detail (a rule, an SPDX id), or None."""
        return None

    @property
    def name(self) -> str:
        """How reports name this step."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"{type(self).__name__}(reason={self.reason!r})"


class Transform(ABC):
    """A step that never drops: it returns the sample with something filled in or rewritten.

    >>> class Upper(Transform):
    ...     def apply(self, sample: CodeSample) -> CodeSample:
    ...         sample.content = sample.content.upper()
    ...         return sample
    >>> Upper().apply(CodeSample("x = 1", "python", {})).content
    'X = 1'
    """

    @abstractmethod
    def apply(self, sample: CodeSample) -> CodeSample:
        """The sample after this step (the same object changed in place, or a new one)."""

    @property
    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


Step = Filter | Transform
