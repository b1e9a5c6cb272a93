"""ASGI: refuse a request body over ``REQUEST_MAX_BYTES`` before it is read.

Django's ASGI handler reads the whole body (into memory, then a temporary
file) before any middleware runs, so a multi-gigabyte upload would fill the
disk before ``designer.api.middleware`` could say 413. ``BodyLimit`` wraps the
HTTP application: a declared ``Content-Length`` over the limit is answered
413 at once, and a body without one (chunked) is counted as it arrives and
cut off at the limit. Under ``/aws`` the answer is AWS's error shape
(``{"__type", "message"}``); under ``/api/`` the API's JSON error shape
(rendered as the API renders every error); every answer carries the security
headers Django's middleware would have added (``designer.security_headers``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from designer.api.errors import error_body
from designer.limits import limit
from designer.security_headers import security_headers

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[..., Awaitable[None]]  # an ASGI application


class _TooLarge(Exception):
    """The body went past the limit while Django was reading it."""


class BodyLimit:
    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        most = limit("REQUEST_MAX_BYTES")
        declared = _content_length(scope)
        if declared is not None and declared > most:
            await _refuse(scope, send, most)
            return
        received = 0

        async def bounded() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > most:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, bounded, send)
        except _TooLarge:  # raised while the body was read: nothing was sent yet
            await _refuse(scope, send, most)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value)
    return None


def _content_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


async def _refuse(scope: Scope, send: Send, most: int) -> None:
    message = f"The request body is larger than {most} bytes."
    path = str(scope.get("path", ""))
    if path.startswith("/api/"):
        body = error_body("request_too_large", message, {"limit": most})
        kind = b"application/json"
    elif path in ("/aws", "/aws/"):  # the AWS API's error shape (designer.aws)
        body = json.dumps({"__type": "ValidationException", "message": message}).encode()
        kind = b"application/x-amz-json-1.0"
    else:
        body, kind = message.encode(), b"text/plain; charset=utf-8"
    host = (_header(scope, b"host") or b"").decode("latin-1")
    secure = scope.get("scheme") in ("https", "wss")
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *(
                    (name.lower().encode(), value.encode("latin-1"))
                    for name, value in security_headers(host, path, secure)
                ),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
