"""Carry out background task work and accept answers sent with a task token.

``invocation_run`` is what a worker does for an HTTP call or a Python function:
claim the invocation, call the adapter outside any transaction, and signal the
answer to the execution. ``task_send_success`` / ``task_send_failure`` /
``task_send_heartbeat`` are AWS's SendTask* calls: the token proves which task
attempt is answered, and the caller must be allowed to run the execution's
workflow.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction

from designer.errors import Conflict, NotFound, ValidationFailed
from designer.models import InvocationKind, InvocationStatus, TaskInvocation
from designer.runtime.task_routing import invocation_request, token_hash
from designer.runtime.worker_adapters import worker_registry
from designer.services.access import RUN, workflow_get_for
from designer.services.connections import team_scope
from designer.services.execution_runtime import execution_signal
from engine.interpreter.effects import TaskFailed, TaskHeartbeat, TaskSucceeded
from engine.jsonvalue import exceeds_payload_limit

LEASE = timedelta(minutes=5)
ACTIVE = (InvocationStatus.SCHEDULED, InvocationStatus.STARTED)


def _claim(invocation_id: int) -> TaskInvocation | None:
    with transaction.atomic():
        invocation = TaskInvocation.objects.select_for_update().filter(pk=invocation_id).first()
        now = datetime.now(tz=UTC)
        if invocation is None or invocation.status not in ACTIVE:
            return None
        if invocation.lease_until is not None and invocation.lease_until > now:
            return None  # another worker has it
        invocation.status = InvocationStatus.STARTED
        invocation.started_at = invocation.started_at or now
        invocation.lease_until = now + LEASE
        invocation.save(update_fields=["status", "started_at", "lease_until"])
        return invocation


def invocation_run(invocation_id: int) -> None:
    """Call the integration of a worker or callback Task and signal what it answered."""
    invocation = _claim(invocation_id)
    if invocation is None:
        return
    team_id = invocation.execution.workflow.team_id
    with team_scope(team_id):
        response = worker_registry().invoke(invocation_request(invocation))
    if invocation.kind == InvocationKind.CALLBACK and not response.failed:
        TaskInvocation.objects.filter(pk=invocation.pk).update(lease_until=None)
        return  # the Task now waits for its token
    _finish(invocation, not response.failed)
    signal = (
        TaskFailed(invocation.task_id, response.error, response.cause)
        if response.failed
        else TaskSucceeded(invocation.task_id, response.output)
    )
    execution_signal(invocation.execution_id, signal)


def _finish(invocation: TaskInvocation, succeeded: bool) -> None:
    TaskInvocation.objects.filter(pk=invocation.pk, status__in=ACTIVE).update(
        status=InvocationStatus.SUCCEEDED if succeeded else InvocationStatus.FAILED,
        finished_at=datetime.now(tz=UTC),
        lease_until=None,
    )


def _by_token(user: Any, token: str) -> TaskInvocation:
    if not isinstance(token, str) or not token:
        raise ValidationFailed("taskToken is required.")
    invocation = (
        TaskInvocation.objects.select_related("execution")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invocation is None:
        raise NotFound("Invalid task token.", {"awsError": "InvalidToken"})
    workflow_get_for(user, invocation.execution.workflow_id, RUN)
    if invocation.status not in ACTIVE:
        raise Conflict("The task has already finished or timed out.", {"awsError": "TaskTimedOut"})
    return invocation


def task_send_success(user: Any, token: str, output: Any) -> None:
    invocation = _by_token(user, token)
    if exceeds_payload_limit(output):
        raise ValidationFailed("The output is larger than the 256 KiB payload quota.")
    _finish(invocation, True)
    execution_signal(invocation.execution_id, TaskSucceeded(invocation.task_id, output))


def task_send_failure(user: Any, token: str, error: str | None, cause: str | None) -> None:
    invocation = _by_token(user, token)
    _finish(invocation, False)
    execution_signal(invocation.execution_id, TaskFailed(invocation.task_id, error, cause))


def task_send_heartbeat(user: Any, token: str) -> None:
    invocation = _by_token(user, token)
    execution_signal(invocation.execution_id, TaskHeartbeat(invocation.task_id))


def invocations_overdue() -> list[int]:
    """Worker invocations whose worker vanished (lease over) or never started."""
    now = datetime.now(tz=UTC)
    stale = TaskInvocation.objects.filter(
        kind__in=[InvocationKind.WORKER, InvocationKind.CALLBACK],
        status=InvocationStatus.STARTED,
        lease_until__lt=now,
    ) | TaskInvocation.objects.filter(
        kind__in=[InvocationKind.WORKER, InvocationKind.CALLBACK],
        status=InvocationStatus.SCHEDULED,
        created_at__lt=now - timedelta(seconds=30),
    )
    return list(stale.values_list("pk", flat=True)[:500])
