"""In-memory Express executions: a Stop dispatches nothing, a lost run ends TIMED_OUT.

* Stopping an Express execution queued the stop and dispatched a durable advance,
  which ran the whole workflow again inside a write transaction (with a runaway
  expression, for ever: SQLite's write lock was never released). The stop is now
  only queued; the run polls for it.
* An Express run lost in a restart left its execution RUNNING for ever. A run
  claims its execution until its deadline; the sweeper (embedded and Celery alike)
  ends one still RUNNING past that deadline TIMED_OUT, as AWS does, and runs again
  only one no run ever began (at least once).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection

from designer.models import Execution, ExecutionEvent, Team, Workflow
from designer.services.dispatcher import dispatcher_register
from designer.services.execution_runtime import execution_advance
from designer.services.executions import execution_start, execution_stop, express_run
from designer.services.express_control import express_claim
from designer.services.sweeper import executions_sweep

pytestmark = pytest.mark.django_db(transaction=True)

NAP = {
    "StartAt": "Nap",
    "States": {
        "Nap": {"Type": "Wait", "Seconds": 5, "Next": "Again"},
        "Again": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Nap"}],
            "Default": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}
RUNAWAY = {
    "QueryLanguage": "JSONata",
    "StartAt": "S",
    "States": {
        "S": {
            "Type": "Pass",
            "Output": "{% ($f := function($n){ $f($n+1) }; $f(0)) %}",
            "End": True,
        }
    },
}


class Recorder:
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


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    recording = Recorder()
    previous = dispatcher_register(recording)
    yield recording
    dispatcher_register(previous)


def express(user: Any, team: Team, definition: dict[str, Any]) -> Execution:
    workflow = Workflow.objects.create(
        team=team, name=f"x{time.time_ns()}", definition=definition, type="EXPRESS"
    )
    execution, _ = execution_start(user, workflow.pk, {"n": 1}, dispatch=False)
    return execution


def test_a_lost_express_run_ends_timed_out_at_the_next_sweep(
    members: dict[str, Any], team: Team, recorder: Recorder
) -> None:
    execution = express(members["runner"], team, NAP)
    assert express_claim(execution.pk) is not None  # a run began ... and its process died
    deadline = datetime.now(tz=UTC) - timedelta(minutes=10)
    Execution.objects.filter(pk=execution.pk).update(
        lease_until=deadline, wake_at=deadline - timedelta(minutes=5)
    )
    assert executions_sweep(grace_seconds=0) == 1
    execution.refresh_from_db()
    assert (execution.status, execution.error) == ("TIMED_OUT", "States.Timeout")
    assert execution.stop_date == deadline
    assert recorder.work == []  # not run again: it timed out
    events = ExecutionEvent.objects.filter(execution=execution).order_by("event_id")
    assert [(e.event_id, e.previous_event_id, e.type) for e in events] == [
        (1, 0, "ExecutionStarted"),
        (2, 1, "ExecutionTimedOut"),
    ]
    assert events[0].details["input"] == {"n": 1}
    assert events[1].details == {"error": "States.Timeout"}
    assert execution.event_count == 2
    assert executions_sweep(grace_seconds=0) == 0


def test_a_live_express_run_is_left_alone_and_not_run_twice(
    members: dict[str, Any], team: Team, recorder: Recorder
) -> None:
    execution = express(members["runner"], team, NAP)
    claimed = express_claim(execution.pk)
    assert claimed is not None and claimed.lease_until is not None
    assert claimed.lease_until > datetime.now(tz=UTC) + timedelta(minutes=4)  # its 5 minutes
    Execution.objects.filter(pk=execution.pk).update(
        wake_at=datetime.now(tz=UTC) - timedelta(hours=1)
    )
    assert executions_sweep(grace_seconds=0) == 0
    assert recorder.work == []
    assert express_run(execution.pk).status == "RUNNING"  # a redelivered message: not again
    assert ExecutionEvent.objects.filter(execution=execution).count() == 0


def test_an_express_run_nobody_began_is_still_run_again(
    members: dict[str, Any], team: Team, recorder: Recorder, settings: Any
) -> None:
    settings.STATEYARD = {**settings.STATEYARD, "EXPRESS_REDISPATCH_SECONDS": 60.0}
    execution = express(members["runner"], team, NAP)
    Execution.objects.filter(pk=execution.pk).update(
        wake_at=datetime.now(tz=UTC) - timedelta(minutes=10)
    )
    assert executions_sweep(grace_seconds=0) == 1
    assert recorder.work == [("express", execution.pk)]


def test_stopping_an_express_execution_dispatches_no_advance(
    members: dict[str, Any], team: Team, recorder: Recorder
) -> None:
    execution = express(members["runner"], team, RUNAWAY)
    recorder.work.clear()
    execution_stop(members["runner"], execution, "Halt", "enough")
    assert recorder.work == []  # was ("execution", id): a durable run of the whole workflow
    assert execution_advance(execution.pk) is False  # a stray message does not run it either
    execution.refresh_from_db()
    assert execution.status == "RUNNING" and execution.event_count == 0
    done = express_run(execution.pk)  # its run sees the stop at once
    assert (done.status, done.error, done.cause) == ("ABORTED", "Halt", "enough")
    assert done.pending_signals == []


def test_a_stop_ends_a_runaway_express_run_mid_evaluation(
    members: dict[str, Any], team: Team, recorder: Recorder, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"JSONATA_MAX_SECONDS": 600}
    execution = express(members["runner"], team, RUNAWAY)
    finished: list[Execution] = []

    def run() -> None:
        try:
            finished.append(express_run(execution.pk))
        finally:
            connection.close()

    runner = threading.Thread(target=run)
    runner.start()
    for _ in range(600):
        if Execution.objects.filter(pk=execution.pk, lease_until__isnull=False).exists():
            break
        time.sleep(0.05)
    execution_stop(members["runner"], execution, "Halt", None)
    runner.join(timeout=60)
    assert not runner.is_alive(), "the stop did not interrupt the evaluation"
    assert (finished[0].status, finished[0].error) == ("ABORTED", "Halt")
    types = ExecutionEvent.objects.filter(execution=execution).order_by("event_id")
    assert [e.type for e in types] == ["ExecutionStarted", "PassStateEntered", "ExecutionAborted"]
