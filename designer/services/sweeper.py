"""Find work that nobody holds and dispatch it again: the durable runtime's safety net.

Every piece of work is committed with the moment it is due before anyone is
asked to do it: a Standard execution's ``wake_at`` (a start, a signal, a
timer, the rest of a slice), a worker Task's ``SCHEDULED`` invocation, or a
``STARTED`` one whose worker stopped renewing its lease. A message can still
be lost (the broker was down, a worker was killed holding it), so a periodic
sweep (Celery beat, or the embedded pool's timer) dispatches whatever is
overdue. Dispatching twice is harmless: every task is idempotent. What a
sweep dispatches is held back from the next sweeps for a while (an
execution's ``wake_at`` moves on by the grace; a call's by
``CALL_START_GRACE_SECONDS``), so a backlog in the queue does not snowball.

A Standard execution still RUNNING ``STANDARD_MAX_SECONDS`` (AWS: a year) after
its start is sent an ``ExecutionTimeout`` signal: its advance ends it TIMED_OUT
with an ``ExecutionTimedOut`` event, as AWS ends it. No timer is armed for that
(a year-long ETA message would sit in every worker), and executions started
before the limit existed are ended too.

An in-memory Express execution whose run began (``services.express_control``
claims it until its deadline) is never run again: still RUNNING past its
deadline plus the grace, its run was lost (a crash, a restart) and the sweep
ends it TIMED_OUT, as AWS ends an Express execution at its deadline.

Knobs (``settings.STATEYARD``): ``SWEEP_GRACE_SECONDS`` (how late a Standard
execution may be before it is dispatched again; an Express run's deadline
gets ``EXPRESS_END_GRACE_SECONDS`` more to record its end) and
``EXPRESS_REDISPATCH_SECONDS`` (an asynchronous Express execution that no run
has begun this long after its start is run again: at least once).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from designer.limits import limit
from designer.models import Execution, ExecutionStatus, MapRun, MapRunStatus, WorkflowType
from designer.services.dispatcher import (
    execution_dispatch,
    express_dispatch,
    invocation_dispatch,
    map_run_dispatch,
)
from designer.services.execution_runtime import execution_signal
from designer.services.express_control import express_time_out
from designer.services.task_invocations import invocations_release_overdue
from engine.interpreter.effects import ExecutionTimeout

BATCH = 500
EXPRESS_END_GRACE_SECONDS = 10.0  # a run at its deadline still records its end


def _ago(seconds: float) -> datetime:
    return datetime.fromtimestamp(time.time() - seconds, tz=UTC)


def _take(overdue: QuerySet[Execution], again: float) -> list[Any]:
    """Lock the overdue executions no worker holds; look at them again in ``again`` seconds.

    Rows an advancing worker has locked are skipped (it is on them), and a
    dispatched execution is not dispatched again at every sweep while its
    message waits in the queue. Its advance sets ``wake_at`` from its state.
    """
    with transaction.atomic():
        ids = list(overdue.select_for_update(skip_locked=True).values_list("pk", flat=True)[:BATCH])
        Execution.objects.filter(pk__in=ids).update(
            wake_at=datetime.fromtimestamp(time.time() + again, tz=UTC)
        )
    return ids


def standard_time_out_overdue() -> int:
    """Signal a time-out to Standard executions older than ``STANDARD_MAX_SECONDS``."""
    oldest = _ago(limit("STANDARD_MAX_SECONDS"))
    overdue = Execution.objects.filter(
        status=ExecutionStatus.RUNNING, type=WorkflowType.STANDARD, start_date__lte=oldest
    ).values_list("pk", "pending_signals")[:BATCH]
    signalled = 0
    for execution_id, pending in overdue:
        if any(item.get("signal", {}).get("kind") == "timeout" for item in pending or ()):
            continue  # already told; its advance is on the way
        execution_signal(execution_id, ExecutionTimeout())
        signalled += 1
    return signalled


def executions_sweep(grace_seconds: float | None = None) -> int:
    """Dispatch every execution and Task call whose work is overdue, end lost Express runs;
    returns how many."""
    knobs = settings.STATEYARD
    grace = float(knobs["SWEEP_GRACE_SECONDS"]) if grace_seconds is None else grace_seconds
    express_grace = float(knobs["EXPRESS_REDISPATCH_SECONDS"])
    running = Execution.objects.filter(status=ExecutionStatus.RUNNING)
    # children run durably whatever their workflow's type
    durable = running.filter(
        Q(type=WorkflowType.STANDARD) | Q(parent__isnull=False) | Q(map_run__isnull=False),
        wake_at__lte=_ago(grace),
    )
    in_memory = running.filter(type=WorkflowType.EXPRESS, parent__isnull=True, map_run__isnull=True)
    express = in_memory.filter(lease_until__isnull=True, wake_at__lte=_ago(express_grace))
    end_grace = grace + EXPRESS_END_GRACE_SECONDS
    lost = list(in_memory.filter(lease_until__lte=_ago(end_grace)).values_list("pk", flat=True))
    timed_out = sum(express_time_out(execution_id, end_grace) for execution_id in lost[:BATCH])
    timed_out += standard_time_out_overdue()
    durable_ids = _take(durable, max(grace, 1.0))
    express_ids = _take(express, express_grace)
    invocation_ids = invocations_release_overdue()
    for execution_id in durable_ids:
        execution_dispatch(execution_id)
    for execution_id in express_ids:
        express_dispatch(execution_id)
    for invocation_id in invocation_ids:
        invocation_dispatch(invocation_id)
    map_run_ids = list(
        MapRun.objects.filter(status=MapRunStatus.RUNNING).values_list("pk", flat=True)[:BATCH]
    )
    for run_id in map_run_ids:  # a tick is cheap and idempotent: every running run gets one
        map_run_dispatch(run_id)
    total = len(durable_ids) + len(express_ids) + len(invocation_ids) + len(map_run_ids)
    return total + timed_out
