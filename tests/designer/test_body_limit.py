"""Issue #13 (12): a body over REQUEST_MAX_BYTES is refused before Django reads it (ASGI)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from designer.body_limit import BodyLimit


class Inner:
    """A stand-in for Django's handler: reads the whole body, then answers 200."""

    def __init__(self) -> None:
        self.read = 0
        self.called = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.called = True
        while True:
            message = await receive()
            self.read += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def serve(
    path: str, chunks: list[bytes], length: int | None, settings: Any
) -> tuple[Inner, list[Any], int]:
    settings.STATEYARD_LIMITS = {"REQUEST_MAX_BYTES": 1000}
    inner = Inner()
    sent: list[Any] = []
    pending = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    offered = 0

    async def receive() -> Any:
        nonlocal offered
        offered += 1
        return pending.pop(0)

    async def send(message: Any) -> None:
        sent.append(message)

    headers = [] if length is None else [(b"content-length", str(length).encode())]
    scope = {"type": "http", "path": path, "method": "POST", "headers": headers}
    asyncio.run(BodyLimit(inner)(scope, receive, send))
    return inner, sent, offered


def test_a_declared_length_over_the_limit_is_refused_unread(settings: Any) -> None:
    inner, sent, offered = serve("/api/teams/", [b"x" * 5000], 5000, settings)
    assert not inner.called and offered == 0
    assert sent[0]["status"] == 413
    body = json.loads(sent[1]["body"])
    assert body == {
        "code": "request_too_large",
        "message": "The request body is larger than 1000 bytes.",
        "details": {"limit": 1000},
    }


def test_a_chunked_body_is_cut_off_at_the_limit(settings: Any) -> None:
    chunks = [b"x" * 600] * 100  # 60 kB announced by no header
    _, sent, offered = serve("/api/teams/", chunks, None, settings)
    assert offered == 2  # reading stopped at the chunk that went past the limit
    assert sent[0]["status"] == 413


def test_a_page_gets_a_plain_413(settings: Any) -> None:
    _, sent, _ = serve("/login/", [b"x" * 5000], 5000, settings)
    assert sent[0]["status"] == 413
    assert dict(sent[0]["headers"])[b"content-type"].startswith(b"text/plain")


def test_a_body_within_the_limit_goes_through(settings: Any) -> None:
    inner, sent, _ = serve("/api/teams/", [b"x" * 400, b"y" * 400], 800, settings)
    assert inner.read == 800
    assert sent[0]["status"] == 200


def test_the_aws_api_gets_aws_s_error_shape(settings: Any) -> None:
    _, sent, _ = serve("/aws", [b"x" * 5000], 5000, settings)
    assert sent[0]["status"] == 413
    assert dict(sent[0]["headers"])[b"content-type"] == b"application/x-amz-json-1.0"
    assert json.loads(sent[1]["body"]) == {
        "__type": "ValidationException",
        "message": "The request body is larger than 1000 bytes.",
    }
