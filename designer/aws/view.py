"""``POST /aws``: one AWS JSON 1.0 request in, one answer out.

The order is AWS's: the operation (``X-Amz-Target: AWSStepFunctions.<Op>``
and an AWS JSON ``Content-Type``, else ``UnknownOperationException``), the
signature (``sigv4``), the body (JSON, checked against the operation's input
shape), then the handler. The
answer is ``application/x-amz-json-1.0`` with an ``x-amzn-RequestId``; an
error is ``{"__type", "message"}`` with AWS's status. A handler that waits
(GetActivityTask's long poll) is a coroutine and holds no thread meanwhile;
the others run in a worker thread like any synchronous view.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from asgiref.sync import sync_to_async
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from designer.aws.errors import AwsError
from designer.aws.operations import HANDLERS
from designer.aws.shapes import check_input, operation
from designer.aws.sigv4 import SignedRequest, authenticate
from designer.services.access_keys import KeyHolder

log = logging.getLogger("designer.aws")
CONTENT_TYPE = "application/x-amz-json-1.0"
TARGET_PREFIX = "AWSStepFunctions."
# AWS JSON 1.0 is what the SDKs send; 1.1 (the same JSON) is accepted for hand-made clients
JSON_TYPES = frozenset((CONTENT_TYPE, "application/x-amz-json-1.1"))


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.timestamp()  # AWS JSON 1.0: timestamps are epoch seconds
    raise TypeError(f"{type(value).__name__} is not JSON")


def _answer(body: dict[str, Any], status: int, request_id: str) -> HttpResponse:
    text = json.dumps(body, default=_default, ensure_ascii=False, separators=(",", ":"))
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate slipped into an answer: escape, never a 500
        data = json.dumps(body, default=_default, separators=(",", ":")).encode()
    response = HttpResponse(data, content_type=CONTENT_TYPE, status=status)
    response["x-amzn-RequestId"] = request_id
    return response


def _signed(request: HttpRequest) -> SignedRequest:
    headers = {key.lower(): value for key, value in request.headers.items()}
    return SignedRequest(
        method=request.method or "POST",
        path=request.path,
        query=request.META.get("QUERY_STRING", ""),
        headers=headers,
        body=request.body,
    )


def _operation_name(request: HttpRequest) -> str:
    target = request.headers.get("X-Amz-Target", "")
    name = target.removeprefix(TARGET_PREFIX)
    if request.method != "POST" or not target.startswith(TARGET_PREFIX) or not name:
        raise AwsError(
            "UnknownOperationException",
            "Send POST with X-Amz-Target: AWSStepFunctions.<Operation> "
            "(application/x-amz-json-1.0).",
        )
    media = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if media not in JSON_TYPES:
        raise AwsError(
            "UnknownOperationException",
            f"Content-Type {media[:60]!r} is not AWS JSON: send "
            "Content-Type: application/x-amz-json-1.0 (as every AWS SDK does).",
        )
    if operation(name) is None or name not in HANDLERS:
        raise AwsError("UnknownOperationException", f"Unknown operation: {name}")
    return name


def _parameters(request: HttpRequest, name: str) -> dict[str, Any]:
    text = request.body or b"{}"
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        raise AwsError("SerializationException", "The request body is not JSON.") from None
    model = operation(name)
    assert model is not None
    return check_input(model, body)


def _run(handler: Callable[..., Any], holder: KeyHolder, params: dict[str, Any]) -> Any:
    return handler(holder, params)


async def _handle(request: HttpRequest) -> dict[str, Any]:
    name = _operation_name(request)
    try:
        signed = _signed(request)
    except RequestDataTooBig:
        raise AwsError("ValidationException", "The request body is too large.", 413) from None
    holder = await sync_to_async(authenticate)(signed)
    params = _parameters(request, name)
    handler = HANDLERS[name]
    if getattr(handler, "is_async", False):
        result = await handler(holder, params)
    else:
        result = await sync_to_async(_run)(handler, holder, params)
    return dict(result or {})


@csrf_exempt
async def aws_endpoint(request: HttpRequest) -> HttpResponse:
    request_id = str(uuid.uuid4())
    try:
        return _answer(await _handle(request), 200, request_id)
    except AwsError as err:
        return _answer(err.body(), err.status, request_id)
    except (OperationalError, InterfaceError):
        log.exception("database unavailable for AWS request %s", request_id)
        body = {"__type": "ServiceUnavailable", "message": "The database is unavailable."}
        return _answer(body, 503, request_id)
    except Exception:  # a bug: logged with its traceback, answered as AWS's InternalFailure
        log.exception("AWS request %s failed", request_id)
        body = {"__type": "InternalFailure", "message": f"Internal error (request {request_id})."}
        return _answer(body, 500, request_id)
