"""Operating a team's executions: several statuses at once, conditional GET (ETag / 304) for
pages that poll, redrive counts in the rows, and bulk stop with one outcome per execution.

Executions are advanced by calling the runtime in the test's transaction (as
``test_executions_api`` does).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from designer.models import Execution, Team, Workflow
from designer.services.execution_runtime import execution_advance

pytestmark = pytest.mark.django_db

PASS: Any = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
NAP: Any = {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 3600, "End": True}}}
LIST = "/api/teams/acme/executions/"
STOP = "/api/executions/stop/"


@pytest.fixture
def naps(team: Team, runner: Any, api_client_for: Any) -> list[str]:
    """Three waiting executions of team acme."""
    workflow = Workflow.objects.create(team=team, name="napper", definition=NAP)
    client = api_client_for(runner)
    ids = []
    for index in range(3):
        response = client.post(
            f"/api/workflows/{workflow.pk}/executions/", {"name": f"nap-{index}"}, format="json"
        )
        assert response.status_code == 201, response.json()
        execution_advance(response.json()["id"])
        ids.append(response.json()["id"])
    assert set(Execution.objects.values_list("status", flat=True)) == {"RUNNING"}
    return ids


def statuses(ids: list[str]) -> list[str]:
    found = dict(Execution.objects.filter(pk__in=ids).values_list("pk", "status"))
    return [found[uuid.UUID(i)] for i in ids]


def _with_statuses(team: Team) -> dict[str, str]:
    workflow = Workflow.objects.create(team=team, name="mixed", definition=PASS)
    made = {}
    for status in ("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "RUNNING"):
        execution = Execution.objects.create(
            workflow=workflow, name=status.lower(), definition=PASS, type="STANDARD", status=status
        )
        made[status] = str(execution.pk)
    return made


def test_several_statuses_at_once(team: Team, viewer: Any, api_client_for: Any) -> None:
    _with_statuses(team)
    client = api_client_for(viewer)
    response = client.get(f"{LIST}?status=FAILED,TIMED_OUT,ABORTED")
    assert response.status_code == 200, response.json()
    assert sorted(r["status"] for r in response.json()["results"]) == [
        "ABORTED",
        "FAILED",
        "TIMED_OUT",
    ]
    one = client.get(f"{LIST}?status=RUNNING").json()["results"]
    assert [r["status"] for r in one] == ["RUNNING"]
    for bad in ("FAILED,DONE", ",", "FAILED;ABORTED"):
        refused = client.get(f"{LIST}?status={bad}")
        assert refused.status_code == 400, bad
        assert refused.json()["code"] == "validation_failed"
        assert "status must be one or more of" in refused.json()["message"]


def test_rows_say_how_often_an_execution_was_redriven(
    team: Team, viewer: Any, api_client_for: Any
) -> None:
    made = _with_statuses(team)
    Execution.objects.filter(pk=made["FAILED"]).update(redrive_count=2)
    rows = api_client_for(viewer).get(LIST).json()["results"]
    assert {r["name"]: r["redrive_count"] for r in rows} == {
        "succeeded": 0,
        "failed": 2,
        "timed_out": 0,
        "aborted": 0,
        "running": 0,
    }


def test_an_unchanged_page_answers_304_with_its_etag(
    team: Team, viewer: Any, api_client_for: Any
) -> None:
    made = _with_statuses(team)
    client: APIClient = api_client_for(viewer)
    first = client.get(LIST)
    assert first.status_code == 200
    tag = first["ETag"]
    assert tag.startswith('"') and tag.endswith('"')
    assert first["Cache-Control"] == "private, no-cache"
    same = client.get(LIST, HTTP_IF_NONE_MATCH=tag)
    assert same.status_code == 304
    assert same.content == b""
    assert same["ETag"] == tag
    # another filter is another page: its own tag
    failed = client.get(f"{LIST}?status=FAILED", HTTP_IF_NONE_MATCH=tag)
    assert failed.status_code == 200 and failed["ETag"] != tag
    # a status change changes the page
    Execution.objects.filter(pk=made["RUNNING"]).update(status="SUCCEEDED")
    changed = client.get(LIST, HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200
    assert changed["ETag"] != tag
    assert {r["name"]: r["status"] for r in changed.json()["results"]}["running"] == "SUCCEEDED"
    # a list of tags, one of them current
    assert client.get(LIST, HTTP_IF_NONE_MATCH=f'"old", {changed["ETag"]}').status_code == 304


def test_another_team_gets_404_even_with_an_etag(
    team: Team, outsider: Any, api_client_for: Any, viewer: Any
) -> None:
    _with_statuses(team)
    tag = api_client_for(viewer).get(LIST)["ETag"]
    response = api_client_for(outsider).get(LIST, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("role", ["owner", "editor", "runner"])
def test_runners_and_up_stop_many_at_once(
    members: dict[str, Any], naps: list[str], api_client_for: Any, role: str
) -> None:
    response = api_client_for(members[role]).post(
        STOP, {"ids": naps, "error": "Ops.Cancelled", "cause": "bad batch"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["results"] == [{"id": i, "stopped": True} for i in naps]
    for execution_id in naps:
        execution_advance(execution_id)
    rows = Execution.objects.filter(pk__in=naps).values_list("status", "error", "cause")
    assert set(rows) == {("ABORTED", "Ops.Cancelled", "bad batch")}


def test_a_viewer_stops_nothing(viewer: Any, naps: list[str], api_client_for: Any) -> None:
    response = api_client_for(viewer).post(STOP, {"ids": naps}, format="json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["stopped"] for r in results] == [False, False, False]
    assert {r["code"] for r in results} == {"permission_denied"}
    assert results[0]["message"] == "This needs the runner role; you are viewer."
    for execution_id in naps:
        execution_advance(execution_id)
    assert statuses(naps) == ["RUNNING"] * 3


def test_another_teams_executions_are_not_found_and_the_rest_go_on(
    naps: list[str], runner: Any, outsider: Any, other_team: Team, api_client_for: Any
) -> None:
    # the outsider names acme's executions: each is "not found", nothing stops
    hidden = api_client_for(outsider).post(STOP, {"ids": naps[:2]}, format="json").json()
    assert hidden["results"] == [
        {"id": i, "stopped": False, "code": "not_found", "message": "No such execution."}
        for i in naps[:2]
    ]
    # a runner's batch with a stranger's id, a finished one and a repeated one
    theirs = Workflow.objects.create(team=other_team, name="theirs", definition=NAP)
    stranger = Execution.objects.create(
        workflow=theirs, name="x", definition=NAP, type="STANDARD", status="RUNNING"
    )
    Execution.objects.filter(pk=naps[2]).update(status="SUCCEEDED")
    body = {"ids": [naps[0], str(stranger.pk), naps[2], naps[0], naps[1]]}
    results = api_client_for(runner).post(STOP, body, format="json").json()["results"]
    assert [(r["id"], r["stopped"], r.get("code")) for r in results] == [
        (naps[0], True, None),
        (str(stranger.pk), False, "not_found"),
        (naps[2], False, "conflict"),
        (naps[1], True, None),
    ]
    assert results[2]["message"] == "The execution is already SUCCEEDED."
    for execution_id in naps[:2]:
        execution_advance(execution_id)
    assert statuses(naps) == ["ABORTED", "ABORTED", "SUCCEEDED"]
    assert Execution.objects.get(pk=stranger.pk).status == "RUNNING"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "ids"),
        ({"ids": []}, "ids"),
        ({"ids": ["not-a-uuid"]}, "ids"),
        ({"ids": ["00000000-0000-0000-0000-000000000001"] * 101}, "ids"),
        ({"ids": ["00000000-0000-0000-0000-000000000001"], "error": "e" * 257}, "error"),
    ],
)
def test_bulk_stop_refuses_a_bad_body(
    runner: Any, team: Team, api_client_for: Any, body: dict[str, Any], field: str
) -> None:
    response = api_client_for(runner).post(STOP, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
    assert field in response.json()["details"]


def test_bulk_stop_needs_a_user(api_client_for: Any, naps: list[str]) -> None:
    response = api_client_for(None).post(STOP, {"ids": naps}, format="json")
    assert response.status_code in (401, 403)
    assert statuses(naps) == ["RUNNING"] * 3
