"""The Wait state's rules from the guide, as data tables.

https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html:
* Seconds is an integer from 0 to 99999999; in JSONata an expression that must
  evaluate to an integer in that range.
* Timestamps follow RFC 3339 with an uppercase ``T`` and ``Z`` (or a numeric
  offset); in JSONata an expression that results in such a string.
* "Step Functions considers the time value up to seconds and truncates milliseconds."
Failures: JSONPath ``...Path`` problems are ``States.Runtime`` (as recorded:
"The SecondsPath parameter cannot be parsed as a long value"); JSONata results of
the wrong type or range are ``States.QueryEvaluationError``
(https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
"""

from __future__ import annotations

from typing import Any

import pytest

import engine
from engine.runner import DEFAULT_START  # 2023-11-14T22:13:20Z


def _wait(jsonata: bool = False, **fields: Any) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "StartAt": "W",
        "States": {"W": {"Type": "Wait", "End": True, **fields}},
    }
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    return definition


def _waited(result: engine.ExecutionResult) -> float:
    return float(result.events[-1]["timestamp"] - DEFAULT_START)


# (timestamp, seconds waited from 2023-11-14T22:13:20Z)
TIMESTAMPS: list[tuple[str, float]] = [
    ("2023-11-14T22:13:30Z", 10),
    # milliseconds (and finer) are truncated, never rounded up
    ("2023-11-14T22:13:30.999Z", 10),
    ("2023-11-14T22:13:30.5Z", 10),
    ("2023-11-14T22:13:30.123456789Z", 10),
    # a numeric offset denotes the same instant in another zone
    ("2023-11-14T23:13:30+01:00", 10),
    ("2023-11-14T17:13:30-05:00", 10),
    ("2023-11-15T03:43:30+05:30", 10),
    ("2023-11-14T23:13:30.750+01:00", 10),
    # in the past: no wait at all
    ("2000-01-01T00:00:00Z", 0),
]


@pytest.mark.parametrize(("timestamp", "seconds"), TIMESTAMPS)
def test_timestamp_forms(timestamp: str, seconds: float) -> None:
    for definition, data in (
        (_wait(Timestamp=timestamp), {}),
        (_wait(TimestampPath="$.t"), {"t": timestamp}),
        (_wait(jsonata=True, Timestamp="{% $states.input.t %}"), {"t": timestamp}),
    ):
        result = engine.run(engine.parse(definition), data)
        assert result.status == "SUCCEEDED", (result.error, result.cause)
        assert _waited(result) == seconds


INVALID_TIMESTAMPS = [
    "2023-11-14T22:13:30",  # no zone
    "2023-11-14t22:13:30z",  # lowercase
    "2023-11-14 22:13:30Z",  # space instead of T
    "2023-11-14",  # date only
    "2023-02-30T00:00:00Z",  # no such day
    "2023-11-14T24:00:00Z",  # hour 24
    "2023-11-14T22:13Z",  # no seconds
    "tomorrow",
    "",
]


@pytest.mark.parametrize("timestamp", INVALID_TIMESTAMPS)
def test_invalid_timestamp_at_run_time(timestamp: str) -> None:
    jsonpath = engine.run(engine.parse(_wait(TimestampPath="$.t")), {"t": timestamp})
    assert (jsonpath.status, jsonpath.error) == ("FAILED", "States.Runtime")
    assert "TimestampPath" in str(jsonpath.cause)
    jsonata = engine.run(
        engine.parse(_wait(jsonata=True, Timestamp="{% $states.input.t %}")), {"t": timestamp}
    )
    assert (jsonata.status, jsonata.error) == ("FAILED", "States.QueryEvaluationError")


@pytest.mark.parametrize("value", [10, 1.5, None, True, {"a": 1}])
def test_timestamp_path_to_a_non_string(value: Any) -> None:
    result = engine.run(engine.parse(_wait(TimestampPath="$.t")), {"t": value})
    assert (result.status, result.error) == ("FAILED", "States.Runtime")


# (Seconds expression result, error or None when valid)
JSONATA_SECONDS: list[tuple[str, str | None]] = [
    ("0", None),
    ("99999999", None),
    ("3.0", None),
    ("-1", "States.QueryEvaluationError"),
    ("100000000", "States.QueryEvaluationError"),
    ("1.5", "States.QueryEvaluationError"),
    ("'5'", "States.QueryEvaluationError"),
    ("null", "States.QueryEvaluationError"),
]


@pytest.mark.parametrize(("expression", "error"), JSONATA_SECONDS)
def test_jsonata_seconds_range(expression: str, error: str | None) -> None:
    definition = _wait(jsonata=True, Seconds="{% " + expression + " %}")
    result = engine.run(engine.parse(definition), {})
    if error is None:
        assert result.status == "SUCCEEDED", result.cause
    else:
        assert (result.status, result.error) == ("FAILED", error)
        assert "'Seconds'" in str(result.cause)


# (SecondsPath value, error): recorded "cannot be parsed as a long value" for 1.5
SECONDS_PATH: list[tuple[Any, str | None]] = [
    (0, None),
    (5, None),
    (1.5, "cannot be parsed as a long value"),
    ("5", "cannot be parsed as a long value"),
    (-1, "out of range"),
    (100_000_000, "out of range"),
]


@pytest.mark.parametrize(("value", "fragment"), SECONDS_PATH)
def test_seconds_path_values(value: Any, fragment: str | None) -> None:
    result = engine.run(engine.parse(_wait(SecondsPath="$.s")), {"s": value})
    if fragment is None:
        assert result.status == "SUCCEEDED"
        assert _waited(result) == value
    else:
        assert (result.status, result.error) == ("FAILED", "States.Runtime")
        assert fragment in str(result.cause)
