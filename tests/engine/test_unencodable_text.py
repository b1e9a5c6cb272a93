"""Issue #13 (4): a lone UTF-16 surrogate made at run time fails the execution cleanly.

JSONata (``"\\ud800"`` in a string literal), ``States.StringToJson`` or a task
(an HTTP body with an escaped lone surrogate) can produce a string that UTF-8
cannot encode. No history or database can record it, so the engine refuses it
where it enters: the execution fails with States.Runtime and a cause naming
the state and the JSON Pointer, and every recorded event stays encodable.
"""

from __future__ import annotations

import json
from typing import Any

import engine
from engine.adapters import AdapterRegistry, TaskResponse
from engine.interpreter.effects import InvokeTask

LONE = "\ud800"
LAMBDA = "arn:aws:states:::lambda:invoke"


def run(definition: dict[str, Any], data: Any = None, **kw: Any) -> engine.ExecutionResult:
    result = engine.run(engine.parse(definition), data, **kw)
    json.dumps(result.events, ensure_ascii=False).encode("utf-8")  # every event is recordable
    return result


def types(result: engine.ExecutionResult) -> list[str]:
    return [e["type"] for e in result.events]


def jsonata_pass(**fields: Any) -> dict[str, Any]:
    return {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "End": True, **fields}},
    }


def test_jsonata_string_with_a_lone_surrogate_fails_with_states_runtime() -> None:
    result = run(jsonata_pass(Output={"x": '{% $string("\\ud800") %}'}))
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert result.cause is not None
    assert "state 'P'" in result.cause and "'/x'" in result.cause and "surrogate" in result.cause
    assert types(result)[-1] == "ExecutionFailed"


def test_jsonata_assign_with_a_lone_surrogate_fails() -> None:
    result = run(jsonata_pass(Assign={"v": '{% "a" & "\\udc00" %}'}))
    assert result.error == "States.Runtime"
    assert "'/v'" in str(result.cause)


def test_string_to_json_with_a_lone_surrogate_fails() -> None:
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Pass",
                "Parameters": {"x.$": "States.StringToJson('\"\\\\ud800\"')"},
                "End": True,
            }
        },
    }
    result = run(definition, {})
    assert result.error == "States.Runtime"
    assert "'/x'" in str(result.cause)


def test_the_error_is_not_caught_by_states_all() -> None:
    definition = task_machine(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "C"}])
    definition["States"]["C"] = {"Type": "Pass", "End": True}
    result = run(definition, {}, mocks={"T": [{"Return": LONE}]})
    assert result.status == "FAILED" and result.error == "States.Runtime"
    assert "PassStateEntered" not in types(result)


def test_a_map_item_selector_with_a_lone_surrogate_fails() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "Items": [1],
                "ItemSelector": {"v": '{% "\\ud800" %}'},
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
    }
    result = run(definition)
    assert result.error == "States.Runtime"
    assert "'/v'" in str(result.cause)


def task_machine(**fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": LAMBDA, "End": True, **fields}},
    }


def test_a_task_result_with_a_lone_surrogate_fails_the_task_with_states_runtime() -> None:
    retry = [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}]
    result = run(task_machine(Retry=retry), {}, mocks={"T": [{"Return": {"a": [LONE]}}]})
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert "'/a/0'" in str(result.cause)
    assert "TaskSucceeded" not in types(result)  # the bad value is never recorded
    assert types(result).count("TaskScheduled") == 1  # States.ALL does not retry it
    assert types(result)[-2:] == ["TaskFailed", "ExecutionFailed"]


def test_an_adapter_answer_with_a_lone_surrogate_becomes_states_runtime() -> None:
    """As an HTTP task's response ``{"name": "\\ud800"}`` decodes."""

    class Http:
        def invoke(self, request: InvokeTask) -> TaskResponse:
            return TaskResponse(output=json.loads('{"ResponseBody": {"name": "\\ud800"}}'))

    registry = AdapterRegistry()
    registry.register(LAMBDA, Http())
    result = run(task_machine(), {}, adapters=registry)
    assert result.error == "States.Runtime"
    assert "'/ResponseBody/name'" in str(result.cause)


def test_an_error_and_cause_with_lone_surrogates_are_recorded_as_escapes() -> None:
    mocks = {"T": [{"Throw": {"Error": "Bad" + LONE, "Cause": "why " + LONE}}]}
    result = run(task_machine(), {}, mocks=mocks)
    assert result.status == "FAILED"
    assert result.error == "Bad\\ud800"
    assert result.cause == "why \\ud800"


def test_a_fail_state_cause_with_a_lone_surrogate_is_recorded_as_escapes() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "F",
        "States": {"F": {"Type": "Fail", "Error": "E", "Cause": '{% "x\\ud800" %}'}},
    }
    result = run(definition)
    assert (result.status, result.error, result.cause) == ("FAILED", "E", "x\\ud800")


def test_an_http_response_with_an_escaped_lone_surrogate_fails_with_states_runtime() -> None:
    from engine.tasks import http
    from tests.engine.test_http_task import LocalServer

    server = LocalServer().start()
    body = b'{"name": "\\ud800", "ok": true}'
    server.routes["/odd"] = lambda seen: (200, {"Content-Type": "application/json"}, body)
    registry = AdapterRegistry()
    http.register(registry, allow_hosts=[server.host])
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": http.RESOURCE,
                "Parameters": {"ApiEndpoint": server.url("/odd"), "Method": "GET"},
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}],
                "End": True,
            }
        },
    }
    try:
        result = run(definition, {}, adapters=registry, real_time=True)
    finally:
        server.stop()
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert "'/ResponseBody/name'" in str(result.cause)
    assert len(server.seen) == 1  # not retried


def test_nul_in_an_error_or_cause_is_recorded_as_an_escape() -> None:
    """PostgreSQL text columns cannot hold NUL: an execution's error and cause never do."""
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "F",
        "States": {
            "F": {"Type": "Fail", "Error": '{% "E\\u0000" %}', "Cause": '{% "a\\u0000b" %}'}
        },
    }
    result = run(definition)
    assert (result.error, result.cause) == ("E\\u0000", "a\\u0000b")
    failed = result.events[-1]["executionFailedEventDetails"]
    assert failed == {"error": "E\\u0000", "cause": "a\\u0000b"}


def test_a_stop_with_nul_in_its_cause_is_recorded_as_an_escape() -> None:
    from engine import interpreter
    from engine.interpreter.effects import StopExecution

    machine = engine.parse(
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}}}
    )
    ex = interpreter.new_execution(machine, {}, 0.0)
    interpreter.start(machine, ex, 0.0)
    step = interpreter.advance(machine, ex, StopExecution("Stop\x00", "why\x00"), 1.0)
    assert (ex.status, ex.error, ex.cause) == ("ABORTED", "Stop\\u0000", "why\\u0000")
    assert step.events[-1]["executionAbortedEventDetails"] == {
        "error": "Stop\\u0000",
        "cause": "why\\u0000",
    }
