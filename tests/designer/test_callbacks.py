"""Callbacks: ``.waitForTaskToken`` on an integration, answered through the task-token endpoints.

No lambda/http adapter is assumed: the test registers its own integration
(``arn:aws:states:::test:notify``) in the workers' adapter registry. The
background call (``invocation_run``) is made directly, as a worker would.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.urls import include, path
from rest_framework.test import APIClient

from designer.models import Execution, InvocationStatus, TaskInvocation, Team, Workflow
from designer.runtime.worker_adapters import worker_registry
from designer.services.execution_runtime import execution_advance
from designer.services.executions import execution_start
from designer.services.task_invocations import invocation_run
from engine.adapters import TaskResponse
from engine.interpreter.effects import InvokeTask

urlpatterns = [
    path("api/", include("designer.api.urls_tasks")),
    path("", include("stateyard.urls")),
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

PREFIX = "arn:aws:states:::test:notify"


class Notify:
    """A pretend integration: records what it was asked (the token arrives in its input)."""

    def __init__(self) -> None:
        self.calls: list[InvokeTask] = []
        self.fail = False

    def invoke(self, request: InvokeTask) -> TaskResponse:
        self.calls.append(request)
        if self.fail:
            return TaskResponse(failed=True, error="Notify.Down", cause="mail server away")
        return TaskResponse(output={"sent": True})


@pytest.fixture
def notify() -> Iterator[Notify]:
    adapter = Notify()
    registry = worker_registry()
    registry.register(PREFIX, adapter)
    yield adapter
    registry.adapters.pop(PREFIX, None)


def callback(**extra: Any) -> dict[str, Any]:
    return {
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": PREFIX + ".waitForTaskToken",
                "Parameters": {"token.$": "$$.Task.Token", "who.$": "$.who"},
                **extra,
                "End": True,
            }
        },
    }


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def begin(user: Any, team: Team, definition: dict[str, Any]) -> tuple[Execution, TaskInvocation]:
    workflow = Workflow.objects.create(team=team, name="approve", definition=definition)
    execution, _ = execution_start(user, workflow.pk, {"who": "ada"})
    execution_advance(execution.pk)
    invocation = TaskInvocation.objects.get(execution=execution)
    invocation_run(invocation.pk)  # what the background worker does after the commit
    execution.refresh_from_db()
    invocation.refresh_from_db()
    return execution, invocation


def send(user: Any, kind: str, **body: Any) -> Any:
    return client_for(user).post(f"/api/tasks/{kind}/", body, format="json")


def test_the_token_comes_back_with_the_answer(
    members: dict[str, Any], team: Team, notify: Notify
) -> None:
    runner = members["runner"]
    began = time.time()
    execution, invocation = begin(runner, team, callback(TimeoutSeconds=300))
    assert invocation.kind == "callback"
    [call] = notify.calls
    assert call.resource == PREFIX  # the integration itself, without the suffix
    token = call.input["token"]
    assert call.input["who"] == "ada" and len(token) == 64
    # waiting holds no worker: the only wake-up is the Task's timeout
    assert execution.status == "RUNNING" and execution.pending_signals == []
    assert execution.wake_at is not None
    assert abs(execution.wake_at.timestamp() - (began + 300)) < 10
    assert invocation.status == InvocationStatus.STARTED and invocation.lease_until is None
    assert send(runner, "heartbeat", taskToken=token).status_code == 200
    assert send(runner, "success", taskToken=token, output={"ok": 1}).status_code == 200
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "SUCCEEDED" and execution.output == {"ok": 1}
    late = send(runner, "failure", taskToken=token, error="Late")
    assert late.status_code == 409 and late.json()["details"]["awsError"] == "TaskTimedOut"


def test_without_a_timeout_nothing_is_scheduled(
    members: dict[str, Any], team: Team, notify: Notify
) -> None:
    execution, _ = begin(members["runner"], team, callback())
    assert execution.status == "RUNNING" and execution.wake_at is None
    token = notify.calls[0].input["token"]
    send(members["owner"], "failure", taskToken=token, error="Rejected", cause="no")
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert (execution.status, execution.error, execution.cause) == ("FAILED", "Rejected", "no")


def test_a_failing_integration_fails_the_task_at_once(
    members: dict[str, Any], team: Team, notify: Notify
) -> None:
    notify.fail = True
    execution, invocation = begin(members["runner"], team, callback())
    assert invocation.status == InvocationStatus.FAILED
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "FAILED" and execution.error == "Notify.Down"


def test_heartbeat_timeout_and_late_answer(
    members: dict[str, Any], team: Team, notify: Notify
) -> None:
    runner = members["runner"]
    execution, _ = begin(runner, team, callback(HeartbeatSeconds=1))
    token = notify.calls[0].input["token"]
    assert execution.wake_at is not None
    assert execution.wake_at <= datetime.fromtimestamp(time.time() + 1.5, tz=UTC)
    time.sleep(0.6)
    assert send(runner, "heartbeat", taskToken=token).status_code == 200
    execution_advance(execution.pk)
    time.sleep(0.6)
    execution_advance(execution.pk)
    assert Execution.objects.get(pk=execution.pk).status == "RUNNING"  # the beat kept it
    time.sleep(0.6)
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "FAILED" and execution.error == "States.HeartbeatTimeout"
    late = send(runner, "success", taskToken=token, output={})
    assert late.status_code == 409 and late.json()["details"]["awsError"] == "TaskTimedOut"


def test_roles_on_the_token_endpoints(
    members: dict[str, Any], team: Team, notify: Notify, outsider: Any, other_team: Team
) -> None:
    begin(members["runner"], team, callback())
    token = notify.calls[0].input["token"]
    for kind in ("success", "failure", "heartbeat"):
        assert send(members["viewer"], kind, taskToken=token).status_code == 403
        hidden = send(outsider, kind, taskToken=token)
        assert hidden.status_code == 404
        assert hidden.json()["details"]["awsError"] == "InvalidToken"
        assert send(members["runner"], kind, taskToken="nope").status_code == 404
        assert APIClient().post(f"/api/tasks/{kind}/", {"taskToken": token}).status_code in (
            401,
            403,
        )
    assert send(members["editor"], "success", taskToken=token, output=[1]).status_code == 200
