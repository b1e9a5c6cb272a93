"""TestState of Map and Parallel states: a mock of the whole state, Retry/Catch, tolerances,
items from an ItemReader's data, and inspection data before and after the iterations."""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import DefinitionError
from engine.teststate import test_state

PROCESSOR = {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": True}}}
MAP: dict[str, Any] = {
    "Type": "Map",
    "ItemsPath": "$.items",
    "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
    "ItemProcessor": PROCESSOR,
    "MaxConcurrency": 2,
    "ResultSelector": {"n.$": "States.ArrayLength($)"},
    "ResultPath": "$.out",
    "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Fix"}],
    "Next": "After",
}
PARALLEL: dict[str, Any] = {
    "Type": "Parallel",
    "Parameters": {"who.$": "$.name"},
    "Branches": [PROCESSOR, {"StartAt": "Other", "States": {"Other": {"Type": "Succeed"}}}],
    "ResultPath": "$.both",
    "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 3}],
    "Next": "After",
}
ITEMS = {"items": ["a", "b", "c", "d"]}


def test_a_map_with_a_mocked_result_runs_its_output_processing() -> None:
    done = test_state(MAP, ITEMS, mock={"result": [1, 2, 3, 4]})
    assert done["status"] == "SUCCEEDED" and done["nextState"] == "After"
    assert done["output"] == {**ITEMS, "out": {"n": 4}}
    inspection = done["inspectionData"]
    assert inspection["afterItemsPath"] == ITEMS["items"]
    assert inspection["afterItemSelector"][1] == {"v": "b", "i": 1}
    assert inspection["maxConcurrency"] == 2
    assert inspection["result"] == [1, 2, 3, 4]
    assert inspection["afterResultSelector"] == {"n": 4}
    assert inspection["afterResultPath"] == done["output"]
    assert list(inspection)[:2] == ["input", "afterInputPath"]


def test_a_mocked_error_meets_retry_then_catch() -> None:
    busy = {"errorOutput": {"error": "Busy", "cause": "later"}}
    first = test_state(MAP, ITEMS, mock=busy, inspection_level="INFO")
    assert (first["status"], first["error"], first["cause"]) == ("RETRIABLE", "Busy", "later")
    spent = test_state(MAP, ITEMS, mock=busy, retrier_retry_count=2, inspection_level="INFO")
    assert spent["status"] == "CAUGHT_ERROR" and spent["nextState"] == "Fix"
    assert spent["output"] == {"Error": "Busy", "Cause": "later"}


def test_states_task_failed_matches_only_tasks() -> None:
    """A Parallel's retrier on States.TaskFailed does not take a branch's error (as at run time)."""
    done = test_state(
        PARALLEL,
        {"name": "x"},
        mock={"errorOutput": {"error": "Boom", "cause": "bad"}},
        error_caused_by_state="Work",
        inspection_level="INFO",
    )
    assert done["status"] == "FAILED" and done["error"] == "Boom"


def test_a_parallel_mock_and_its_inspection() -> None:
    done = test_state(PARALLEL, {"name": "x"}, mock={"result": [{"a": 1}, {"b": 2}]})
    assert done["status"] == "SUCCEEDED"
    assert done["output"] == {"name": "x", "both": [{"a": 1}, {"b": 2}]}
    assert done["inspectionData"]["afterParameters"] == {"who": "x"}


@pytest.mark.parametrize(
    ("tolerance", "failed", "status"),
    [
        ({}, 0, "SUCCEEDED"),
        ({}, 1, "CAUGHT_ERROR"),
        ({"ToleratedFailureCount": 2}, 2, "SUCCEEDED"),
        ({"ToleratedFailureCount": 2}, 3, "CAUGHT_ERROR"),
        ({"ToleratedFailurePercentage": 50}, 2, "SUCCEEDED"),
        ({"ToleratedFailurePercentage": 50}, 3, "CAUGHT_ERROR"),
    ],
)
def test_iteration_failures_against_the_tolerances(
    tolerance: dict[str, Any], failed: int, status: str
) -> None:
    state = {**MAP, **tolerance}
    done = test_state(
        state, ITEMS, mock={"result": [1, 2, 3, 4]}, map_iteration_failure_count=failed
    )
    assert done["status"] == status
    if status == "CAUGHT_ERROR":
        assert done["error"] == "States.ExceedToleratedFailureThreshold"
        assert done["nextState"] == "Fix"
    for key, value in tolerance.items():
        field = key[0].lower() + key[1:]
        assert done["inspectionData"][field] == value


def test_a_jsonata_map_with_items_and_assign() -> None:
    state = {
        "Type": "Map",
        "QueryLanguage": "JSONata",
        "Items": "{% $states.input.rows %}",
        "ItemSelector": {"row": "{% $states.context.Map.Item.Value %}"},
        "ItemProcessor": PROCESSOR,
        "Output": "{% $count($states.result) %}",
        "Assign": {"total": "{% $sum($states.result) %}"},
        "End": True,
    }
    done = test_state(state, {"rows": [5, 6]}, mock={"result": [5, 6]})
    assert done["status"] == "SUCCEEDED" and done["output"] == 2
    assert done["inspectionData"]["afterItemSelector"] == [{"row": 5}, {"row": 6}]
    assert done["inspectionData"]["variables"] == {"total": 11}


def test_items_that_are_not_an_array_fail_the_map_as_at_run_time() -> None:
    done = test_state(MAP, {"items": "nope"}, mock={"result": []}, inspection_level="INFO")
    # States.Runtime is not caught by States.ALL
    assert done["status"] == "FAILED" and done["error"] == "States.Runtime"


def test_reader_items_stand_for_the_item_readers_source() -> None:
    state = {
        "Type": "Map",
        "ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON", "MaxItems": 3},
            "Parameters": {"Bucket": "b", "Key": "k.json"},
        },
        "ItemBatcher": {"MaxItemsPerBatch": 2},
        "ItemProcessor": {
            **PROCESSOR,
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        },
        "ToleratedFailureCount": 0,
        "End": True,
    }
    done = test_state(
        state,
        {},
        mock={"result": [[1, 2], [3]]},
        map_reader_items=[{"id": n} for n in range(5)],
        map_iteration_failure_count=1,
    )
    assert done["error"] == "States.ExceedToleratedFailureThreshold"
    assert done["inspectionData"]["afterItemBatcher"] == [
        {"Items": [{"id": 0}, {"id": 1}]},
        {"Items": [{"id": 2}]},
    ]
    with pytest.raises(DefinitionError) as raised:  # two batches: at most 2 failures
        test_state(
            state,
            {},
            mock={"result": []},
            map_reader_items=[{"id": n} for n in range(5)],
            map_iteration_failure_count=3,
        )
    assert "more than the Map's 2 iterations" in raised.value.diagnostics[0].message  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("state", "options", "says"),
    [
        (MAP, {}, "is tested with a mock"),
        (PARALLEL, {}, "is tested with a mock"),
        ({"Type": "Pass", "End": True}, {"map_iteration_failure_count": 1}, "applies to Map"),
        (PARALLEL, {"mock": {"result": [1, 2]}, "map_iteration_failure_count": 1}, "Map states"),
        (MAP, {"mock": {"result": []}, "map_reader_items": []}, "with an ItemReader"),
        (MAP, {"mock": {"result": []}, "error_caused_by_state": "Work"}, "errorOutput"),
        (
            MAP,
            {"mock": {"errorOutput": {"error": "E"}}, "error_caused_by_state": "Elsewhere"},
            "not a state in the Map state's ItemProcessor",
        ),
        (
            {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True},
            {"mock": {"errorOutput": {"error": "E"}}, "error_caused_by_state": "Work"},
            "applies to Map and Parallel",
        ),
        (MAP, {"mock": {"result": []}, "map_iteration_failure_count": 9}, "more than"),
    ],
)
def test_configurations_that_do_not_apply_are_refused(
    state: dict[str, Any], options: dict[str, Any], says: str
) -> None:
    with pytest.raises(DefinitionError) as raised:
        test_state(state, ITEMS, **options)
    assert says in raised.value.diagnostics[0].message  # type: ignore[attr-defined]


def test_a_jsonata_parallel_shows_its_arguments() -> None:
    state = {
        "Type": "Parallel",
        "QueryLanguage": "JSONata",
        "Arguments": {"who": "{% $states.input.name %}"},
        "Branches": PARALLEL["Branches"],
        "Output": "{% $states.result[1] %}",
        "End": True,
    }
    done = test_state(state, {"name": "x"}, mock={"result": [{"a": 1}, {"b": 2}]})
    assert done["output"] == {"b": 2}
    assert done["inspectionData"]["afterArguments"] == {"who": "x"}
    assert done["inspectionData"]["result"] == [{"a": 1}, {"b": 2}]
