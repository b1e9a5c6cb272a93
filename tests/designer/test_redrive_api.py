"""Redrive through the API and the durable runtime: the same execution resumes where it failed.

Executions are advanced by calling the runtime (``execution_advance``) in the
test's transaction, as ``test_executions_api`` does. Task results come from
the execution's stored mocks; a test "fixes" a failing task by changing them
before it redrives, as a person fixes a downstream service.
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

LAMBDA = "arn:aws:states:::lambda:invoke"
OK = [{"Return": {"ok": True}}]
BOOM = [{"Throw": {"Error": "Boom", "Cause": "down"}}]


def task(nxt: str | None = None, **fields: Any) -> dict[str, Any]:
    state: dict[str, Any] = {"Type": "Task", "Resource": LAMBDA, **fields}
    if nxt:
        state["Next"] = nxt
    else:
        state["End"] = True
    return state


ABC = {
    "StartAt": "A",
    "States": {
        "A": task("B", ResultPath="$.a"),
        "B": task("C", ResultPath="$.b"),
        "C": task(ResultPath="$.c"),
    },
}
MAP = {
    "StartAt": "M",
    "States": {
        "M": {
            "Type": "Map",
            "ToleratedFailureCount": 1,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Which",
                "States": {
                    "Which": {
                        "Type": "Choice",
                        "Choices": [
                            {"Variable": "$.flaky", "BooleanEquals": True, "Next": "Flaky"}
                        ],
                        "Default": "Fine",
                    },
                    "Fine": {"Type": "Pass", "Result": "fine", "End": True},
                    "Flaky": task(),
                },
            },
            "End": True,
        }
    },
}
PARALLEL = {
    "StartAt": "P",
    "States": {
        "P": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "L", "States": {"L": {"Type": "Pass", "Result": "left", "End": True}}},
                {"StartAt": "R", "States": {"R": task()}},
            ],
            "End": True,
        }
    },
}


def make_user(name: str) -> Any:
    return get_user_model().objects.create_user(name, password="pw")


@pytest.fixture
def world() -> dict[str, Any]:
    return make_world()


def make_world() -> dict[str, Any]:
    """A team with every role, an outsider's team and a workflow of each kind."""
    team = Team.objects.create(name="Alpha", slug="alpha")
    other = Team.objects.create(name="Beta", slug="beta")
    users = {role: make_user(role) for role in ("owner", "editor", "runner", "viewer")}
    for role, user in users.items():
        Membership.objects.create(team=team, user=user, role=Role(role))
    users["outsider"] = make_user("outsider")
    Membership.objects.create(team=other, user=users["outsider"], role=Role.OWNER)
    return {
        "users": users,
        "abc": Workflow.objects.create(team=team, name="abc", definition=ABC),
        "map": Workflow.objects.create(team=team, name="map", definition=MAP),
        "parallel": Workflow.objects.create(team=team, name="par", definition=PARALLEL),
        "express": Workflow.objects.create(
            team=team, name="exp", definition=ABC, type=WorkflowType.EXPRESS
        ),
        "foreign": Workflow.objects.create(team=other, name="theirs", definition=ABC),
    }


def client(world: dict[str, Any], who: str) -> APIClient:
    api = APIClient()
    api.force_authenticate(world["users"][who])
    return api


def run(execution_id: Any) -> Execution:
    for _ in range(50):
        if not execution_advance(execution_id):
            break
    return Execution.objects.get(pk=execution_id)


def started(world: dict[str, Any], workflow: str, data: Any, mocks: dict[str, Any]) -> Execution:
    api = client(world, "runner" if workflow != "foreign" else "outsider")
    url = f"/api/workflows/{world[workflow].pk}/executions/"
    response = api.post(url, {"input": data, "mocks": mocks}, format="json")
    assert response.status_code == 201, response.json()
    return run(response.json()["id"])


def history(world: dict[str, Any], execution: Execution) -> list[dict[str, Any]]:
    url = f"/api/executions/{execution.pk}/history/?limit=1000"
    return client(world, "viewer").get(url).json()["events"]  # type: ignore[no-any-return]


def describe(world: dict[str, Any], execution: Execution, who: str = "viewer") -> Any:
    return client(world, who).get(f"/api/executions/{execution.pk}/")


def redrive(world: dict[str, Any], execution: Execution, who: str = "runner") -> Any:
    return client(world, who).post(f"/api/executions/{execution.pk}/redrive/", format="json")


def fix(execution: Execution, **mocks: Any) -> None:
    Execution.objects.filter(pk=execution.pk).update(mocks={**execution.mocks, **mocks})


def entered(events: list[dict[str, Any]]) -> list[str]:
    return [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("Entered")]


def test_a_failed_execution_redrives_from_the_failed_state(world: dict[str, Any]) -> None:
    ex = started(world, "abc", {"n": 1}, {"A": OK, "B": BOOM, "C": OK})
    assert ex.status == "FAILED" and ex.error == "Boom"
    assert ex.state is not None  # kept for a redrive
    before = history(world, ex)
    info = describe(world, ex).json()
    assert (info["redrive_status"], info["redrive_count"], info["redrive_date"]) == (
        "REDRIVABLE",
        0,
        None,
    )
    fix(ex, B=OK)
    response = redrive(world, ex)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "RUNNING" and body["redrive_count"] == 1
    assert body["redrive_status"] == "NOT_REDRIVABLE"
    ex = run(ex.pk)
    assert ex.status == "SUCCEEDED", ex.error
    assert ex.output == {"n": 1, "a": {"ok": True}, "b": {"ok": True}, "c": {"ok": True}}
    events = history(world, ex)
    assert events[: len(before)] == before  # the history goes on, unchanged
    new = events[len(before) :]
    assert new[0]["type"] == "ExecutionRedriven"
    assert new[0]["executionRedrivenEventDetails"] == {"redriveCount": 1}
    assert entered(new) == ["B", "C"]  # A is not run again
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    info = describe(world, ex).json()
    assert info["redrive_count"] == 1 and info["redrive_date"] is not None
    assert info["redrive_status"] == "NOT_REDRIVABLE"
    assert info["redrive_status_reason"] == "Execution is SUCCEEDED and cannot be redriven."
    assert ex.state is None  # a succeeded execution keeps no state


def test_redrive_count_increments_with_each_redrive(world: dict[str, Any]) -> None:
    ex = started(world, "abc", {}, {"A": OK, "B": BOOM, "C": OK})
    for count in (1, 2):
        assert redrive(world, ex).json()["redrive_count"] == count
        ex = run(ex.pk)
        assert ex.status == "FAILED"
    fix(ex, B=OK)
    assert redrive(world, ex).json()["redrive_count"] == 3
    ex = run(ex.pk)
    assert ex.status == "SUCCEEDED" and ex.redrive_count == 3
    counts = [
        e["executionRedrivenEventDetails"]["redriveCount"]
        for e in history(world, ex)
        if e["type"] == "ExecutionRedriven"
    ]
    assert counts == [1, 2, 3]
    assert entered(history(world, ex)).count("A") == 1


def test_a_map_redrives_only_its_two_failed_iterations(world: dict[str, Any]) -> None:
    items = [{"i": i, "flaky": i in (1, 3)} for i in range(5)]
    ex = started(world, "map", items, {"Flaky": BOOM})
    assert ex.status == "FAILED" and ex.error == "States.ExceedToleratedFailureThreshold"
    before = len(history(world, ex))
    fix(ex, Flaky=[{"Return": "mended"}])
    assert redrive(world, ex).status_code == 200
    ex = run(ex.pk)
    assert ex.status == "SUCCEEDED", ex.cause
    assert ex.output == ["fine", "mended", "fine", "mended", "fine"]
    new = history(world, ex)[before:]
    started_again = [
        e["mapIterationStartedEventDetails"]["index"]
        for e in new
        if e["type"] == "MapIterationStarted"
    ]
    assert started_again == [1, 3]
    assert "MapStateEntered" not in [e["type"] for e in new]
    assert entered(new) == ["Flaky", "Flaky"]  # each resumes at its failed state


def test_a_parallel_redrives_only_its_failed_branch(world: dict[str, Any]) -> None:
    ex = started(world, "parallel", {"v": 1}, {"R": BOOM})
    assert ex.status == "FAILED"
    before = len(history(world, ex))
    fix(ex, R=[{"Return": "right"}])
    redrive(world, ex)
    ex = run(ex.pk)
    assert ex.status == "SUCCEEDED"
    assert ex.output == ["left", "right"]
    assert entered(history(world, ex)[before:]) == ["R"]


def test_what_is_not_redrivable_is_refused_with_aws_reasons(world: dict[str, Any]) -> None:
    done = started(world, "abc", {}, {"A": OK, "B": OK, "C": OK})
    refused = redrive(world, done)
    assert refused.status_code == 409
    assert refused.json()["code"] == "execution_not_redrivable"
    assert refused.json()["message"] == "Execution is SUCCEEDED and cannot be redriven."

    old = started(world, "abc", {}, {"A": OK, "B": BOOM, "C": OK})
    Execution.objects.filter(pk=old.pk).update(stop_date=datetime.now(tz=UTC) - timedelta(days=15))
    refused = redrive(world, old)
    assert refused.status_code == 409
    assert refused.json()["message"] == "Execution redrivable period exceeded."
    assert describe(world, old).json()["redrive_status"] == "NOT_REDRIVABLE"
    Execution.objects.filter(pk=old.pk).update(stop_date=datetime.now(tz=UTC) - timedelta(days=13))
    assert redrive(world, old).status_code == 200
    assert redrive(world, old).json()["message"] == "Execution is RUNNING and cannot be redriven."

    api = client(world, "runner")
    url = f"/api/workflows/{world['express'].pk}/executions/sync/"
    body = api.post(url, {"input": {}, "mocks": {"A": OK, "B": BOOM}}, format="json").json()
    express = Execution.objects.get(pk=body["execution"]["id"])
    assert express.status == "FAILED"
    refused = redrive(world, express)
    assert refused.status_code == 409
    assert refused.json()["message"] == "Execution is EXPRESS and cannot be redriven."


def test_roles_viewer_403_other_team_404(world: dict[str, Any]) -> None:
    ex = started(world, "abc", {}, {"A": OK, "B": BOOM, "C": OK})
    assert redrive(world, ex, "viewer").status_code == 403
    hidden = redrive(world, ex, "outsider")
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    assert Execution.objects.get(pk=ex.pk).status == "FAILED"
    assert redrive(world, ex, "editor").status_code == 200


def test_bulk_redrive_answers_per_id(world: dict[str, Any]) -> None:
    failed = started(world, "abc", {}, {"A": OK, "B": BOOM, "C": OK})
    done = started(world, "abc", {}, {"A": OK, "B": OK, "C": OK})
    theirs = started(world, "foreign", {}, {"A": OK, "B": BOOM, "C": OK})
    ids = [str(failed.pk), str(done.pk), str(theirs.pk)]
    response = client(world, "runner").post("/api/executions/redrive/", {"ids": ids}, format="json")
    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert [r["id"] for r in results] == ids
    assert results[0] == {"id": ids[0], "redriven": True, "redrive_count": 1}
    assert results[1]["redriven"] is False and results[1]["code"] == "execution_not_redrivable"
    assert results[2] == {
        "id": ids[2],
        "redriven": False,
        "code": "not_found",
        "message": "No such execution.",
    }
    assert Execution.objects.get(pk=theirs.pk).status == "FAILED"
    bad = client(world, "runner").post("/api/executions/redrive/", {"ids": []}, format="json")
    assert bad.status_code == 400
    viewer = client(world, "viewer").post(
        "/api/executions/redrive/", {"ids": [str(failed.pk)]}, format="json"
    )
    assert viewer.json()["results"][0]["code"] == "permission_denied"


def test_schema_documents_redrive_and_rerun(world: dict[str, Any]) -> None:
    paths = client(world, "viewer").get("/api/schema/?format=json").json()["paths"]
    one = paths["/api/executions/{execution_id}/redrive/"]["post"]["responses"]
    assert {"200", "403", "404", "409"} <= set(one)
    assert one["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    bulk = paths["/api/executions/redrive/"]["post"]
    assert bulk["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/BulkRedrive"
    )
    rerun = paths["/api/executions/{execution_id}/rerun/"]["post"]
    assert {"201", "400", "403", "404", "409"} <= set(rerun["responses"])
    described = paths["/api/executions/{execution_id}/"]["get"]["responses"]["200"]
    ref = described["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    schema = client(world, "viewer").get("/api/schema/?format=json").json()
    fields = schema["components"]["schemas"][ref]["properties"]
    for name in ("redrive_count", "redrive_date", "redrive_status", "rerun_of", "reruns"):
        assert name in fields, name
