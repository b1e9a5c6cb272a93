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
from designer.services.map_runs import map_run_chunk_work, map_run_work
from engine.interpreter.effects import StopExecution
from tests.designer.map_run_definitions import distributed

pytestmark = [pytest.mark.django_db]


DOUBLE = {
    "Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.x, $.x)"}, "End": True}
}
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
            run.refresh_from_db()
            for token in list((run.reader_state or {}).get("chunks", {})):
                map_run_chunk_work(run.pk, token)  # Express children, a chunk at a time
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
    assert run.arn == f"arn:aws:states:us-east-1:{team.pk:012d}:mapRun:fan/Fan:{parent.name}"
    children = Execution.objects.filter(map_run=run)
    assert children.count() == 25 and set(children.values_list("status", flat=True)) == {
        "SUCCEEDED"
    }
    assert MapRunItem.objects.filter(map_run=run).count() == 0


def test_max_concurrency_bounds_the_running_children(owner: Any, team: Team) -> None:
    items = [{"x": i} for i in range(10)]
    execution = start(owner, team, distributed(DOUBLE, MaxConcurrency=3), {"items": items})
    execution_advance(execution.pk)
    run = MapRun.objects.get(execution=execution)
    map_run_work(run.pk)
    map_run_work(run.pk)
    assert Execution.objects.filter(map_run=run, status="RUNNING").count() == 3
    assert MapRunItem.objects.filter(map_run=run).count() == 7


def test_selector_and_batcher_shape_the_children_inputs(owner: Any, team: Team) -> None:
    definition = distributed(
        {"Echo": {"Type": "Pass", "End": True}},
        ItemSelector={"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "tag.$": "$.tag"},
        ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"from": "batcher"}},
    )
    execution = start(owner, team, definition, {"items": ["a", "b", "c"], "tag": "T"})
    parent = drive(execution.pk)
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output == [
        {
            "Items": [{"i": 0, "v": "a", "tag": "T"}, {"i": 1, "v": "b", "tag": "T"}],
            "BatchInput": {"from": "batcher"},
        },
        {"Items": [{"i": 2, "v": "c", "tag": "T"}], "BatchInput": {"from": "batcher"}},
    ]


def test_tolerated_failures_leave_error_objects_in_the_results(owner: Any, team: Team) -> None:
    items = [{"x": i} for i in range(5)]
    definition = distributed(FAIL_ODD, ToleratedFailureCount=1)
    parent = drive(start(owner, team, definition, {"items": items}).pk)
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output[3] == {"Error": "Odd", "Cause": "three is odd"}
    assert parent.output[4] == {"x": 4}


def test_failures_past_the_tolerance_fail_the_map_run(owner: Any, team: Team) -> None:
    items = [{"x": 3}, {"x": 3}, {"x": 1}, {"x": 3}]
    definition = distributed(FAIL_ODD, ToleratedFailurePercentage=25)
    parent = drive(start(owner, team, definition, {"items": items}).pk)
    assert parent.status == "FAILED"
    assert parent.error == "States.ExceedToleratedFailureThreshold"
    assert history(parent)[-4:] == [
        "MapRunStarted",
        "MapRunFailed",
        "MapStateFailed",
        "ExecutionFailed",
    ]
    assert MapRun.objects.get(execution=parent).status == "FAILED"


def test_without_tolerance_the_childs_error_fails_the_map(owner: Any, team: Team) -> None:
    parent = drive(start(owner, team, distributed(FAIL_ODD), {"items": [{"x": 3}]}).pk)
    assert (parent.status, parent.error, parent.cause) == ("FAILED", "Odd", "three is odd")


WAIT_THEN_DOUBLE = {
    "Nap": {"Type": "Wait", "Seconds": 3600, "Next": "Double"},
    "Double": DOUBLE["Double"],
}


def test_stopping_the_parent_aborts_the_run_and_its_children(
    owner: Any, team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    items = [{"x": i} for i in range(6)]
    execution = start(
        owner, team, distributed(WAIT_THEN_DOUBLE, MaxConcurrency=2), {"items": items}
    )
    drive(execution.pk, rounds=3)
    run = MapRun.objects.get(execution_id=execution.pk)
    assert Execution.objects.filter(map_run=run, status="RUNNING").count() == 2
    execution_signal(execution.pk, StopExecution("Stop", "by a test"))
    with django_capture_on_commit_callbacks(execute=True):
        execution_advance(execution.pk)  # its CancelTask aborts the run after the commit
    for child in Execution.objects.filter(map_run=run):
        execution_advance(child.pk)
    run.refresh_from_db()
    assert Execution.objects.get(pk=execution.pk).status == "ABORTED"
    assert run.status == "ABORTED"
    assert set(Execution.objects.filter(map_run=run).values_list("status", flat=True)) == {
        "ABORTED"
    }


def test_redrive_runs_only_the_children_that_failed(owner: Any, team: Team) -> None:
    flaky = {  # item 3 fails once: no choice matches before a redrive
        "Check": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$$.Execution.RedriveCount", "NumericGreaterThan": 0, "Next": "Ok"},
                {"Not": {"Variable": "$.x", "NumericEquals": 3}, "Next": "Ok"},
            ],
        },
        "Ok": {"Type": "Pass", "End": True},
    }
    items = [{"x": i} for i in range(5)]
    parent = drive(start(owner, team, distributed(flaky), {"items": items}).pk)
    assert parent.status == "FAILED"
    run = MapRun.objects.get(execution=parent)
    done_before = dict(
        Execution.objects.filter(map_run=run, status="SUCCEEDED").values_list("pk", "stop_date")
    )
    execution_redrive(owner, parent.pk)
    parent = drive(parent.pk)
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output == items
    assert "MapRunRedriven" in history(parent)
    run.refresh_from_db()
    assert run.status == "SUCCEEDED" and run.redrive_count == 1
    # the children that had succeeded were not run again
    for pk, stop_date in done_before.items():
        assert Execution.objects.get(pk=pk).stop_date == stop_date
    redriven = Execution.objects.get(map_run=run, map_index=3)
    assert redriven.redrive_count == 1 and redriven.status == "SUCCEEDED"


def test_express_children_keep_their_history_only_when_they_fail(owner: Any, team: Team) -> None:
    definition = distributed(FAIL_ODD, ToleratedFailureCount=1)
    definition["States"]["Fan"]["ItemProcessor"]["ProcessorConfig"]["ExecutionType"] = "EXPRESS"
    parent = drive(start(owner, team, definition, {"items": [{"x": 1}, {"x": 3}]}).pk)
    assert parent.status == "SUCCEEDED", parent.cause
    failed = Execution.objects.get(map_run__execution=parent, map_index=1)
    ok = Execution.objects.get(map_run__execution=parent, map_index=0)
    assert (failed.type, failed.status, failed.error) == ("EXPRESS", "FAILED", "Odd")
    assert history(failed)[-1] == "ExecutionFailed" and failed.event_count == len(history(failed))
    assert ok.status == "SUCCEEDED" and history(ok) == [] and ok.output == {"x": 1}


def test_an_express_chunk_does_not_read_the_parents_input(owner: Any, team: Team) -> None:
    """With ItemsPath the parent's input holds every item: a chunk must not load it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    definition = distributed(DOUBLE)
    definition["States"]["Fan"]["ItemProcessor"]["ProcessorConfig"]["ExecutionType"] = "EXPRESS"
    items = [{"x": i} for i in range(6)]
    execution = start(owner, team, definition, {"items": items})
    execution_advance(execution.pk)
    run = MapRun.objects.get(execution_id=execution.pk)
    map_run_work(run.pk)
    run.refresh_from_db()
    token = next(iter(run.reader_state["chunks"]))
    with CaptureQueriesContext(connection) as queries:
        map_run_chunk_work(run.pk, token)
    first = queries.captured_queries[0]["sql"]
    assert '"designer_maprun"' in first and '"designer_execution"."input"' not in first
    assert '"designer_execution"."state"' not in first
    assert Execution.objects.filter(map_run=run, status="SUCCEEDED").count() == 6


ALL_FAIL_ONCE = {  # every item fails before a redrive (no choice matches), succeeds after
    "Check": {
        "Type": "Choice",
        "Choices": [
            {"Variable": "$$.Execution.RedriveCount", "NumericGreaterThan": 0, "Next": "Ok"}
        ],
    },
    "Ok": {"Type": "Pass", "End": True},
}


def test_a_redriven_run_keeps_max_concurrency(owner: Any, team: Team) -> None:
    items = [{"x": i} for i in range(7)]
    definition = distributed(ALL_FAIL_ONCE, MaxConcurrency=5, ToleratedFailureCount=6)
    parent = drive(start(owner, team, definition, {"items": items}).pk)
    assert parent.status == "FAILED", parent.cause  # seven failed children, six tolerated
    run = MapRun.objects.get(execution=parent)
    assert Execution.objects.filter(map_run=run, status="FAILED").count() == 7
    execution_redrive(owner, parent.pk)
    execution_advance(parent.pk)
    map_run_work(run.pk)  # the first tick after the redrive
    assert Execution.objects.filter(map_run=run, status="RUNNING").count() == 5
    parent = drive(parent.pk)
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output == items
    kept = Execution.objects.filter(map_run=run, map_index__isnull=False)
    assert sorted(int(i or 0) for i in kept.values_list("map_index", flat=True)) == list(range(7))
    assert set(kept.values_list("redrive_count", flat=True)) == {1}  # the same children


def test_express_children_stop_after_they_start(owner: Any, team: Team) -> None:
    definition = distributed(FAIL_ODD, ToleratedFailureCount=5)
    definition["States"]["Fan"]["ItemProcessor"]["ProcessorConfig"]["ExecutionType"] = "EXPRESS"
    parent = drive(start(owner, team, definition, {"items": [{"x": i} for i in range(5)]}).pk)
    assert parent.status == "SUCCEEDED", parent.cause
    children = Execution.objects.filter(map_run__execution=parent)
    assert children.count() == 5
    for child in children:
        assert child.stop_date is not None and child.stop_date >= child.start_date
        assert parent.stop_date is not None and child.stop_date <= parent.stop_date
