"""Websocket access: refusals carry a close code, and sockets close when access ends.

The real ASGI application (origin check, session and token middleware,
routing) is driven through asgiref's ``ApplicationCommunicator`` (Channels'
testing package needs daphne) on the Redis channel layer. "Closed within a
bounded time" means: the close frame arrives before a receive timeout;
nothing sleeps.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.test import Client

from designer.models import Team, Workflow
from designer.services.teams import membership_change_role, membership_remove
from designer.services.tokens import token_create, token_revoke

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ASL = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
CLOSE_WITHIN = 10.0  # seconds a close may take (a bound, not a sleep)


@pytest.fixture
def workflow(team: Team) -> Workflow:
    return Workflow.objects.create(team=team, name="flow", definition=ASL)


def application() -> Any:
    from stateyard.asgi import application

    return application


def session_cookie(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return str(client.cookies["sessionid"].value)


class Socket(ApplicationCommunicator):
    """A websocket client speaking ASGI to the application."""

    async def connect(self) -> tuple[bool, Any]:
        await self.send_input({"type": "websocket.connect"})
        answer = await self.receive_output(timeout=CLOSE_WITHIN)
        if answer["type"] == "websocket.accept":
            return True, answer.get("subprotocol")
        return False, answer.get("code")

    async def send_json_to(self, data: Any) -> None:
        await self.send_input({"type": "websocket.receive", "text": json.dumps(data)})

    async def disconnect(self) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.wait(timeout=CLOSE_WITHIN)


def socket(
    workflow: Workflow,
    *,
    headers: list[tuple[bytes, bytes]] | None = None,
    query: str = "",
    subprotocols: list[str] | None = None,
) -> Socket:
    scope = {
        "type": "websocket",
        "path": f"/ws/workflows/{workflow.pk}/executions/",
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver"), (b"origin", b"http://testserver"), *(headers or [])],
        "subprotocols": subprotocols or [],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    return Socket(application(), scope)


async def closed_with(communicator: Socket) -> int:
    message = await communicator.receive_output(timeout=CLOSE_WITHIN)
    assert message["type"] == "websocket.close", message
    return int(message["code"])


async def still_open(communicator: Socket) -> bool:
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_nothing(timeout=0.5)  # the status consumer answers nothing
    return True


async def test_an_outsider_is_accepted_then_closed_with_4404(
    workflow: Workflow, outsider: Any
) -> None:
    cookie = await sync_to_async(session_cookie)(outsider)
    ws = socket(workflow, headers=[(b"cookie", f"sessionid={cookie}".encode())])
    connected, _ = await ws.connect()
    assert connected  # not an HTTP 403: the client gets to see the code
    assert await closed_with(ws) == 4404


async def test_anonymous_and_wrong_tokens_get_4404(workflow: Workflow, viewer: Any) -> None:
    cookie = await sync_to_async(session_cookie)(viewer)
    for ws in (
        socket(workflow),
        socket(workflow, query="token=sy_nope_nope"),
        # a wrong token never falls back to the cookie
        socket(
            workflow,
            headers=[
                (b"cookie", f"sessionid={cookie}".encode()),
                (b"authorization", b"Bearer sy_nope_nope"),
            ],
        ),
    ):
        connected, _ = await ws.connect()
        assert connected
        assert await closed_with(ws) == 4404


async def test_a_revoked_tokens_socket_is_closed_with_4403(workflow: Workflow, viewer: Any) -> None:
    token, plaintext = await sync_to_async(token_create)(viewer, "script")
    ws = socket(workflow, headers=[(b"authorization", f"Bearer {plaintext}".encode())])
    connected, _ = await ws.connect()
    assert connected and await still_open(ws)
    await sync_to_async(token_revoke)(viewer, token.pk)
    assert await closed_with(ws) == 4403


async def test_the_token_subprotocol_is_accepted_and_closes_on_revoke(
    workflow: Workflow, viewer: Any
) -> None:
    token, plaintext = await sync_to_async(token_create)(viewer, "browser-script")
    ws = socket(workflow, subprotocols=["stateyard.token", plaintext])
    connected, subprotocol = await ws.connect()
    assert connected and subprotocol == "stateyard.token"
    assert await still_open(ws)
    await sync_to_async(token_revoke)(viewer, token.pk)
    assert await closed_with(ws) == 4403


async def test_a_removed_member_is_closed_and_a_role_change_re_checks(
    workflow: Workflow, team: Team, owner: Any, viewer: Any, runner: Any
) -> None:
    sockets = {}
    for user in (viewer, runner):
        cookie = await sync_to_async(session_cookie)(user)
        ws = socket(workflow, headers=[(b"cookie", f"sessionid={cookie}".encode())])
        connected, _ = await ws.connect()
        assert connected and await still_open(ws)
        sockets[user.pk] = ws

    await sync_to_async(membership_change_role)(team, owner, runner.pk, "viewer")
    assert await still_open(sockets[runner.pk])  # a viewer may still watch

    await sync_to_async(membership_remove)(team, owner, viewer.pk)
    assert await closed_with(sockets[viewer.pk]) == 4403
    assert await still_open(sockets[runner.pk])  # only the removed member's sockets close
    await sockets[runner.pk].disconnect()


async def test_logging_out_closes_that_sessions_sockets(workflow: Workflow, viewer: Any) -> None:
    def logged_in() -> tuple[Client, str]:
        client = Client()
        client.force_login(viewer)
        return client, str(client.cookies["sessionid"].value)

    (leaving, cookie), (_, other_cookie) = [await sync_to_async(logged_in)() for _ in range(2)]
    sockets = []
    for value in (cookie, other_cookie):
        ws = socket(workflow, headers=[(b"cookie", f"sessionid={value}".encode())])
        connected, _ = await ws.connect()
        assert connected and await still_open(ws)
        sockets.append(ws)
    await sync_to_async(leaving.post)("/accounts/logout/")
    assert await closed_with(sockets[0]) == 4403
    assert await still_open(sockets[1])  # the user's other session goes on
    await sockets[1].disconnect()


async def test_deactivation_and_a_new_password_close_sockets(
    workflow: Workflow, viewer: Any, runner: Any
) -> None:
    _, plaintext = await sync_to_async(token_create)(viewer, "script")
    by_token = socket(workflow, headers=[(b"authorization", f"Bearer {plaintext}".encode())])
    cookie = await sync_to_async(session_cookie)(runner)
    by_cookie = socket(workflow, headers=[(b"cookie", f"sessionid={cookie}".encode())])
    for ws in (by_token, by_cookie):
        connected, _ = await ws.connect()
        assert connected and await still_open(ws)

    def deactivate() -> None:
        viewer.is_active = False
        viewer.save()  # as the admin's change form does

    def new_password() -> None:
        runner.set_password("a-brand-new-passphrase")
        runner.save(update_fields=["password"])

    await sync_to_async(deactivate)()
    assert await closed_with(by_token) == 4403
    await sync_to_async(new_password)()
    assert await closed_with(by_cookie) == 4403
