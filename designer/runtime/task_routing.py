"""Where a Task's work goes in the durable runtime.

Inside the advancing transaction each ``InvokeTask`` effect becomes either an
inline answer (scripted mocks) or a ``TaskInvocation`` row:

* ``worker``: HTTP calls and Python functions run in a background task after
  the commit (never inside the transaction), which signals the answer back;
* ``activity``: handed to activity workers polling ``GetActivityTask``;
* ``callback``: ``.waitForTaskToken``: the integration is called in the
  background, and the Task waits for ``SendTaskSuccess``/``Failure`` with its token;
* ``child``: ``states:startExecution``: a child execution (see ``child_executions``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from designer.models import (
    Activity,
    Execution,
    InvocationKind,
    InvocationStatus,
    TaskInvocation,
)
from engine.interpreter.effects import InvokeTask

CALLBACK_SUFFIX = ".waitForTaskToken"
ACTIVITY_ARN = re.compile(r"^arn:aws:states:[^:]*:[^:]*:activity:(?P<name>.+)$")
CHILD_PREFIX = "arn:aws:states:::states:startExecution"

# Hooks the task kinds register (kept here so the runtime does not import them all).
child_starters: list[Callable[[Execution, TaskInvocation], None]] = []
# Called with a child execution (``parent`` set) that has just ended, inside the
# transaction that ends it, so the parent's answer commits with the child's end.
child_finishers: list[Callable[[Execution], None]] = []
# Distributed Map runs (``services.map_runs``): start (or redrive) a run for a
# ``StartMapRun`` effect, cancel one (the parent's ``CancelTask`` of its id), and hear
# that a run's child ended (inside the transaction that ends it).
map_run_starters: list[Callable[[Execution, Any], None]] = []
map_run_cancellers: list[Callable[[Execution, int], None]] = []
map_run_finishers: list[Callable[[Execution], None]] = []


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def kind_of(resource: str) -> str:
    if resource.startswith(CHILD_PREFIX):
        return InvocationKind.CHILD
    if ACTIVITY_ARN.match(resource):
        return InvocationKind.ACTIVITY
    if resource.endswith(CALLBACK_SUFFIX):
        return InvocationKind.CALLBACK
    return InvocationKind.WORKER


def activity_for(execution: Execution, resource: str) -> Activity | None:
    match = ACTIVITY_ARN.match(resource)
    if match is None:
        return None
    return Activity.objects.filter(team_id=execution.workflow.team_id, name=match["name"]).first()


def invocation_create(execution: Execution, effect: InvokeTask) -> TaskInvocation:
    """Record the work (idempotent per execution and task id)."""
    kind = kind_of(effect.resource)
    invocation, _ = TaskInvocation.objects.get_or_create(
        execution=execution,
        task_id=effect.task_id,
        defaults={
            "state_name": effect.state_name,
            "resource": effect.resource,
            "kind": kind,
            "input": effect.input,
            "context": effect.context,
            "token_hash": token_hash(effect.token),
            "activity": activity_for(execution, effect.resource)
            if kind == InvocationKind.ACTIVITY
            else None,
            "timeout_seconds": effect.timeout_seconds,
            "heartbeat_seconds": effect.heartbeat_seconds,
        },
    )
    return invocation


def invocation_cancel(execution: Execution, task_id: int) -> None:
    TaskInvocation.objects.filter(
        execution=execution,
        task_id=task_id,
        status__in=[InvocationStatus.SCHEDULED, InvocationStatus.STARTED],
    ).update(status=InvocationStatus.CANCELLED)


def needs_background_call(invocation: TaskInvocation) -> bool:
    return invocation.kind in (InvocationKind.WORKER, InvocationKind.CALLBACK)


def underlying_resource(resource: str) -> str:
    """The integration a callback Task calls: the resource without ``.waitForTaskToken``."""
    return resource.removesuffix(CALLBACK_SUFFIX)


def attempt_of(context: Any) -> int:
    """The Task's retry count (``$$.State.RetryCount``), as the engine gave it the attempt."""
    state = context.get("State") if isinstance(context, dict) else None
    count = state.get("RetryCount") if isinstance(state, dict) else None
    return count if isinstance(count, int) and not isinstance(count, bool) else 0


def invocation_request(invocation: TaskInvocation, token: str = "") -> Any:
    """The engine's InvokeTask for a stored invocation (for the adapters).

    The attempt comes back from the stored context object: the engine sets both
    from the same retry counter, so a Python function sees the same
    ``context.attempt`` in a worker as in an Express run.
    """
    return InvokeTask(
        task_id=invocation.task_id,
        resource=underlying_resource(invocation.resource),
        input=invocation.input,
        state_name=invocation.state_name,
        context=invocation.context or {},
        timeout_seconds=invocation.timeout_seconds,
        heartbeat_seconds=invocation.heartbeat_seconds,
        attempt=attempt_of(invocation.context),
        token=token,
    )
