"""Map and Parallel: overlap under MaxConcurrency, order, tolerated failures, batches, aborts."""

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
    return next((v for k, v in event.items() if k.endswith("EventDetails")), {})


def at(event: dict[str, Any]) -> float:
    return float(event["timestamp"] - DEFAULT_START)


def map_of_task(**fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "W",
                    "States": {"W": {"Type": "Task", "Resource": LAMBDA, "End": True}},
                },
                "End": True,
                **fields,
            }
        },
    }


def slow_echo(seconds_for: Any) -> AdapterRegistry:
    """An adapter that echoes its input after ``seconds_for(input)`` virtual seconds."""

    class Echo:
        def invoke(self, request: InvokeTask) -> TaskResponse:
            return TaskResponse(output=request.input, duration=seconds_for(request.input))

    registry = AdapterRegistry()
    registry.register("arn:aws:states:::lambda", Echo())
    return registry


# ---- MaxConcurrency -----------------------------------------------------------------


def _ten_items_ten_seconds(**fields: Any) -> engine.ExecutionResult:
    mocks = {"W": [{"Return": "done", "Delay": 10}]}
    return run(map_of_task(**fields), list(range(10)), mocks=mocks)


def test_max_concurrency_five_finishes_at_twenty_seconds() -> None:
    result = _ten_items_ten_seconds(MaxConcurrency=5)
    assert result.output == ["done"] * 10
    assert at(result.events[-1]) == 20
    starts = [at(e) for e in result.events if e["type"] == "TaskScheduled"]
    assert starts == [0] * 5 + [10] * 5


def test_max_concurrency_one_runs_serially() -> None:
    result = _ten_items_ten_seconds(MaxConcurrency=1)
    assert at(result.events[-1]) == 100
    starts = [at(e) for e in result.events if e["type"] == "TaskScheduled"]
    assert starts == [10.0 * i for i in range(10)]


def test_unlimited_concurrency_runs_all_at_once() -> None:
    result = _ten_items_ten_seconds()
    assert at(result.events[-1]) == 10
    result_zero = _ten_items_ten_seconds(MaxConcurrency=0)
    assert at(result_zero.events[-1]) == 10


def test_max_concurrency_path() -> None:
    definition = map_of_task(MaxConcurrencyPath="$.mc", ItemsPath="$.items")
    mocks = {"W": [{"Return": 1, "Delay": 10}]}
    result = run(definition, {"mc": 2, "items": [1, 2, 3, 4]}, mocks=mocks)
    assert at(result.events[-1]) == 20


def test_never_more_than_max_concurrency_in_flight() -> None:
    result = _ten_items_ten_seconds(MaxConcurrency=3)
    in_flight = peak = 0
    for event in result.events:
        if event["type"] == "MapIterationStarted":
            in_flight += 1
            peak = max(peak, in_flight)
        elif event["type"] == "MapIterationSucceeded":
            in_flight -= 1
    assert peak == 3
    assert at(result.events[-1]) == 40


# ---- ordering and events ---------------------------------------------------------------


def test_results_follow_item_order_not_completion_order() -> None:
    items = [1, 2, 3, 4, 5]
    registry = slow_echo(lambda item: 10 - item)  # the last item finishes first
    result = run(map_of_task(), items, adapters=registry)
    assert result.output == items
    finished = [details(e)["index"] for e in result.events if e["type"] == "MapIterationSucceeded"]
    assert finished == [4, 3, 2, 1, 0]
    assert at(result.events[-1]) == 9


def test_map_event_sequence_for_two_items() -> None:
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
    result = run(definition, ["a", "b"])
    assert types(result) == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapIterationStarted",
        "PassStateEntered",
        "PassStateExited",
        "MapIterationSucceeded",
        "MapIterationStarted",
        "PassStateEntered",
        "PassStateExited",
        "MapIterationSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
        "ExecutionSucceeded",
    ]
    assert details(result.events[2]) == {"length": 2}
    assert [details(e)["index"] for e in result.events if e["type"].startswith("MapIteration")] == [
        0,
        0,
        1,
        1,
    ]
    assert details(result.events[3]) == {"name": "M", "index": 0}
    assert result.output == ["a", "b"]


def test_empty_map_succeeds_with_empty_list() -> None:
    result = run(map_of_task(), [])
    assert result.output == []
    assert types(result) == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapStateSucceeded",
        "MapStateExited",
        "ExecutionSucceeded",
    ]


def test_item_selector_with_index_and_value() -> None:
    definition = map_of_task(
        ItemsPath="$.xs",
        ItemSelector={"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "k.$": "$.k"},
    )
    result = run(definition, {"xs": ["a", "b"], "k": 9}, adapters=slow_echo(lambda _: 0))
    assert result.output == [{"i": 0, "v": "a", "k": 9}, {"i": 1, "v": "b", "k": 9}]


# ---- tolerated failures ------------------------------------------------------------------


def _fail_odd(request: InvokeTask) -> TaskResponse:
    if request.input % 2:
        return TaskResponse(failed=True, error="Odd", cause=str(request.input))
    return TaskResponse(output=request.input)


def _registry(adapter: Any) -> AdapterRegistry:
    class Wrap:
        def invoke(self, request: InvokeTask) -> TaskResponse:
            return adapter(request)  # type: ignore[no-any-return]

    registry = AdapterRegistry()
    registry.register("arn:aws:states:::lambda", Wrap())
    return registry


def test_tolerated_failure_count_keeps_errors_in_results() -> None:
    result = run(map_of_task(ToleratedFailureCount=2), [0, 1, 2, 3], adapters=_registry(_fail_odd))
    assert result.status == "SUCCEEDED"
    assert result.output == [0, {"Error": "Odd", "Cause": "1"}, 2, {"Error": "Odd", "Cause": "3"}]
    assert types(result).count("MapIterationFailed") == 2
    assert "MapStateSucceeded" in types(result)


def test_exceeding_tolerated_failure_count_fails_the_map() -> None:
    result = run(map_of_task(ToleratedFailureCount=1), [0, 1, 2, 3], adapters=_registry(_fail_odd))
    assert result.status == "FAILED"
    assert result.error == "States.ExceedToleratedFailureThreshold"
    assert "MapStateFailed" in types(result)


def test_tolerated_failure_percentage() -> None:
    ok = run(
        map_of_task(ToleratedFailurePercentage=50), [0, 1, 2, 3], adapters=_registry(_fail_odd)
    )
    assert ok.status == "SUCCEEDED"
    too_many = run(
        map_of_task(ToleratedFailurePercentage=25), [0, 1, 2, 3], adapters=_registry(_fail_odd)
    )
    assert too_many.status == "FAILED"
    assert too_many.error == "States.ExceedToleratedFailureThreshold"


def test_map_without_tolerance_fails_with_the_iteration_error() -> None:
    result = run(map_of_task(), [0, 1, 2], adapters=_registry(_fail_odd))
    assert result.status == "FAILED"
    assert (result.error, result.cause) == ("Odd", "1")


# ---- ItemBatcher -------------------------------------------------------------------------


def test_item_batcher_groups_items() -> None:
    # ItemBatcher belongs to a Distributed Map; the validator rejects it on an inline one
    definition = map_of_task(ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"job": 7}})
    definition["States"]["M"]["ItemProcessor"]["ProcessorConfig"] = {
        "Mode": "DISTRIBUTED",
        "ExecutionType": "STANDARD",
    }
    result = run(definition, [1, 2, 3, 4, 5], adapters=slow_echo(lambda _: 0))
    assert result.output == [
        {"Items": [1, 2], "BatchInput": {"job": 7}},
        {"Items": [3, 4], "BatchInput": {"job": 7}},
        {"Items": [5], "BatchInput": {"job": 7}},
    ]
    started = next(e for e in result.events if e["type"] == "MapStateStarted")
    assert details(started) == {"length": 3}


# ---- nesting -----------------------------------------------------------------------------


def test_nested_map_in_map() -> None:
    definition = {
        "StartAt": "Outer",
        "States": {
            "Outer": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "Inner",
                    "States": {
                        "Inner": {
                            "Type": "Map",
                            "ItemProcessor": {
                                "StartAt": "W",
                                "States": {"W": {"Type": "Task", "Resource": LAMBDA, "End": True}},
                            },
                            "End": True,
                        }
                    },
                },
                "End": True,
            }
        },
    }
    result = run(definition, [[1, 2], [3], []], adapters=slow_echo(lambda x: x))
    assert result.output == [[1, 2], [3], []]
    assert at(result.events[-1]) == 3  # everything overlaps: the slowest item takes 3 s
    assert types(result).count("MapStateEntered") == 4
    assert types(result).count("MapIterationSucceeded") == 3 + 3


# ---- Parallel ------------------------------------------------------------------------


def _parallel(wait_seconds: int) -> dict[str, Any]:
    return {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "A",
                        "States": {"A": {"Type": "Task", "Resource": LAMBDA, "End": True}},
                    },
                    {
                        "StartAt": "B",
                        "States": {
                            "B": {"Type": "Task", "Resource": LAMBDA, "Next": "B2"},
                            "B2": {"Type": "Pass", "End": True},
                        },
                    },
                    {
                        "StartAt": "C",
                        "States": {"C": {"Type": "Wait", "Seconds": wait_seconds, "End": True}},
                    },
                ],
                "End": True,
            }
        },
    }


def test_parallel_results_in_branch_order() -> None:
    mocks = {"A": [{"Return": "a", "Delay": 5}], "B": [{"Return": "b", "Delay": 1}]}
    result = run(_parallel(3), {"x": 1}, mocks=mocks)
    assert result.output == ["a", "b", {"x": 1}]
    assert at(result.events[-1]) == 5
    assert types(result)[-3:] == [
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "ExecutionSucceeded",
    ]


def test_parallel_branch_failure_aborts_other_branches() -> None:
    mocks = {
        "A": [{"Throw": {"Error": "Boom", "Cause": "bad"}, "Delay": 5}],
        "B": [{"Return": "b", "Delay": 10}],
    }
    result = run(_parallel(30), {}, mocks=mocks)
    assert result.status == "FAILED"
    assert (result.error, result.cause) == ("Boom", "bad")
    failed = next(i for i, e in enumerate(result.events) if e["type"] == "TaskFailed")
    after = result.events[failed + 1 :]
    assert [e["type"] for e in after] == ["ParallelStateFailed", "ExecutionFailed"]
    assert all(at(e) == 5 for e in after)
    # B's task and C's wait never report back
    assert "TaskSucceeded" not in types(result)
    assert "PassStateEntered" not in types(result)
    assert "WaitStateExited" not in types(result)


def test_parallel_failure_caught_then_execution_continues_without_stray_events() -> None:
    definition = _parallel(30)
    definition["States"]["P"]["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": "Next"}]
    definition["States"]["P"].pop("End")
    definition["States"]["P"]["Next"] = "Next"
    definition["States"]["Next"] = {"Type": "Wait", "Seconds": 100, "End": True}
    mocks = {
        "A": [{"Throw": {"Error": "Boom", "Cause": "bad"}, "Delay": 5}],
        "B": [{"Return": "b", "Delay": 10}],
    }
    result = run(definition, {}, mocks=mocks)
    assert result.status == "SUCCEEDED"
    assert result.output == {"Error": "Boom", "Cause": "bad"}
    assert at(result.events[-1]) == 105
    # while the catcher's Wait runs, B (due at 10) and C (due at 30) must stay silent
    assert "TaskSucceeded" not in types(result)
    exits = [details(e)["name"] for e in result.events if e["type"] == "WaitStateExited"]
    assert exits == ["Next"]


def test_map_iteration_failure_aborts_running_iterations() -> None:
    def adapter(request: InvokeTask) -> TaskResponse:
        if request.input == 0:
            return TaskResponse(failed=True, error="Boom", duration=1)
        return TaskResponse(output=request.input, duration=10)

    result = run(map_of_task(), [0, 1, 2], adapters=_registry(adapter))
    assert result.status == "FAILED"
    assert result.error == "Boom"
    assert "TaskSucceeded" not in types(result)
    assert types(result)[-3:] == ["MapIterationFailed", "MapStateFailed", "ExecutionFailed"]
    assert at(result.events[-1]) == 1
