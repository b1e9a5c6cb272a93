"""Every answer under ``/api/`` is JSON ``{"code", "message", "details"}``, errors included.

DRF's exception handler (``designer.api.errors``) covers what happens inside an
API view. This middleware covers the rest, so a client never has to parse an
HTML page from the API:

* a body declared larger than ``REQUEST_MAX_BYTES`` is refused with 413 before
  anything reads it (Django's ``RequestDataTooBig`` is a 413 too);
* an exception a view does not handle is a 500, logged with its traceback; a
  database that cannot be reached (``OperationalError``, ``InterfaceError``)
  is a 503 with ``Retry-After``;
* any other error page (an unknown path's 404, a 405, a CSRF 403, an
  exception in another middleware) is rewritten as JSON with its status.

Pages outside ``/api/`` keep Django's HTML error pages. Translation only: the
decisions (which limit, which status) live in ``designer.limits`` and the
domain errors.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from designer.api.errors import error_body
from designer.errors import DomainError, RequestTooLarge, ServiceUnavailable
from designer.limits import limit

logger = logging.getLogger("designer.api")

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = "5"
_SEEN = "_stateyard_exception"  # the exception behind a 500 made outside a view

_STATUS_CODES = {
    400: ("bad_request", "The request is not valid."),
    401: ("not_authenticated", "Authentication credentials were not provided."),
    403: ("permission_denied", "You do not have permission to perform this action."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("request_too_large", "The request body is too large."),
    500: ("internal_error", "Something went wrong on the server; it has been logged."),
    503: ("service_unavailable", "The service is temporarily unavailable; try again shortly."),
}


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_json(code: str, message: str, details: Any = None, status: int = 400) -> HttpResponse:
    return HttpResponse(
        error_body(code, message, details), content_type="application/json", status=status
    )


def _domain_json(error: DomainError) -> HttpResponse:
    response = error_json(error.code, error.message, error.details, error.status)
    if isinstance(error, ServiceUnavailable):
        response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def exception_json(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The JSON answer for an exception that reached the top of an API request."""
    if isinstance(exc, DomainError):
        return _domain_json(exc)
    if isinstance(exc, RequestDataTooBig):
        most = limit("REQUEST_MAX_BYTES")
        return _domain_json(
            RequestTooLarge(f"The request body is larger than {most} bytes.", {"limit": most})
        )
    if isinstance(exc, OperationalError | InterfaceError):
        logger.error("Database unavailable during %s %s: %s", request.method, request.path, exc)
        return _domain_json(ServiceUnavailable("The database is not available; try again shortly."))
    logger.error("Unhandled error in %s %s", request.method, request.path, exc_info=exc)
    code, message = _STATUS_CODES[500]
    return error_json(code, message, None, 500)


def _declared_too_large(request: HttpRequest) -> HttpResponse | None:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    most = limit("REQUEST_MAX_BYTES")
    if declared <= most:
        return None
    return _domain_json(
        RequestTooLarge(
            f"The request body is {declared} bytes; the limit is {most} bytes.",
            {"limit": most, "size": declared},
        )
    )


def _is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


class ApiErrorMiddleware:
    """Put it right after the security-header middleware (``SecurityMiddleware``,
    ``designer.csp``, ``XFrameOptionsMiddleware``) so it sees every response and its JSON
    answers still get those headers (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api(request):
            return self.get_response(request)
        refused = _declared_too_large(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if response.status_code < 400 or _is_json(response):
            return response
        return self._as_json(request, response)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not is_api(request):
            return None
        return exception_json(request, exc)

    def _as_json(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        seen = getattr(request, _SEEN, None)
        if isinstance(seen, BaseException):
            return exception_json(request, seen)
        status = response.status_code
        code, message = _STATUS_CODES.get(
            status, _STATUS_CODES[500] if status >= 500 else _STATUS_CODES[400]
        )
        if status == 403 and getattr(response, "reason_phrase", "") == "Forbidden":
            message = "The request was refused (for a session, check the CSRF token)."
        answer = error_json(code, message, None, status)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                answer[header] = response[header]
        return answer


def _remember_exception(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Keep the exception Django turns into a 500 outside a view (another middleware)."""
    if request is not None and is_api(request):
        setattr(request, _SEEN, sys.exc_info()[1])


got_request_exception.connect(_remember_exception, dispatch_uid="stateyard-api-errors")
