"""HTTP through the real ASGI application (``stateyard.asgi_handler``).

A request for a synchronous view runs its signals, middleware and view on one
worker thread that later requests reuse, and gives its database connection
back before the next request takes that thread; the activity long poll (an
async view) keeps Django's own path; errors keep the API's JSON shape. Driven
through asgiref's ``ApplicationCommunicator``, as the websocket tests are.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any
from unittest import mock

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.core import signals

from designer.models import Activity, Team, Workflow
from designer.services.tokens import token_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ASL = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
WITHIN = 20.0  # seconds: a bound that only a stuck request (a leaked connection) reaches


def application() -> Any:
    from stateyard.asgi import application

    return application


async def call(
    method: str, path: str, token: str = "", body: Any = None
) -> tuple[int, dict[str, str], bytes]:
    raw = b"" if body is None else json.dumps(body).encode()
    headers = [(b"host", b"testserver"), (b"content-type", b"application/json")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [*headers, (b"content-length", str(len(raw)).encode())],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    talk = ApplicationCommunicator(application(), scope)
    await talk.send_input({"type": "http.request", "body": raw, "more_body": False})
    start = await talk.receive_output(WITHIN)
    content = b""
    while True:
        part = await talk.receive_output(WITHIN)
        content += part.get("body", b"")
        if not part.get("more_body", False):
            break
    await talk.wait(WITHIN)
    found = {key.decode().lower(): value.decode() for key, value in start["headers"]}
    return start["status"], found, content


@pytest.fixture
def token(team: Team, runner: Any) -> str:
    Workflow.objects.create(team=team, name="flow", definition=ASL)
    return token_create(runner, "asgi")[1]


async def test_signals_and_view_share_one_reused_thread(token: str) -> None:
    seen: list[tuple[str, int]] = []

    def started(**_: Any) -> None:
        seen.append(("started", threading.get_ident()))

    def finished(**_: Any) -> None:
        seen.append(("finished", threading.get_ident()))

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        for _ in range(12):
            status, _, _ = await call("GET", "/api/executions/?limit=1", token)
            assert status == 200
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert [kind for kind, _ in seen] == ["started", "finished"] * 12
    pairs = list(zip(seen[::2], seen[1::2], strict=True))
    assert all(begin[1] == end[1] for begin, end in pairs)  # request_finished on its thread
    threads = {ident for _, ident in seen}
    assert threading.get_ident() not in threads  # never on the event loop
    assert len(threads) <= 2  # reused, not a new thread per request


async def test_concurrent_requests_give_their_connections_back(token: str) -> None:
    """More requests at once than the pool has connections, twice: none waits for one."""
    for _ in range(2):
        answers = await asyncio.wait_for(
            asyncio.gather(*(call("GET", "/api/executions/", token) for _ in range(12))),
            WITHIN * 1.5,
        )
        assert [status for status, _, _ in answers] == [200] * 12


async def test_a_start_through_asgi_is_stored_once(token: str) -> None:
    workflow = await sync_to_async(Workflow.objects.get)(name="flow")
    path = f"/api/workflows/{workflow.pk}/executions/"
    status, headers, body = await call("POST", path, token, {"input": {"n": 1}, "name": "one"})
    assert status == 201, body
    again, _, same = await call("POST", path, token, {"input": {"n": 1}, "name": "one"})
    assert again == 200 and json.loads(same)["id"] == json.loads(body)["id"]
    assert headers["content-type"] == "application/json"
    assert "content-security-policy" in headers  # the whole middleware chain ran


async def test_an_error_in_a_view_is_the_apis_json(token: str) -> None:
    from designer.api.executions import ExecutionListView

    with mock.patch.object(ExecutionListView, "get", side_effect=RuntimeError("boom")):
        status, headers, body = await call("GET", "/api/executions/", token)
    assert status == 500
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["code"] == "internal_error"


async def test_the_activity_long_poll_takes_djangos_async_path(
    token: str, team: Team, runner: Any
) -> None:
    from stateyard.asgi_handler import _async_view

    activity = await sync_to_async(Activity.objects.create)(team=team, name="jobs")
    path = f"/api/activities/{activity.pk}/poll/"
    assert _async_view({"path": path})
    assert not _async_view({"path": f"/api/activities/{activity.pk}/"})
    status, _, body = await call("POST", path, token, {"wait": 0.2})
    assert status == 200 and json.loads(body) == {}
