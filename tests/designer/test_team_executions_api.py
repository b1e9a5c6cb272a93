"""A team's executions across workflows: roles, filters, keyset pages, constant queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from designer.models import (
    Execution,
    ExecutionStatus,
    Team,
    Workflow,
    WorkflowAlias,
    WorkflowVersion,
)

pytestmark = pytest.mark.django_db

PASS: Any = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
T0 = datetime(2026, 1, 1, tzinfo=UTC)
ROLES = ("owner", "editor", "runner", "viewer", "outsider")


@pytest.fixture
def users(members: dict[str, Any], outsider: Any, other_team: Team) -> dict[str, Any]:
    return {**members, "outsider": outsider}


def _make(
    workflow: Workflow,
    name: str,
    minutes: int,
    status: str = "SUCCEEDED",
    version: WorkflowVersion | None = None,
    alias: WorkflowAlias | None = None,
) -> Execution:
    execution = Execution.objects.create(
        workflow=workflow,
        name=name,
        definition=PASS,
        type="STANDARD",
        status=status,
        input={"big": "x" * 1000},
        version=version,
        alias=alias,
    )
    Execution.objects.filter(pk=execution.pk).update(start_date=T0 + timedelta(minutes=minutes))
    return execution


@pytest.fixture
def world(team: Team, other_team: Team) -> dict[str, Any]:
    orders = Workflow.objects.create(team=team, name="orders", definition=PASS)
    billing = Workflow.objects.create(team=team, name="billing", definition=PASS)
    rival = Workflow.objects.create(team=other_team, name="theirs", definition=PASS)
    v1 = WorkflowVersion.objects.create(workflow=orders, number=1, definition=PASS)
    v2 = WorkflowVersion.objects.create(workflow=orders, number=2, definition=PASS)
    live = WorkflowAlias.objects.create(
        workflow=orders, name="live", routing=[{"version": 2, "weight": 100}]
    )
    _make(orders, "order-1", 1, version=v1)
    _make(orders, "order-2", 2, status="FAILED", version=v2, alias=live)
    _make(orders, "order-3", 3, status="RUNNING", version=v2, alias=live)
    _make(billing, "bill-1", 4)
    _make(billing, "bill-2", 5, status="FAILED")
    _make(rival, "secret", 6)
    return {"orders": orders, "billing": billing}


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.json()
    return [e["name"] for e in response.json()["results"]]


@pytest.mark.parametrize("role", ROLES)
def test_every_member_sees_the_teams_executions_and_only_them(
    api_client_for: Any, users: dict[str, Any], world: dict[str, Any], role: str
) -> None:
    response = api_client_for(users[role]).get("/api/teams/acme/executions/")
    if role == "outsider":
        assert response.status_code == 404
        return
    assert names(response) == ["bill-2", "bill-1", "order-3", "order-2", "order-1"]
    first = response.json()["results"][2]
    assert (first["workflow_name"], first["version"], first["alias"]) == ("orders", 2, "live")
    assert "input" not in first


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=FAILED", ["bill-2", "order-2"]),
        ("version=2", ["order-3", "order-2"]),
        ("alias=live&status=RUNNING", ["order-3"]),
        ("name_prefix=bill", ["bill-2", "bill-1"]),
        (
            f"started_after={(T0 + timedelta(minutes=2)).isoformat().replace('+00:00', 'Z')}"
            f"&started_before={(T0 + timedelta(minutes=4)).isoformat().replace('+00:00', 'Z')}",
            ["order-3", "order-2"],
        ),
    ],
)
def test_filters(
    api_client_for: Any, viewer: Any, world: dict[str, Any], query: str, expected: list[str]
) -> None:
    assert names(api_client_for(viewer).get(f"/api/teams/acme/executions/?{query}")) == expected


def test_filter_by_workflow_and_bad_filters(
    api_client_for: Any, viewer: Any, world: dict[str, Any]
) -> None:
    client = api_client_for(viewer)
    got = names(client.get(f"/api/teams/acme/executions/?workflow={world['billing'].id}"))
    assert got == ["bill-2", "bill-1"]
    for bad in (
        "workflow=nope",
        "version=x",
        "status=DONE",
        "started_after=yesterday",
        "limit=0",
        "cursor=%%%",
    ):
        response = client.get(f"/api/teams/acme/executions/?{bad}")
        assert response.status_code == 400, bad
        assert response.json()["code"] == "validation_failed"


def test_keyset_pages_walk_everything_once(
    api_client_for: Any, viewer: Any, world: dict[str, Any]
) -> None:
    client = api_client_for(viewer)
    seen: list[str] = []
    cursor = ""
    while True:
        response = client.get(f"/api/teams/acme/executions/?limit=2&cursor={cursor}")
        seen += names(response)
        cursor = response.json()["next_cursor"]
        if not cursor:
            break
    assert seen == ["bill-2", "bill-1", "order-3", "order-2", "order-1"]


def test_a_page_costs_the_same_queries_whatever_its_size(
    api_client_for: Any, viewer: Any, world: dict[str, Any]
) -> None:
    client = api_client_for(viewer)
    client.get("/api/teams/acme/executions/?limit=1")  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert len(names(client.get("/api/teams/acme/executions/?limit=1"))) == 1
    for index in range(20):
        _make(world["billing"], f"more-{index}", 10 + index, status=ExecutionStatus.SUCCEEDED)
    with CaptureQueriesContext(connection) as large:
        assert len(names(client.get("/api/teams/acme/executions/?limit=25"))) == 25
    assert len(large) == len(small)
    listing = [q["sql"] for q in large if 'FROM "designer_execution"' in q["sql"]]
    assert len(listing) == 1
    assert '"designer_execution"."input"' not in listing[0]
    assert '"designer_workflowversion"."definition"' not in listing[0]
