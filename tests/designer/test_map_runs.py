"""Distributed Map runs driven step by step in-process (no workers): the parent's
history, the Map Run's counts, tolerated failures, stop and redrive.

The runtime's units of work are called directly (``execution_advance`` for the
parent and each child, ``map_run_work`` for the coordinator), so each test
decides the order; ``test_distributed_map_e2e`` runs the same on real workers.
"""

from __future__ import annotations

from typing import Any

import pytest

from designer.models import Execution, ExecutionEvent, MapRun, MapRunItem, Team, Workflow
from designer.services.execution_redrive import execution_redrive
from designer.services.execution_runtime import execution_advance, execution_signal
from designer.services.executions import execution_start
from designer.services.map_runs import map_run_work
from engine.interpreter.effects import StopExecution

pytestmark = [pytest.mark.django_db]


def distributed(processor_states: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "StartAt": "Fan",
        "States": {
            "Fan": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": next(iter(processor_states)),
                    "States": processor_states,
                },
                "End": True,
                **extra,
            }
        },
    }


DOUBLE = {"Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.x, $.x)"}, "End": True}}
FAIL_ODD = {
    "Check": {
        "Type": "Choice",
        "Choices": [{"Variable": "$.x", "NumericEquals": 3, "Next": "Boom"}],
        "Default": "Ok",
    },
    "Boom": {"Type": "Fail", "Error": "Odd", "Cause": "three is odd"},
    "Ok": {"Type": "Pass", "End": True},
}


def drive(parent_id: Any, rounds: int = 200) -> Execution:
    """Advance the parent, its runs and their children until the parent ends (or stalls)."""
    for _ in range(rounds):
        execution_advance(parent_id)
        parent = Execution.objects.get(pk=parent_id)
        if parent.status != "RUNNING":
            return parent
        for run in MapRun.objects.filter(execution_id=parent_id, status="RUNNING"):
            map_run_work(run.pk)
        for child in Execution.objects.filter(map_run__execution_id=parent_id, status="RUNNING"):
            execution_advance(child.pk)
    return Execution.objects.get(pk=parent_id)


def start(user: Any, team: Team, definition: dict[str, Any], data: Any) -> Execution:
    workflow = Workflow.objects.create(team=team, name="fan", definition=definition)
    execution, _ = execution_start(user, workflow.pk, data)
    return execution


def history(execution: Execution) -> list[str]:
    return list(
        ExecutionEvent.objects.filter(execution=execution)
        .order_by("event_id")
        .values_list("type", flat=True)
    )


def test_children_run_the_items_and_the_parent_history_stays_small(owner: Any, team: Team) -> None:
    items = [{"x": i} for i in range(25)]
    execution = start(owner, team, distributed(DOUBLE, MaxConcurrency=4), {"items": items})
    parent = drive(execution.pk)
    assert parent.status == "SUCCEEDED", (parent.error, parent.cause)
    assert parent.output == [{"v": 2 * i} for i in range(25)]
    assert history(parent) == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapRunStarted",
        "MapRunSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
        "ExecutionSucceeded",
    ]
    run = MapRun.objects.get(execution=parent)
    assert run.status == "SUCCEEDED" and run.items_read == 25
    assert run.arn.startswith("arn:aws:states:us-east-1:000000000000:mapRun:fan/Fan:")
    children = Execution.objects.filter(map_run=run)
    assert children.count() == 25 and set(children.values_list("status", flat=True)) == {"SUCCEEDED"}
    assert MapRunItem.objects.filter(map_run=run).count() == 0
