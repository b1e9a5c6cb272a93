"""Issue #13 (10): TestState runs a Task for at most its TimeoutSeconds and 5 minutes.

A 3-second timeout used to come back after 20 seconds (the call ran to its
end in the web process); now the call is abandoned at the deadline and the
state times out like AWS's (``States.Timeout``).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from engine.adapters import AdapterRegistry, TaskResponse
from engine.interpreter.effects import InvokeTask
from engine.tasks.functions import FunctionRegistry, LambdaContext
from engine.teststate import test_state

RESOURCE = "arn:aws:states:::test:slow"


class Slow:
    def __init__(self) -> None:
        self.release = threading.Event()
        self.seen: list[InvokeTask] = []

    def invoke(self, request: InvokeTask) -> TaskResponse:
        self.seen.append(request)
        self.release.wait(20)
        return TaskResponse(output={"late": True})


def registry_with(adapter: Any) -> AdapterRegistry:
    registry = AdapterRegistry()
    registry.register(RESOURCE, adapter)
    return registry


def test_a_task_timeout_ends_the_test_at_the_timeout() -> None:
    slow = Slow()
    state = {"Type": "Task", "Resource": RESOURCE, "TimeoutSeconds": 1, "End": True}
    began = time.monotonic()
    try:
        result = test_state(state, {}, adapters=registry_with(slow))
    finally:
        slow.release.set()
    assert time.monotonic() - began < 5
    assert (result["status"], result["error"]) == ("FAILED", "States.Timeout")
    assert slow.seen[0].timeout_seconds is not None and slow.seen[0].timeout_seconds <= 1


def test_the_hard_cap_ends_a_task_without_a_timeout() -> None:
    slow = Slow()
    state = {"Type": "Task", "Resource": RESOURCE, "End": True}
    began = time.monotonic()
    try:
        result = test_state(state, {}, adapters=registry_with(slow), max_seconds=1)
    finally:
        slow.release.set()
    assert time.monotonic() - began < 5
    assert result["status"] == "FAILED"
    assert result["error"] == "States.Timeout"
    assert "TestState's time limit" in result["cause"]


def test_a_caught_timeout_is_reported_as_caught() -> None:
    slow = Slow()
    state = {
        "Type": "Task",
        "Resource": RESOURCE,
        "TimeoutSeconds": 1,
        "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Handle"}],
        "End": True,
    }
    try:
        result = test_state(state, {}, adapters=registry_with(slow))
    finally:
        slow.release.set()
    assert (result["status"], result["error"]) == ("CAUGHT_ERROR", "States.Timeout")


def hog(event: Any, context: LambdaContext) -> Any:
    return len([bytearray(64 * 2**20) for _ in range(64)])


def test_a_function_over_its_memory_fails_the_test_not_the_server() -> None:
    functions = FunctionRegistry(isolated=True, max_memory_bytes=256 * 2**20)
    functions.register("hog", hog)
    registry = AdapterRegistry()
    functions.install(registry)
    state = {
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:hog",
        "End": True,
    }
    result = test_state(state, {}, adapters=registry)
    assert (result["status"], result["error"]) == ("FAILED", "Runtime.OutOfMemory")


# --- sizes (AWS's quotas: the definition 1 MB, input, variables, context and mock 256 KiB) ---

PASS = {"Type": "Pass", "End": True}
BIG = "x" * (256 * 1024)


def _refusal(**request: Any) -> tuple[str, str]:
    from engine.errors import DefinitionError

    definition = request.pop("definition", PASS)
    try:
        test_state(definition, **request)
    except DefinitionError as refused:
        diagnostic: Any = refused.diagnostics[0]
        return diagnostic.code, diagnostic.message
    raise AssertionError("TestState accepted it")


def test_an_input_over_the_payload_quota_is_refused_with_the_servers_words() -> None:
    assert _refusal(input={"s": BIG}) == (
        "TEST_STATE_TOO_LARGE",
        "The input is larger than the 256 KiB payload quota.",
    )


def test_a_definition_over_a_megabyte_is_refused() -> None:
    code, message = _refusal(definition={**PASS, "Comment": "c" * (1024 * 1024)})
    assert code == "TEST_STATE_TOO_LARGE"
    assert "the limit is 1048576 bytes (AWS's quota for a state machine definition)" in message


def test_variables_context_and_mock_over_the_quota_are_refused() -> None:
    assert _refusal(variables={"v": BIG})[1] == (
        "The variables are larger than the 256 KiB payload quota."
    )
    assert (
        _refusal(context={"c": BIG})[1] == "The context is larger than the 256 KiB payload quota."
    )
    assert _refusal(mock={"result": BIG})[1] == "The mock is larger than the 256 KiB payload quota."


def test_an_input_within_the_quota_runs() -> None:
    value = {"s": "y" * (200 * 1024)}
    assert test_state(PASS, value)["output"] == value
