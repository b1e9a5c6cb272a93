"""Numbers read at run time: TimeoutSeconds, HeartbeatSeconds, MaxConcurrency, tolerances.

Each may be literal, a JSONPath ``...Path`` or (JSONata) an expression. The rules:
* Task TimeoutSeconds / HeartbeatSeconds are positive integers
  (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html).
* MaxConcurrency is an integer >= 0; ToleratedFailureCount >= 0;
  ToleratedFailurePercentage 0..100
  (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html,
  https://docs.aws.amazon.com/step-functions/latest/dg/maxconcurrency.html).
* A JSONPath ``...Path`` value that is missing, of the wrong type or out of range
  fails with ``States.Runtime`` (recorded: "ToleratedFailureCount cannot be negative.",
  "...which is not a valid integer"). A JSONata result of the wrong type or out of range
  fails with ``States.QueryEvaluationError`` naming the field
  (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html, errors).
"""

from __future__ import annotations

from typing import Any

import pytest

import engine

LAMBDA = "arn:aws:states:::lambda:invoke"


def _task(jsonata: bool, **fields: Any) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": LAMBDA, "End": True, **fields}},
    }
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    return definition


def _map(jsonata: bool, **fields: Any) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
                "End": True,
                **fields,
            }
        },
    }
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    return definition


def _run(definition: dict[str, Any], data: Any) -> engine.ExecutionResult:
    return engine.run(engine.parse(definition), data, mocks={"T": [{"Return": 1}]})


QEE = "States.QueryEvaluationError"
RUNTIME = "States.Runtime"

# (field, value, error or None): JSONata expressions
JSONATA_CASES: list[tuple[str, str, str | None]] = [
    ("TimeoutSeconds", "5", None),
    ("TimeoutSeconds", "0", QEE),
    ("TimeoutSeconds", "-3", QEE),
    ("TimeoutSeconds", "2.5", QEE),
    ("TimeoutSeconds", "'10'", QEE),
    ("TimeoutSeconds", "null", QEE),
    ("HeartbeatSeconds", "5", None),
    ("HeartbeatSeconds", "0", QEE),
    ("HeartbeatSeconds", "[1]", QEE),
    ("MaxConcurrency", "0", None),
    ("MaxConcurrency", "2", None),
    ("MaxConcurrency", "-1", QEE),
    ("MaxConcurrency", "1.5", QEE),
    ("MaxConcurrency", "true", QEE),
    ("ToleratedFailureCount", "0", None),
    ("ToleratedFailureCount", "-1", QEE),
    ("ToleratedFailureCount", "'1'", QEE),
    ("ToleratedFailurePercentage", "0", None),
    ("ToleratedFailurePercentage", "12.5", None),
    ("ToleratedFailurePercentage", "100", None),
    ("ToleratedFailurePercentage", "100.1", QEE),
    ("ToleratedFailurePercentage", "-1", QEE),
    ("ToleratedFailurePercentage", "'5'", QEE),
]


@pytest.mark.parametrize(("field", "expression", "error"), JSONATA_CASES)
def test_jsonata_numeric_fields(field: str, expression: str, error: str | None) -> None:
    build = _task if field in ("TimeoutSeconds", "HeartbeatSeconds") else _map
    extra = {"Items": "{% [1, 2] %}"} if build is _map else {}
    result = _run(build(True, **{field: "{% " + expression + " %}"}, **extra), {})
    if error is None:
        assert result.status == "SUCCEEDED", (result.error, result.cause)
        return
    assert (result.status, result.error) == ("FAILED", error), result.cause
    assert f"'{field}'" in str(result.cause)
    failed = next(e for e in result.events if e["type"] == "EvaluationFailed")
    assert failed["evaluationFailedEventDetails"]["location"] == field


# (field, value read through the ...Path, error or None): JSONPath
JSONPATH_CASES: list[tuple[str, Any, str | None]] = [
    ("TimeoutSeconds", 5, None),
    ("TimeoutSeconds", 0, RUNTIME),
    ("TimeoutSeconds", 1.5, RUNTIME),
    ("TimeoutSeconds", "x", RUNTIME),
    ("HeartbeatSeconds", 3, None),
    ("HeartbeatSeconds", -1, RUNTIME),
    ("MaxConcurrency", 0, None),
    ("MaxConcurrency", -1, RUNTIME),
    ("MaxConcurrency", {}, RUNTIME),
    ("ToleratedFailureCount", 1, None),
    ("ToleratedFailureCount", -1, RUNTIME),
    ("ToleratedFailurePercentage", 50.5, None),
    ("ToleratedFailurePercentage", 100.1, RUNTIME),
    ("ToleratedFailurePercentage", -1, RUNTIME),
]


@pytest.mark.parametrize(("field", "value", "error"), JSONPATH_CASES)
def test_jsonpath_numeric_paths(field: str, value: Any, error: str | None) -> None:
    build = _task if field in ("TimeoutSeconds", "HeartbeatSeconds") else _map
    extra = {"ItemsPath": "$.items"} if build is _map else {}
    result = _run(build(False, **{field + "Path": "$.v"}, **extra), {"v": value, "items": [1]})
    if error is None:
        assert result.status == "SUCCEEDED", (result.error, result.cause)
    else:
        assert (result.status, result.error) == ("FAILED", error), result.cause


def test_jsonpath_missing_path_is_states_runtime() -> None:
    result = _run(_task(False, TimeoutSecondsPath="$.nope"), {})
    assert (result.status, result.error) == ("FAILED", RUNTIME)
    assert "does not reference an input value" in str(result.cause)
