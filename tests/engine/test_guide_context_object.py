"""The Context object (``$$`` in JSONPath, ``$states.context`` in JSONata).

https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html:
Execution (Id, Input, Name, RoleArn, StartTime, RedriveCount), State (EnteredTime,
Name, RetryCount), StateMachine (Id, Name); Task.Token only for the
``.waitForTaskToken`` pattern; Map.Item.Index and Map.Item.Value only in a Map's
ItemSelector (for inline and distributed Map, before ItemBatcher).
"""

from __future__ import annotations

from typing import Any

import pytest

import engine

PROCESSOR = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def _run(definition: dict[str, Any], data: Any) -> engine.ExecutionResult:
    return engine.run(engine.parse(definition), data, name="exec-1")


def test_context_fields_jsonpath_and_jsonata_agree() -> None:
    jsonpath = {
        "StartAt": "S",
        "States": {"S": {"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": True}},
    }
    jsonata = {
        "QueryLanguage": "JSONata",
        "StartAt": "S",
        "States": {"S": {"Type": "Pass", "Output": {"c": "{% $states.context %}"}, "End": True}},
    }
    left = _run(jsonpath, {"in": 1}).output["c"]
    right = _run(jsonata, {"in": 1}).output["c"]
    assert left == right
    assert set(left) == {"Execution", "State", "StateMachine"}
    assert set(left["Execution"]) >= {"Id", "Input", "Name", "RoleArn", "StartTime"}
    assert left["Execution"]["Input"] == {"in": 1}
    assert left["Execution"]["Name"] == "exec-1"
    assert left["Execution"]["Id"].endswith(":exec-1")
    assert left["State"]["Name"] == "S"
    assert left["State"]["RetryCount"] == 0
    assert left["State"]["EnteredTime"].endswith("Z")
    assert set(left["StateMachine"]) == {"Id", "Name"}
    assert "Task" not in left and "Map" not in left


@pytest.mark.parametrize("mode", ["INLINE", "DISTRIBUTED"])
@pytest.mark.parametrize("jsonata", [False, True])
def test_map_item_index_and_value_in_item_selector(mode: str, jsonata: bool) -> None:
    config: dict[str, Any] = {"Mode": mode}
    if mode == "DISTRIBUTED":
        config["ExecutionType"] = "STANDARD"
    state: dict[str, Any] = {
        "Type": "Map",
        "ItemProcessor": {"ProcessorConfig": config, **PROCESSOR},
        "End": True,
    }
    if jsonata:
        state["ItemSelector"] = {
            "index": "{% $states.context.Map.Item.Index %}",
            "value": "{% $states.context.Map.Item.Value %}",
            "item": "{% $states.context.Map.Item %}",
        }
    else:
        state["ItemSelector"] = {
            "index.$": "$$.Map.Item.Index",
            "value.$": "$$.Map.Item.Value",
            "item.$": "$$.Map.Item",
        }
    definition: dict[str, Any] = {"StartAt": "M", "States": {"M": state}}
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    result = _run(definition, [{"k": "a"}, "b"])
    assert result.status == "SUCCEEDED", result.cause
    assert result.output == [
        {"index": 0, "value": {"k": "a"}, "item": {"Index": 0, "Value": {"k": "a"}}},
        {"index": 1, "value": "b", "item": {"Index": 1, "Value": "b"}},
    ]


def test_item_selector_example_from_the_guide() -> None:
    # https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemselector.html
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.imageData",
                "ItemSelector": {"size": 10, "value.$": "$$.Map.Item.Value"},
                "ItemProcessor": PROCESSOR,
                "End": True,
            }
        },
    }
    images = [{"resize": "true", "format": "jpg"}, {"resize": "false", "format": "png"}]
    result = _run(definition, {"imageData": images})
    assert result.output == [{"size": 10, "value": image} for image in images]


def test_map_item_is_not_in_the_context_inside_the_iteration() -> None:
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": True}},
                },
                "End": True,
            }
        },
    }
    result = _run(definition, [1])
    assert "Map" not in result.output[0]["c"]


def test_retry_count_counts_retries() -> None:
    # $$.State.RetryCount is the number of retries of the current state so far.
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"n.$": "$$.State.RetryCount"},
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                "End": True,
            }
        },
    }
    mocks = {
        "T": [
            {"Throw": {"Error": "E", "Cause": "c"}},
            {"Throw": {"Error": "E", "Cause": "c"}},
            {"Return": "done"},
        ]
    }
    result = engine.run(engine.parse(definition), {}, mocks=mocks)
    assert result.status == "SUCCEEDED"
    entered = [e for e in result.events if e["type"] == "TaskScheduled"]
    parameters = [e["taskScheduledEventDetails"]["parameters"] for e in entered]
    assert parameters == [{"n": 0}, {"n": 1}, {"n": 2}]
