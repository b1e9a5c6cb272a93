"""The durable runtime loses no answer and starts no call twice, driven in-process.

Faults are injected where the real ones happen: a worker "dies" (an exception
no code catches, like a SIGKILL) right before it would have signalled the
execution, or right after it committed the answer; a call worker claims a call
and vanishes; a call outlives its lease. The work is then recovered the way
production recovers it: the sweeper finds what is overdue and the recorded
dispatches are carried out, as workers would.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.urls import include, path
from rest_framework.test import APIClient

from designer.models import Execution, InvocationStatus, TaskInvocation, Team, Workflow
from designer.runtime import faults
from designer.runtime.worker_adapters import worker_registry
from designer.services import task_invocations
from designer.services.dispatcher import dispatcher_register
from designer.services.execution_runtime import execution_advance
from designer.services.executions import execution_start, express_run
from designer.services.sweeper import executions_sweep
from designer.services.task_invocations import _claim, invocation_run, invocations_overdue
from engine.adapters import TaskResponse
from engine.interpreter.effects import InvokeTask

urlpatterns = [
    path("api/", include("designer.api.urls_tasks")),
    path("", include("stateyard.urls")),
]
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]

RESOURCE = "arn:aws:states:::test:work"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "workflows"


class Killed(BaseException):
    """The process died here (nothing catches it, as nothing survives a SIGKILL)."""


class Recorder:
    """A dispatcher that keeps what it is asked to do, for the test to carry out."""

    def __init__(self) -> None:
        self.work: list[tuple[str, Any]] = []

    def started(self, execution_id: Any, workflow_id: Any, status: dict[str, Any]) -> None:
        self.work.append(("execution", execution_id))

    def execution(self, execution_id: Any, at: datetime | None = None) -> None:
        self.work.append(("execution", execution_id))

    def express(self, execution_id: Any) -> None:
        self.work.append(("express", execution_id))

    def invocation(self, invocation_id: int) -> None:
        self.work.append(("invocation", invocation_id))

    def map_run(self, run_id: Any, at: datetime | None = None) -> None:
        self.work.append(("map_run", run_id))

    def executions(self, execution_ids: list[Any]) -> None:
        self.work.extend(("execution", i) for i in execution_ids)

    def map_run_chunk(self, run_id: Any, token: str) -> None:
        self.work.append(("map_run_chunk", run_id))

    def run(self) -> int:
        """Carry out what was asked so far (one round: not what that asks in turn)."""
        batch, self.work = self.work, []
        for kind, ident in batch:
            if kind == "execution":
                execution_advance(ident)
            elif kind == "invocation":
                invocation_run(ident)
        return len(batch)


class Work:
    """A test integration: counts its calls; ``hold`` makes a call wait until released."""

    def __init__(self) -> None:
        self.calls: list[InvokeTask] = []
        self.hold: threading.Event | None = None
        self.started = threading.Event()

    def invoke(self, request: InvokeTask) -> TaskResponse:
        self.calls.append(request)
        self.started.set()
        if self.hold is not None:
            self.hold.wait(30)
        return TaskResponse(output={"done": request.input})


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    recording = Recorder()
    previous = dispatcher_register(recording)
    yield recording
    dispatcher_register(previous)


@pytest.fixture
def work() -> Iterator[Work]:
    adapter = Work()
    registry = worker_registry()
    registry.register(RESOURCE, adapter)
    yield adapter
    registry.adapters.pop(RESOURCE, None)


@pytest.fixture
def quick(settings: Any) -> None:
    settings.STATEYARD = {
        **settings.STATEYARD,
        "CALL_LEASE_SECONDS": 0.5,
        "CALL_RENEW_SECONDS": 0.1,
        "CALL_START_GRACE_SECONDS": 0.0,
    }


def one_task(**extra: Any) -> dict[str, Any]:
    return {
        "StartAt": "Work",
        "States": {"Work": {"Type": "Task", "Resource": RESOURCE, **extra, "End": True}},
    }


def begin(user: Any, team: Team, definition: dict[str, Any], value: Any = None) -> Execution:
    workflow = Workflow.objects.create(team=team, name="work", definition=definition)
    execution, _ = execution_start(user, workflow.pk, {"n": 1} if value is None else value)
    return execution


def recover(recorder: Recorder, execution: Execution, rounds: int = 200) -> Execution:
    """Sweep and carry out what is dispatched until the execution ends (or nothing is left)."""
    for _ in range(rounds):
        while recorder.run():
            pass
        execution.refresh_from_db()
        if execution.status != "RUNNING":
            return execution
        executions_sweep(grace_seconds=0)
        if not recorder.work:
            if execution.wake_at is None or execution.wake_at.timestamp() > time.time() + 10:
                return execution  # nothing will ever wake it: stuck
            time.sleep(0.05)
    return execution


def test_a_call_worker_killed_before_it_signals_loses_no_result(
    members: dict[str, Any], team: Team, recorder: Recorder, work: Work, quick: None
) -> None:
    execution = begin(members["runner"], team, one_task())
    recorder.run()  # the first advance schedules the call
    [invocation] = TaskInvocation.objects.filter(execution=execution)
    with (
        mock.patch.object(task_invocations, "execution_signal", side_effect=Killed),
        pytest.raises(Killed),
    ):
        recorder.run()  # the call is made; the worker dies before the execution hears of it
    assert len(work.calls) == 1
    time.sleep(0.6)  # its lease lapses
    execution = recover(recorder, execution)
    assert execution.status == "SUCCEEDED", (execution.status, execution.pending_signals)
    assert execution.output == {"done": {"n": 1}}
    invocation.refresh_from_db()
    assert invocation.status == InvocationStatus.SUCCEEDED


def test_a_call_worker_killed_after_recording_the_answer_is_not_called_again(
    members: dict[str, Any],
    team: Team,
    recorder: Recorder,
    work: Work,
    quick: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("STATEYARD_FAULTS", "task-answered")
    monkeypatch.setenv("STATEYARD_FAULT_DIR", str(tmp_path))
    monkeypatch.setattr(faults, "crash", mock.Mock(side_effect=Killed))
    execution = begin(members["runner"], team, one_task())
    recorder.run()
    with pytest.raises(Killed):
        recorder.run()  # answer committed, then the worker dies before dispatching
    assert [kind for kind, _ in recorder.work] == []
    assert (tmp_path / "fault-task-answered").exists()
    execution = recover(recorder, execution)
    assert execution.status == "SUCCEEDED" and execution.output == {"done": {"n": 1}}
    assert len(work.calls) == 1  # the recorded answer was used: the call was not made again


def test_send_task_success_killed_half_way_can_be_sent_again(
    members: dict[str, Any], team: Team, recorder: Recorder, work: Work
) -> None:
    runner = members["runner"]
    definition = one_task(Parameters={"token.$": "$$.Task.Token"})
    definition["States"]["Work"]["Resource"] = RESOURCE + ".waitForTaskToken"
    execution = begin(runner, team, definition)
    recorder.run()
    recorder.run()  # the integration is called with the token; the Task waits for it
    token = work.calls[0].input["token"]
    client = APIClient()
    client.force_authenticate(runner)
    with (
        mock.patch.object(task_invocations, "execution_signal", side_effect=Killed),
        pytest.raises(Killed),
    ):
        client.post("/api/tasks/success/", {"taskToken": token, "output": 1}, format="json")
    again = client.post("/api/tasks/success/", {"taskToken": token, "output": 2}, format="json")
    assert again.status_code == 200, again.content
    execution = recover(recorder, execution)
    assert execution.status == "SUCCEEDED" and execution.output == 2


def test_a_dead_call_workers_call_is_retried_once_its_short_lease_lapses(
    members: dict[str, Any], team: Team, recorder: Recorder, work: Work, quick: None
) -> None:
    execution = begin(members["runner"], team, one_task())
    recorder.run()
    recorder.work.clear()  # the call's message died with its worker...
    [invocation] = TaskInvocation.objects.filter(execution=execution)
    assert _claim(invocation.pk, "dead-worker") is not None  # ...which had claimed it
    assert invocation.pk not in invocations_overdue()
    time.sleep(0.6)  # CALL_LEASE_SECONDS, not minutes
    assert invocation.pk in invocations_overdue()
    execution = recover(recorder, execution)
    assert execution.status == "SUCCEEDED" and len(work.calls) == 1


def test_a_call_longer_than_its_lease_is_never_started_twice(
    members: dict[str, Any], team: Team, recorder: Recorder, work: Work, quick: None
) -> None:
    execution = begin(members["runner"], team, one_task())
    recorder.run()
    [(_, invocation_id)] = recorder.work
    recorder.work.clear()
    work.hold = threading.Event()

    def call_worker() -> None:
        try:
            invocation_run(invocation_id)
        finally:
            connection.close()

    first = threading.Thread(target=call_worker)
    first.start()
    try:
        assert work.started.wait(10)
        time.sleep(1.5)  # three leases long: renewed from the worker meanwhile
        assert invocation_id not in invocations_overdue()
        invocation_run(invocation_id)  # a redelivered message, a second worker
        executions_sweep(grace_seconds=0)
        assert ("invocation", invocation_id) not in recorder.work
        assert len(work.calls) == 1
    finally:
        work.hold.set()
        first.join(30)
    execution = recover(recorder, execution)
    assert execution.status == "SUCCEEDED" and len(work.calls) == 1


def test_python_functions_see_the_same_attempt_as_standard_and_express(
    members: dict[str, Any], team: Team, recorder: Recorder, quick: None
) -> None:
    import json

    definition = json.loads((EXAMPLES / "python-functions.asl.json").read_text())
    value = {
        "orderId": "o-1",
        "customer": "Ada",
        "lines": [{"sku": "a", "quantity": 2, "price": 5}],
    }
    runner = members["runner"]
    standard = begin(runner, team, definition, value)
    express_flow = Workflow.objects.create(
        team=team, name="fast", definition=definition, type="EXPRESS"
    )
    express, _ = execution_start(runner, express_flow.pk, value)
    express = express_run(express.pk)
    standard = recover(recorder, standard)
    assert express.status == "SUCCEEDED", (express.error, express.cause)
    assert standard.status == "SUCCEEDED", (standard.error, standard.cause)
    assert standard.output == express.output
    assert standard.output["stock"] == {"reserved": True, "attempts": 2}


def test_a_dispatch_the_broker_refuses_does_not_fail_the_start(
    members: dict[str, Any], team: Team, caplog: pytest.LogCaptureFixture
) -> None:
    """Redis is down: the start answers 201, and the sweeper dispatches the execution later."""
    from kombu.exceptions import OperationalError

    from designer.tasks import execution_advance_task

    workflow = Workflow.objects.create(team=team, name="p", definition=one_task())
    client = APIClient()
    client.force_authenticate(members["runner"])
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(execution_advance_task, "apply_async", side_effect=refused):
        response = client.post(
            f"/api/workflows/{workflow.pk}/executions/", {"input": {}}, format="json"
        )
    assert response.status_code == 201, response.content
    assert "could not dispatch execution" in caplog.text
    execution = Execution.objects.get(workflow=workflow)
    assert execution.status == "RUNNING" and execution.wake_at is not None
    assert execution.wake_at <= datetime.now(tz=UTC) + timedelta(seconds=1)


def test_a_database_blip_while_recording_an_answer_does_not_make_the_call_again(
    members: dict[str, Any], team: Team, recorder: Recorder, work: Work, quick: None
) -> None:
    from django.db import OperationalError

    execution = begin(members["runner"], team, one_task())
    recorder.run()
    real = task_invocations.invocation_answer
    failures = iter([OperationalError("server closed the connection unexpectedly")])

    def flaky(*args: Any) -> bool:
        for failure in failures:
            raise failure
        return real(*args)

    with mock.patch.object(task_invocations, "invocation_answer", side_effect=flaky):
        recorder.run()
    execution = recover(recorder, execution)
    assert execution.status == "SUCCEEDED" and len(work.calls) == 1


def test_the_sweeper_dispatches_each_kind_of_overdue_work_once_per_grace(
    members: dict[str, Any], team: Team, recorder: Recorder, settings: Any
) -> None:
    settings.STATEYARD = {**settings.STATEYARD, "EXPRESS_REDISPATCH_SECONDS": 60.0}
    wait = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}}
    standard = begin(members["runner"], team, wait)
    flow = Workflow.objects.create(team=team, name="fast", definition=wait, type="EXPRESS")
    express, _ = execution_start(members["runner"], flow.pk, {}, dispatch=False)
    child, _ = execution_start(members["runner"], flow.pk, {}, name="child", dispatch=False)
    Execution.objects.filter(pk=child.pk).update(parent=standard, parent_task_id=1)
    long_ago = datetime.now(tz=UTC) - timedelta(minutes=5)
    Execution.objects.filter(pk__in=[standard.pk, child.pk]).update(wake_at=long_ago)
    recorder.work.clear()
    assert executions_sweep(grace_seconds=0) == 2
    assert sorted(recorder.work) == sorted([("execution", standard.pk), ("execution", child.pk)])
    recorder.work.clear()
    assert executions_sweep(grace_seconds=0) == 0  # dispatched: held back for a while
    Execution.objects.filter(pk=express.pk).update(wake_at=long_ago - timedelta(minutes=1))
    assert executions_sweep(grace_seconds=0) == 1
    assert recorder.work == [("express", express.pk)]
