"""Issue #13: limits on running executions through the web app and its workers.

* (2) an Express execution is bounded: 25,000 history events, 5 minutes (then TIMED_OUT);
* (4) a lone UTF-16 surrogate made at run time fails the execution (States.Runtime)
  instead of leaving it RUNNING forever; one in a start input or a SendTaskSuccess
  output is a 400; Stop works on a running execution whatever else is pending.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

from designer.models import Execution, ExecutionEvent, TaskInvocation, Team, Workflow
from designer.runtime.worker_adapters import worker_registry
from designer.services.execution_runtime import execution_advance, execution_signal
from designer.services.executions import execution_start
from designer.services.task_invocations import invocation_run
from engine.adapters import TaskResponse
from engine.interpreter.effects import InvokeTask, TaskSucceeded

pytestmark = pytest.mark.django_db

PREFIX = "arn:aws:states:::test:odd"


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def workflow(team: Team, definition: dict[str, Any], kind: str = "STANDARD") -> Workflow:
    return Workflow.objects.create(
        team=team, name=f"w{time.time_ns()}", definition=definition, type=kind
    )


def all_events_recordable(execution: Execution) -> None:
    rows = ExecutionEvent.objects.filter(execution=execution).order_by("event_id")
    assert rows.count() == execution.event_count


# --- Express bounds -----------------------------------------------------------------------------

LOOP = {
    "StartAt": "Again",
    "States": {
        "Again": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.go", "BooleanEquals": True, "Next": "Again"}],
            "Default": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}


def test_an_express_infinite_loop_stops_at_the_history_limit(
    members: dict[str, Any], team: Team, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"HISTORY_MAX_EVENTS": 2000}
    express = workflow(team, LOOP, "EXPRESS")
    url = f"/api/workflows/{express.pk}/executions/sync/"
    began = time.monotonic()
    response = client_for(members["runner"]).post(url, {"input": {"go": True}}, format="json")
    assert time.monotonic() - began < 30
    assert response.status_code == 200, response.content[:300]
    body = response.json()["execution"]
    assert body["status"] == "FAILED"
    assert body["error"] == "States.Runtime"
    assert "maximum number of history events (2000)" in body["cause"]
    execution = Execution.objects.get(workflow=express)
    assert execution.event_count == 2000  # the last one is ExecutionFailed, as on AWS
    all_events_recordable(execution)
    assert client_for(members["runner"]).get("/api/teams/").status_code == 200


def test_an_express_execution_times_out_at_its_duration_limit(
    members: dict[str, Any], team: Team, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"EXPRESS_MAX_SECONDS": 1}
    napper = {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 60, "End": True}}}
    express = workflow(team, napper, "EXPRESS")
    url = f"/api/workflows/{express.pk}/executions/sync/"
    began = time.monotonic()
    response = client_for(members["runner"]).post(url, {"input": {}}, format="json")
    assert time.monotonic() - began < 10
    assert response.status_code == 200
    body = response.json()["execution"]
    assert (body["status"], body["error"]) == ("TIMED_OUT", "States.Timeout")


# --- lone surrogates ----------------------------------------------------------------------------


class Odd:
    """An integration whose answer decodes to a lone surrogate (as an HTTP body could)."""

    def invoke(self, request: InvokeTask) -> TaskResponse:
        return TaskResponse(output=json.loads('{"name": "\\ud800"}'))


@pytest.fixture
def odd() -> Iterator[None]:
    registry = worker_registry()
    registry.register(PREFIX, Odd())
    yield
    registry.adapters.pop(PREFIX, None)


def test_a_jsonata_lone_surrogate_fails_a_standard_execution(
    members: dict[str, Any], team: Team
) -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Output": {"x": '{% $string("\\ud800") %}'}, "End": True}},
    }
    execution, _ = execution_start(members["runner"], workflow(team, definition).pk, {})
    execution_advance(execution.pk)  # raised a database error and rolled back, over and over
    execution.refresh_from_db()
    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert "'/x'" in str(execution.cause)
    all_events_recordable(execution)


def test_a_task_answer_with_a_lone_surrogate_fails_the_execution(
    members: dict[str, Any], team: Team, odd: None
) -> None:
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": PREFIX, "End": True}},
    }
    execution, _ = execution_start(members["runner"], workflow(team, definition).pk, {})
    execution_advance(execution.pk)
    invocation = TaskInvocation.objects.get(execution=execution)
    invocation_run(invocation.pk)  # what the worker does; it failed to record the answer before
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert "'/name'" in str(execution.cause)
    all_events_recordable(execution)


def test_nul_in_a_fail_cause_does_not_wedge_a_standard_execution(
    members: dict[str, Any], team: Team
) -> None:
    """A NUL made at run time broke every save of the execution (a text column)."""
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "F",
        "States": {"F": {"Type": "Fail", "Error": "E", "Cause": '{% "a\\u0000b" %}'}},
    }
    execution, _ = execution_start(members["runner"], workflow(team, definition).pk, {})
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert (execution.status, execution.cause) == ("FAILED", "a\\u0000b")


def test_a_start_input_with_a_lone_surrogate_is_a_400(members: dict[str, Any], team: Team) -> None:
    target = workflow(team, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    client = client_for(members["runner"])
    response = client.generic(
        "POST",
        f"/api/workflows/{target.pk}/executions/",
        '{"input": {"who": "\\ud800"}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["details"] == {"pointer": "/input/who"}
    assert not Execution.objects.filter(workflow=target).exists()
    ok = client.post(f"/api/workflows/{target.pk}/executions/", {"input": {}}, format="json")
    assert ok.status_code == 201


def test_send_task_success_with_a_lone_surrogate_is_a_400_and_the_task_still_waits(
    members: dict[str, Any], team: Team
) -> None:
    seen: list[InvokeTask] = []

    class Notify:
        def invoke(self, request: InvokeTask) -> TaskResponse:
            seen.append(request)
            return TaskResponse(output={})

    registry = worker_registry()
    registry.register("arn:aws:states:::test:ask", Notify())
    try:
        definition = {
            "StartAt": "Ask",
            "States": {
                "Ask": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::test:ask.waitForTaskToken",
                    "Parameters": {"token.$": "$$.Task.Token"},
                    "End": True,
                }
            },
        }
        execution, _ = execution_start(members["runner"], workflow(team, definition).pk, {})
        execution_advance(execution.pk)
        invocation_run(TaskInvocation.objects.get(execution=execution).pk)
    finally:
        registry.adapters.pop("arn:aws:states:::test:ask", None)
    token = seen[0].input["token"]
    client = client_for(members["runner"])
    bad = client.generic(
        "POST",
        "/api/tasks/success/",
        json.dumps({"taskToken": token}).replace("}", ', "output": {"v": "\\ud800"}}'),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["details"] == {"pointer": "/output/v"}
    execution.refresh_from_db()
    assert execution.status == "RUNNING"
    good = client.post(
        "/api/tasks/success/", {"taskToken": token, "output": {"v": 1}}, format="json"
    )
    assert good.status_code == 200
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert (execution.status, execution.output) == ("SUCCEEDED", {"v": 1})


def test_stop_works_whatever_else_is_pending(
    members: dict[str, Any], team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pending answer whose application breaks every advance must not make Stop a no-op."""
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": PREFIX, "End": True}},
    }
    execution, _ = execution_start(members["runner"], workflow(team, definition).pk, {})
    execution_advance(execution.pk)
    task_id = TaskInvocation.objects.get(execution=execution).task_id
    execution_signal(execution.pk, TaskSucceeded(task_id, {"x": 1}), due=time.time() - 60)

    from engine.interpreter import task as task_module

    def wedged(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("this answer breaks every advance")

    monkeypatch.setattr(task_module, "task_succeeded", wedged)
    with pytest.raises(RuntimeError):
        execution_advance(execution.pk)
    response = client_for(members["runner"]).post(
        f"/api/executions/{execution.pk}/stop/", {"error": "Stopped"}, format="json"
    )
    assert response.status_code in (200, 202), response.content[:300]
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "ABORTED"
    assert execution.error == "Stopped"


# --- TestState ----------------------------------------------------------------------------------


def _nap(event: Any, context: Any) -> Any:
    time.sleep(30)
    return {}


def _hog(event: Any, context: Any) -> Any:
    return len([bytearray(64 * 2**20) for _ in range(64)])


@pytest.fixture
def slow_functions() -> Iterator[None]:
    from engine.tasks.functions import LAMBDA_ARN_PREFIX

    functions = worker_registry().adapters[LAMBDA_ARN_PREFIX]
    functions.register("nap", _nap)  # type: ignore[attr-defined]
    functions.register("hog", _hog)  # type: ignore[attr-defined]
    yield
    functions.functions.pop("nap", None)  # type: ignore[attr-defined]
    functions.functions.pop("hog", None)  # type: ignore[attr-defined]


def test_test_state_honours_the_task_timeout(
    members: dict[str, Any], team: Team, slow_functions: None
) -> None:
    target = workflow(team, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    state = {
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:000000000000:function:nap",
        "TimeoutSeconds": 1,
        "End": True,
    }
    client = client_for(members["runner"])
    began = time.monotonic()
    response = client.post(
        "/api/test-state/", {"definition": state, "workflow": str(target.pk)}, format="json"
    )
    assert time.monotonic() - began < 8  # it took the function's 20 s before
    assert response.status_code == 200, response.content[:300]
    assert (response.json()["status"], response.json()["error"]) == ("FAILED", "States.Timeout")
    assert client.get("/api/teams/").status_code == 200


def test_test_state_caps_a_task_without_a_timeout(
    members: dict[str, Any], team: Team, slow_functions: None, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"TEST_STATE_MAX_SECONDS": 1}
    target = workflow(team, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    state = {"Type": "Task", "Resource": "arn:aws:lambda:::function:nap", "End": True}
    began = time.monotonic()
    response = client_for(members["runner"]).post(
        "/api/test-state/", {"definition": state, "workflow": str(target.pk)}, format="json"
    )
    assert time.monotonic() - began < 8
    assert response.json()["error"] == "States.Timeout"


def test_test_state_memory_hog_fails_without_harming_the_server(
    members: dict[str, Any], team: Team, slow_functions: None
) -> None:
    target = workflow(team, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    state = {"Type": "Task", "Resource": "arn:aws:lambda:::function:hog", "End": True}
    client = client_for(members["runner"])
    response = client.post(
        "/api/test-state/", {"definition": state, "workflow": str(target.pk)}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["error"]) == (
        "FAILED",
        "Runtime.OutOfMemory",
    )
    assert client.get("/api/teams/").status_code == 200


# --- Standard history ---------------------------------------------------------------------------


def test_an_inline_map_cannot_exceed_the_standard_history_limit(
    members: dict[str, Any], team: Team, settings: Any
) -> None:
    """Issue #13 (3): a Map of 100,000 items recorded 400,006 events in one transaction."""
    settings.STATEYARD_LIMITS = {"HISTORY_MAX_EVENTS": 1000}
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
    execution, _ = execution_start(
        members["runner"], workflow(team, definition).pk, list(range(600))
    )
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert execution.cause == "The execution reached the maximum number of history events (1000)."
    assert execution.event_count == 1000
    last = ExecutionEvent.objects.filter(execution=execution).order_by("-event_id").first()
    assert last is not None and last.type == "ExecutionFailed"
