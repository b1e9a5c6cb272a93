"""Websocket handshakes and ``Origin``: scripts may omit it with a token, nobody else may.

A browser always sends ``Origin``; a script usually does not. A handshake
without ``Origin`` that carries an API token is accepted (the token decides);
one without ``Origin`` that only has the session cookie, and any handshake from
a foreign ``Origin``, is refused before the application runs (HTTP 403: the
server closes without accepting).
"""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.test import Client

from designer.models import Team, Workflow
from designer.services.tokens import token_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ASL = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
WITHIN = 10.0  # seconds an answer may take (a bound, not a sleep)


@pytest.fixture
def workflow(team: Team) -> Workflow:
    return Workflow.objects.create(team=team, name="flow", definition=ASL)


def handshake(
    workflow: Workflow, headers: list[tuple[bytes, bytes]], subprotocols: list[str] | None = None
) -> ApplicationCommunicator:
    from stateyard.asgi import application

    scope = {
        "type": "websocket",
        "path": f"/ws/workflows/{workflow.pk}/executions/",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "subprotocols": subprotocols or [],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    return ApplicationCommunicator(application, scope)


async def answer(ws: ApplicationCommunicator) -> dict[str, Any]:
    await ws.send_input({"type": "websocket.connect"})
    message: dict[str, Any] = await ws.receive_output(timeout=WITHIN)
    return message


async def stays_open(ws: ApplicationCommunicator) -> bool:
    return bool(await ws.receive_nothing(timeout=0.5))


async def test_a_token_without_origin_is_accepted(workflow: Workflow, viewer: Any) -> None:
    _, plaintext = await sync_to_async(token_create)(viewer, "script")
    ws = handshake(workflow, [(b"authorization", f"Bearer {plaintext}".encode())])
    assert (await answer(ws))["type"] == "websocket.accept"
    assert await stays_open(ws)  # not refused by the consumer either: the token decides


async def test_a_subprotocol_token_without_origin_is_accepted(
    workflow: Workflow, viewer: Any
) -> None:
    _, plaintext = await sync_to_async(token_create)(viewer, "script")
    ws = handshake(workflow, [], subprotocols=["stateyard.token", plaintext])
    accepted = await answer(ws)
    assert accepted["type"] == "websocket.accept"
    assert accepted["subprotocol"] == "stateyard.token"
    assert await stays_open(ws)


async def test_a_wrong_token_without_origin_is_refused_by_close_code(
    workflow: Workflow, viewer: Any
) -> None:
    ws = handshake(workflow, [(b"authorization", b"Bearer sy_nope_nope")])
    assert (await answer(ws))["type"] == "websocket.accept"
    closed = await ws.receive_output(timeout=WITHIN)
    assert closed == {"type": "websocket.close", "code": 4404}


async def test_a_cookie_without_origin_is_refused(workflow: Workflow, viewer: Any) -> None:
    def cookie() -> str:
        client = Client()
        client.force_login(viewer)
        return str(client.cookies["sessionid"].value)

    value = await sync_to_async(cookie)()
    ws = handshake(workflow, [(b"cookie", f"sessionid={value}".encode())])
    assert (await answer(ws))["type"] == "websocket.close"  # HTTP 403, never accepted


async def test_a_foreign_origin_is_refused_even_with_a_token(
    workflow: Workflow, viewer: Any
) -> None:
    _, plaintext = await sync_to_async(token_create)(viewer, "script")
    ws = handshake(
        workflow,
        [(b"origin", b"https://evil.example"), (b"authorization", f"Bearer {plaintext}".encode())],
    )
    assert (await answer(ws))["type"] == "websocket.close"
