"""The transient/permanent classifier: what gets retried and what fails at once."""

from __future__ import annotations

import errno

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from litcode.callbacks.upload.errors import (
    RemoteConfigurationError,
    UploadCancelledError,
    UploadVerificationError,
    describe_error,
    is_transient_upload_error,
)
from litcode.resilience import CircuitBreakerOpenError


def client_error(code: str, status: int) -> ClientError:
    response = {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(response, "PutObject")  # type: ignore[arg-type]


def translated(code: str, status: int, builtin: OSError) -> OSError:
    """What s3fs raises: a builtin error whose cause is botocore's ClientError."""
    builtin.__cause__ = client_error(code, status)
    return builtin


TRANSIENT = [
    ("timeout", TimeoutError("read timed out")),
    ("socket timeout", TimeoutError("timed out")),
    ("connection reset", ConnectionResetError(errno.ECONNRESET, "reset by peer")),
    ("broken pipe", BrokenPipeError()),
    ("endpoint unreachable", EndpointConnectionError(endpoint_url="http://127.0.0.1:1")),
    (
        "SlowDown via s3fs",
        translated("SlowDown", 503, OSError(errno.EBUSY, "Please reduce your request rate.")),
    ),
    ("503 ServiceUnavailable", client_error("ServiceUnavailable", 503)),
    ("500 InternalError", client_error("InternalError", 500)),
    ("502 without code", client_error("502", 502)),
    ("429 throttling", client_error("TooManyRequestsException", 429)),
    ("EREMOTEIO from s3fs", OSError(121, "Internal Server Error")),
    ("verification mismatch", UploadVerificationError("sha256 differs")),
]

PERMANENT = [
    ("NoSuchBucket via s3fs", translated("NoSuchBucket", 404, FileNotFoundError("bucket does not exist"))),
    ("NoSuchBucket raw", client_error("NoSuchBucket", 404)),
    ("AccessDenied", translated("AccessDenied", 403, PermissionError("Access Denied"))),
    ("InvalidAccessKeyId", client_error("InvalidAccessKeyId", 403)),
    ("403 without code", client_error("403", 403)),
    ("SignatureDoesNotMatch", client_error("SignatureDoesNotMatch", 403)),
    ("permission error", PermissionError(errno.EACCES, "denied")),
    ("bad configuration", RemoteConfigurationError("unknown protocol")),
    ("programming error", TypeError("put_file() got an unexpected keyword")),
    ("breaker open", CircuitBreakerOpenError("s3", 12.0)),
    ("cancelled", UploadCancelledError("closing")),
]


@pytest.mark.parametrize(("case", "error"), TRANSIENT, ids=[case for case, _ in TRANSIENT])
def test_transient_errors_are_retried(case: str, error: BaseException) -> None:
    assert is_transient_upload_error(error) is True


@pytest.mark.parametrize(("case", "error"), PERMANENT, ids=[case for case, _ in PERMANENT])
def test_permanent_errors_are_not_retried(case: str, error: BaseException) -> None:
    assert is_transient_upload_error(error) is False


def test_described_error_is_one_line_with_type() -> None:
    assert describe_error(FileNotFoundError("The specified bucket\ndoes not exist")) == (
        "FileNotFoundError: The specified bucket"
    )
