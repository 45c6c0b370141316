"""The step that keeps a repository's license, readme, lock and marker files out of the training set."""

from __future__ import annotations

from litcode.quality.filter_base import Filter
from litcode.quality.sample import CodeSample
from litcode.sources.file_roles import non_code_kind


class NonCodeFilter(Filter):
    """Drop files that are not code (:func:`~litcode.sources.file_roles.non_code_kind`).

    The reason is DESIGN's ``language`` (such a file is in no programming language);
    the detail names the kind, e.g. ``not code: license file``. On by default,
    ``CurationConfig(drop_non_code=False)`` keeps them.

    >>> gate = NonCodeFilter()
    >>> sample = CodeSample("MIT License ...", "text", {"path": "LICENSE"})
    >>> gate.keep(sample), gate.explain(sample)
    (False, 'not code: license file')
    """

    reason = "language"

    def keep(self, sample: CodeSample) -> bool:
        return self._kind(sample) is None

    def explain(self, sample: CodeSample) -> str | None:
        return f"not code: {self._kind(sample)}"

    @staticmethod
    def _kind(sample: CodeSample) -> str | None:
        # The path inside its repo, then the whole id: a repo folder named ``six-1.16.dist-info``
        # shows only in the id of a directory source.
        kind = non_code_kind(sample.path or sample.sample_id)
        if kind is None and sample.path and sample.sample_id != sample.path:
            kind = non_code_kind(sample.sample_id)
        return kind
