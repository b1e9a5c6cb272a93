"""Logging out closes a cookie socket whatever the socket is doing at that moment.

A tester saw an execution socket stay open after log-out while it replayed a
long history. Here the log-out happens at each point of the socket's life
(between its access check and its joining the groups, in the middle of the
replay, after it), and the socket must close with 4403 (4404 when the check
at connect already sees the session gone) after at most the history's events.
Every wait is bounded by a receive timeout; nothing sleeps.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.contrib.sessions.models import Session
from django.test import Client

from designer import consumers
from designer.models import Execution, ExecutionEvent, Team, Workflow
from designer.selectors.executions import events_after
from designer.services import access_events

pytestmark = pytest.mark.django_db(transaction=True)

ASL = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
HISTORY = 400  # events replayed at connect
WITHIN = 10.0  # seconds one message may take (a bound, not a sleep)


@pytest.fixture
def execution(team: Team) -> Execution:
    workflow = Workflow.objects.create(team=team, name="flow", definition=ASL)
    execution = Execution.objects.create(
        workflow=workflow, name="long", type="STANDARD", status="RUNNING"
    )
    now = datetime.now(UTC)
    ExecutionEvent.objects.bulk_create(
        ExecutionEvent(
            execution=execution,
            event_id=n,
            previous_event_id=n - 1,
            type="PassStateEntered",
            timestamp=now,
            details={"name": "P", "input": "{}"},
        )
        for n in range(1, HISTORY + 1)
    )
    return execution


def logged_in(user: Any) -> tuple[Client, str]:
    client = Client()
    client.force_login(user)
    return client, str(client.cookies["sessionid"].value)


def execution_socket(execution: Execution, cookie: str) -> ApplicationCommunicator:
    from stateyard.asgi import application

    scope = {
        "type": "websocket",
        "path": f"/ws/executions/{execution.pk}/",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"origin", b"http://testserver"),
            (b"cookie", f"sessionid={cookie}".encode()),
        ],
        "subprotocols": [],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    return ApplicationCommunicator(application, scope)


async def close_code(ws: ApplicationCommunicator) -> tuple[int, int]:
    """Read until the close frame: (its code, how many events came before it)."""
    events = 0
    for _ in range(HISTORY + 10):
        message = await ws.receive_output(timeout=WITHIN)
        if message["type"] == "websocket.close":
            return int(message["code"]), events
        if message["type"] == "websocket.send":
            assert json.loads(message["text"])["type"] == "event"
            events += 1
    raise AssertionError("the socket was not closed")


def once(action: Callable[[], object]) -> Callable[[], None]:
    done: list[bool] = []

    def run() -> None:
        if not done:
            done.append(True)
            action()

    return run


@pytest.mark.asyncio
@pytest.mark.parametrize("point", ["after_check", "in_replay"])
async def test_log_out_during_connect_or_replay_closes_the_socket(
    execution: Execution, viewer: Any, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    client, cookie = await sync_to_async(logged_in)(viewer)
    log_out = once(lambda: client.post("/accounts/logout/"))
    if point == "after_check":  # between the access check and joining the groups
        checked = consumers.ExecutionConsumer._allowed

        def allowed_then_log_out(self: Any, *args: Any, **kwargs: Any) -> bool:
            answer = checked(self, *args, **kwargs)
            log_out()
            return answer

        monkeypatch.setattr(consumers.ExecutionConsumer, "_allowed", allowed_then_log_out)
    else:  # while the history is read and sent
        read = events_after

        def read_then_log_out(*args: Any) -> Any:
            rows = read(*args)
            log_out()
            return rows

        monkeypatch.setattr(consumers, "events_after", read_then_log_out)
    ws = execution_socket(execution, cookie)
    await ws.send_input({"type": "websocket.connect"})
    assert (await ws.receive_output(timeout=WITHIN))["type"] == "websocket.accept"
    code, _ = await close_code(ws)
    assert code == 4403


@pytest.mark.asyncio
async def test_log_out_after_the_replay_closes_the_socket(
    execution: Execution, viewer: Any
) -> None:
    client, cookie = await sync_to_async(logged_in)(viewer)
    ws = execution_socket(execution, cookie)
    await ws.send_input({"type": "websocket.connect"})
    assert (await ws.receive_output(timeout=WITHIN))["type"] == "websocket.accept"
    for _ in range(HISTORY):
        assert json.loads((await ws.receive_output(timeout=WITHIN))["text"])["type"] == "event"
    await sync_to_async(client.post)("/accounts/logout/")
    code, events = await close_code(ws)
    assert (code, events) == (4403, 0)


@pytest.mark.asyncio
async def test_a_socket_of_a_logged_out_session_is_refused(
    execution: Execution, viewer: Any
) -> None:
    client, cookie = await sync_to_async(logged_in)(viewer)
    ws = execution_socket(execution, cookie)
    # the session's user is resolved from the cookie, then the session ends
    await sync_to_async(client.post)("/accounts/logout/")
    await ws.send_input({"type": "websocket.connect"})
    assert (await ws.receive_output(timeout=WITHIN))["type"] == "websocket.accept"
    code, events = await close_code(ws)
    assert (code, events) == (4404, 0)


def test_the_log_out_signal_publishes_after_the_session_is_gone(
    viewer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, key = logged_in(viewer)
    seen: list[bool] = []
    monkeypatch.setattr(
        access_events,
        "_publish",
        lambda user_id: seen.append(Session.objects.filter(session_key=key).exists()),
    )
    assert client.post("/accounts/logout/").status_code == 302
    assert seen == [False]  # a socket re-checking at once finds the session gone
