"""Every API error as JSON ``{"code", "message", "details"}`` with the right status."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from designer.errors import DomainError


def error_body(code: str, message: str, details: Any = None) -> bytes:
    """The error as the API renders it everywhere (DRF's compact JSON), for answers made
    outside a view (``designer.api.middleware``, ``designer.body_limit``)."""
    return bytes(JSONRenderer().render({"code": code, "message": message, "details": details}))


def error_response(code: str, message: str, details: Any = None, http: int = 400) -> Response:
    return Response({"code": code, "message": message, "details": details}, status=http)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return error_response(exc.code, exc.message, exc.details, exc.status)
    if isinstance(exc, Http404):
        return error_response("not_found", "Not found.", None, status.HTTP_404_NOT_FOUND)
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        code, message, details = "validation_failed", "The request is not valid.", response.data
    elif isinstance(exc, exceptions.APIException):
        code = exc.default_code if isinstance(exc.default_code, str) else "error"
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        message, details = str(detail or exc.detail), None
    else:  # pragma: no cover - DRF only handles APIException subclasses
        code, message, details = "error", str(exc), None
    response.data = {"code": code, "message": message, "details": details}
    return response
