"""Execution list pages: a constant number of queries, keyset cursors, only the caller's teams.

The number of SQL statements of a page must not grow with its rows (no query
per row for the workflow or the version), and a page must never read the
large columns (definition, input, output, state).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from designer.models import Execution, Team, Workflow, WorkflowVersion

pytestmark = pytest.mark.django_db

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
BIG = {"blob": "x" * 2000}


def fill(team: Team, count: int, prefix: str) -> list[Workflow]:
    """``count`` executions over two workflows, half of them of a published version."""
    flows = [
        Workflow.objects.create(team=team, name=f"{prefix}-{n}", definition=PASS) for n in (1, 2)
    ]
    versions = [
        WorkflowVersion.objects.create(workflow=flow, number=1, definition=PASS) for flow in flows
    ]
    base = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        Execution(
            workflow=flows[n % 2],
            team=team,  # bulk_create skips save(), which fills it in
            version=versions[n % 2] if n % 4 < 2 else None,
            definition=PASS,
            name=f"{prefix}-run-{n}",
            type="STANDARD",
            status=("RUNNING", "SUCCEEDED", "FAILED")[n % 3],
            input=BIG,
            output=BIG,
        )
        for n in range(count)
    ]
    Execution.objects.bulk_create(rows)
    for n, row in enumerate(rows):  # auto_now_add: spread the start dates afterwards
        row.start_date = base + timedelta(seconds=n // 2)  # pairs share a time: the id breaks ties
    Execution.objects.bulk_update(rows, ["start_date"])
    return flows


def page(client: APIClient, query: str) -> tuple[dict[str, Any], list[str]]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(f"/api/executions/?{query}")
    assert response.status_code == 200, response.json()
    return response.json(), [q["sql"] for q in context.captured_queries]


@pytest.mark.parametrize("query", ["limit=1000", "limit=1000&status=FAILED"])
def test_a_page_costs_the_same_queries_at_10_and_1000_rows(
    team: Team, owner: Any, query: str
) -> None:
    client = APIClient()
    client.force_authenticate(owner)
    fill(team, 10, "small")
    small, small_sql = page(client, query)
    Execution.objects.all().delete()
    fill(team, 1000, "large")
    large, large_sql = page(client, query)
    assert 0 < len(small["results"]) <= 10 < len(large["results"])
    assert len(large_sql) == len(small_sql) <= 2
    listing = next(sql for sql in large_sql if "designer_execution" in sql)
    for column in ("definition", "input", "output", "state", "pending_signals", "mocks"):
        assert f'"designer_execution"."{column}"' not in listing
    with_version = [row for row in large["results"] if row["version"] is not None]
    assert with_version and all(row["version"] == 1 for row in with_version)
    assert {row["workflow_name"] for row in large["results"]} == {"large-1", "large-2"}


def test_cursor_pages_cover_everything_once_newest_first(team: Team, owner: Any) -> None:
    client = APIClient()
    client.force_authenticate(owner)
    flows = fill(team, 95, "c")
    seen: list[dict[str, Any]] = []
    cursor = ""
    while True:
        body, sql = page(client, f"limit=10&workflow={flows[0].pk}{cursor}")
        assert len(sql) <= 2
        seen.extend(body["results"])
        if body["next_cursor"] is None:
            break
        cursor = f"&cursor={body['next_cursor']}"
    expected = list(
        Execution.objects.filter(workflow=flows[0])
        .order_by("-start_date", "-id")
        .values_list("id", flat=True)
    )
    assert [row["id"] for row in seen] == [str(pk) for pk in expected]
    assert len(expected) == 48


def test_another_teams_executions_never_show(team: Team, other_team: Team, owner: Any) -> None:
    fill(other_team, 20, "theirs")
    client = APIClient()
    client.force_authenticate(owner)
    body, _ = page(client, "limit=100")
    assert body["results"] == []
    theirs = Workflow.objects.filter(team=other_team).first()
    assert theirs is not None
    hidden = client.get(f"/api/workflows/{theirs.pk}/executions/")
    assert hidden.status_code == 404


@pytest.mark.parametrize("bad", ["cursor=notbase64!", "workflow=not-a-uuid", "limit=0"])
def test_bad_list_parameters_are_400(team: Team, owner: Any, bad: str) -> None:
    client = APIClient()
    client.force_authenticate(owner)
    response = client.get(f"/api/executions/?{bad}")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
