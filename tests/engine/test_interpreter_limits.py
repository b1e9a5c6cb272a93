"""Quotas: the 256 KiB payload limit (States.DataLimitExceeded) and the history event limit."""

from __future__ import annotations

from typing import Any

import engine

LAMBDA = "arn:aws:states:::lambda:invoke"
BIG = "x" * (256 * 1024)  # as a JSON string (with quotes) just over 262144 bytes
LIMIT_CAUSE = (
    "The state/task 'T' returned a result with a size exceeding "
    "the maximum number of bytes service limit."
)


def run(definition: dict[str, Any], data: Any = None, **kw: Any) -> engine.ExecutionResult:
    return engine.run(engine.parse(definition), data, **kw)


def types(result: engine.ExecutionResult) -> list[str]:
    return [e["type"] for e in result.events]


def details(event: dict[str, Any]) -> dict[str, Any]:
    return next((v for k, v in event.items() if k.endswith("EventDetails")), {})


def task(**fields: Any) -> dict[str, Any]:
    states: dict[str, Any] = {"T": {"Type": "Task", "Resource": LAMBDA, "End": True, **fields}}
    if "Catch" in fields:
        states["Caught"] = {"Type": "Pass", "End": True}
    return {"StartAt": "T", "States": states}


def test_oversized_task_result_fails_with_data_limit_exceeded() -> None:
    result = run(task(), {}, mocks={"T": [{"Return": BIG}]})
    assert result.status == "FAILED"
    assert result.error == "States.DataLimitExceeded"
    assert result.cause == LIMIT_CAUSE
    assert types(result)[-2:] == ["TaskSucceeded", "ExecutionFailed"]
    assert details(result.events[-1]) == {"error": "States.DataLimitExceeded", "cause": LIMIT_CAUSE}


def test_data_limit_exceeded_is_not_caught_by_states_all() -> None:
    definition = task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Caught"}])
    result = run(definition, {}, mocks={"T": [{"Return": BIG}]})
    assert result.status == "FAILED"
    assert result.error == "States.DataLimitExceeded"
    assert "PassStateEntered" not in types(result)


def test_data_limit_exceeded_is_not_retried_by_states_all() -> None:
    definition = task(Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}])
    result = run(definition, {}, mocks={"T": [{"Return": BIG}]})
    assert result.error == "States.DataLimitExceeded"
    assert types(result).count("TaskScheduled") == 1


def test_result_just_under_the_limit_is_fine() -> None:
    fits = "x" * (256 * 1024 - 2)  # 262144 bytes including the quotes
    result = run(task(), {}, mocks={"T": [{"Return": fits}]})
    assert result.status == "SUCCEEDED"


def test_oversized_pass_output_fails() -> None:
    definition: dict[str, Any] = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Parameters": {"big.$": "$.s"}, "End": True}},
    }
    half = "y" * (140 * 1024)
    result = run(definition, {"s": half, "t": half})
    assert result.status == "SUCCEEDED"  # the effective input drops t, so it fits
    definition["States"]["P"]["Parameters"] = {"a.$": "$.s", "b.$": "$.t"}
    result = run(definition, {"s": half, "t": half})
    assert result.status == "FAILED"
    assert result.error == "States.DataLimitExceeded"


def test_oversized_map_result_fails() -> None:
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "W",
                    "States": {"W": {"Type": "Task", "Resource": LAMBDA, "End": True}},
                },
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }
    piece = "z" * (100 * 1024)
    result = run(definition, [1, 2, 3], mocks={"W": [{"Return": piece}]})
    assert result.status == "FAILED"
    assert result.error == "States.DataLimitExceeded"


def test_history_limit_fails_a_runaway_loop() -> None:
    definition = {"StartAt": "L", "States": {"L": {"Type": "Pass", "Next": "L"}}}
    result = run(definition, {}, max_events=50)
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert result.cause is not None and "50" in result.cause
    assert types(result)[-1] == "ExecutionFailed"
    assert len(result.events) == 50
    assert [e["id"] for e in result.events] == list(range(1, len(result.events) + 1))


def test_history_limit_not_reached_by_a_short_run() -> None:
    definition = {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}},
    }
    result = run(definition, {}, max_events=6)
    assert result.status == "SUCCEEDED"  # AWS: the last event may end the execution
    assert len(result.events) == 6
    result = run(definition, {}, max_events=5)
    assert result.status == "FAILED"  # ... any other event in its place fails it
    assert types(result) == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "PassStateEntered",
        "ExecutionFailed",
    ]


def test_standard_history_limit_is_25000_by_default_for_new_executions() -> None:
    from engine import interpreter

    machine = engine.parse({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    assert interpreter.new_execution(machine, {}, 0.0).max_events == 25_000


def test_inline_map_iterations_count_towards_the_history_limit() -> None:
    """Issue #13: a Map of 10,000 items recorded 40,006 events past the 25,000 limit."""
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
    }
    result = run(definition, list(range(10_000)))  # the default bound: 25,000 events
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert result.cause == "The execution reached the maximum number of history events (25000)."
    assert len(result.events) == 25_000  # as on AWS: event #25,000 is ExecutionFailed
    assert types(result)[-1] == "ExecutionFailed"


def test_max_seconds_times_the_execution_out_on_the_virtual_clock() -> None:
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 100, "Next": "W"}}}
    result = run(definition, {}, max_seconds=300, max_events=None)
    assert result.status == "TIMED_OUT"
    assert result.error == "States.Timeout"
    assert types(result)[-1] == "ExecutionTimedOut"
    assert result.events[-1]["timestamp"] == result.events[0]["timestamp"] + 300


def test_the_shorter_of_timeout_seconds_and_max_seconds_wins() -> None:
    definition = {
        "StartAt": "W",
        "TimeoutSeconds": 50,
        "States": {"W": {"Type": "Wait", "Seconds": 100, "End": True}},
    }
    result = run(definition, {}, max_seconds=300)
    assert result.status == "TIMED_OUT"
    assert result.events[-1]["timestamp"] == result.events[0]["timestamp"] + 50


def test_max_seconds_ends_a_real_time_run_whose_task_never_answers() -> None:
    import threading
    import time

    from engine.adapters import AdapterRegistry, TaskResponse

    release = threading.Event()

    class Hangs:
        def invoke(self, request: Any) -> TaskResponse:
            release.wait(10)
            return TaskResponse(output={})

    registry = AdapterRegistry()
    registry.register("arn:aws:states:::lambda:invoke", Hangs())
    began = time.monotonic()
    try:
        result = run(task(), {}, adapters=registry, real_time=True, max_seconds=0.3)
    finally:
        release.set()
    assert time.monotonic() - began < 5
    assert result.status == "TIMED_OUT"
    assert types(result)[-1] == "ExecutionTimedOut"
