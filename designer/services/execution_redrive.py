"""Redrive a closed execution, as AWS's RedriveExecution does.

A FAILED, TIMED_OUT or ABORTED Standard execution that closed less than 14
days ago continues, under the same id and name, from the states that did not
succeed (``engine.interpreter.redrive``); its history goes on after an
``ExecutionRedriven`` event. ``execution_redrive_status`` answers
DescribeExecution's ``redriveStatus`` / ``redriveStatusReason`` with AWS's
reasons; ``execution_redrive`` refuses (409, ``execution_not_redrivable``)
with the same reason. The engine's state of a closed execution is what a
redrive resumes: the runtime keeps it for unsuccessful Standard executions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction

import engine
from designer.errors import Conflict, DomainError
from designer.limits import limit
from designer.models import Execution, ExecutionEvent, ExecutionStatus, WorkflowType
from designer.runtime.live import publish
from designer.runtime.machines import machine_for
from designer.services.access import RUN, execution_get_for
from designer.services.audit import audit_record
from designer.services.dispatcher import execution_dispatch
from designer.services.execution_events import events_to_rows, rendered
from designer.services.execution_runtime import execution_status_message, map_runs_start
from engine import interpreter
from engine.interpreter.data import from_dict, to_dict
from engine.interpreter.redrive import NotRedrivable

REDRIVABLE = "REDRIVABLE"
NOT_REDRIVABLE = "NOT_REDRIVABLE"
REDRIVABLE_PERIOD = timedelta(days=14)  # from the moment the execution closed
MAX_OPEN_TIME = timedelta(days=365)  # an execution's longest life, redrives included
BULK_MAX = 100


class ExecutionNotRedrivable(Conflict):
    code = "execution_not_redrivable"


def execution_redrive_status(execution: Execution, now: datetime | None = None) -> tuple[str, str]:
    """``(redriveStatus, redriveStatusReason)``; the reason is "" when it is REDRIVABLE."""
    reason = _problem(execution, now or datetime.now(tz=UTC))
    return (NOT_REDRIVABLE, reason) if reason else (REDRIVABLE, "")


def _problem(execution: Execution, now: datetime) -> str | None:
    if execution.type == WorkflowType.EXPRESS:
        return "Execution is EXPRESS and cannot be redriven."
    if execution.status == ExecutionStatus.RUNNING:
        return "Execution is RUNNING and cannot be redriven."
    if execution.status == ExecutionStatus.SUCCEEDED:
        return "Execution is SUCCEEDED and cannot be redriven."
    if execution.stop_date is not None and now - execution.stop_date > REDRIVABLE_PERIOD:
        return "Execution redrivable period exceeded."
    if execution.start_date is not None and now - execution.start_date > MAX_OPEN_TIME:
        return "Execution has exceeded the max execution time."
    if execution.event_count + 2 > limit("HISTORY_MAX_EVENTS"):
        return "Execution history event limit exceeded."
    if not isinstance(execution.state, dict):  # closed before its state was kept
        return "Execution was started before the launch of RedriveExecution."
    return None


def execution_redrive(user: Any, execution_id: Any) -> Execution:
    """RedriveExecution (runner role): the execution runs again from where it stopped."""
    found = execution_get_for(user, execution_id, RUN)
    now = datetime.now(tz=UTC)
    with transaction.atomic():
        execution = (
            Execution.objects.select_for_update().select_related("workflow").get(pk=found.pk)
        )
        events = _redrive_locked(execution, now)
        audit_record(execution.workflow.team, user, "execution.redrive", execution.name)
        transaction.on_commit(lambda: _announce(execution, events))
    return execution


def _redrive_locked(execution: Execution, now: datetime) -> list[dict[str, Any]]:
    """Redrive ``execution`` (its row locked by the caller); the events it recorded."""
    reason = _problem(execution, now)
    if reason:
        raise ExecutionNotRedrivable(reason, {"redrive_status_reason": reason})
    try:
        machine = machine_for(execution.definition)
    except engine.DefinitionError:
        reason = "The execution's definition no longer parses."
        raise ExecutionNotRedrivable(reason, {"redrive_status_reason": reason}) from None
    state = from_dict(execution.state)
    state.max_events = limit("HISTORY_MAX_EVENTS")
    try:
        step = interpreter.redrive(machine, state, now.timestamp())
    except NotRedrivable as err:
        raise ExecutionNotRedrivable(str(err), {"redrive_status_reason": str(err)}) from None
    ExecutionEvent.objects.bulk_create(events_to_rows(execution, step.events))
    execution.event_count += len(step.events)
    execution.state = to_dict(state)
    execution.status = ExecutionStatus.RUNNING
    execution.output = execution.error = execution.cause = None
    execution.stop_date = None
    execution.pending_signals = []
    execution.sequence += 1
    execution.redrive_count = int(state.context["Execution"]["RedriveCount"])
    execution.redrive_date = now
    execution.wake_at = now
    execution.save()
    map_runs_start(execution, step.effects)  # a Distributed Map's failed run goes on
    return step.events


def child_redrive(child: Execution) -> bool:
    """Redrive a Map Run's child (inside the caller's transaction); False when it cannot be."""
    now = datetime.now(tz=UTC)
    locked = Execution.objects.select_for_update().select_related("workflow").get(pk=child.pk)
    try:
        events = _redrive_locked(locked, now)
    except ExecutionNotRedrivable:
        return False
    transaction.on_commit(lambda: _announce(locked, events))
    return True


def _announce(execution: Execution, events: list[dict[str, Any]]) -> None:
    publish(
        execution.pk, execution.workflow_id, rendered(events), execution_status_message(execution)
    )
    execution_dispatch(execution.pk)


def executions_redrive(user: Any, execution_ids: list[Any]) -> list[dict[str, Any]]:
    """Redrive each execution on its own; one outcome per id, in order.

    ``{"id", "redriven": true, "redrive_count"}`` or ``{"id", "redriven": false,
    "code", "message"}`` (the code and message the single redrive would answer).
    """
    outcomes: list[dict[str, Any]] = []
    for execution_id in execution_ids:
        try:
            execution = execution_redrive(user, execution_id)
        except DomainError as err:
            outcomes.append(
                {
                    "id": str(execution_id),
                    "redriven": False,
                    "code": err.code,
                    "message": err.message,
                }
            )
        else:
            outcomes.append(
                {
                    "id": str(execution.pk),
                    "redriven": True,
                    "redrive_count": execution.redrive_count,
                }
            )
    return outcomes
