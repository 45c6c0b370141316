"""Telling transient errors (worth a retry) from permanent ones (fail fast)."""

from __future__ import annotations

from collections.abc import Callable

from litcode.resilience.errors import PermanentError

#: ``classifier(exception) -> True`` when the error is transient and a retry may succeed.
Classifier = Callable[[BaseException], bool]


def default_classifier(exception: BaseException) -> bool:
    """Everything is transient except :class:`PermanentError` and programming errors.

    ``TypeError``/``AttributeError``/``NameError`` mean the call itself is wrong,
    so repeating it only delays the traceback the user needs to see. It applies
    only while ``exceptions`` is left at its default: an explicit list wins.

    >>> default_classifier(ConnectionResetError())
    True
    >>> default_classifier(PermanentError("bucket does not exist"))
    False
    """
    return not isinstance(exception, PermanentError | TypeError | AttributeError | NameError)


def only_permanent_errors_excluded(exception: BaseException) -> bool:
    """The classifier for an explicit ``exceptions`` list: retry all of it but a :class:`PermanentError`.

    >>> only_permanent_errors_excluded(TypeError("flaky plugin"))
    True
    """
    return not isinstance(exception, PermanentError)
