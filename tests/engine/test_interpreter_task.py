"""Task states driven by mocks: data flow in both query languages and the task events."""

from __future__ import annotations

from typing import Any

import engine
from engine.adapters import AdapterRegistry, TaskResponse
from engine.interpreter.effects import InvokeTask
from engine.runner import DEFAULT_START

LAMBDA = "arn:aws:states:::lambda:invoke"


def run(definition: dict[str, Any], data: Any = None, **kw: Any) -> engine.ExecutionResult:
    return engine.run(engine.parse(definition), data, **kw)


def types(result: engine.ExecutionResult) -> list[str]:
    return [e["type"] for e in result.events]


def details(event: dict[str, Any]) -> dict[str, Any]:
    return next(v for k, v in event.items() if k.endswith("EventDetails"))


def one(result: engine.ExecutionResult, event_type: str) -> dict[str, Any]:
    found = [e for e in result.events if e["type"] == event_type]
    assert len(found) == 1, (event_type, types(result))
    return found[0]


def task(**fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": LAMBDA, "End": True, **fields}},
    }


def test_jsonpath_parameters_result_selector_result_path_output_path() -> None:
    definition = task(
        Parameters={"id.$": "$.order.id", "fixed": 1},
        ResultSelector={"total.$": "$.Payload.sum"},
        ResultPath="$.order.priced",
        OutputPath="$.order",
    )
    result = run(
        definition,
        {"order": {"id": "A-1"}, "other": True},
        mocks={"T": [{"Return": {"Payload": {"sum": 42}, "StatusCode": 200}}]},
    )
    assert result.status == "SUCCEEDED"
    assert result.output == {"id": "A-1", "priced": {"total": 42}}
    assert details(one(result, "TaskScheduled"))["parameters"] == {"id": "A-1", "fixed": 1}
    assert details(one(result, "TaskSucceeded"))["output"] == {
        "Payload": {"sum": 42},
        "StatusCode": 200,
    }
    assert details(one(result, "TaskStateExited")) == {
        "name": "T",
        "output": {"id": "A-1", "priced": {"total": 42}},
    }


def test_task_success_event_sequence_and_links() -> None:
    result = run(task(), {"a": 1}, mocks={"T": [{"Return": {"ok": True}}]})
    assert types(result) == [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert [e["id"] for e in result.events] == [1, 2, 3, 4, 5, 6, 7]
    assert [e["previousEventId"] for e in result.events] == [0, 0, 2, 3, 4, 5, 6]
    assert result.output == {"ok": True}


def test_task_event_details_for_service_integration() -> None:
    result = run(task(), {"a": 1}, mocks={"T": [{"Return": 7}]})
    assert details(one(result, "TaskScheduled")) == {
        "resourceType": "lambda",
        "resource": "invoke",
        "region": "us-east-1",
        "parameters": {"a": 1},
    }
    assert details(one(result, "TaskStarted")) == {"resourceType": "lambda", "resource": "invoke"}
    assert details(one(result, "TaskSucceeded")) == {
        "resourceType": "lambda",
        "resource": "invoke",
        "output": 7,
    }


def test_task_scheduled_records_timeout_and_heartbeat() -> None:
    result = run(task(TimeoutSeconds=30, HeartbeatSeconds=10), {}, mocks={"T": [{"Return": 1}]})
    scheduled = details(one(result, "TaskScheduled"))
    assert scheduled["timeoutInSeconds"] == 30
    assert scheduled["heartbeatInSeconds"] == 10


def test_task_failed_event_details_and_execution_failed() -> None:
    result = run(task(), {}, mocks={"T": [{"Throw": {"Error": "Oops", "Cause": "it broke"}}]})
    assert result.status == "FAILED"
    assert (result.error, result.cause) == ("Oops", "it broke")
    assert types(result)[-2:] == ["TaskFailed", "ExecutionFailed"]
    assert details(one(result, "TaskFailed")) == {
        "resourceType": "lambda",
        "resource": "invoke",
        "error": "Oops",
        "cause": "it broke",
    }
    assert details(result.events[-1]) == {"error": "Oops", "cause": "it broke"}
    assert "TaskStateExited" not in types(result)


def test_result_path_null_keeps_input() -> None:
    result = run(task(ResultPath=None), {"keep": 1}, mocks={"T": [{"Return": {"dropped": 1}}]})
    assert result.output == {"keep": 1}


def test_jsonata_arguments_output_and_assign_read_states_result() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": LAMBDA,
                "Arguments": {"n": "{% $states.input.x + 1 %}"},
                "Output": {"got": "{% $states.result.v %}", "in": "{% $states.input.x %}"},
                "Assign": {"saved": "{% $states.result.v * 10 %}"},
                "Next": "P",
            },
            "P": {"Type": "Pass", "Output": "{% [$saved, $states.input.got] %}", "End": True},
        },
    }
    result = run(definition, {"x": 1}, mocks={"T": [{"Return": {"v": 7}}]})
    assert result.status == "SUCCEEDED"
    assert result.output == [70, 7]
    assert details(one(result, "TaskScheduled"))["parameters"] == {"n": 2}
    assert details(one(result, "TaskStateExited")) == {
        "name": "T",
        "output": {"got": 7, "in": 1},
        "assignedVariables": {"saved": 70},
    }


def test_jsonata_output_defaults_to_the_result() -> None:
    definition = {"QueryLanguage": "JSONata", **task()}
    result = run(definition, {"x": 1}, mocks={"T": [{"Return": {"r": 1}}]})
    assert result.output == {"r": 1}


def test_invoke_effect_carries_effective_input_and_context() -> None:
    seen: list[InvokeTask] = []

    class Recorder:
        def invoke(self, request: InvokeTask) -> TaskResponse:
            seen.append(request)
            return TaskResponse(output={"echo": request.input})

    registry = AdapterRegistry()
    registry.register("arn:aws:states:::lambda", Recorder())
    result = run(task(Parameters={"v.$": "$.v"}), {"v": 3}, adapters=registry)
    assert result.output == {"echo": {"v": 3}}
    (request,) = seen
    assert request.state_name == "T"
    assert request.resource == LAMBDA
    assert request.attempt == 0
    assert request.context["State"]["Name"] == "T"
    assert request.context["State"]["RetryCount"] == 0


def test_task_delay_moves_the_virtual_clock() -> None:
    result = run(task(), {}, mocks={"T": [{"Return": 1, "Delay": 42}]})
    assert one(result, "TaskScheduled")["timestamp"] == DEFAULT_START
    assert one(result, "TaskSucceeded")["timestamp"] == DEFAULT_START + 42
    assert result.events[-1]["timestamp"] == DEFAULT_START + 42


def test_unregistered_resource_fails_with_task_failed() -> None:
    result = run(task(), {})
    assert result.status == "FAILED"
    assert result.error == "States.TaskFailed"
    assert types(result)[-2:] == ["TaskFailed", "ExecutionFailed"]


def test_mock_attempts_follow_the_script_and_repeat_the_last() -> None:
    definition = task(Retry=[{"ErrorEquals": ["E"], "IntervalSeconds": 1, "MaxAttempts": 5}])
    mocks = {"T": [{"Throw": {"Error": "E"}}, {"Throw": {"Error": "E"}}, {"Return": "third"}]}
    result = run(definition, {}, mocks=mocks)
    assert result.output == "third"
    assert types(result).count("TaskFailed") == 2
    assert types(result).count("TaskSucceeded") == 1
