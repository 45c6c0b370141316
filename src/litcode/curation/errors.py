"""The one exception callers of :func:`litcode.curation.curate` act on."""

from __future__ import annotations


class CurationError(RuntimeError):
    """A curation run could not complete, or its bookkeeping does not add up.

    Raised for a bad configuration or source, an executor that is not available,
    and a manifest whose ``kept + dropped`` differs from the number of inputs.

    >>> try:
    ...     raise CurationError("executor 'ray' needs litcode[ray]")
    ... except CurationError as error:
    ...     print(error)
    executor 'ray' needs litcode[ray]
    """
