"""Who runs an in-memory Express execution, how a Stop reaches it, and what ends an orphan.

An Express execution runs in memory from start to end
(``services.executions.express_run``) and records its history only when it
ends; it has no durable state to advance. So:

* A run claims the execution first (``express_claim``): ``lease_owner`` names
  the process, ``lease_until`` is when the run must have ended (its deadline:
  the shorter of the definition's ``TimeoutSeconds`` and ``EXPRESS_MAX_SECONDS``;
  the engine interrupts even a runaway expression there). One run at a time: a
  redelivered message finds the execution claimed (or ended) and leaves it.
* A Stop (``express_stop``) queues itself in ``pending_signals`` in one short
  transaction and dispatches nothing (an advance would run the whole workflow
  again, durably, inside a transaction). The run asks ``express_stop_probe``
  between steps, while it waits and inside long evaluations (the database at
  most every ``STOP_POLL_SECONDS``) and ends ABORTED.
* A claimed execution still RUNNING past ``lease_until`` (and a grace) lost its
  run: the process died or restarted. The sweeper ends it TIMED_OUT
  (``express_time_out``) as AWS ends an Express execution at its deadline, its
  history ``ExecutionStarted`` and ``ExecutionTimedOut``. One never claimed
  (its message was lost) is run again instead: asynchronous Express runs are
  at least once.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import DatabaseError, transaction

from designer import arns
from designer.limits import limit
from designer.models import Execution, ExecutionEvent, ExecutionStatus
from designer.runtime.live import publish
from designer.runtime.machines import machine_for
from designer.services.execution_events import events_to_rows, rendered
from designer.services.execution_runtime import execution_status_message, in_memory
from engine import errors, interpreter
from engine.history import details_key
from engine.interrupts import Stop

log = logging.getLogger(__name__)
__all__ = ["express_claim", "express_stop", "express_stop_probe", "express_time_out", "in_memory"]

STOP_POLL_SECONDS = 0.5  # how often a run asks the database whether it was stopped


def run_seconds(definition: Any) -> float:
    """How long a run of this definition may last: TimeoutSeconds or the Express cap."""
    cap = limit("EXPRESS_MAX_SECONDS")
    seconds = interpreter.time_limit(machine_for(definition).timeout_seconds, cap)
    return float(seconds or cap)


def express_claim(execution_id: Any) -> Execution | None:
    """Take the execution for one run; None when it ended or another run holds it."""
    with transaction.atomic():
        execution = (
            Execution.objects.select_for_update().select_related("workflow").get(pk=execution_id)
        )
        if execution.status != ExecutionStatus.RUNNING or execution.lease_until is not None:
            return None
        execution.lease_owner = f"{socket.gethostname()[:36]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        execution.lease_until = datetime.now(tz=UTC) + timedelta(
            seconds=run_seconds(execution.definition)
        )
        execution.save(update_fields=["lease_owner", "lease_until"])
    return execution


def express_stop(execution_id: Any, error: str | None, cause: str | None) -> None:
    """Queue a Stop for the execution's run to see (one short transaction, no dispatch)."""
    with transaction.atomic():
        execution = Execution.objects.select_for_update().get(pk=execution_id)
        if execution.status != ExecutionStatus.RUNNING:
            return
        stop = {"kind": "stop", "error": error, "cause": cause}
        execution.pending_signals = [
            *execution.pending_signals,
            {"due": time.time(), "signal": stop},
        ]
        execution.save(update_fields=["pending_signals"])


def _requested_stop(execution_id: Any) -> Stop | None:
    row = Execution.objects.filter(pk=execution_id).values("status", "pending_signals").first()
    if row is None or row["status"] != ExecutionStatus.RUNNING:
        return Stop()  # deleted, or ended by someone else: what this run records is discarded
    for item in row["pending_signals"] or []:
        signal = item.get("signal") or {}
        if signal.get("kind") == "stop":
            return Stop(signal.get("error"), signal.get("cause"))
    return None


def express_stop_probe(execution_id: Any) -> Callable[[], Stop | None]:
    """What the engine polls: the Stop once one was queued (read at most twice a second)."""
    seen: list[Stop] = []
    next_read = [time.monotonic()]

    def stopped() -> Stop | None:
        if seen:
            return seen[0]
        now = time.monotonic()
        if now < next_read[0]:
            return None
        next_read[0] = now + STOP_POLL_SECONDS
        try:
            stop = _requested_stop(execution_id)
        except DatabaseError as err:  # the run goes on; its deadline still ends it
            log.warning("could not look for a stop of execution %s: %s", execution_id, err)
            return None
        if stop is not None:
            seen.append(stop)
        return stop

    return stopped


def express_time_out(execution_id: Any, grace_seconds: float) -> bool:
    """End a claimed execution whose run is gone TIMED_OUT; True when it did."""
    now = datetime.now(tz=UTC)
    with transaction.atomic():
        execution = (
            Execution.objects.select_for_update(skip_locked=True).filter(pk=execution_id).first()
        )
        if (
            execution is None
            or execution.status != ExecutionStatus.RUNNING
            or execution.lease_until is None
            or execution.lease_until > now - timedelta(seconds=grace_seconds)
        ):
            return False
        deadline = execution.lease_until
        events = _orphan_history(execution, deadline.timestamp())
        ExecutionEvent.objects.bulk_create(events_to_rows(execution, events))
        execution.event_count = events[-1]["id"]
        execution.status = ExecutionStatus.TIMED_OUT
        execution.output = None
        execution.error = errors.TIMEOUT
        execution.cause = None
        execution.stop_date = deadline
        execution.wake_at = None
        execution.pending_signals = []
        execution.save()
        transaction.on_commit(lambda: _announce(execution, events))
    return True


def _orphan_history(execution: Execution, deadline: float) -> list[dict[str, Any]]:
    """What can be said of a run that was lost: it started, and it timed out."""
    events: list[dict[str, Any]] = []
    if execution.event_count == 0:
        events.append(
            {
                "timestamp": execution.start_date.timestamp(),
                "type": "ExecutionStarted",
                "id": 1,
                "previousEventId": 0,
                details_key("ExecutionStarted"): {
                    "input": execution.input,
                    "roleArn": arns.role_arn(execution.workflow),
                },
            }
        )
    last = execution.event_count + len(events)
    events.append(
        {
            "timestamp": deadline,
            "type": "ExecutionTimedOut",
            "id": last + 1,
            "previousEventId": last,
            details_key("ExecutionTimedOut"): {"error": errors.TIMEOUT},
        }
    )
    return events


def _announce(execution: Execution, events: list[dict[str, Any]]) -> None:
    publish(
        execution.pk, execution.workflow_id, rendered(events), execution_status_message(execution)
    )
