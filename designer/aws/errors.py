"""AWS's error answers: ``{"__type": <code>, "message": <text>}`` with an HTTP status.

``AwsError`` is raised by the protocol layer and the handlers; ``translate``
turns the services' domain errors into the error an operation documents
(``StateMachineDoesNotExist``, ``ExecutionAlreadyExists``, ...).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from designer.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    RequestTooLarge,
    ServiceUnavailable,
    Throttled,
    ValidationFailed,
)


class AwsError(Exception):
    """An error as AWS answers it; ``extra`` members go into the body (e.g. ``reason``)."""

    def __init__(self, code: str, message: str, status: int = 400, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"__type": self.code, "message": self.message, **self.extra}


def validation(message: str, reason: str | None = None) -> AwsError:
    if reason:
        return AwsError("ValidationException", message, reason=reason)
    return AwsError("ValidationException", message)


def invalid_arn(arn: Any, what: str) -> AwsError:
    """``InvalidArn``: the text is not an ARN of the kind the operation takes."""
    return AwsError("InvalidArn", f"Invalid Arn: {arn!r} is not {what}.")


_DEFAULTS: dict[type[DomainError], str] = {
    NotFound: "ResourceNotFound",
    Conflict: "ConflictException",
    ValidationFailed: "ValidationException",
}


def from_domain(err: DomainError, **codes: str) -> AwsError:
    """The AWS error for a service's error; ``codes`` override per kind:
    ``not_found=``, ``conflict=``, ``invalid=``."""
    if isinstance(err, PermissionDenied):
        return AwsError("AccessDeniedException", err.message)
    if isinstance(err, Throttled):
        return AwsError("ThrottlingException", err.message)
    if isinstance(err, ServiceUnavailable):
        return AwsError("ServiceUnavailable", err.message, 503)
    if isinstance(err, RequestTooLarge):
        return AwsError("ValidationException", err.message, 413)
    key = {NotFound: "not_found", Conflict: "conflict", ValidationFailed: "invalid"}
    for kind, name in key.items():
        if isinstance(err, kind):
            return AwsError(codes.get(name, _DEFAULTS[kind]), _message(err))
    return AwsError("InternalFailure", err.message, 500)


def _message(err: DomainError) -> str:
    """The message, with the first detail that says more (a diagnostic, a field problem)."""
    details = err.details
    if isinstance(details, dict) and isinstance(details.get("diagnostics"), list):
        return err.message + " " + diagnostics_text(details["diagnostics"])
    if isinstance(details, list) and details and isinstance(details[0], dict):
        return err.message + " " + diagnostics_text(details)
    return err.message


def diagnostics_text(diagnostics: list[Any]) -> str:
    """Diagnostics as AWS writes them in an InvalidDefinition message: ``CODE at /path: text``."""
    parts = []
    for d in diagnostics[:10]:
        if isinstance(d, dict):
            where = d.get("location") or "/"
            parts.append(f"{d.get('code', 'ERROR')} at {where}: {d.get('message', '')}")
    more = f" (and {len(diagnostics) - 10} more)" if len(diagnostics) > 10 else ""
    return "; ".join(parts) + more


@contextmanager
def translate(**codes: str) -> Iterator[None]:
    """Run service calls; their domain errors leave as the operation's AWS errors."""
    try:
        yield
    except DomainError as err:
        raise from_domain(err, **codes) from None
