"""Execution retention: finished executions past their workflow's days go with their history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from designer.models import Execution, ExecutionEvent, Team, Workflow
from designer.services.retention import executions_expire
from designer.tasks import executions_expire_task

pytestmark = pytest.mark.django_db

PASS: Any = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _make(workflow: Workflow, name: str, status: str, stopped_days_ago: float | None) -> Execution:
    stop = NOW - timedelta(days=stopped_days_ago) if stopped_days_ago is not None else None
    execution = Execution.objects.create(
        workflow=workflow,
        name=name,
        definition=PASS,
        type="STANDARD",
        status=status,
        input={},
        stop_date=stop,
    )
    ExecutionEvent.objects.create(
        execution=execution, event_id=1, type="ExecutionStarted", timestamp=NOW
    )
    return execution


@pytest.fixture
def workflows(team: Team) -> tuple[Workflow, Workflow]:
    short = Workflow.objects.create(team=team, name="short", definition=PASS, retention_days=7)
    default = Workflow.objects.create(team=team, name="default", definition=PASS)
    _make(short, "old-ok", "SUCCEEDED", 8)
    _make(short, "old-failed", "FAILED", 30)
    _make(short, "recent", "SUCCEEDED", 6)
    _make(short, "running", "RUNNING", None)
    _make(default, "old-for-7-not-90", "SUCCEEDED", 60)
    _make(default, "past-90", "ABORTED", 91)
    return short, default


def remaining() -> set[str]:
    return set(Execution.objects.values_list("name", flat=True))


def test_expire_deletes_finished_executions_past_their_workflows_retention(
    workflows: tuple[Workflow, Workflow],
) -> None:
    assert executions_expire(now=NOW, dry_run=True) == 3
    assert len(remaining()) == 6
    assert executions_expire(now=NOW) == 3
    assert remaining() == {"recent", "running", "old-for-7-not-90"}
    assert ExecutionEvent.objects.count() == 3  # history went with them
    assert executions_expire(now=NOW) == 0


def test_a_running_execution_is_never_expired(workflows: tuple[Workflow, Workflow]) -> None:
    Execution.objects.filter(name="running").update(stop_date=NOW - timedelta(days=999))
    executions_expire(now=NOW + timedelta(days=1000))
    assert "running" in remaining()


def test_command_and_task_use_the_current_time(team: Team) -> None:
    workflow = Workflow.objects.create(team=team, name="w", definition=PASS, retention_days=7)
    now = datetime.now(tz=UTC)
    for name, days in (("expired", 8), ("kept", 6)):
        execution = _make(workflow, name, "SUCCEEDED", None)
        Execution.objects.filter(pk=execution.pk).update(stop_date=now - timedelta(days=days))
    out = StringIO()
    call_command("stateyard_expire_executions", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "1 expired execution(s) would be deleted."
    assert remaining() == {"expired", "kept"}
    out = StringIO()
    call_command("stateyard_expire_executions", stdout=out)
    assert out.getvalue().strip() == "1 expired execution(s) deleted."
    assert remaining() == {"kept"}
    Execution.objects.filter(name="kept").update(stop_date=now - timedelta(days=9))
    assert executions_expire_task() == 1
    assert remaining() == set()
