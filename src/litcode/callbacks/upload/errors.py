"""Which upload failures are worth a retry, and the errors this package raises itself.

Object stores fail in two very different ways. Timeouts, connection resets,
5xx answers and throttling (``SlowDown``, 503) go away by themselves, so they
are retried with backoff. A missing bucket, bad credentials or a 403 do not:
retrying them only hides the message the user needs, so they fail at once.

s3fs translates botocore errors into builtin ones (``NoSuchBucket`` ->
``FileNotFoundError``, ``AccessDenied``/``InvalidAccessKeyId`` ->
``PermissionError``, ``SlowDown`` -> ``OSError(EBUSY)``, 5xx -> ``OSError(EREMOTEIO)``);
the classifier reads both those and raw botocore ``ClientError`` responses.
"""

from __future__ import annotations

import errno
from typing import Any

from litcode.resilience import CircuitBreakerOpenError, PermanentError

#: S3-style error codes that mean "try again later".
TRANSIENT_CODES = frozenset(
    {
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "RequestTimeout",
        "RequestTimeTooSkewed",
        "ServiceUnavailable",
        "InternalError",
        "OperationAborted",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "BadDigest",
        "XAmzContentSHA256Mismatch",
        "IncompleteBody",
    }
)

#: S3-style error codes that retrying cannot fix.
PERMANENT_CODES = frozenset(
    {
        "NoSuchBucket",
        "AccessDenied",
        "AllAccessDisabled",
        "AccountProblem",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "InvalidToken",
        "InvalidBucketName",
        "InvalidBucketState",
        "NotSignedUp",
        "MethodNotAllowed",
        "PermanentRedirect",
        "AuthorizationHeaderMalformed",
        "EntityTooLarge",
        "KeyTooLongError",
    }
)

#: Client-side configuration errors (botocore, google-auth) by class name: no package import needed.
CREDENTIAL_ERRORS = frozenset(
    {
        "NoCredentialsError",
        "PartialCredentialsError",
        "CredentialRetrievalError",
        "ProfileNotFound",
        "NoRegionError",
        "DefaultCredentialsError",
        "RefreshError",
        "ClientAuthenticationError",
    }
)

_TRANSIENT_ERRNOS = frozenset(
    {errno.EBUSY, errno.EAGAIN, errno.EIO, errno.ETIMEDOUT, errno.ECONNRESET, errno.ECONNABORTED}
    | {getattr(errno, "EREMOTEIO", errno.EIO), errno.EPIPE, errno.ECONNREFUSED, errno.ENETUNREACH}
)


class UploadVerificationError(Exception):
    """The remote copy's size or SHA-256 differs from the local checkpoint (a torn or corrupted put).

    Transient: the next attempt uploads the file again.
    """


class CorruptCheckpointError(UploadVerificationError):
    """A downloaded remote checkpoint does not match the SHA-256 ``latest.json`` recorded for it."""


class UploadCancelledError(Exception):
    """An upload stopped because the uploader is shutting down; the checkpoint stays pending."""


class RemoteConfigurationError(PermanentError):
    """The remote URL or its options are wrong (unknown protocol, missing bucket, no credentials)."""


def _class_names(exception: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exception).__mro__}


def _client_error_code(exception: BaseException) -> tuple[str | None, int | None]:
    """The S3 error code and HTTP status of a botocore ``ClientError`` (or of its cause)."""
    for candidate in (exception, exception.__cause__):
        response: Any = getattr(candidate, "response", None)
        if isinstance(response, dict):
            code = response.get("Error", {}).get("Code")
            status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            return (str(code) if code is not None else None, status if isinstance(status, int) else None)
    return None, None


def is_transient_upload_error(exception: BaseException) -> bool:
    """True when a retry may succeed; the classifier given to ``retry_with_backoff`` for uploads.

    >>> is_transient_upload_error(ConnectionResetError())
    True
    >>> is_transient_upload_error(OSError(errno.EBUSY, "SlowDown: please reduce your request rate"))
    True
    >>> is_transient_upload_error(FileNotFoundError("The specified bucket does not exist"))
    False
    >>> is_transient_upload_error(PermissionError("InvalidAccessKeyId"))
    False
    """
    if isinstance(exception, PermanentError | CircuitBreakerOpenError | UploadCancelledError):
        return False
    if isinstance(exception, TypeError | AttributeError | NameError | ValueError | NotImplementedError):
        return False  # the call itself is wrong; repeating it only delays the traceback
    if _class_names(exception) & CREDENTIAL_ERRORS:
        return False  # no credentials: retrying 12 times over two minutes only hides that
    code, status = _client_error_code(exception)
    if code in PERMANENT_CODES:
        return False
    if code in TRANSIENT_CODES or (status is not None and (status >= 500 or status in (408, 429))):
        return True
    if status is not None and 400 <= status < 500:
        return False
    if isinstance(exception, TimeoutError | ConnectionError | UploadVerificationError):
        return True
    if isinstance(exception, FileNotFoundError | PermissionError | IsADirectoryError | NotADirectoryError):
        return False  # missing bucket / no access: s3fs maps NoSuchBucket and 403 to these
    if isinstance(exception, OSError):
        return exception.errno is None or exception.errno in _TRANSIENT_ERRNOS
    # Transport errors of aiohttp/botocore (ServerDisconnectedError, EndpointConnectionError, ...)
    # do not all derive from OSError; anything unrecognised is retried within the deadline.
    return True


def describe_error(exception: BaseException) -> str:
    """``"Type: message"``, one line, for logs, stats and the journal."""
    message = str(exception).strip().splitlines()[0] if str(exception).strip() else ""
    return f"{type(exception).__name__}: {message}" if message else type(exception).__name__


def what_to_fix(exception: BaseException, remote_url: str) -> str:
    """One line for a permanent upload error: what went wrong and what the user should change.

    >>> what_to_fix(FileNotFoundError("NoSuchBucket"), "s3://b/run").split(" (")[0]
    'the bucket of s3://b/run does not exist'
    """
    error = describe_error(exception)
    code, _ = _client_error_code(exception)
    if isinstance(exception, RemoteConfigurationError):
        return str(exception).splitlines()[0]
    if _class_names(exception) & CREDENTIAL_ERRORS or code in {
        "InvalidAccessKeyId",
        "ExpiredToken",
        "InvalidToken",
    }:
        return (
            f"no usable credentials for {remote_url} ({error}): set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or pass them in upload.storage_options"
        )
    if code == "NoSuchBucket" or isinstance(exception, FileNotFoundError):
        return f"the bucket of {remote_url} does not exist ({error}): create it, or fix upload.remote_url"
    if code in PERMANENT_CODES or isinstance(exception, PermissionError):
        return (
            f"permission denied on {remote_url} ({error}): give these credentials PutObject, GetObject, "
            "DeleteObject and ListBucket there, or use another upload.remote_url"
        )
    return (
        f"upload to {remote_url} cannot succeed ({error}): fix the remote, then run litcode upload --resume"
    )
