"""Redrive with a real Celery worker: the service saves the redriven state and dispatches it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from designer.models import Execution, ExecutionEvent, Membership, Role, Team, Workflow
from designer.services.execution_redrive import execution_redrive
from designer.services.executions import execution_start
from tests.designer.processes import flush_broker, wait_for, worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

DEFINITION = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Result": "a", "ResultPath": "$.a", "Next": "B"},
        "B": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "ResultPath": "$.b",
            "Next": "C",
        },
        "C": {"Type": "Pass", "End": True},
    },
}


def test_a_worker_runs_a_redriven_execution_to_the_end(tmp_path: Path) -> None:
    flush_broker()
    user: Any = get_user_model().objects.create_user("redriver", password="x")
    team = Team.objects.create(name="Redrive", slug="redrive")
    Membership.objects.create(team=team, user=user, role=Role.RUNNER)
    workflow = Workflow.objects.create(team=team, name="abc", definition=DEFINITION)
    mocks = {"B": [{"Throw": {"Error": "Down", "Cause": "not yet"}}]}
    with worker(tmp_path / "worker.log"):
        execution, _ = execution_start(user, workflow.pk, {"n": 1}, mocks=mocks)
        wait_for(lambda: Execution.objects.get(pk=execution.pk).status != "RUNNING", timeout=60)
        assert Execution.objects.get(pk=execution.pk).status == "FAILED"
        Execution.objects.filter(pk=execution.pk).update(mocks={"B": [{"Return": "b"}]})
        execution_redrive(user, execution.pk)
        wait_for(lambda: Execution.objects.get(pk=execution.pk).status != "RUNNING", timeout=60)
    execution.refresh_from_db()
    assert execution.status == "SUCCEEDED", (execution.error, execution.cause)
    assert execution.output == {"n": 1, "a": "a", "b": "b"}
    assert execution.redrive_count == 1 and execution.state is None
    rows = list(ExecutionEvent.objects.filter(execution=execution).order_by("event_id"))
    assert [r.event_id for r in rows] == list(range(1, len(rows) + 1))
    types = [r.type for r in rows]
    assert types.count("PassStateEntered") == 2  # A once, C once
    redriven = types.index("ExecutionRedriven")
    assert types[redriven - 1] == "ExecutionFailed"
    assert types[redriven + 1 :] == [
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
