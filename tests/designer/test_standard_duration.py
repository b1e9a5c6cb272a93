"""Issue #13: a Standard execution runs at most a year (``STANDARD_MAX_SECONDS``), as on AWS.

The sweep sends a Standard execution still RUNNING that long after its start an
``ExecutionTimeout`` signal; its advance ends it TIMED_OUT with ``States.Timeout``
and an ``ExecutionTimedOut`` event, as the definition's ``TimeoutSeconds`` does.
No timer is armed for it (a year-long delayed message in every worker), so an
execution without a timeout still has no ``wake_at``. The tests lower the limit
through settings, or move a start date back.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from designer.models import Execution, ExecutionEvent, Team, Workflow
from designer.services.execution_runtime import execution_advance
from designer.services.executions import execution_start
from designer.services.sweeper import executions_sweep, standard_time_out_overdue
from engine import limits

pytestmark = pytest.mark.django_db

NAP = {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 3600, "End": True}}}


def start(members: dict[str, Any], team: Team, definition: dict[str, Any] = NAP) -> Execution:
    workflow = Workflow.objects.create(team=team, name=f"w{time.time_ns()}", definition=definition)
    execution, _ = execution_start(members["runner"], workflow.pk, {}, dispatch=False)
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "RUNNING"
    return execution


def ended(execution: Execution) -> Execution:
    execution_advance(execution.pk)  # what the dispatched message does
    execution.refresh_from_db()
    return execution


def test_the_default_is_aws_one_year() -> None:
    assert limits.STANDARD_MAX_SECONDS == 365 * 24 * 3600


def test_a_standard_execution_times_out_at_the_duration_limit(
    members: dict[str, Any], team: Team, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"STANDARD_MAX_SECONDS": 1}
    execution = start(members, team)
    time.sleep(1.2)
    assert executions_sweep() >= 1
    execution = ended(execution)
    assert (execution.status, execution.error) == ("TIMED_OUT", "States.Timeout")
    last = ExecutionEvent.objects.filter(execution=execution).order_by("-event_id").first()
    assert last is not None and last.type == "ExecutionTimedOut"
    assert standard_time_out_overdue() == 0  # ended: nothing more to tell


def test_an_execution_older_than_a_year_is_ended(members: dict[str, Any], team: Team) -> None:
    execution = start(members, team)
    Execution.objects.filter(pk=execution.pk).update(
        start_date=datetime.now(tz=UTC) - timedelta(days=366)
    )
    assert standard_time_out_overdue() == 1
    assert standard_time_out_overdue() == 0  # told once, not at every sweep
    assert ended(execution).status == "TIMED_OUT"


def test_within_the_limit_an_execution_goes_on(members: dict[str, Any], team: Team) -> None:
    execution = start(members, team)
    Execution.objects.filter(pk=execution.pk).update(
        start_date=datetime.now(tz=UTC) - timedelta(days=364)
    )
    assert standard_time_out_overdue() == 0
    assert ended(execution).status == "RUNNING"
    assert execution.wake_at is not None  # the Wait's own timer, an hour away
    assert execution.wake_at > datetime.now(tz=UTC) + timedelta(minutes=50)


def test_express_executions_are_not_touched(
    members: dict[str, Any], team: Team, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"STANDARD_MAX_SECONDS": 1}
    workflow = Workflow.objects.create(team=team, name="x", definition=NAP, type="EXPRESS")
    execution, _ = execution_start(members["runner"], workflow.pk, {}, dispatch=False)
    Execution.objects.filter(pk=execution.pk).update(
        start_date=datetime.now(tz=UTC) - timedelta(days=2)
    )
    assert standard_time_out_overdue() == 0
