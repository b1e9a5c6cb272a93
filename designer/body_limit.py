"""ASGI: refuse a request body over ``REQUEST_MAX_BYTES`` before it is read.

Django's ASGI handler reads the whole body (into memory, then a temporary
file) before any middleware runs, so a multi-gigabyte upload would fill the
disk before ``designer.api.middleware`` could say 413. ``BodyLimit`` wraps the
HTTP application: a declared ``Content-Length`` over the limit is answered
413 at once, and a body without one (chunked) is counted as it arrives and
cut off at the limit. Under ``/api/`` the answer is the API's JSON error shape.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from designer.limits import limit

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


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(scope: Scope, send: Send, most: int) -> None:
    message = f"The request body is larger than {most} bytes."
    if str(scope.get("path", "")).startswith("/api/"):
        body = json.dumps(
            {"code": "request_too_large", "message": message, "details": {"limit": most}}
        ).encode()
        kind = b"application/json"
    else:
        body, kind = message.encode(), b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
