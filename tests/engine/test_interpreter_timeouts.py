"""Task TimeoutSeconds / HeartbeatSeconds and the execution-level timeout, on the virtual clock."""

from __future__ import annotations

from typing import Any

import engine
from engine.runner import DEFAULT_START

LAMBDA = "arn:aws:states:::lambda:invoke"


def run(definition: dict[str, Any], data: Any = None, **kw: Any) -> engine.ExecutionResult:
    return engine.run(engine.parse(definition), data, **kw)


def types(result: engine.ExecutionResult) -> list[str]:
    return [e["type"] for e in result.events]


def details(event: dict[str, Any]) -> dict[str, Any]:
    return next(v for k, v in event.items() if k.endswith("EventDetails"))


def at(event: dict[str, Any]) -> float:
    return float(event["timestamp"] - DEFAULT_START)


def task(**fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": LAMBDA, "End": True, **fields}},
    }


def test_task_longer_than_timeout_times_out() -> None:
    result = run(task(TimeoutSeconds=5), {}, mocks={"T": [{"Return": 1, "Delay": 10}]})
    assert result.status == "FAILED"
    assert result.error == "States.Timeout"
    assert types(result) == [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskTimedOut",
        "ExecutionFailed",
    ]
    timed_out = result.events[4]
    assert at(timed_out) == 5
    assert details(timed_out) == {
        "resourceType": "lambda",
        "resource": "invoke",
        "error": "States.Timeout",
    }
    assert details(result.events[-1])["error"] == "States.Timeout"
    assert "TaskSucceeded" not in types(result)  # the late answer is dropped


def test_task_within_timeout_succeeds() -> None:
    result = run(task(TimeoutSeconds=5), {}, mocks={"T": [{"Return": "ok", "Delay": 4}]})
    assert result.output == "ok"
    assert at(result.events[-1]) == 4


def test_timeout_seconds_path_reads_the_input() -> None:
    result = run(
        task(TimeoutSecondsPath="$.limit"), {"limit": 3}, mocks={"T": [{"Return": 1, "Delay": 10}]}
    )
    assert result.error == "States.Timeout"
    scheduled = next(e for e in result.events if e["type"] == "TaskScheduled")
    assert details(scheduled)["timeoutInSeconds"] == 3
    timed_out = next(e for e in result.events if e["type"] == "TaskTimedOut")
    assert at(timed_out) == 3


def test_timeout_is_catchable() -> None:
    definition = task(TimeoutSeconds=2, Catch=[{"ErrorEquals": ["States.Timeout"], "Next": "C"}])
    definition["States"]["C"] = {"Type": "Pass", "End": True}
    result = run(definition, {}, mocks={"T": [{"Return": 1, "Delay": 10}]})
    assert result.status == "SUCCEEDED"
    assert result.output == {"Error": "States.Timeout"}
    assert at(result.events[-1]) == 2


def test_heartbeats_keep_a_long_task_alive() -> None:
    mocks = {"T": [{"Return": "done", "Delay": 20, "Heartbeats": [4, 8, 12, 16]}]}
    result = run(task(TimeoutSeconds=100, HeartbeatSeconds=5), {}, mocks=mocks)
    assert result.status == "SUCCEEDED"
    assert result.output == "done"
    assert "TaskTimedOut" not in types(result)
    assert at(result.events[-1]) == 20


def test_missing_heartbeat_fails_with_heartbeat_timeout() -> None:
    mocks = {"T": [{"Return": "done", "Delay": 20, "Heartbeats": [4]}]}
    result = run(task(TimeoutSeconds=100, HeartbeatSeconds=5), {}, mocks=mocks)
    assert result.status == "FAILED"
    assert result.error == "States.HeartbeatTimeout"
    timed_out = next(e for e in result.events if e["type"] == "TaskTimedOut")
    assert details(timed_out)["error"] == "States.HeartbeatTimeout"
    assert at(timed_out) == 9  # last heartbeat at 4, plus 5
    assert "TaskSucceeded" not in types(result)


def test_no_heartbeat_at_all_times_out_after_heartbeat_seconds() -> None:
    result = run(task(HeartbeatSeconds=3), {}, mocks={"T": [{"Return": 1, "Delay": 60}]})
    assert result.error == "States.HeartbeatTimeout"
    assert at(result.events[-1]) == 3


def test_task_timeout_beats_heartbeat_when_shorter() -> None:
    mocks = {"T": [{"Return": 1, "Delay": 60, "Heartbeats": [4, 8, 12]}]}
    result = run(task(TimeoutSeconds=10, HeartbeatSeconds=5), {}, mocks=mocks)
    assert result.error == "States.Timeout"
    assert at(result.events[-1]) == 10


def test_execution_timeout_seconds_ends_timed_out() -> None:
    definition = {"TimeoutSeconds": 30, **task()}
    result = run(definition, {}, mocks={"T": [{"Return": 1, "Delay": 100}]})
    assert result.status == "TIMED_OUT"
    assert result.error == "States.Timeout"
    assert types(result)[-1] == "ExecutionTimedOut"
    assert at(result.events[-1]) == 30
    assert "TaskSucceeded" not in types(result)


def test_execution_timeout_not_reached_succeeds() -> None:
    definition = {"TimeoutSeconds": 30, **task()}
    result = run(definition, {}, mocks={"T": [{"Return": 1, "Delay": 29}]})
    assert result.status == "SUCCEEDED"


def test_execution_timeout_interrupts_a_wait() -> None:
    definition = {
        "TimeoutSeconds": 10,
        "StartAt": "W",
        "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}},
    }
    result = run(definition, {})
    assert result.status == "TIMED_OUT"
    assert types(result) == ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]
    assert at(result.events[-1]) == 10
