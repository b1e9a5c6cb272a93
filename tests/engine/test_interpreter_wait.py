"""Wait states on the virtual clock: time jumps, history timestamps show it, wall time does not."""

from __future__ import annotations

import time
from typing import Any

import engine
from engine.runner import DEFAULT_START

# DEFAULT_START is 2023-11-14T22:13:20Z


def run(definition: dict[str, Any], data: Any = None, **kw: Any) -> engine.ExecutionResult:
    return engine.run(engine.parse(definition), data, **kw)


def types(result: engine.ExecutionResult) -> list[str]:
    return [e["type"] for e in result.events]


def at(event: dict[str, Any]) -> float:
    return float(event["timestamp"] - DEFAULT_START)


def wait(**fields: Any) -> dict[str, Any]:
    return {"StartAt": "W", "States": {"W": {"Type": "Wait", "End": True, **fields}}}


def test_wait_seconds() -> None:
    result = run(wait(Seconds=5), {"a": 1})
    assert result.output == {"a": 1}
    assert types(result) == [
        "ExecutionStarted",
        "WaitStateEntered",
        "WaitStateExited",
        "ExecutionSucceeded",
    ]
    assert [at(e) for e in result.events] == [0, 0, 5, 5]
    assert [e["previousEventId"] for e in result.events] == [0, 0, 2, 3]


def test_wait_seconds_path() -> None:
    result = run(wait(SecondsPath="$.s"), {"s": 7})
    assert at(result.events[-1]) == 7


def test_wait_timestamp() -> None:
    result = run(wait(Timestamp="2023-11-15T00:00:00Z"), {})
    assert at(result.events[-1]) == 6400  # 22:13:20 -> midnight


def test_wait_timestamp_path() -> None:
    result = run(wait(TimestampPath="$.t"), {"t": "2023-11-14T23:13:20Z"})
    assert at(result.events[-1]) == 3600


def test_wait_timestamp_in_the_past_does_not_wait() -> None:
    result = run(wait(Timestamp="2000-01-01T00:00:00Z"), {})
    assert result.status == "SUCCEEDED"
    assert at(result.events[-1]) == 0


def test_wait_zero_seconds() -> None:
    result = run(wait(Seconds=0), {})
    assert result.status == "SUCCEEDED"
    assert at(result.events[-1]) == 0


def test_wait_of_a_day_is_instant_in_wall_time() -> None:
    started = time.perf_counter()
    result = run(wait(Seconds=86400), {})
    assert time.perf_counter() - started < 1.0
    assert at(result.events[-1]) == 86400


def test_consecutive_waits_accumulate() -> None:
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Wait", "Seconds": 10, "Next": "B"},
            "B": {"Type": "Wait", "SecondsPath": "$.s", "Next": "C"},
            "C": {"Type": "Wait", "Timestamp": "2023-11-14T23:13:20Z", "End": True},
        },
    }
    result = run(definition, {"s": 20})
    exits = [at(e) for e in result.events if e["type"] == "WaitStateExited"]
    assert exits == [10, 30, 3600]


def test_start_time_parameter_sets_the_clock() -> None:
    result = run(wait(Seconds=1), {}, start_time=1000.0)
    assert [e["timestamp"] for e in result.events] == [1000.0, 1000.0, 1001.0, 1001.0]


def test_jsonata_wait_seconds_expression() -> None:
    definition = {"QueryLanguage": "JSONata", **wait(Seconds="{% $states.input.n * 2 %}")}
    result = run(definition, {"n": 4})
    assert at(result.events[-1]) == 8


def test_wait_seconds_path_not_found_is_states_runtime() -> None:
    result = run(wait(SecondsPath="$.missing"), {})
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"


def test_waits_in_parallel_branches_overlap() -> None:
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 30, "End": True}}},
                    {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 10, "End": True}}},
                ],
                "End": True,
            }
        },
    }
    result = run(definition, {"x": 1})
    assert result.output == [{"x": 1}, {"x": 1}]
    assert at(result.events[-1]) == 30
    exits = [at(e) for e in result.events if e["type"] == "WaitStateExited"]
    assert exits == [10, 30]
