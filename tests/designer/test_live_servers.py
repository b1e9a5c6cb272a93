"""The product as users run it: a real ASGI server, real workers, real websockets.

* scaled out: uvicorn + a Celery worker on PostgreSQL and Redis; a websocket
  client receives a running execution's events live, in order, complete; a user
  of another team is refused (close code 4404); the workflow's status stream
  reports the run;
* embedded: the same server with no Redis, on SQLite, with the in-process worker
  (what ``make run`` starts) runs an execution with a Wait to the end.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from django.contrib.auth import get_user_model
from django.test import Client

from designer.models import ExecutionEvent, Membership, Role, Team, Workflow
from designer.services.tokens import token_create
from tests.designer.processes import asgi_server, flush_broker, free_port, worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

STEPS = {
    "StartAt": "One",
    "States": {
        "One": {"Type": "Pass", "Result": 1, "ResultPath": "$.one", "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Two"},
        "Two": {"Type": "Pass", "Result": 2, "ResultPath": "$.two", "Next": "Again"},
        "Again": {"Type": "Wait", "Seconds": 1, "Next": "Three"},
        "Three": {"Type": "Pass", "Result": 3, "ResultPath": "$.three", "End": True},
    },
}


def session_cookie(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return str(client.cookies["sessionid"].value)


async def collect_events(
    url: str, headers: dict[str, str], until: str = "ExecutionSucceeded"
) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    async with websockets.connect(url, additional_headers=headers, open_timeout=10) as ws:
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
            if message["type"] == "event":
                events.append(message["event"])
                if message["event"]["type"] == until:
                    return events


async def refused(url: str, headers: dict[str, str]) -> bool:
    """The handshake is accepted, then the socket closes with 4404 (the documented code)."""
    try:
        async with websockets.connect(url, additional_headers=headers, open_timeout=10) as ws:
            await asyncio.wait_for(ws.recv(), timeout=5)
    except websockets.exceptions.ConnectionClosed as closed:
        return closed.rcvd is not None and closed.rcvd.code == 4404
    return False


async def statuses(url: str, headers: dict[str, str], count: int) -> list[str]:
    seen: list[str] = []
    async with websockets.connect(url, additional_headers=headers, open_timeout=10) as ws:
        while len(seen) < count:
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
            seen.append(message["execution"]["status"])
    return seen


def test_websocket_streams_a_live_execution(tmp_path: Path) -> None:
    flush_broker()
    user = get_user_model().objects.create_user("watcher", password="pw")
    stranger = get_user_model().objects.create_user("stranger", password="pw")
    team = Team.objects.create(name="Live", slug="live")
    Membership.objects.create(team=team, user=user, role=Role.RUNNER)
    Team.objects.create(name="Elsewhere", slug="elsewhere").memberships.create(
        user=stranger, role=Role.OWNER
    )
    workflow = Workflow.objects.create(team=team, name="steps", definition=STEPS)
    _, token = token_create(user, "test")
    port = free_port()
    origin = {"Origin": f"http://127.0.0.1:{port}"}
    mine = {**origin, "Cookie": f"sessionid={session_cookie(user)}"}
    theirs = {**origin, "Cookie": f"sessionid={session_cookie(stranger)}"}
    base = f"ws://127.0.0.1:{port}"
    with asgi_server(tmp_path / "server.log", port), worker(tmp_path / "worker.log"):

        async def scenario() -> tuple[list[str], list[dict[str, Any]], bool]:
            watch = asyncio.create_task(
                statuses(f"{base}/ws/workflows/{workflow.pk}/executions/", mine, 2)
            )
            await asyncio.sleep(0.5)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
                response = await http.post(
                    f"/api/workflows/{workflow.pk}/executions/",
                    json={"input": {"start": True}, "name": "live-1"},
                    headers={"Authorization": f"Bearer {token}"},
                )
            assert response.status_code == 201, response.text
            execution_id = response.json()["id"]
            url = f"{base}/ws/executions/{execution_id}/"
            await asyncio.sleep(0.3)  # join while it runs: backlog first, then live events
            events = await collect_events(url, mine)
            denied = await refused(url, theirs)
            return await watch, events, denied

        seen, events, denied = asyncio.run(scenario())
    assert seen == ["RUNNING", "SUCCEEDED"]
    assert denied
    ids = [e["id"] for e in events]
    assert ids == list(range(1, len(ids) + 1))
    stored = list(ExecutionEvent.objects.order_by("event_id").values_list("type", flat=True))
    assert [e["type"] for e in events] == stored
    assert stored.count("WaitStateEntered") == 2
    final = json.loads(events[-1]["executionSucceededEventDetails"]["output"])
    assert final == {"start": True, "one": 1, "two": 2, "three": 3}


def test_embedded_mode_runs_everything_in_one_process(tmp_path: Path) -> None:
    from tests.designer.processes import embedded_env, embedded_workflow

    env = embedded_env(tmp_path / "embedded.sqlite3")
    workflow_id, token = embedded_workflow(env, "steps", STEPS)
    port = free_port()
    with asgi_server(tmp_path / "embedded.log", port, **env):
        base = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Bearer {token}"}
        started = httpx.post(
            f"{base}/api/workflows/{workflow_id}/executions/", json={"input": {}}, headers=headers
        )
        assert started.status_code == 201, started.text
        execution_id = started.json()["id"]
        events = asyncio.run(
            collect_events(
                f"ws://127.0.0.1:{port}/ws/executions/{execution_id}/?token={token}",
                {"Origin": base},
            )
        )
        described = httpx.get(f"{base}/api/executions/{execution_id}/", headers=headers).json()
    assert described["status"] == "SUCCEEDED"
    assert described["output"] == {"one": 1, "two": 2, "three": 3}
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert events[-1]["type"] == "ExecutionSucceeded"
