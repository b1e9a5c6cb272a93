"""Domain errors raised by services; the API and pages translate them.

Each carries a stable ``code``, a human ``message`` and optional ``details``;
``designer.api.errors`` maps them to HTTP statuses and the JSON body
``{"code", "message", "details"}``.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    """The object does not exist or the caller may not know it exists."""

    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    """The caller can see the object but their role does not allow this."""

    code = "permission_denied"
    status = 403


class Conflict(DomainError):
    """The request conflicts with the current state (a stale revision, a duplicate name)."""

    code = "conflict"
    status = 409


class ValidationFailed(DomainError):
    code = "validation_failed"
    status = 400


class RequestTooLarge(DomainError):
    """The request body is larger than the server reads (``REQUEST_MAX_BYTES``)."""

    code = "request_too_large"
    status = 413


class ServiceUnavailable(DomainError):
    """A dependency (the database) is down; the request may succeed when retried."""

    code = "service_unavailable"
    status = 503


class Throttled(DomainError):
    """Too many requests of one kind from one address (or for one e-mail address)."""

    code = "throttled"
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, {"retry_after": retry_after})
        self.retry_after = retry_after
