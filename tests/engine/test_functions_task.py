"""Python functions as Lambda functions: both resource forms, errors, context, discovery."""

from __future__ import annotations

import json
import sys
import types
from typing import Any

import pytest

import engine
from engine.adapters import AdapterRegistry
from engine.interpreter.effects import InvokeTask
from engine.tasks import functions
from engine.tasks.functions import FunctionRegistry, LambdaContext, function

ARN = "arn:aws:lambda:eu-west-1:123456789012:function:"
INVOKE = "arn:aws:states:::lambda:invoke"


class OrderRejected(Exception):
    pass


def double(event: Any, context: LambdaContext) -> Any:
    return {"value": event["value"] * 2}


def reject(event: Any, context: LambdaContext) -> Any:
    raise OrderRejected("no stock for " + event["sku"])


def adapters_with(**fns: Any) -> AdapterRegistry:
    registry = FunctionRegistry()
    for name, fn in fns.items():
        registry.register(name.replace("_", "-"), fn)
    adapters = AdapterRegistry()
    registry.install(adapters)
    return adapters


def one_task(resource: str, **fields: Any) -> engine.StateMachine:
    state = {"Type": "Task", "Resource": resource, "End": True, **fields}
    return engine.parse({"StartAt": "T", "States": {"T": state}})


def run(machine: engine.StateMachine, value: Any, **fns: Any) -> engine.ExecutionResult:
    return engine.run(machine, value, adapters=adapters_with(**fns))


def test_function_arn_returns_the_functions_result() -> None:
    result = run(one_task(ARN + "double"), {"value": 21}, double=double)
    assert result.status == "SUCCEEDED"
    assert result.output == {"value": 42}


def test_function_arn_with_a_qualifier_calls_the_same_function() -> None:
    result = run(one_task(ARN + "double:prod"), {"value": 1}, double=double)
    assert result.output == {"value": 2}


def test_lambda_invoke_returns_lambdas_invoke_response() -> None:
    machine = one_task(INVOKE, Parameters={"FunctionName": ARN + "double:1", "Payload.$": "$"})
    result = run(machine, {"value": 5}, double=double)
    assert result.status == "SUCCEEDED", result.cause
    out = result.output
    assert out["Payload"] == {"value": 10}
    assert out["StatusCode"] == 200
    assert out["ExecutedVersion"] == "$LATEST"
    assert out["SdkHttpMetadata"]["HttpStatusCode"] == 200
    request_id = out["SdkResponseMetadata"]["RequestId"]
    assert out["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"] == request_id


def test_lambda_invoke_by_plain_name_and_result_selector() -> None:
    machine = one_task(
        INVOKE,
        Parameters={"FunctionName": "double", "Payload": {"value": 4}},
        ResultSelector={"v.$": "$.Payload.value"},
    )
    assert run(machine, {}, double=double).output == {"v": 8}


def test_lambda_invoke_event_invocation_answers_202() -> None:
    machine = one_task(INVOKE, Parameters={"FunctionName": "reject", "InvocationType": "Event"})
    result = run(machine, {}, reject=reject)
    assert result.status == "SUCCEEDED"
    assert result.output["StatusCode"] == 202 and result.output["Payload"] == ""


@pytest.mark.parametrize(
    ("resource", "params"),
    [(ARN + "reject", None), (INVOKE, {"FunctionName": "reject", "Payload.$": "$"})],
)
def test_exceptions_become_lambda_errors(resource: str, params: Any) -> None:
    fields = {"Parameters": params} if params else {}
    result = run(one_task(resource, **fields), {"sku": "A-1"}, reject=reject)
    assert result.status == "FAILED"
    assert result.error == "OrderRejected"
    cause = json.loads(result.cause or "")
    assert cause["errorType"] == "OrderRejected"
    assert cause["errorMessage"] == "no stock for A-1"
    assert isinstance(cause["stackTrace"], list) and cause["stackTrace"]
    assert "in reject" in cause["stackTrace"][-1]
    assert "in call" not in "".join(cause["stackTrace"])  # the adapter's own frame is left out


def test_a_catch_matches_the_exception_class_name() -> None:
    machine = engine.parse(
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": ARN + "reject",
                    "Catch": [{"ErrorEquals": ["OrderRejected"], "Next": "Sorry"}],
                    "End": True,
                },
                "Sorry": {"Type": "Pass", "End": True},
            },
        }
    )
    result = run(machine, {"sku": "B"}, reject=reject)
    assert result.status == "SUCCEEDED"
    assert result.output["Error"] == "OrderRejected"


@pytest.mark.parametrize(
    ("resource", "params"),
    [(ARN + "missing", None), (INVOKE, {"FunctionName": "missing"})],
)
def test_unknown_function_is_resource_not_found(resource: str, params: Any) -> None:
    fields = {"Parameters": params} if params else {}
    result = run(one_task(resource, **fields), {})
    assert result.status == "FAILED"
    assert result.error == "Lambda.ResourceNotFoundException"
    assert "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing" in (
        result.cause or ""
    )


def test_lambda_invoke_without_function_name_fails() -> None:
    result = run(one_task(INVOKE, Parameters={"Payload": {}}), {})
    assert result.status == "FAILED"
    assert result.error == "Lambda.InvalidParameterValueException"


def test_a_result_that_is_not_json_is_a_marshal_error() -> None:
    result = run(one_task(ARN + "bad"), {}, bad=lambda event, context: {"when": object()})
    assert result.error == "Runtime.MarshalError"


def test_context_fields() -> None:
    seen: dict[str, Any] = {}

    def spy(event: Any, context: LambdaContext) -> Any:
        seen.update(
            name=context.function_name,
            arn=context.invoked_function_arn,
            request=context.aws_request_id,
            remaining=context.get_remaining_time_in_millis(),
            state=context.state_name,
        )
        event["mutated"] = True  # the engine's copy stays untouched
        return event

    machine = one_task(ARN + "spy:live", TimeoutSeconds=30)
    result = run(machine, {"a": 1}, spy=spy)
    assert result.status == "SUCCEEDED"
    assert seen["name"] == "spy"
    assert seen["arn"] == "arn:aws:lambda:us-east-1:000000000000:function:spy"
    assert len(seen["request"]) == 36
    assert 25_000 < seen["remaining"] <= 30_000
    assert seen["state"] == "T"
    assert result.history()[0]["executionStartedEventDetails"]["input"] == '{"a":1}'


def test_remaining_time_without_a_task_timeout_is_lambdas_longest() -> None:
    got: list[int] = []
    run(one_task(ARN + "t"), {}, t=lambda e, c: got.append(c.get_remaining_time_in_millis()))
    assert 890_000 < got[0] <= 900_000


def test_retry_on_a_function_raising_then_succeeding() -> None:
    calls: list[int] = []

    def flaky(event: Any, context: LambdaContext) -> Any:
        calls.append(context.attempt)
        if len(calls) < 3:
            raise ConnectionError("try again")
        return {"ok": True, "attempt": context.attempt}

    machine = engine.parse(
        {
            "StartAt": "Call",
            "States": {
                "Call": {
                    "Type": "Task",
                    "Resource": INVOKE,
                    "Parameters": {"FunctionName": "flaky", "Payload.$": "$"},
                    "OutputPath": "$.Payload",
                    "Retry": [
                        {"ErrorEquals": ["ConnectionError"], "IntervalSeconds": 2, "MaxAttempts": 3}
                    ],
                    "End": True,
                }
            },
        }
    )
    result = run(machine, {}, flaky=flaky)
    assert result.status == "SUCCEEDED", result.cause
    assert result.output == {"ok": True, "attempt": 2}
    assert calls == [0, 1, 2]
    failed = [e for e in result.history() if e["type"] == "TaskFailed"]
    assert [e["taskFailedEventDetails"]["error"] for e in failed] == ["ConnectionError"] * 2


def test_wait_for_task_token_passes_the_token_and_waits() -> None:
    tokens: list[str] = []
    machine = one_task(
        INVOKE + ".waitForTaskToken",
        Parameters={"FunctionName": "hold", "Payload": {"token.$": "$$.Task.Token"}},
        TimeoutSeconds=60,
    )
    result = run(machine, {}, hold=lambda event, context: tokens.append(event["token"]))
    assert len(tokens) == 1 and len(tokens[0]) == 64
    assert result.status == "FAILED" and result.error == "States.Timeout"  # nobody answered


def test_decorator_discovery_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("stateyard_test_fns")

    @function("shout")
    def shout(event: Any, context: LambdaContext) -> Any:
        return str(event).upper()

    module.shout = shout  # type: ignore[attr-defined]
    module.helper = lambda: None  # type: ignore[attr-defined]  # not marked: not registered
    monkeypatch.setitem(sys.modules, "stateyard_test_fns", module)
    registry = FunctionRegistry.from_env({functions.ENV_MODULES: "stateyard_test_fns"})
    assert registry.names() == ["shout"]
    monkeypatch.setenv(functions.ENV_MODULES, " stateyard_test_fns , stateyard_functions.examples")
    adapters = AdapterRegistry()
    functions.register(adapters)
    result = engine.run(one_task(ARN + "shout"), "hi", adapters=adapters)
    assert result.output == "HI"
    assert engine.run(one_task(ARN + "greet"), {}, adapters=adapters).status == "SUCCEEDED"


def test_default_modules_are_the_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(functions.ENV_MODULES, raising=False)
    names = FunctionRegistry.from_env().names()
    assert {"greet", "validate-order", "reserve-stock"} <= set(names)


def test_a_configured_module_that_does_not_exist_is_an_error() -> None:
    with pytest.raises(functions.FunctionError):
        FunctionRegistry.from_env({functions.ENV_MODULES: "no_such_module_here"})


def test_the_examples_workflow_runs() -> None:
    from pathlib import Path

    path = Path(__file__).parents[2] / "examples/workflows/python-functions.asl.json"
    machine = engine.parse(json.loads(path.read_text()))
    adapters = AdapterRegistry()
    FunctionRegistry.from_modules(["stateyard_functions.examples"]).install(adapters)
    order = {
        "orderId": "A-1",
        "customer": "Ada",
        "lines": [{"sku": "X", "quantity": 2, "price": 5}],
    }
    result = engine.run(machine, order, adapters=adapters)
    assert result.status == "SUCCEEDED", result.cause
    assert result.output["total"] == 10
    assert result.output["stock"]["attempts"] == 2
    rejected = engine.run(machine, {"orderId": "A-2", "lines": []}, adapters=adapters)
    assert rejected.status == "SUCCEEDED"
    assert rejected.output["status"] == "REJECTED"


def test_direct_invoke_of_the_adapter() -> None:
    registry = FunctionRegistry()
    registry.register("double", double)
    request = InvokeTask(1, ARN + "double", {"value": 3}, "S")
    assert registry.invoke(request).output == {"value": 6}
    with pytest.raises(TypeError):
        registry.register("x", "not callable")  # type: ignore[arg-type]
