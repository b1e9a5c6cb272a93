"""Issue #13: a Standard execution runs at most a year (``STANDARD_MAX_SECONDS``), as on AWS.

Past it the execution ends TIMED_OUT with ``States.Timeout`` and an
``ExecutionTimedOut`` event, as at its definition's ``TimeoutSeconds``; the
runtime wakes it then (its ``wake_at`` is the deadline), so the sweeper finds it
even if nobody signals it. The tests lower the limit through settings.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from designer.models import Execution, ExecutionEvent, Team, Workflow
from designer.services.execution_runtime import execution_advance
from designer.services.executions import execution_start
from engine import limits

pytestmark = pytest.mark.django_db

NAP = {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 3600, "End": True}}}


def start(members: dict[str, Any], team: Team, definition: dict[str, Any]) -> Execution:
    workflow = Workflow.objects.create(team=team, name=f"w{time.time_ns()}", definition=definition)
    execution, _ = execution_start(members["runner"], workflow.pk, {}, dispatch=False)
    execution_advance(execution.pk)
    execution.refresh_from_db()
    return execution


def test_the_default_is_aws_one_year() -> None:
    assert limits.STANDARD_MAX_SECONDS == 365 * 24 * 3600


def test_a_standard_execution_times_out_at_the_duration_limit(
    members: dict[str, Any], team: Team, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"STANDARD_MAX_SECONDS": 1}
    began = time.time()
    execution = start(members, team, NAP)
    assert execution.status == "RUNNING"
    assert execution.wake_at is not None
    assert execution.wake_at.timestamp() <= began + 1 + 5  # woken at the limit, not in an hour
    time.sleep(1.2)
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert (execution.status, execution.error) == ("TIMED_OUT", "States.Timeout")
    last = ExecutionEvent.objects.filter(execution=execution).order_by("-event_id").first()
    assert last is not None and last.type == "ExecutionTimedOut"


def test_a_shorter_timeout_seconds_still_wins(
    members: dict[str, Any], team: Team, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"STANDARD_MAX_SECONDS": 3600}
    execution = start(members, team, {**NAP, "TimeoutSeconds": 1})
    time.sleep(1.2)
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "TIMED_OUT"


def test_within_the_limit_an_execution_goes_on(
    members: dict[str, Any], team: Team, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"STANDARD_MAX_SECONDS": 3600}
    execution = start(members, team, NAP)
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "RUNNING"
