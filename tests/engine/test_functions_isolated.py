"""Issue #13: Python functions run in a child process that is killed past its time and
whose memory is capped, so a function can neither hang nor exhaust the worker."""

from __future__ import annotations

import multiprocessing
import os
import time
from typing import Any

import engine
from engine.adapters import AdapterRegistry
from engine.tasks.functions import FunctionRegistry, LambdaContext

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def isolated(**fns: Any) -> AdapterRegistry:
    functions = FunctionRegistry(isolated=True, max_memory_bytes=256 * 2**20)
    for name, fn in fns.items():
        functions.register(name, fn)
    adapters = AdapterRegistry()
    functions.install(adapters)
    return adapters


def run_task(name: str, adapters: AdapterRegistry, **fields: Any) -> engine.ExecutionResult:
    state = {"Type": "Task", "Resource": ARN + name, "End": True, **fields}
    machine = engine.parse({"StartAt": "T", "States": {"T": state}})
    return engine.run(machine, {"n": 2}, adapters=adapters)


def double(event: Any, context: LambdaContext) -> Any:
    return {"n": event["n"] * 2, "pid": os.getpid()}


def sleeper(event: Any, context: LambdaContext) -> Any:
    time.sleep(60)
    return {}


def hog(event: Any, context: LambdaContext) -> Any:
    blocks = [bytearray(64 * 2**20) for _ in range(64)]  # 4 GiB
    return len(blocks)


def quitter(event: Any, context: LambdaContext) -> Any:
    os._exit(3)


def raiser(event: Any, context: LambdaContext) -> Any:
    raise ValueError("bad order")


def test_an_isolated_function_answers_from_another_process() -> None:
    result = run_task("double", isolated(double=double))
    assert result.status == "SUCCEEDED", result.cause
    assert result.output["n"] == 4
    assert result.output["pid"] != os.getpid()


def test_an_exception_is_reported_as_lambda_does() -> None:
    result = run_task("raiser", isolated(raiser=raiser))
    assert result.error == "ValueError"
    assert "bad order" in str(result.cause)


def test_a_function_past_its_timeout_is_killed_with_states_timeout() -> None:
    began = time.monotonic()
    result = run_task("sleeper", isolated(sleeper=sleeper), TimeoutSeconds=1)
    assert time.monotonic() - began < 10
    assert result.status == "FAILED"
    assert result.error == "States.Timeout"
    assert "did not finish within 1 seconds" in str(result.cause)
    assert multiprocessing.active_children() == []  # the child is gone


def test_a_function_over_its_memory_fails_with_out_of_memory() -> None:
    result = run_task("hog", isolated(hog=hog))
    assert result.status == "FAILED"
    assert result.error == "Runtime.OutOfMemory"
    assert "256 MiB" in str(result.cause)
    again = run_task("double", isolated(double=double))  # this process is unharmed
    assert again.status == "SUCCEEDED"


def test_a_function_that_exits_fails_with_exit_error() -> None:
    result = run_task("quitter", isolated(quitter=quitter))
    assert result.error == "Runtime.ExitError"
    assert "exit code 3" in str(result.cause)
