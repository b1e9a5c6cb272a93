"""Standard executions run by real Celery workers on Redis and PostgreSQL.

Covers: a worker running executions to the end with the same history the
engine records in memory; a worker killed with SIGKILL in the middle of an
execution (the execution finishes, right output, no event lost or repeated);
a Wait that outlives the worker that started it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

import engine
from designer.models import Execution, ExecutionEvent, Membership, Role, Team, Workflow
from designer.services.executions import execution_start
from tests.designer.processes import flush_broker, kill_hard, start_worker, stop, wait_for, worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def counting_loop(pause_every: int | None = None, seconds: int = 1) -> dict[str, Any]:
    states: dict[str, Any] = {
        "Init": {"Type": "Pass", "Parameters": {"i": 0, "n.$": "$.n"}, "Next": "Check"},
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.i", "NumericGreaterThanEqualsPath": "$.n", "Next": "Both"}],
            "Default": "Inc",
        },
        "Inc": {
            "Type": "Pass",
            "Parameters": {"i.$": "States.MathAdd($.i, 1)", "n.$": "$.n"},
            "Next": "Pause" if pause_every else "Check",
        },
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "End": True}}},
                {
                    "StartAt": "M",
                    "States": {
                        "M": {
                            "Type": "Map",
                            "ItemsPath": "$.items",
                            "ItemProcessor": {
                                "ProcessorConfig": {"Mode": "INLINE"},
                                "StartAt": "Double",
                                "States": {
                                    "Double": {
                                        "Type": "Pass",
                                        "Parameters": {"v.$": "States.MathAdd($, $)"},
                                        "End": True,
                                    }
                                },
                            },
                            "End": True,
                        }
                    },
                },
            ],
            "Parameters": {"items": [1, 2, 3], "i.$": "$.i"},
            "ResultPath": "$.both",
            "End": True,
        },
    }
    if pause_every:
        states["Pause"] = {"Type": "Wait", "Seconds": seconds, "Next": "Check"}
    return {"StartAt": "Init", "States": states}


@pytest.fixture
def owner_workflow() -> Any:
    user = get_user_model().objects.create_user("runner-owner", password="x")
    team = Team.objects.create(name="Runtime", slug="runtime")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)

    def make(definition: dict[str, Any], name: str = "loop") -> Workflow:
        return Workflow.objects.create(team=team, name=name, definition=definition, created_by=user)

    return user, make


def in_memory(definition: dict[str, Any], value: Any) -> engine.ExecutionResult:
    return engine.run(engine.parse(definition), value)


def assert_history_is_whole(execution: Execution, expected: engine.ExecutionResult) -> None:
    rows = list(ExecutionEvent.objects.filter(execution=execution).order_by("event_id"))
    assert [r.event_id for r in rows] == list(range(1, len(rows) + 1))
    assert [r.type for r in rows] == [e["type"] for e in expected.events]
    assert [r.previous_event_id for r in rows] == [e["previousEventId"] for e in expected.events]
    assert execution.event_count == len(rows)


@pytest.fixture
def broker() -> None:
    flush_broker()


def test_worker_runs_an_execution_to_the_end(
    owner_workflow: Any, broker: None, tmp_path: Path
) -> None:
    user, make = owner_workflow
    definition = counting_loop()
    workflow = make(definition)
    with worker(tmp_path / "worker.log"):
        execution, created = execution_start(user, workflow.pk, {"n": 25}, name="first")
        assert created
        wait_for(lambda: Execution.objects.get(pk=execution.pk).status != "RUNNING", timeout=60)
    execution.refresh_from_db()
    expected = in_memory(definition, {"n": 25})
    assert execution.status == "SUCCEEDED", (execution.error, execution.cause)
    assert execution.output == expected.output
    assert execution.output["both"] == ["a", [{"v": 2}, {"v": 4}, {"v": 6}]]
    assert_history_is_whole(execution, expected)
    assert execution.state is None and execution.wake_at is None


def test_worker_killed_mid_execution_loses_nothing(
    owner_workflow: Any, broker: None, tmp_path: Path
) -> None:
    user, make = owner_workflow
    definition = counting_loop(pause_every=1, seconds=1)
    workflow = make(definition)
    log = tmp_path / "worker.log"
    first = start_worker(log)
    try:
        execution, _ = execution_start(user, workflow.pk, {"n": 4}, name="killed")
        wait_for(lambda: Execution.objects.get(pk=execution.pk).event_count >= 8, timeout=60)
        kill_hard(first)
        stopped_at = Execution.objects.get(pk=execution.pk)
        assert stopped_at.status == "RUNNING"
    finally:
        stop(first)
    with worker(log):
        wait_for(lambda: Execution.objects.get(pk=execution.pk).status != "RUNNING", timeout=90)
    execution.refresh_from_db()
    expected = in_memory(definition, {"n": 4})
    assert execution.status == "SUCCEEDED", (execution.error, execution.cause)
    assert execution.output == expected.output
    assert_history_is_whole(execution, expected)


def test_wait_outlives_the_worker(owner_workflow: Any, broker: None, tmp_path: Path) -> None:
    user, make = owner_workflow
    definition = {
        "StartAt": "Nap",
        "States": {
            "Nap": {"Type": "Wait", "Seconds": 3, "Next": "Done"},
            "Done": {"Type": "Pass", "Result": {"woke": True}, "End": True},
        },
    }
    workflow = make(definition, name="nap")
    log = tmp_path / "worker.log"
    first = start_worker(log)
    try:
        execution, _ = execution_start(user, workflow.pk, {}, name="nap-1")
        wait_for(
            lambda: ExecutionEvent.objects.filter(
                execution_id=execution.pk, type="WaitStateEntered"
            ).exists(),
            timeout=60,
        )
    finally:
        kill_hard(first)
    started = time.monotonic()
    time.sleep(3.5)  # the Wait is over while no worker exists
    with worker(log):
        wait_for(lambda: Execution.objects.get(pk=execution.pk).status != "RUNNING", timeout=60)
    execution.refresh_from_db()
    assert execution.status == "SUCCEEDED"
    assert execution.output == {"woke": True}
    types = list(
        ExecutionEvent.objects.filter(execution=execution)
        .order_by("event_id")
        .values_list("type", flat=True)
    )
    assert types == [
        "ExecutionStarted",
        "WaitStateEntered",
        "WaitStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert time.monotonic() - started < 60


def _sessions() -> int:
    """Sessions PostgreSQL has opened to the test database so far (its own statistics)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = %s",
            [connection.settings_dict["NAME"]],
        )
        return int(cursor.fetchone()[0])


def test_a_worker_keeps_its_database_connection_from_task_to_task(
    owner_workflow: Any, broker: None, tmp_path: Path
) -> None:
    """Twelve executions, a task each: the worker opens a connection or two, not twelve."""
    user, make = owner_workflow
    workflow = make({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, "pass")

    def finished(execution: Execution) -> bool:
        return Execution.objects.get(pk=execution.pk).status != "RUNNING"

    process = start_worker(tmp_path / "worker.log", beat=False)
    try:
        warm, _ = execution_start(user, workflow.pk, {}, name="warm")
        wait_for(lambda: finished(warm), timeout=60)
        before = _sessions()
        for index in range(12):
            execution, _ = execution_start(user, workflow.pk, {"i": index}, name=f"run-{index}")
            wait_for(lambda: finished(execution), timeout=60)  # noqa: B023 (used at once)
    finally:
        stop(process)  # a backend's statistics are all in once it has exited
    opened = _sessions() - before
    assert opened <= 4, f"{opened} new database sessions for 12 tasks"
    assert Execution.objects.filter(workflow=workflow, status="SUCCEEDED").count() == 13
