"""JSONata's error rules in Step Functions, as one table.

https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html: a JSONata
expression that fails, returns nothing (undefined) or returns a value of the wrong type
for its field ends the state with ``States.QueryEvaluationError``, recorded in an
``EvaluationFailed`` event whose ``location`` is the field; Retry and Catch apply.
(Wording of the causes as recorded on AWS: "returned nothing (undefined).",
"returned an unexpected result type. Expected 'array', but was ...".)
"""

from __future__ import annotations

from typing import Any

import pytest

import engine

QEE = "States.QueryEvaluationError"

# (states, input, location, fragment of the cause)
ROWS: list[tuple[dict[str, Any], Any, str, str]] = [
    (
        {"S": {"Type": "Pass", "Output": "{% $states.input.nope %}", "End": True}},
        {},
        "Output",
        "returned nothing (undefined).",
    ),
    (
        {"S": {"Type": "Pass", "Output": {"a": "{% $nope %}"}, "End": True}},
        {},
        "Output/a",
        "returned nothing (undefined).",
    ),
    (
        {"S": {"Type": "Pass", "Assign": {"x": "{% $nope %}"}, "End": True}},
        {},
        "Assign/x",
        "returned nothing (undefined).",
    ),
    (
        {"S": {"Type": "Pass", "Output": "{% $error('boom') %}", "End": True}},
        {},
        "Output",
        "threw an error during evaluation. D3137: boom",
    ),
    (
        {"S": {"Type": "Pass", "Output": "{% 1/0 %}", "End": True}},
        {},
        "Output",
        "D1001: Number out of range",
    ),
    (
        {"S": {"Type": "Pass", "Output": "{% $eval('1') %}", "End": True}},
        {},
        "Output",
        "T1006",
    ),
    (
        {
            "S": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% 1 %}", "Next": "E"}],
                "Default": "E",
            },
            "E": {"Type": "Succeed"},
        },
        {},
        "Condition",
        "Expected 'boolean', but was 'number'",
    ),
    (
        {
            "S": {
                "Type": "Map",
                "Items": "{% {'a': 1} %}",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
        {},
        "Items",
        "Expected 'array', but was 'object'",
    ),
    (
        {"S": {"Type": "Wait", "Timestamp": "{% 5 %}", "End": True}},
        {},
        "Timestamp",
        "Expected 'timestamp', but was 'number'",
    ),
    (
        {"S": {"Type": "Wait", "Seconds": "{% 'x' %}", "End": True}},
        {},
        "Seconds",
        "Expected 'integer', but was 'string'",
    ),
]


@pytest.mark.parametrize(("states", "data", "location", "fragment"), ROWS)
def test_jsonata_failures(states: dict[str, Any], data: Any, location: str, fragment: str) -> None:
    definition = {"QueryLanguage": "JSONata", "StartAt": "S", "States": states}
    result = engine.run(engine.parse(definition), data)
    assert (result.status, result.error) == ("FAILED", QEE), result.cause
    assert fragment in str(result.cause)
    assert "Error:" not in str(result.cause)  # never a Python exception's name
    failed = next(e for e in result.events if e["type"] == "EvaluationFailed")
    assert failed["evaluationFailedEventDetails"]["location"] == location


def test_query_evaluation_error_can_be_caught() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "Items": "{% $states.input.nope %}",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "Catch": [
                    {
                        "ErrorEquals": ["States.QueryEvaluationError"],
                        "Output": "{% $states.errorOutput.Error %}",
                        "Next": "Done",
                    }
                ],
                "End": True,
            },
            "Done": {"Type": "Succeed"},
        },
    }
    result = engine.run(engine.parse(definition), {})
    assert result.status == "SUCCEEDED"
    assert result.output == QEE
