"""The Map state pages' rules and examples, as data.

https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemspath.html
"""

from __future__ import annotations

from typing import Any

import pytest

import engine

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
DISTRIBUTED = {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, **PASS}


def _run(state: dict[str, Any], data: Any, jsonata: bool = False) -> engine.ExecutionResult:
    definition: dict[str, Any] = {
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "End": True, **state}},
    }
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    return engine.run(engine.parse(definition), data)


# (Map fields, input, output)
ROWS: list[tuple[dict[str, Any], Any, Any]] = [
    # ItemsPath defaults to $: the whole input is the array.
    ({"ItemProcessor": PASS}, [1, 2], [1, 2]),
    # The guide's ItemsPath example selects one array of the input.
    (
        {"ItemsPath": "$.ThingsPiratesSay", "ItemProcessor": PASS},
        {"ThingsPiratesSay": [{"say": "Avast!"}, {"say": "Yar!"}], "ThingsGiantsSay": []},
        [{"say": "Avast!"}, {"say": "Yar!"}],
    ),
    # ItemsPath applies after InputPath.
    (
        {"InputPath": "$.in", "ItemsPath": "$.xs", "ItemProcessor": PASS},
        {"in": {"xs": [3]}},
        [3],
    ),
    # The legacy names Iterator and Parameters mean ItemProcessor and ItemSelector.
    ({"Iterator": PASS, "Parameters": {"v.$": "$$.Map.Item.Value"}}, ["a"], [{"v": "a"}]),
    # An empty array: no iterations, the result is [].
    ({"ItemProcessor": PASS}, [], []),
    # ResultSelector and ResultPath process the array of results.
    (
        {"ItemsPath": "$.xs", "ItemProcessor": PASS, "ResultPath": "$.out"},
        {"xs": [1]},
        {"xs": [1], "out": [1]},
    ),
    (
        {"ItemProcessor": PASS, "ResultSelector": {"n.$": "States.ArrayLength($)"}},
        [1, 2, 3],
        {"n": 3},
    ),
    # MaxConcurrency 0 means no limit; 1 runs the iterations one at a time.
    ({"ItemProcessor": PASS, "MaxConcurrency": 0}, [1, 2], [1, 2]),
    ({"ItemProcessor": PASS, "MaxConcurrency": 1}, [1, 2], [1, 2]),
    # Distributed mode with inline items gives the same results.
    ({"ItemProcessor": DISTRIBUTED}, [1, 2], [1, 2]),
]


@pytest.mark.parametrize(("state", "data", "output"), ROWS)
def test_map_rules(state: dict[str, Any], data: Any, output: Any) -> None:
    result = _run(state, data)
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    assert result.output == output


def test_jsonata_items_and_item_selector() -> None:
    state = {
        "Items": "{% $states.input.xs %}",
        "ItemSelector": {"v": "{% $states.context.Map.Item.Value * 2 %}"},
        "ItemProcessor": PASS,
        "Output": "{% $states.result.v %}",
    }
    result = _run(state, {"xs": [1, 2]}, jsonata=True)
    assert result.output == [2, 4]


@pytest.mark.parametrize(
    ("jsonata", "error"),
    [(False, "States.Runtime"), (True, "States.QueryEvaluationError")],
)
def test_an_object_is_not_iterated(jsonata: bool, error: str) -> None:
    # The ItemsPath page now says a JSON object is iterated pair by pair, but AWS
    # recorded "Map state input must be an array but was: {...}" for an object
    # (test_map_state_items_input_types[object] in the corpus): the recording wins.
    result = _run({"ItemProcessor": PASS}, {"foo": "bar"}, jsonata=jsonata)
    assert (result.status, result.error) == ("FAILED", error)
    assert "Map state input must be an array but was" in str(result.cause)


def test_tolerated_failures_let_the_map_succeed() -> None:
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "F"}],
                "Default": "P",
            },
            "F": {"Type": "Fail", "Error": "Odd", "Cause": "one"},
            "P": {"Type": "Pass", "End": True},
        },
    }
    ok = _run({"ItemProcessor": processor, "ToleratedFailureCount": 1}, [0, 1, 2])
    assert ok.status == "SUCCEEDED"
    assert ok.output == [0, {"Error": "Odd", "Cause": "one"}, 2]
    too_many = _run({"ItemProcessor": processor, "ToleratedFailurePercentage": 10}, [0, 1, 2])
    assert (too_many.status, too_many.error) == ("FAILED", "States.ExceedToleratedFailureThreshold")
