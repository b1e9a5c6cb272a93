"""Task events are named as AWS names them: Task*, LambdaFunction* for function ARNs, Activity*."""

from __future__ import annotations

from typing import Any

import engine


def run(resource: str, mocks: dict[str, Any]) -> list[dict[str, Any]]:
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": resource, "TimeoutSeconds": 9, "End": True}},
    }
    return engine.run(engine.parse(definition), {"in": 1}, mocks=mocks).events


def test_function_arn_records_lambda_function_events() -> None:
    events = run("arn:aws:lambda:us-east-1:123456789012:function:f", {"T": [{"Return": 7}]})
    types = [e["type"] for e in events]
    assert types[2:5] == [
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
    ]
    scheduled = events[2]["lambdaFunctionScheduledEventDetails"]
    assert scheduled == {
        "resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
        "input": {"in": 1},
        "timeoutInSeconds": 9,
    }
    assert events[4]["lambdaFunctionSucceededEventDetails"] == {"output": 7}


def test_activity_arn_records_activity_events() -> None:
    events = run(
        "arn:aws:states:us-east-1:123456789012:activity:review",
        {"T": [{"Throw": {"Error": "No", "Cause": "rejected"}}]},
    )
    types = [e["type"] for e in events]
    assert types[2:5] == ["ActivityScheduled", "ActivityStarted", "ActivityFailed"]
    assert events[4]["activityFailedEventDetails"] == {"error": "No", "cause": "rejected"}


def test_service_integration_records_task_events() -> None:
    events = run("arn:aws:states:::lambda:invoke", {"T": [{"Return": {"Payload": 1}}]})
    types = [e["type"] for e in events]
    assert types[2:5] == ["TaskScheduled", "TaskStarted", "TaskSucceeded"]
    assert events[2]["taskScheduledEventDetails"]["resourceType"] == "lambda"
    assert events[2]["taskScheduledEventDetails"]["resource"] == "invoke"
