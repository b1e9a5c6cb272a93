"""Find work that nobody holds and dispatch it again: the durable runtime's safety net.

Every piece of work is committed with the moment it is due before anyone is
asked to do it: a Standard execution's ``wake_at`` (a start, a signal, a
timer, the rest of a slice), a worker Task's ``SCHEDULED`` invocation, or a
``STARTED`` one whose worker stopped renewing its lease. A message can still
be lost (the broker was down, a worker was killed holding it), so a periodic
sweep (Celery beat, or the embedded pool's timer) dispatches whatever is
overdue. Dispatching twice is harmless: every task is idempotent.

Knobs (``settings.STATEYARD``): ``SWEEP_GRACE_SECONDS`` (how late a Standard
execution may be before it is dispatched again) and
``EXPRESS_REDISPATCH_SECONDS`` (an asynchronous Express execution that has
not ended this long after its start is run again: at least once).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Q

from designer.models import Execution, ExecutionStatus, WorkflowType
from designer.services.dispatcher import (
    execution_dispatch,
    express_dispatch,
    invocation_dispatch,
)
from designer.services.task_invocations import invocations_overdue

BATCH = 500


def _ago(seconds: float) -> datetime:
    return datetime.fromtimestamp(time.time() - seconds, tz=UTC)


def executions_sweep(grace_seconds: float | None = None) -> int:
    """Dispatch every execution and Task call whose work is overdue; returns how many."""
    knobs = settings.STATEYARD
    grace = float(knobs["SWEEP_GRACE_SECONDS"]) if grace_seconds is None else grace_seconds
    running = Execution.objects.filter(status=ExecutionStatus.RUNNING)
    # children run durably whatever their workflow's type
    durable = running.filter(
        Q(type=WorkflowType.STANDARD) | Q(parent__isnull=False), wake_at__lte=_ago(grace)
    )
    count = 0
    for execution_id in durable.values_list("pk", flat=True)[:BATCH]:
        execution_dispatch(execution_id)
        count += 1
    express = running.filter(
        type=WorkflowType.EXPRESS,
        parent__isnull=True,
        wake_at__lte=_ago(float(knobs["EXPRESS_REDISPATCH_SECONDS"])),
    )
    for execution_id in express.values_list("pk", flat=True)[:BATCH]:
        express_dispatch(execution_id)
        count += 1
    for invocation_id in invocations_overdue():
        invocation_dispatch(invocation_id)
        count += 1
    return count
