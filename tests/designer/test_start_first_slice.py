"""A start runs its Standard execution's first slice itself (``execution_first_slice``).

With the production budget (``START_SLICE_SECONDS``; the rest of the suite
sets it to 0 and steps executions by hand):

* a workflow that needs no rows of its own finishes in the start: the
  execution, its whole history and the audit entry in one statement, nothing
  handed to a worker, its events and status published;
* ``$$.Execution.StartTime`` is the execution's ``start_date``;
* a Task's call is recorded in the start's transaction and handed to a call
  worker after the commit; a Wait leaves the execution due at its timer;
* a slice past the budget commits what it did and hands the rest over at once;
* a reused name: 200 while it runs, 409 once it finished (as AWS), nothing
  written twice; a slice that fails unexpectedly leaves the start to a worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from designer.api.executions import ExecutionSerializer, execution_data
from designer.models import (
    AuditEntry,
    Execution,
    ExecutionEvent,
    TaskInvocation,
    Team,
    Workflow,
    WorkflowAlias,
    WorkflowVersion,
)
from designer.services.dispatcher import dispatcher_register
from designer.services.execution_runtime import execution_advance
from designer.services.tokens import token_create

pytestmark = pytest.mark.django_db

ECHO = {
    "StartAt": "Echo",
    "States": {
        "Echo": {
            "Type": "Pass",
            "Parameters": {"seen.$": "$.n", "began.$": "$$.Execution.StartTime"},
            "End": True,
        }
    },
}
NAP = {
    "StartAt": "Nap",
    "States": {"Nap": {"Type": "Wait", "Seconds": 3600, "End": True}},
}
CALL = {
    "StartAt": "Call",
    "States": {
        "Call": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:000000000000:function:anything",
            "End": True,
        }
    },
}


def loop(size: int) -> dict[str, Any]:
    """``size`` rounds of a mocked Task: each answer is a signal the slice applies."""
    return {
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Result": 0, "ResultPath": "$.i", "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.i", "NumericGreaterThanEquals": size, "Next": "Done"}],
                "Default": "Work",
            },
            "Work": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:000000000000:function:mocked",
                "ResultPath": None,
                "Next": "Step",
            },
            "Step": {
                "Type": "Pass",
                "Parameters": {"i.$": "States.MathAdd($.i, 1)"},
                "Next": "Check",
            },
            "Done": {"Type": "Succeed"},
        },
    }


MOCKED = {"Work": [{"Return": {"ok": 1}}]}


class Recorder:
    """A dispatcher that keeps what it is asked to do."""

    def __init__(self) -> None:
        self.work: list[tuple[str, Any, Any]] = []

    def started(self, execution_id: Any, workflow_id: Any, status: dict[str, Any]) -> None:
        self.work.append(("started", str(execution_id), None))

    def execution(self, execution_id: Any, at: datetime | None = None) -> None:
        self.work.append(("execution", str(execution_id), at))

    def express(self, execution_id: Any) -> None:
        self.work.append(("express", str(execution_id), None))

    def invocation(self, invocation_id: int) -> None:
        self.work.append(("invocation", invocation_id, None))

    def map_run(self, run_id: Any, at: datetime | None = None) -> None:
        self.work.append(("map_run", str(run_id), at))

    def executions(self, execution_ids: list[Any]) -> None:
        self.work.extend(("execution", str(i), None) for i in execution_ids)

    def map_run_chunk(self, run_id: Any, token: str) -> None:
        self.work.append(("map_run_chunk", str(run_id), None))


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    recording = Recorder()
    previous = dispatcher_register(recording)
    yield recording
    dispatcher_register(previous)


@pytest.fixture(autouse=True)
def production_budget(settings: Any) -> None:
    settings.STATEYARD = {**settings.STATEYARD, "START_SLICE_SECONDS": 0.02}


@pytest.fixture
def client(runner: Any) -> APIClient:
    _, plaintext = token_create(runner, "tests")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return api


def workflow(team: Team, name: str, definition: dict[str, Any]) -> Workflow:
    return Workflow.objects.create(team=team, name=name, definition=definition)


def start(client: APIClient, flow: Workflow, **body: Any) -> Any:
    return client.post(f"/api/workflows/{flow.pk}/executions/", body, format="json")


def milliseconds(iso: str) -> str:
    """A time as ``$$.Execution.StartTime`` writes it (milliseconds, ``Z``)."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def event_types(execution_id: Any) -> list[str]:
    rows = ExecutionEvent.objects.filter(execution_id=execution_id).order_by("event_id")
    return [row.type for row in rows]


def test_a_pass_workflow_finishes_in_its_start_in_one_statement(
    team: Team, client: APIClient, recorder: Recorder, django_capture_on_commit_callbacks: Any
) -> None:
    echo = workflow(team, "echo", ECHO)
    assert start(client, echo, input={"n": 0}).status_code == 201  # warm: token, definition
    with (
        CaptureQueriesContext(connection) as context,
        mock.patch("designer.services.execution_runtime.publish") as published,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = start(client, echo, input={"n": 7})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "SUCCEEDED" and body["event_count"] == 4
    assert body["output"] == {"seen": 7, "began": milliseconds(body["start_date"])}
    writes = [q["sql"].split()[0] for q in context.captured_queries]
    writes = [verb for verb in writes if verb not in ("SAVEPOINT", "RELEASE")]  # the test's
    assert writes == ["SELECT", "WITH"]  # the role check, then every row in one statement
    assert event_types(body["id"]) == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert AuditEntry.objects.filter(action="execution.start").count() == 2
    execution = Execution.objects.get(pk=body["id"])
    assert (execution.sequence, execution.wake_at, execution.stop_date) != (0, None, None)
    assert execution.wake_at is None and execution.pending_signals == []
    assert recorder.work == []  # nothing left for a worker
    [(args, _)] = [(c.args, c.kwargs) for c in published.call_args_list]
    assert [e["type"] for e in args[2]] == event_types(body["id"])
    assert args[3]["status"] == "SUCCEEDED" and args[3]["id"] == body["id"]


def test_the_start_time_is_the_start_date(team: Team, client: APIClient) -> None:
    body = start(client, workflow(team, "echo", ECHO), input={"n": 1}).json()
    execution = Execution.objects.get(pk=body["id"])
    assert execution.output["began"] == milliseconds(execution.start_date.isoformat())


def test_a_wait_leaves_the_execution_due_at_its_timer(
    team: Team, client: APIClient, recorder: Recorder, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        body = start(client, workflow(team, "nap", NAP), input={}).json()
    execution = Execution.objects.get(pk=body["id"])
    assert execution.status == "RUNNING" and execution.wake_at is not None
    assert (execution.wake_at - execution.start_date).total_seconds() == pytest.approx(3600, 1)
    assert event_types(execution.pk) == ["ExecutionStarted", "WaitStateEntered"]
    assert recorder.work == [("execution", str(execution.pk), execution.wake_at)]


def test_a_task_call_is_recorded_in_the_start_and_handed_to_a_call_worker(
    team: Team, client: APIClient, recorder: Recorder, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, workflow(team, "call", CALL), input={"x": 1})
    assert response.status_code == 201, response.json()
    execution = Execution.objects.get(pk=response.json()["id"])
    [invocation] = TaskInvocation.objects.filter(execution=execution)
    assert execution.status == "RUNNING" and execution.sequence == 1
    assert event_types(execution.pk) == [
        "ExecutionStarted",
        "TaskStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
    ]
    assert recorder.work == [("invocation", invocation.pk, None)]
    assert AuditEntry.objects.filter(action="execution.start").count() == 1


def test_a_slice_past_the_budget_hands_the_rest_over_at_once(
    team: Team,
    client: APIClient,
    recorder: Recorder,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.STATEYARD = {**settings.STATEYARD, "START_SLICE_SECONDS": 1e-9}
    with django_capture_on_commit_callbacks(execute=True):
        body = start(client, workflow(team, "loop", loop(5)), input={}, mocks=MOCKED).json()
    execution = Execution.objects.get(pk=body["id"])
    assert execution.status == "RUNNING" and execution.event_count > 0
    assert recorder.work == [("execution", str(execution.pk), None)]
    first = execution.event_count
    while execution_advance(execution.pk):  # the worker goes on from the committed state
        pass
    execution.refresh_from_db()
    assert execution.status == "SUCCEEDED" and execution.event_count > first
    rows = ExecutionEvent.objects.filter(execution=execution)
    assert sorted(rows.values_list("event_id", flat=True)) == list(
        range(1, execution.event_count + 1)
    )
    assert [r.type for r in rows.order_by("event_id")].count("LambdaFunctionSucceeded") == 5


def test_a_long_first_slice_is_left_to_a_worker(
    team: Team,
    client: APIClient,
    recorder: Recorder,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with (
        mock.patch("designer.services.execution_first_slice.MAX_EVENTS", 10),
        django_capture_on_commit_callbacks(execute=True),
    ):
        body = start(client, workflow(team, "loop", loop(5)), input={}, mocks=MOCKED).json()
    assert body["status"] == "RUNNING" and body["event_count"] == 0
    assert recorder.work == [("started", body["id"], None)]
    execution_advance(body["id"])
    assert Execution.objects.get(pk=body["id"]).status == "SUCCEEDED"


def test_a_reused_name_runs_nothing_twice(team: Team, client: APIClient) -> None:
    nap, echo = workflow(team, "nap", NAP), workflow(team, "echo", ECHO)
    first = start(client, nap, input={"a": 1}, name="once")
    again = start(client, nap, input={"a": 1}, name="once")
    assert (first.status_code, again.status_code) == (201, 200)  # still running: the same one
    assert again.json()["id"] == first.json()["id"]
    assert event_types(first.json()["id"]) == ["ExecutionStarted", "WaitStateEntered"]
    done = start(client, echo, input={"n": 1}, name="done")
    repeat = start(client, echo, input={"n": 1}, name="done")
    assert (done.status_code, repeat.status_code) == (201, 409)  # closed: AWS's answer too
    assert len(event_types(done.json()["id"])) == 4
    assert AuditEntry.objects.filter(action="execution.start").count() == 2


def test_a_slice_that_fails_leaves_the_start_to_a_worker(
    team: Team,
    client: APIClient,
    recorder: Recorder,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    echo = workflow(team, "echo", ECHO)
    with (
        mock.patch(
            "designer.services.execution_first_slice.slice_run",
            side_effect=RuntimeError("engine bug"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = start(client, echo, input={"n": 2})
    assert response.status_code == 201
    execution = Execution.objects.get(pk=response.json()["id"])
    assert execution.status == "RUNNING" and execution.event_count == 0
    assert recorder.work == [("started", str(execution.pk), None)]
    assert "first slice of execution" in caplog.text
    execution_advance(execution.pk)  # the worker runs it as before
    execution.refresh_from_db()
    assert execution.status == "SUCCEEDED" and execution.output["seen"] == 2


def test_no_budget_leaves_every_first_slice_to_a_worker(
    team: Team,
    client: APIClient,
    recorder: Recorder,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.STATEYARD = {**settings.STATEYARD, "START_SLICE_SECONDS": 0}
    with django_capture_on_commit_callbacks(execute=True):
        body = start(client, workflow(team, "echo", ECHO), input={"n": 3}).json()
    assert body["status"] == "RUNNING" and body["event_count"] == 0
    assert recorder.work == [("started", body["id"], None)]


def test_the_start_answer_is_the_serializers(team: Team, client: APIClient, owner: Any) -> None:
    echo = workflow(team, "echo", ECHO)
    version = WorkflowVersion.objects.create(workflow=echo, number=1, definition=ECHO)
    routing = [{"version": 1, "weight": 100}]
    WorkflowAlias.objects.create(workflow=echo, name="live", routing=routing)
    finished = start(client, echo, input={"n": 1}).json()
    running = start(client, workflow(team, "nap", NAP), input={"deep": [1, {"a": None}]}).json()
    by_alias = start(client, echo, input={"n": 2}, alias="live").json()
    assert by_alias["version"] == version.number and by_alias["alias"] == "live"
    for body in (finished, running, by_alias):
        execution = Execution.objects.select_related("workflow", "version", "alias").get(
            pk=body["id"]
        )
        assert execution_data(execution) == ExecutionSerializer(execution).data
        assert body == ExecutionSerializer(execution).data
