"""Carry out background task work and accept answers sent with a task token.

``invocation_run`` is what a worker does for an HTTP call or a Python function:
claim the invocation, call the adapter outside any transaction, and record the
answer. ``task_send_success`` / ``task_send_failure`` / ``task_send_heartbeat``
are AWS's SendTask* calls: the token proves which task attempt is answered,
and the caller must be allowed to run the execution's workflow.

Answers are never lost: ``invocation_answer`` marks the invocation finished
and queues the answer on its execution (``pending_signals``, ``wake_at``) in
one transaction. Whoever dies after that commit, the execution's ``wake_at``
is due and the sweeper advances it.

Leases: a worker's claim on a call lasts ``STATEYARD["CALL_LEASE_SECONDS"]``
and a thread renews it every ``CALL_RENEW_SECONDS`` while the call runs. So a
long call is never started a second time, and the call of a worker that died
is dispatched again by the sweeper as soon as its lease lapses.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q

from designer.errors import Conflict, NotFound, ValidationFailed
from designer.models import (
    Execution,
    ExecutionStatus,
    InvocationKind,
    InvocationStatus,
    TaskInvocation,
)
from designer.runtime.faults import fault_point
from designer.runtime.task_routing import invocation_request, token_hash
from designer.runtime.worker_adapters import worker_registry
from designer.services.access import RUN, workflow_get_for
from designer.services.connections import team_scope
from designer.services.execution_runtime import execution_signal
from engine.interpreter.effects import Signal, TaskFailed, TaskHeartbeat, TaskSucceeded
from engine.jsonvalue import exceeds_payload_limit

log = logging.getLogger(__name__)

ACTIVE = (InvocationStatus.SCHEDULED, InvocationStatus.STARTED)
BACKGROUND = (InvocationKind.WORKER, InvocationKind.CALLBACK)
ANSWER_RETRY_SECONDS = 60.0  # how long a call's answer waits for the database
RELEASE_HOLD_MAX_SECONDS = 60.0  # the longest a released call waits for its next sweep


def _seconds(knob: str) -> float:
    return float(settings.STATEYARD[knob])


def _owner() -> str:
    """Who holds a claim: this host, process and call (kept in ``worker_name``)."""
    return f"{socket.gethostname()[:48]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _claim(invocation_id: int, owner: str) -> TaskInvocation | None:
    with transaction.atomic():
        invocation = (
            TaskInvocation.objects.select_for_update(of=("self",))
            .select_related("execution")
            .filter(pk=invocation_id)
            .first()
        )
        now = datetime.now(tz=UTC)
        if invocation is None or invocation.status not in ACTIVE:
            return None
        if invocation.status == InvocationStatus.STARTED:
            if invocation.lease_until is None:
                return None  # a callback whose call was made: it waits for its token
            if invocation.lease_until > now:
                return None  # another worker holds it
        if invocation.execution.status != ExecutionStatus.RUNNING:
            invocation.status = InvocationStatus.CANCELLED
            invocation.save(update_fields=["status"])
            return None
        invocation.status = InvocationStatus.STARTED
        invocation.started_at = invocation.started_at or now
        invocation.lease_until = now + timedelta(seconds=_seconds("CALL_LEASE_SECONDS"))
        invocation.worker_name = owner
        invocation.save(update_fields=["status", "started_at", "lease_until", "worker_name"])
        return invocation


class _Lease:
    """Renew a claim from a thread while the call runs; stop when told or when it is lost."""

    def __init__(self, invocation_id: int, owner: str) -> None:
        self.invocation_id = invocation_id
        self.owner = owner
        self.renewals = 0
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._run, daemon=True, name=f"lease-{invocation_id}"
        )

    def __enter__(self) -> _Lease:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        every = _seconds("CALL_RENEW_SECONDS")
        try:
            while not self._done.wait(every):
                try:
                    if not self._renew():
                        return  # answered, cancelled or taken over: nothing to keep
                except DatabaseError as err:  # the database is away: try again next time
                    log.warning("could not renew lease %s: %s", self.invocation_id, err)
                finally:
                    connection.close()  # held for a moment, not for the whole call
        finally:
            connection.close()

    def _renew(self) -> bool:
        until = datetime.now(tz=UTC) + timedelta(seconds=_seconds("CALL_LEASE_SECONDS"))
        kept = TaskInvocation.objects.filter(
            pk=self.invocation_id, status=InvocationStatus.STARTED, worker_name=self.owner
        ).update(lease_until=until)
        self.renewals += kept
        return bool(kept)


def invocation_run(invocation_id: int) -> None:
    """Call the integration of a worker or callback Task and record what it answered."""
    owner = _owner()
    invocation = _claim(invocation_id, owner)
    if invocation is None:
        return
    team_id = invocation.execution.workflow.team_id
    if not connection.in_atomic_block:
        connection.close()  # a call may last minutes: hold no database connection meanwhile
    with _Lease(invocation.pk, owner), team_scope(team_id):
        response = worker_registry().invoke(invocation_request(invocation))
    if invocation.kind == InvocationKind.CALLBACK and not response.failed:
        TaskInvocation.objects.filter(pk=invocation.pk, worker_name=owner).update(lease_until=None)
        return  # the Task now waits for its token
    signal = (
        TaskFailed(invocation.task_id, response.error, response.cause)
        if response.failed
        else TaskSucceeded(invocation.task_id, response.output)
    )
    _record(invocation.pk, signal)


def _record(invocation_id: int, signal: TaskSucceeded | TaskFailed) -> None:
    """Record a call's answer, riding out a short database outage (new connection each try).

    The call was made and cannot be taken back: giving up would make it again
    once the lease lapses. After ``ANSWER_RETRY_SECONDS`` the error propagates.
    """
    deadline = time.monotonic() + ANSWER_RETRY_SECONDS
    pause = 0.2
    while True:
        try:
            invocation_answer(invocation_id, signal)
            return
        except (OperationalError, InterfaceError) as err:
            if time.monotonic() + pause > deadline:
                raise
            log.warning("could not record invocation %s (retrying): %s", invocation_id, err)
            connection.close()
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def invocation_answer(invocation_id: int, signal: TaskSucceeded | TaskFailed) -> bool:
    """Finish an invocation and queue its answer for the execution, in one transaction.

    False (and nothing changes) when the invocation was no longer waiting: answered
    already, timed out or cancelled. The first answer wins.
    """
    found = TaskInvocation.objects.filter(pk=invocation_id)
    execution_id = found.values_list("execution_id", flat=True).first()
    if execution_id is None:
        return False
    with transaction.atomic():
        # lock order as in the advance: the execution's row, then its invocation
        Execution.objects.select_for_update().filter(pk=execution_id).values_list("pk").first()
        finished = TaskInvocation.objects.filter(pk=invocation_id, status__in=ACTIVE).update(
            status=InvocationStatus.SUCCEEDED
            if isinstance(signal, TaskSucceeded)
            else InvocationStatus.FAILED,
            finished_at=datetime.now(tz=UTC),
            lease_until=None,
        )
        if not finished:
            return False
        transaction.on_commit(lambda: fault_point("task-answered"))  # before the dispatch
        execution_signal(execution_id, signal)
    return True


def _by_token(user: Any, token: str, team_id: int | None = None) -> TaskInvocation:
    """The invocation a token answers; with ``team_id``, only one of that team's executions
    (an AWS access key acts in its own team only, whatever other teams its user is in)."""
    if not isinstance(token, str) or not token:
        raise ValidationFailed("taskToken is required.")
    invocation = (
        TaskInvocation.objects.select_related("execution")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invocation is None or team_id not in (None, invocation.execution.team_id):
        raise NotFound("Invalid task token.", {"awsError": "InvalidToken"})
    workflow_get_for(user, invocation.execution.workflow_id, RUN)
    if invocation.status not in ACTIVE:
        raise _timed_out()
    return invocation


def _timed_out() -> Conflict:
    return Conflict("The task has already finished or timed out.", {"awsError": "TaskTimedOut"})


def _answer(invocation: TaskInvocation, signal: TaskSucceeded | TaskFailed) -> None:
    if not invocation_answer(invocation.pk, signal):
        raise _timed_out()


def task_send_success(user: Any, token: str, output: Any, team_id: int | None = None) -> None:
    invocation = _by_token(user, token, team_id)
    if exceeds_payload_limit(output):
        raise ValidationFailed("The output is larger than the 256 KiB payload quota.")
    _answer(invocation, TaskSucceeded(invocation.task_id, output))


def task_send_failure(
    user: Any, token: str, error: str | None, cause: str | None, team_id: int | None = None
) -> None:
    invocation = _by_token(user, token, team_id)
    _answer(invocation, TaskFailed(invocation.task_id, error, cause))


def task_send_heartbeat(user: Any, token: str, team_id: int | None = None) -> None:
    invocation = _by_token(user, token, team_id)
    signal: Signal = TaskHeartbeat(invocation.task_id)
    execution_signal(invocation.execution_id, signal)


def _overdue(now: datetime) -> Any:
    grace = timedelta(seconds=_seconds("CALL_START_GRACE_SECONDS"))
    background = TaskInvocation.objects.filter(kind__in=BACKGROUND)
    lapsed = background.filter(status=InvocationStatus.STARTED, lease_until__lt=now)
    # a SCHEDULED call's lease_until is when the sweeper may dispatch it again
    unclaimed = background.filter(status=InvocationStatus.SCHEDULED).filter(
        Q(lease_until__isnull=True, created_at__lt=now - grace) | Q(lease_until__lt=now)
    )
    return lapsed | unclaimed


def invocations_overdue() -> list[int]:
    """Background calls whose worker vanished (lease lapsed) or that never started."""
    return list(_overdue(datetime.now(tz=UTC)).values_list("pk", flat=True)[:500])


def invocations_release_overdue() -> list[int]:
    """Take back the overdue calls for dispatching again (the sweeper's part).

    Each is SCHEDULED again, free for any worker to claim, and held back from
    the next sweeps while its new message waits in the queue: for
    ``CALL_START_GRACE_SECONDS``, or half its age when that is longer (at most
    ``RELEASE_HOLD_MAX_SECONDS``), so a call stuck behind a long queue is
    dispatched again a few times, not at every sweep.
    """
    now = datetime.now(tz=UTC)
    grace = _seconds("CALL_START_GRACE_SECONDS")
    with transaction.atomic():
        overdue = _overdue(now).select_for_update(skip_locked=True)
        rows = list(overdue.values_list("pk", "created_at")[:500])
        for pk, created_at in rows:
            age = (now - created_at).total_seconds()
            hold = max(grace, min(age / 2, RELEASE_HOLD_MAX_SECONDS))
            TaskInvocation.objects.filter(pk=pk, status__in=ACTIVE).update(
                status=InvocationStatus.SCHEDULED,
                worker_name="",
                lease_until=now + timedelta(seconds=hold),
            )
    return [pk for pk, _ in rows]
