"""Retry (matching, attempts, backoff timing on the virtual clock, jitter) and Catch."""

from __future__ import annotations

import itertools
from typing import Any

import engine
from engine.runner import DEFAULT_START

LAMBDA = "arn:aws:states:::lambda:invoke"
FAIL = {"Throw": {"Error": "E", "Cause": "c"}}
ERROR_AND_CAUSE = "{% $states.errorOutput.Error & ': ' & $states.errorOutput.Cause %}"


def run(definition: dict[str, Any], data: Any = None, **kw: Any) -> engine.ExecutionResult:
    return engine.run(engine.parse(definition), data, **kw)


def types(result: engine.ExecutionResult) -> list[str]:
    return [e["type"] for e in result.events]


def details(event: dict[str, Any]) -> dict[str, Any]:
    return next(v for k, v in event.items() if k.endswith("EventDetails"))


def of_type(result: engine.ExecutionResult, event_type: str) -> list[dict[str, Any]]:
    return [e for e in result.events if e["type"] == event_type]


def scheduled_at(result: engine.ExecutionResult) -> list[float]:
    return [e["timestamp"] - DEFAULT_START for e in of_type(result, "TaskScheduled")]


def task(**fields: Any) -> dict[str, Any]:
    states: dict[str, Any] = {"T": {"Type": "Task", "Resource": LAMBDA, "End": True, **fields}}
    targets = {catcher["Next"] for catcher in fields.get("Catch", [])}
    for name in sorted(targets):  # only reachable states: unreachable ones are invalid
        states[name] = {"Type": "Pass", "End": True}
    return {"StartAt": "T", "States": states}


# ---- Retry ----------------------------------------------------------------------


def test_backoff_interval_times_rate_to_the_n() -> None:
    retry = [{"ErrorEquals": ["E"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3}]
    result = run(task(Retry=retry), {}, mocks={"T": [FAIL]})
    assert result.status == "FAILED"
    assert result.error == "E"
    # attempts at 0, then +2, +6, +18
    assert scheduled_at(result) == [0, 2, 8, 26]
    assert result.events[-1]["timestamp"] == DEFAULT_START + 26


def test_retry_defaults_are_one_second_rate_two_three_attempts() -> None:
    result = run(task(Retry=[{"ErrorEquals": ["E"]}]), {}, mocks={"T": [FAIL]})
    assert scheduled_at(result) == [0, 1, 3, 7]


def test_max_delay_seconds_caps_each_interval() -> None:
    retry = [
        {
            "ErrorEquals": ["E"],
            "IntervalSeconds": 3,
            "BackoffRate": 2,
            "MaxAttempts": 4,
            "MaxDelaySeconds": 10,
        }
    ]
    result = run(task(Retry=retry), {}, mocks={"T": [FAIL]})
    # delays 3, 6, 12->10, 24->10
    assert scheduled_at(result) == [0, 3, 9, 19, 29]


def test_max_attempts_zero_means_no_retry() -> None:
    retry = [{"ErrorEquals": ["E"], "MaxAttempts": 0}]
    result = run(task(Retry=retry), {}, mocks={"T": [FAIL]})
    assert result.status == "FAILED"
    assert types(result).count("TaskScheduled") == 1


def test_retry_then_success_event_sequence() -> None:
    retry = [{"ErrorEquals": ["E"], "IntervalSeconds": 5}]
    result = run(task(Retry=retry), {}, mocks={"T": [FAIL, {"Return": "ok"}]})
    assert result.output == "ok"
    assert types(result) == [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskFailed",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    failed, second = result.events[4], result.events[5]
    assert second["previousEventId"] == failed["id"]
    assert second["timestamp"] - failed["timestamp"] == 5


def test_error_equals_picks_the_first_matching_retrier() -> None:
    retry = [
        {"ErrorEquals": ["Other"], "IntervalSeconds": 100, "MaxAttempts": 5},
        {"ErrorEquals": ["E"], "IntervalSeconds": 1, "MaxAttempts": 1},
        {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 50, "MaxAttempts": 5},
    ]
    result = run(task(Retry=retry), {}, mocks={"T": [FAIL]})
    assert scheduled_at(result) == [0, 1]


def test_non_matching_error_is_not_retried() -> None:
    retry = [{"ErrorEquals": ["Other"], "MaxAttempts": 5}]
    result = run(task(Retry=retry), {}, mocks={"T": [FAIL]})
    assert types(result).count("TaskScheduled") == 1
    assert result.error == "E"


def test_each_retrier_counts_its_own_attempts() -> None:
    retry = [
        {"ErrorEquals": ["A"], "IntervalSeconds": 1, "MaxAttempts": 1, "BackoffRate": 1},
        {"ErrorEquals": ["B"], "IntervalSeconds": 10, "MaxAttempts": 1, "BackoffRate": 1},
    ]
    mocks = {
        "T": [
            {"Throw": {"Error": "A"}},
            {"Throw": {"Error": "B"}},
            {"Throw": {"Error": "A"}},
        ]
    }
    result = run(task(Retry=retry), {}, mocks=mocks)
    # A retried once (+1), B retried once (+10), second A exhausts its retrier
    assert scheduled_at(result) == [0, 1, 11]
    assert result.error == "A"


def test_jitter_full_stays_within_the_delay_and_is_deterministic() -> None:
    retry = [
        {
            "ErrorEquals": ["E"],
            "IntervalSeconds": 10,
            "BackoffRate": 2,
            "MaxAttempts": 3,
            "JitterStrategy": "FULL",
        }
    ]
    first = run(task(Retry=retry), {}, mocks={"T": [FAIL]})
    second = run(task(Retry=retry), {}, mocks={"T": [FAIL]})
    times = scheduled_at(first)
    assert times == scheduled_at(second)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(gaps) == 3
    for gap, full in zip(gaps, [10, 20, 40], strict=True):
        assert 0 <= gap <= full
    assert gaps != [10, 20, 40]  # jitter really applied


def test_retry_count_visible_in_parameters_on_each_attempt() -> None:
    retry = [{"ErrorEquals": ["E"], "IntervalSeconds": 1, "MaxAttempts": 2}]
    definition = task(Parameters={"attempt.$": "$$.State.RetryCount"}, Retry=retry)
    result = run(definition, {}, mocks={"T": [FAIL]})
    params = [details(e)["parameters"] for e in of_type(result, "TaskScheduled")]
    assert params == [{"attempt": 0}, {"attempt": 1}, {"attempt": 2}]


def test_retry_count_visible_in_jsonata_arguments() -> None:
    retry = [{"ErrorEquals": ["E"], "IntervalSeconds": 1, "MaxAttempts": 1}]
    definition = {
        "QueryLanguage": "JSONata",
        **task(Arguments={"n": "{% $states.context.State.RetryCount %}"}, Retry=retry),
    }
    result = run(definition, {}, mocks={"T": [FAIL]})
    params = [details(e)["parameters"] for e in of_type(result, "TaskScheduled")]
    assert params == [{"n": 0}, {"n": 1}]


def test_states_all_retrier_does_not_retry_states_runtime() -> None:
    retry = [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}]
    mocks = {"T": [{"Throw": {"Error": "States.Runtime", "Cause": "x"}}]}
    result = run(task(Retry=retry), {}, mocks=mocks)
    assert types(result).count("TaskScheduled") == 1
    assert result.error == "States.Runtime"


def test_task_failed_wildcard_does_not_retry_timeout() -> None:
    retry = [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 3}]
    definition = task(TimeoutSeconds=1, Retry=retry)
    result = run(definition, {}, mocks={"T": [{"Return": 1, "Delay": 5}]})
    assert result.error == "States.Timeout"
    assert types(result).count("TaskScheduled") == 1


def test_task_failed_wildcard_retries_a_custom_error() -> None:
    retry = [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 1, "MaxAttempts": 1}]
    result = run(task(Retry=retry), {}, mocks={"T": [FAIL, {"Return": "ok"}]})
    assert result.output == "ok"


def test_timeout_is_retried_when_named() -> None:
    retry = [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1, "MaxAttempts": 1}]
    definition = task(TimeoutSeconds=2, Retry=retry)
    result = run(definition, {}, mocks={"T": [{"Return": 1, "Delay": 5}, {"Return": "fast"}]})
    assert result.output == "fast"
    assert scheduled_at(result) == [0, 3]
    assert types(result).count("TaskTimedOut") == 1


# ---- Retry exhausted -> Catch ---------------------------------------------------------


def test_exhausted_retrier_falls_to_catch() -> None:
    definition = task(
        Retry=[{"ErrorEquals": ["E"], "IntervalSeconds": 1, "MaxAttempts": 2}],
        Catch=[{"ErrorEquals": ["E"], "Next": "Caught"}],
    )
    result = run(definition, {}, mocks={"T": [FAIL]})
    assert result.status == "SUCCEEDED"
    assert result.output == {"Error": "E", "Cause": "c"}
    assert types(result).count("TaskFailed") == 3
    assert types(result)[-5:] == [
        "TaskFailed",
        "TaskStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert result.events[-1]["timestamp"] == DEFAULT_START + 3


# ---- Catch ---------------------------------------------------------------------------


def test_catch_result_path_places_error_into_input() -> None:
    definition = task(
        Catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Caught"}]
    )
    result = run(definition, {"keep": 1}, mocks={"T": [FAIL]})
    assert result.output == {"keep": 1, "err": {"Error": "E", "Cause": "c"}}
    exited = next(e for e in result.events if e["type"] == "TaskStateExited")
    assert details(exited) == {
        "name": "T",
        "output": {"keep": 1, "err": {"Error": "E", "Cause": "c"}},
    }


def test_catch_without_result_path_replaces_input_with_error_output() -> None:
    definition = task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Caught"}])
    result = run(definition, {"keep": 1}, mocks={"T": [FAIL]})
    assert result.output == {"Error": "E", "Cause": "c"}


def test_catch_result_path_null_keeps_input() -> None:
    definition = task(Catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": None, "Next": "Caught"}])
    result = run(definition, {"keep": 1}, mocks={"T": [FAIL]})
    assert result.output == {"keep": 1}


def test_first_matching_catcher_wins() -> None:
    definition = task(
        Catch=[
            {"ErrorEquals": ["Nope"], "Next": "Other"},
            {"ErrorEquals": ["E", "X"], "Next": "Caught"},
            {"ErrorEquals": ["States.ALL"], "Next": "Other"},
        ]
    )
    result = run(definition, {}, mocks={"T": [FAIL]})
    assert result.output == {"Error": "E", "Cause": "c"}
    entered = [details(e)["name"] for e in result.events if e["type"] == "PassStateEntered"]
    assert entered == ["Caught"]


def test_catch_states_all_does_not_catch_states_runtime() -> None:
    definition = task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Caught"}])
    mocks = {"T": [{"Throw": {"Error": "States.Runtime", "Cause": "x"}}]}
    result = run(definition, {}, mocks=mocks)
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"


def test_jsonata_catcher_output_and_assign_read_error_output() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": LAMBDA,
                "Catch": [
                    {
                        "ErrorEquals": ["States.ALL"],
                        "Output": {
                            "msg": ERROR_AND_CAUSE,
                            "was": "{% $states.input.k %}",
                        },
                        "Assign": {"lastError": "{% $states.errorOutput.Error %}"},
                        "Next": "After",
                    }
                ],
                "End": True,
            },
            "After": {
                "Type": "Pass",
                "Output": {"o": "{% $states.input %}", "v": "{% $lastError %}"},
                "End": True,
            },
        },
    }
    result = run(definition, {"k": 5}, mocks={"T": [FAIL]})
    assert result.output == {"o": {"msg": "E: c", "was": 5}, "v": "E"}
    exited = next(e for e in result.events if e["type"] == "TaskStateExited")
    assert details(exited) == {
        "name": "T",
        "output": {"msg": "E: c", "was": 5},
        "assignedVariables": {"lastError": "E"},
    }


def test_jsonata_catcher_without_output_passes_error_output() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        **task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]),
    }
    result = run(definition, {"k": 5}, mocks={"T": [FAIL]})
    assert result.output == {"Error": "E", "Cause": "c"}


def test_catch_on_parallel_branch_failure() -> None:
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
                    {
                        "StartAt": "B",
                        "States": {"B": {"Type": "Task", "Resource": LAMBDA, "End": True}},
                    },
                ],
                "Catch": [{"ErrorEquals": ["E"], "ResultPath": "$.failure", "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }
    result = run(definition, {"in": 1}, mocks={"B": [FAIL]})
    assert result.status == "SUCCEEDED"
    assert result.output == {"in": 1, "failure": {"Error": "E", "Cause": "c"}}
    assert "ParallelStateFailed" in types(result)
    assert types(result).index("ParallelStateFailed") < types(result).index("ParallelStateExited")


def test_catch_on_map_iteration_failure() -> None:
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
    result = run(definition, [1, 2], mocks={"W": [FAIL]})
    assert result.status == "SUCCEEDED"
    assert result.output == {"Error": "E", "Cause": "c"}
    seq = types(result)
    assert (
        seq.index("MapIterationFailed") < seq.index("MapStateFailed") < seq.index("MapStateExited")
    )


def test_retry_on_parallel_reruns_all_branches() -> None:
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "B",
                        "States": {"B": {"Type": "Task", "Resource": LAMBDA, "End": True}},
                    }
                ],
                "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 4, "MaxAttempts": 1}],
                "End": True,
            }
        },
    }
    result = run(definition, {}, mocks={"B": [FAIL, {"Return": "ok"}]})
    assert result.output == ["ok"]
    starts = [e["timestamp"] - DEFAULT_START for e in of_type(result, "ParallelStateStarted")]
    assert starts == [0, 4]
