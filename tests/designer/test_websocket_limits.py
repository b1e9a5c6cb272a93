"""Issue #13: what a client sends on a websocket is bounded, and refusals are close codes.

A message over ``WS_MESSAGE_MAX_BYTES`` closes the socket with 1009, more than
``WS_MESSAGES_PER_MINUTE`` in a minute with 1008, text that is not JSON (or a
binary frame) with 1007; before, a 16 MiB message was parsed and text that was not
JSON raised in the consumer (a server error and a traceback in the log).
"""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async

from designer.limits import WS_MESSAGE_MAX_BYTES
from designer.models import Team, Workflow
from tests.designer.test_websocket_access import (
    ASL,
    closed_with,
    session_cookie,
    socket,
    still_open,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def workflow(team: Team) -> Workflow:
    return Workflow.objects.create(team=team, name="flow", definition=ASL)


async def opened(workflow: Workflow, viewer: Any) -> Any:
    cookie = await sync_to_async(session_cookie)(viewer)
    ws = socket(workflow, headers=[(b"cookie", f"sessionid={cookie}".encode())])
    accepted, _ = await ws.connect()
    assert accepted
    return ws


def text(ws: Any, data: str) -> Any:
    return ws.send_input({"type": "websocket.receive", "text": data})


async def test_a_message_over_the_size_limit_closes_with_1009(
    workflow: Workflow, viewer: Any
) -> None:
    ws = await opened(workflow, viewer)
    assert await still_open(ws)
    await text(ws, '{"type": "ping", "pad": "' + "x" * WS_MESSAGE_MAX_BYTES + '"}')
    assert await closed_with(ws) == 1009


async def test_text_that_is_not_json_closes_with_1007(workflow: Workflow, viewer: Any) -> None:
    ws = await opened(workflow, viewer)
    await text(ws, "{not json")
    assert await closed_with(ws) == 1007


async def test_json_that_is_no_request_is_ignored(workflow: Workflow, viewer: Any) -> None:
    ws = await opened(workflow, viewer)
    await text(ws, "[" * 2000 + "]" * 2000)  # as deep as the size limit allows
    assert await still_open(ws)


async def test_a_binary_frame_closes_with_1007(workflow: Workflow, viewer: Any) -> None:
    ws = await opened(workflow, viewer)
    await ws.send_input({"type": "websocket.receive", "bytes": b"\x00\x01"})
    assert await closed_with(ws) == 1007


async def test_too_many_messages_close_with_1008(
    workflow: Workflow, viewer: Any, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"WS_MESSAGES_PER_MINUTE": 3}
    ws = await opened(workflow, viewer)
    for _ in range(3):
        assert await still_open(ws)  # within the rate: nothing happens
    await ws.send_json_to({"type": "ping"})
    assert await closed_with(ws) == 1008
