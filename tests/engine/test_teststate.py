"""TestState: one state, one input, the engine's own processing, AWS's statuses."""

from __future__ import annotations

from typing import Any

import pytest

from engine import teststate
from engine.adapters import AdapterRegistry
from engine.errors import DefinitionError
from engine.tasks.functions import FunctionRegistry

FN = "arn:aws:lambda:us-east-1:000000000000:function:"


def run(state: dict[str, Any], value: Any = None, **options: Any) -> dict[str, Any]:
    return teststate.test_state(state, value, **options)


def functions(**fns: Any) -> AdapterRegistry:
    registry = FunctionRegistry()
    for name, fn in fns.items():
        registry.register(name, fn)
    adapters = AdapterRegistry()
    registry.install(adapters)
    return adapters


def test_pass_jsonpath_steps() -> None:
    state = {
        "Type": "Pass",
        "InputPath": "$.order",
        "Parameters": {"id.$": "$.id", "fixed": 1},
        "ResultPath": "$.order.summary",
        "OutputPath": "$.order",
        "Next": "Ship",
    }
    result = run(state, {"order": {"id": 7}, "other": True})
    assert result["status"] == "SUCCEEDED"
    assert result["nextState"] == "Ship"
    assert result["output"] == {"id": 7, "summary": {"id": 7, "fixed": 1}}
    assert result["error"] is None and result["cause"] is None
    assert result["inspectionData"] == {
        "input": {"order": {"id": 7}, "other": True},
        "afterInputPath": {"id": 7},
        "afterParameters": {"id": 7, "fixed": 1},
        "result": {"id": 7, "fixed": 1},
        "afterResultPath": {"order": {"id": 7, "summary": {"id": 7, "fixed": 1}}, "other": True},
    }


def test_pass_with_result_and_end() -> None:
    result = run({"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "End": True}, {"a": 0})
    assert result["nextState"] is None
    assert result["output"] == {"a": 0, "r": {"x": 1}}
    assert result["inspectionData"]["result"] == {"x": 1}


def test_task_with_mock_result_runs_every_jsonpath_step() -> None:
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "price", "Payload.$": "$"},
        "ResultSelector": {"price.$": "$.Payload.price"},
        "ResultPath": "$.quote",
        "Next": "Pay",
    }
    mock = {"result": {"Payload": {"price": 12}, "StatusCode": 200}}
    result = run(state, {"sku": "A"}, mock=mock)
    assert result["status"] == "SUCCEEDED"
    assert result["output"] == {"sku": "A", "quote": {"price": 12}}
    assert result["nextState"] == "Pay"
    data = result["inspectionData"]
    assert data["afterParameters"] == {"FunctionName": "price", "Payload": {"sku": "A"}}
    assert data["result"] == mock["result"]
    assert data["afterResultSelector"] == {"price": 12}
    assert data["afterResultPath"] == {"sku": "A", "quote": {"price": 12}}


def test_task_runs_a_real_function_without_a_mock() -> None:
    adapters = functions(double=lambda event, context: event["n"] * 2)
    result = run(
        {"Type": "Task", "Resource": FN + "double", "End": True}, {"n": 4}, adapters=adapters
    )
    assert result["status"] == "SUCCEEDED" and result["output"] == 8
    assert result["inspectionData"]["result"] == 8


def test_task_default_adapters_reach_the_example_functions() -> None:
    result = run({"Type": "Task", "Resource": FN + "greet", "End": True}, {"name": "Ada"})
    assert result["output"]["greeting"] == "Hello, Ada!"


def test_function_exception_fails_the_task() -> None:
    def boom(event: Any, context: Any) -> Any:
        raise KeyError("nope")

    result = run(
        {"Type": "Task", "Resource": FN + "boom", "End": True}, {}, adapters=functions(boom=boom)
    )
    assert result["status"] == "FAILED"
    assert result["error"] == "KeyError"
    assert result["output"] is None


TASK_WITH_RECOVERY = {
    "Type": "Task",
    "Resource": FN + "charge",
    "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Refund"}],
    "Next": "Done",
}


def test_mock_error_with_a_retrier_left_is_retriable() -> None:
    mock = {"errorOutput": {"error": "Busy", "cause": "try later"}}
    result = run(TASK_WITH_RECOVERY, {"id": 1}, mock=mock)
    assert result["status"] == "RETRIABLE"
    assert (result["error"], result["cause"]) == ("Busy", "try later")
    assert result["nextState"] is None and result["output"] is None


def test_mock_error_after_the_retries_is_caught() -> None:
    mock = {"errorOutput": {"error": "Busy", "cause": "try later"}}
    result = run(TASK_WITH_RECOVERY, {"id": 1}, mock=mock, retrier_retry_count=2)
    assert result["status"] == "CAUGHT_ERROR"
    assert result["nextState"] == "Refund"
    assert result["output"] == {"id": 1, "failure": {"Error": "Busy", "Cause": "try later"}}
    assert result["error"] == "Busy"


def test_mock_error_no_retrier_matches_is_caught() -> None:
    mock = {"errorOutput": {"error": "Declined", "cause": "card"}}
    result = run(TASK_WITH_RECOVERY, {"id": 1}, mock=mock)
    assert result["status"] == "CAUGHT_ERROR" and result["nextState"] == "Refund"


def test_mock_error_without_recovery_fails() -> None:
    state = {"Type": "Task", "Resource": FN + "charge", "End": True}
    result = run(state, {}, mock={"errorOutput": {"error": "Declined", "cause": "card"}})
    assert (result["status"], result["error"], result["cause"]) == ("FAILED", "Declined", "card")


def test_processing_error_caught_reports_the_error() -> None:
    state = {
        "Type": "Task",
        "Resource": FN + "charge",
        "Parameters": {"x.$": "$.missing"},
        "Catch": [{"ErrorEquals": ["States.Runtime"], "Next": "Oops"}],
        "End": True,
    }
    result = run(state, {}, mock={"result": 1})
    assert result["status"] == "CAUGHT_ERROR"
    assert result["error"] == "States.Runtime"
    assert result["cause"] == result["output"]["Cause"]
    assert "afterParameters" not in result["inspectionData"]


def test_choice_next_state() -> None:
    state = {
        "Type": "Choice",
        "Choices": [
            {"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Review"},
            {"Variable": "$.total", "NumericLessThanEquals": 100, "Next": "Approve"},
        ],
        "Default": "Reject",
    }
    assert run(state, {"total": 500})["nextState"] == "Review"
    assert run(state, {"total": 5})["nextState"] == "Approve"
    assert run(state, {"total": "x"})["nextState"] == "Reject"


def test_choice_without_match_or_default_fails() -> None:
    state = {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": True, "Next": "X"}]}
    result = run(state, {})
    assert result["status"] == "FAILED" and result["error"] == "States.NoChoiceMatched"


def test_wait_does_not_wait() -> None:
    result = run({"Type": "Wait", "Seconds": 86400, "Next": "Later"}, {"a": 1})
    assert result == {
        "status": "SUCCEEDED",
        "output": {"a": 1},
        "error": None,
        "cause": None,
        "nextState": "Later",
        "inspectionData": {"input": {"a": 1}, "afterInputPath": {"a": 1}},
    }


def test_fail_and_succeed() -> None:
    failed = run({"Type": "Fail", "ErrorPath": "$.e", "Cause": "why"}, {"e": "Bad"})
    assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "Bad", "why")
    done = run({"Type": "Succeed", "OutputPath": "$.keep"}, {"keep": 1, "drop": 2})
    assert done["status"] == "SUCCEEDED" and done["output"] == 1 and done["nextState"] is None


def test_jsonata_arguments_output_and_variables() -> None:
    state = {
        "Type": "Task",
        "Resource": FN + "quote",
        "Arguments": {"sku": "{% $states.input.item %}", "qty": "{% $qty %}"},
        "Output": {"price": "{% $states.result.price * $qty %}"},
        "Assign": {"last": "{% $states.result.price %}"},
        "End": True,
    }
    result = run(
        state,
        {"item": "A"},
        query_language="JSONata",
        variables={"qty": 3},
        mock={"result": {"price": 4}},
    )
    assert result["status"] == "SUCCEEDED"
    assert result["output"] == {"price": 12}
    assert result["inspectionData"] == {
        "input": {"item": "A"},
        "afterArguments": {"sku": "A", "qty": 3},
        "result": {"price": 4},
        "variables": {"qty": 3, "last": 4},
    }


def test_jsonata_choice_and_pass() -> None:
    choice = {
        "Type": "Choice",
        "QueryLanguage": "JSONata",
        "Choices": [{"Condition": "{% $states.input.n > 1 %}", "Next": "Many"}],
        "Default": "One",
    }
    assert run(choice, {"n": 2})["nextState"] == "Many"
    passed = run(
        {"Type": "Pass", "Output": "{% $states.input.n + 1 %}", "End": True},
        {"n": 1},
        query_language="JSONata",
    )
    assert passed["output"] == 2


def test_context_object_and_state_name() -> None:
    state = {
        "Type": "Pass",
        "Parameters": {"name.$": "$$.State.Name", "ex.$": "$$.Execution.Name"},
        "End": True,
    }
    result = run(state, {}, state_name="Greet", context={"Execution": {"Name": "demo"}})
    assert result["output"] == {"name": "Greet", "ex": "demo"}


def test_info_level_has_no_inspection_data() -> None:
    result = run({"Type": "Pass", "End": True}, {}, inspection_level="INFO")
    assert "inspectionData" not in result


def test_a_state_that_loops_to_itself() -> None:
    result = run({"Type": "Pass", "Next": "TestState"}, {"a": 1})
    assert result["status"] == "SUCCEEDED" and result["nextState"] == "TestState"


@pytest.mark.parametrize(
    ("state", "options", "code", "location"),
    [
        ({"Type": "Pass", "Bogus": 1, "End": True}, {}, "SCHEMA_UNKNOWN_FIELD", "/Bogus"),
        ({"Type": "Parallel", "Branches": [], "End": True}, {}, None, None),
        ({"Type": "Pass", "End": True}, {"mock": {"result": 1}}, "TEST_STATE_MOCK", ""),
        ({"Type": "Task", "Resource": FN + "x", "End": True}, {"mock": {}}, "TEST_STATE_MOCK", ""),
        (
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {"FunctionName": "f"},
                "End": True,
            },
            {},
            "TEST_STATE_NEEDS_MOCK",
            "/Resource",
        ),
        (
            {"Type": "Pass", "End": True},
            {"query_language": "XPath"},
            "TEST_STATE_QUERY_LANGUAGE",
            "",
        ),
        (
            {"Type": "Pass", "End": True},
            {"inspection_level": "ALL"},
            "TEST_STATE_INSPECTION_LEVEL",
            "",
        ),
        ("not a state", {}, "SCHEMA_WRONG_TYPE", ""),
    ],
)
def test_invalid_requests_give_diagnostics(
    state: Any, options: dict[str, Any], code: str | None, location: str | None
) -> None:
    with pytest.raises(DefinitionError) as raised:
        run(state, {}, **options)
    diagnostics = raised.value.diagnostics
    assert diagnostics
    if code is not None:
        first = diagnostics[0]
        assert first.code == code  # type: ignore[attr-defined]
        assert first.location == location  # type: ignore[attr-defined]


def test_callback_task_with_a_mock_runs() -> None:
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "f", "Payload": {"token.$": "$$.Task.Token"}},
        "End": True,
    }
    result = run(state, {}, mock={"result": {"approved": True}})
    assert result["status"] == "SUCCEEDED" and result["output"] == {"approved": True}
    assert len(result["inspectionData"]["afterParameters"]["Payload"]["token"]) == 64
