"""The executions API: start (idempotent on name), list, describe, history, stop, Express.

Executions are advanced here by calling the runtime directly in the test's
transaction (the Celery path has its own tests with real workers).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from designer.models import Execution, Membership, Role, Team, Workflow, WorkflowType
from designer.services.execution_runtime import execution_advance

pytestmark = pytest.mark.django_db

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": 1}, "End": True}}}
NAP = {
    "StartAt": "Nap",
    "States": {
        "Nap": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}


def make_user(name: str) -> Any:
    return get_user_model().objects.create_user(name, password="pw")


@pytest.fixture
def world() -> dict[str, Any]:
    team = Team.objects.create(name="Alpha", slug="alpha")
    other = Team.objects.create(name="Beta", slug="beta")
    users = {role: make_user(role) for role in ("owner", "editor", "runner", "viewer")}
    for role, user in users.items():
        Membership.objects.create(team=team, user=user, role=Role(role))
    users["outsider"] = make_user("outsider")
    Membership.objects.create(team=other, user=users["outsider"], role=Role.OWNER)
    standard = Workflow.objects.create(team=team, name="std", definition=PASS)
    napper = Workflow.objects.create(team=team, name="nap", definition=NAP)
    express = Workflow.objects.create(
        team=team, name="exp", definition=PASS, type=WorkflowType.EXPRESS
    )
    return {"users": users, "standard": standard, "napper": napper, "express": express}


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def start(world: dict[str, Any], who: str, workflow: str = "standard", **body: Any) -> Any:
    url = f"/api/workflows/{world[workflow].pk}/executions/"
    return client_for(world["users"][who]).post(url, body, format="json")


@pytest.mark.parametrize("who", ["owner", "editor", "runner"])
def test_runners_and_up_can_start(world: dict[str, Any], who: str) -> None:
    response = start(world, who, input={"a": 1}, name="first")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "RUNNING" and body["name"] == "first" and body["input"] == {"a": 1}
    assert Execution.objects.filter(pk=body["id"]).exists()


def test_viewer_cannot_start_and_outsider_cannot_see(world: dict[str, Any]) -> None:
    denied = start(world, "viewer", input={})
    assert denied.status_code == 403
    assert denied.json()["code"] == "permission_denied"
    hidden = start(world, "outsider", input={})
    assert hidden.status_code == 404
    assert hidden.json() == {"code": "not_found", "message": "No such workflow.", "details": None}
    assert Execution.objects.count() == 0


def test_start_is_idempotent_on_name_like_aws(world: dict[str, Any]) -> None:
    first = start(world, "runner", input={"x": 1}, name="once")
    again = start(world, "runner", input={"x": 1}, name="once")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    clash = start(world, "runner", input={"x": 2}, name="once")
    assert clash.status_code == 409
    assert clash.json()["details"]["execution"] == first.json()["id"]
    assert Execution.objects.count() == 1


def test_express_names_are_neither_unique_nor_idempotent_like_aws(world: dict[str, Any]) -> None:
    """AWS: "StartExecution is not idempotent for EXPRESS workflows"; a reused name starts
    another execution (it was a 409 Conflict, or the first run handed back)."""
    first = start(world, "runner", "express", input={"x": 1}, name="same")
    again = start(world, "runner", "express", input={"x": 1}, name="same")
    other = start(world, "runner", "express", input={"x": 2}, name="same")
    assert [r.status_code for r in (first, again, other)] == [201, 201, 201], other.json()
    assert len({r.json()["id"] for r in (first, again, other)}) == 3
    url = f"/api/workflows/{world['express'].pk}/executions/sync/"
    runner = client_for(world["users"]["runner"])
    synced = [runner.post(url, {"input": {}, "name": "same"}, format="json") for _ in range(2)]
    assert [r.status_code for r in synced] == [200, 200], synced[1].json()
    assert Execution.objects.filter(workflow=world["express"], name="same").count() == 5


def test_invalid_definition_is_refused_with_diagnostics(world: dict[str, Any]) -> None:
    world["standard"].definition = {
        "StartAt": "Nope",
        "States": {"P": {"Type": "Pass", "End": True}},
    }
    world["standard"].save()
    response = start(world, "owner", input={})
    assert response.status_code == 400
    codes = {d["code"] for d in response.json()["details"]}
    assert "START_AT_NOT_FOUND" in codes or "DANGLING_NEXT" in codes


def test_bad_names_and_huge_input_are_refused(world: dict[str, Any]) -> None:
    assert start(world, "owner", input={}, name="has space").status_code == 400
    huge = start(world, "owner", input={"s": "x" * (256 * 1024)})
    assert huge.status_code == 400
    assert "256 KiB" in huge.json()["message"]


def test_describe_and_history_after_running(world: dict[str, Any]) -> None:
    execution_id = start(world, "runner", input={"in": True}).json()["id"]
    execution_advance(execution_id)
    client = client_for(world["users"]["viewer"])
    described = client.get(f"/api/executions/{execution_id}/").json()
    assert described["status"] == "SUCCEEDED"
    assert described["output"] == {"ok": 1}
    history = client.get(f"/api/executions/{execution_id}/history/").json()
    types = [e["type"] for e in history["events"]]
    assert types == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    entered = history["events"][1]
    assert entered["stateEnteredEventDetails"]["input"] == '{"in":true}'
    assert entered["previousEventId"] == 0
    assert (
        client_for(world["users"]["outsider"])
        .get(f"/api/executions/{execution_id}/history/")
        .status_code
        == 404
    )


def test_history_pages_both_ways(world: dict[str, Any]) -> None:
    execution_id = start(world, "runner", input={}).json()["id"]
    execution_advance(execution_id)
    client = client_for(world["users"]["viewer"])
    seen: list[int] = []
    url = f"/api/executions/{execution_id}/history/?limit=3"
    page = client.get(url).json()
    seen += [e["id"] for e in page["events"]]
    page = client.get(url + f"&cursor={page['next_cursor']}").json()
    seen += [e["id"] for e in page["events"]]
    assert seen == [1, 2, 3, 4] and page["next_cursor"] is None
    newest = client.get(f"/api/executions/{execution_id}/history/?reverse=true&limit=2").json()
    assert [e["id"] for e in newest["events"]] == [4, 3]
    assert client.get(url + "&cursor=garbage!").status_code == 400


def test_list_filters_and_cursor_pagination(world: dict[str, Any]) -> None:
    ids = [start(world, "runner", input={"k": k}, name=f"e{k}").json()["id"] for k in range(5)]
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for k, execution_id in enumerate(ids):
        Execution.objects.filter(pk=execution_id).update(start_date=base + timedelta(minutes=k))
    execution_advance(ids[0])
    client = client_for(world["users"]["viewer"])
    names: list[str] = []
    cursor = ""
    while True:
        page = client.get(f"/api/executions/?limit=2{cursor}").json()
        names += [e["name"] for e in page["results"]]
        if not page["next_cursor"]:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert names == ["e4", "e3", "e2", "e1", "e0"]
    done = client.get("/api/executions/?status=SUCCEEDED").json()["results"]
    assert [e["name"] for e in done] == ["e0"]
    after = client.get("/api/executions/?started_after=2026-01-01T00:03:00Z").json()["results"]
    assert [e["name"] for e in after] == ["e4", "e3"]
    by_workflow = client.get(f"/api/workflows/{world['standard'].pk}/executions/").json()
    assert len(by_workflow["results"]) == 5
    assert client.get("/api/executions/?status=BOGUS").status_code == 400
    outsider = client_for(world["users"]["outsider"]).get("/api/executions/").json()
    assert outsider["results"] == []


def test_stop_aborts_a_waiting_execution(world: dict[str, Any]) -> None:
    execution_id = start(world, "runner", workflow="napper", input={}).json()["id"]
    execution_advance(execution_id)
    assert Execution.objects.get(pk=execution_id).status == "RUNNING"
    assert (
        client_for(world["users"]["viewer"])
        .post(f"/api/executions/{execution_id}/stop/", {}, format="json")
        .status_code
        == 403
    )
    assert (
        client_for(world["users"]["outsider"])
        .post(f"/api/executions/{execution_id}/stop/", {}, format="json")
        .status_code
        == 404
    )
    stopped = client_for(world["users"]["runner"]).post(
        f"/api/executions/{execution_id}/stop/",
        {"error": "Manual", "cause": "enough"},
        format="json",
    )
    assert stopped.status_code == 202
    execution_advance(execution_id)
    execution = Execution.objects.get(pk=execution_id)
    assert (execution.status, execution.error, execution.cause) == ("ABORTED", "Manual", "enough")
    last = execution.events.order_by("-event_id").first()
    assert last is not None and last.type == "ExecutionAborted"
    again = client_for(world["users"]["runner"]).post(f"/api/executions/{execution_id}/stop/", {})
    assert again.status_code == 409


def test_express_sync_returns_the_result(world: dict[str, Any]) -> None:
    url = f"/api/workflows/{world['express'].pk}/executions/sync/"
    response = client_for(world["users"]["runner"]).post(url, {"input": {"q": 1}}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["execution"]["status"] == "SUCCEEDED"
    assert body["execution"]["output"] == {"ok": 1}
    assert body["billing_duration_ms"] >= 0
    execution = Execution.objects.get(pk=body["execution"]["id"])
    assert execution.event_count == 4
    standard = f"/api/workflows/{world['standard'].pk}/executions/sync/"
    assert client_for(world["users"]["runner"]).post(standard, {}, format="json").status_code == 400
    assert client_for(world["users"]["viewer"]).post(url, {}, format="json").status_code == 403


def test_mocked_task_retries_across_advances(world: dict[str, Any]) -> None:
    world["standard"].definition = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::http:invoke",
                "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2}],
                "End": True,
            }
        },
    }
    world["standard"].save()
    mocks = {"Call": [{"Throw": {"Error": "Flaky", "Cause": "try again"}}, {"Return": {"v": 2}}]}
    execution_id = start(world, "runner", input={}, mocks=mocks).json()["id"]
    execution_advance(execution_id)
    execution = Execution.objects.get(pk=execution_id)
    assert execution.status == "RUNNING" and execution.wake_at is not None
    Execution.objects.filter(pk=execution_id).update(
        wake_at=datetime.now(tz=UTC),
        state=_shift_timers(execution.state, -5),
    )
    execution_advance(execution_id)
    execution.refresh_from_db()
    assert execution.status == "SUCCEEDED" and execution.output == {"v": 2}
    types = list(execution.events.values_list("type", flat=True))
    assert types.count("TaskScheduled") == 2 and types.count("TaskFailed") == 1


def _shift_timers(state: dict[str, Any], seconds: float) -> dict[str, Any]:
    for timer in state["timers"].values():
        timer["fire_at"] += seconds
    return state


def test_express_sync_can_run_in_a_worker(world: dict[str, Any], settings: Any) -> None:
    """With EXPRESS_IN_WEB off, the web process hands the run over and waits for it."""
    from unittest import mock

    from designer.services import executions as service

    settings.STATEYARD = {**settings.STATEYARD, "EXPRESS_IN_WEB": False}
    handed: list[Any] = []

    def worker_runs_it(execution_id: Any) -> None:
        handed.append(execution_id)
        service.express_run(execution_id)

    with mock.patch.object(service, "express_dispatch", worker_runs_it):
        url = f"/api/workflows/{world['express'].pk}/executions/sync/"
        body = client_for(world["users"]["runner"]).post(url, {"input": {}}, format="json").json()
    assert [str(h) for h in handed] == [body["execution"]["id"]]
    assert body["execution"]["status"] == "SUCCEEDED"


def test_schema_documents_the_execution_endpoints(world: dict[str, Any]) -> None:
    response = client_for(world["users"]["viewer"]).get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/workflows/{workflow_id}/executions/",
        "/api/workflows/{workflow_id}/executions/sync/",
        "/api/executions/",
        "/api/executions/{execution_id}/history/",
        "/api/executions/{execution_id}/stop/",
    ):
        assert path in paths, path
    docs = client_for(world["users"]["viewer"]).get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
