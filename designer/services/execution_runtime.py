"""Advance a Standard execution durably: load, step the engine, commit, hand over.

``execution_advance(execution_id)`` is the whole unit of work of a worker. In
one database transaction it locks the execution row, rebuilds the engine's
plain-data state, applies every signal that is due (the start, timers that
fired, task answers), carries out the effects the engine asks for, and saves
the new state with the new history events. A worker killed half-way commits
nothing: the row lock goes with its connection, and the next worker (the
message is redelivered, or the sweeper dispatches again) redoes the slice from
the last committed state, so no event is lost or recorded twice.

A slice stops after ``STATEYARD["SLICE_SECONDS"]``; the rest is dispatched
again at once. Timers are not slept on: the execution's ``wake_at`` says when
the next one is due and a continuation is dispatched for that moment.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from designer import arns
from designer.limits import limit as configured_limit
from designer.models import (
    Execution,
    ExecutionEvent,
    ExecutionStatus,
    InvocationKind,
    WorkflowType,
)
from designer.row_writes import row_update, rows_insert
from designer.runtime import task_routing
from designer.runtime.adapters import registry_for
from designer.runtime.live import publish
from designer.runtime.machines import machine_for
from designer.runtime.task_routing import (
    invocation_cancel,
    invocation_create,
    needs_background_call,
)
from designer.services.dispatcher import execution_dispatch, invocation_dispatch
from designer.services.execution_events import events_to_rows, rendered
from engine import interpreter
from engine.interpreter.data import RUNNING, from_dict, to_dict
from engine.interpreter.effects import (
    CancelTask,
    Effect,
    ExecutionTimeout,
    InvokeTask,
    Signal,
    StartMapRun,
    StopExecution,
    TaskFailed,
    TaskHeartbeat,
    TaskSucceeded,
    TimerFired,
)
from engine.interpreter.redrive import REDRIVABLE_STATUSES


@dataclass
class _Slice:
    """What one advance produced, to commit and then publish."""

    events: list[dict[str, Any]] = field(default_factory=list)
    pending: list[dict[str, Any]] = field(default_factory=list)
    invocations: list[int] = field(default_factory=list)  # background work to dispatch


def _epoch(moment: datetime | None) -> float:
    return moment.timestamp() if moment else time.time()


def _signal_to_json(signal: Signal) -> dict[str, Any]:
    if isinstance(signal, TaskSucceeded):
        return {"kind": "succeeded", "task": signal.task_id, "output": signal.output}
    if isinstance(signal, TaskFailed):
        return {
            "kind": "failed",
            "task": signal.task_id,
            "error": signal.error,
            "cause": signal.cause,
        }
    if isinstance(signal, TaskHeartbeat):
        return {"kind": "heartbeat", "task": signal.task_id}
    if isinstance(signal, StopExecution):
        return {"kind": "stop", "error": signal.error, "cause": signal.cause}
    if isinstance(signal, ExecutionTimeout):
        return {"kind": "timeout"}
    raise TypeError(signal)


def _signal_from_json(data: dict[str, Any]) -> Signal:
    kind = data["kind"]
    if kind == "succeeded":
        return TaskSucceeded(data["task"], data.get("output"))
    if kind == "failed":
        return TaskFailed(data["task"], data.get("error"), data.get("cause"))
    if kind == "heartbeat":
        return TaskHeartbeat(data["task"])
    if kind == "timeout":
        return ExecutionTimeout()
    return StopExecution(data.get("error"), data.get("cause"))


def execution_signal(execution_id: Any, signal: Signal, due: float | None = None) -> None:
    """Queue an answer for an execution (a task result, a stop) and get it applied."""
    with transaction.atomic():
        execution = Execution.objects.select_for_update().get(pk=execution_id)
        if execution.status != ExecutionStatus.RUNNING:
            return
        at = time.time() if due is None else due
        execution.pending_signals = [
            *execution.pending_signals,
            {"due": at, "signal": _signal_to_json(signal)},
        ]
        wake = datetime.fromtimestamp(at, tz=UTC)
        if execution.wake_at is None or wake < execution.wake_at:
            execution.wake_at = wake
        execution.save(update_fields=["pending_signals", "wake_at"])
        transaction.on_commit(
            lambda: execution_dispatch(execution_id, None if due is None else wake)
        )


def _next_due(state: Any, pending: list[dict[str, Any]], now: float) -> tuple[float, Signal] | None:
    """The earliest signal due at ``now``: a pending answer or a fired timer.

    A stop comes first, whatever else is due, so Stop works on any running execution.
    """
    for index, item in enumerate(pending):
        if item["signal"].get("kind") == "stop" and item["due"] <= now:
            del pending[index]
            return item["due"], _signal_from_json(item["signal"])
    best: tuple[float, Signal] | None = None
    best_index = -1
    for index, item in enumerate(pending):
        if item["due"] <= now and (best is None or item["due"] < best[0]):
            best, best_index = (item["due"], _signal_from_json(item["signal"])), index
    for timer_id, timer in state.timers.items():
        if timer.fire_at <= now and (best is None or timer.fire_at < best[0]):
            best, best_index = (timer.fire_at, TimerFired(timer_id)), -1
    if best is not None and best_index >= 0:
        del pending[best_index]
    return best


Carry = Callable[[Execution, list[Effect], Any, "_Slice", float], None]
"""What carries out a step's effects: ``_carry_out``, or the start's in-memory variant."""


def _carry_out(
    execution: Execution, effects: list[Effect], registry: Any, out: _Slice, now: float
) -> None:
    for effect in effects:
        if isinstance(effect, InvokeTask):
            if not mock_answers(effect, registry, out, now):
                _route(execution, effect, out, now)
        elif isinstance(effect, CancelTask):
            out.pending[:] = [p for p in out.pending if p["signal"].get("task") != effect.task_id]
            invocation_cancel(execution, effect.task_id)
            for cancel in task_routing.map_run_cancellers:
                cancel(execution, effect.task_id)
        elif isinstance(effect, StartMapRun):
            map_runs_start(execution, [effect])


def mock_answers(effect: InvokeTask, registry: Any, out: _Slice, now: float) -> bool:
    """Queue a mocked Task's scripted answer (no row, no call); False when it is not mocked."""
    if registry.mock is None or not registry.mock.handles(effect):
        return False
    response = registry.invoke(effect)
    signal: Signal
    if response.failed:
        signal = TaskFailed(effect.task_id, response.error, response.cause)
    else:
        signal = TaskSucceeded(effect.task_id, response.output)
    for offset in response.heartbeats:
        out.pending.append(
            {"due": now + offset, "signal": _signal_to_json(TaskHeartbeat(effect.task_id))}
        )
    out.pending.append({"due": now + response.duration, "signal": _signal_to_json(signal)})
    return True


def map_runs_start(execution: Execution, effects: list[Effect]) -> None:
    """Hand ``StartMapRun`` effects to the Map Run service (inside the caller's transaction)."""
    for effect in effects:
        if isinstance(effect, StartMapRun):
            for start_run in task_routing.map_run_starters:
                start_run(execution, effect)


def _route(execution: Execution, effect: InvokeTask, out: _Slice, now: float) -> None:
    """Work outside the engine: record it, and start what must be started."""
    invocation = invocation_create(execution, effect)
    if needs_background_call(invocation):
        out.invocations.append(invocation.pk)
    elif invocation.kind == InvocationKind.ACTIVITY and invocation.activity_id is None:
        failure = TaskFailed(
            effect.task_id, "ActivityDoesNotExist", f"No activity {effect.resource}"
        )
        out.pending.append({"due": now, "signal": _signal_to_json(failure)})
    elif invocation.kind == InvocationKind.CHILD:
        if not task_routing.child_starters:
            failure = TaskFailed(
                effect.task_id, "States.Runtime", "Child executions are not available."
            )
            out.pending.append({"due": now, "signal": _signal_to_json(failure)})
        for start_child in task_routing.child_starters:
            start_child(execution, invocation)


def _wake_at(state: Any, pending: list[dict[str, Any]]) -> datetime | None:
    times = [t.fire_at for t in state.timers.values()] + [p["due"] for p in pending]
    return datetime.fromtimestamp(min(times), tz=UTC) if times else None


def in_memory(execution: Execution) -> bool:
    """An Express execution its run holds in memory (children run durably, as Standard ones)."""
    return (
        execution.type == WorkflowType.EXPRESS
        and execution.parent_id is None
        and execution.map_run_id is None
    )


def _locked(execution_id: Any) -> Execution | None:
    """The execution, its row locked; its workflow (named in the ARNs) in the same query."""
    rows = (
        Execution.objects.select_for_update(of=("self",))
        .select_related("workflow")
        .filter(pk=execution_id)
        .order_by()[:1]
    )
    return next(iter(rows), None)


def execution_advance(execution_id: Any) -> bool:
    """Advance one execution as far as it can go now. True when more work is due at once.

    An in-memory Express execution is never advanced here: that would run its whole
    workflow again inside this transaction (``services.express_control``).
    """
    limit = float(settings.STATEYARD["SLICE_SECONDS"])
    with transaction.atomic():
        execution = _locked(execution_id)
        if execution is None or execution.status != ExecutionStatus.RUNNING:
            return False
        if in_memory(execution):
            return False
        state, out, more = slice_run(execution, limit)
        slice_save(execution, state, out, more)
        if execution.parent_id is not None and execution.status != ExecutionStatus.RUNNING:
            for child_finished in task_routing.child_finishers:
                child_finished(execution)
        if execution.map_run_id is not None and execution.status != ExecutionStatus.RUNNING:
            for run_child_finished in task_routing.map_run_finishers:
                run_child_finished(execution)
        transaction.on_commit(lambda: slice_after_commit(execution, out, more))
    return more


def slice_run(
    execution: Execution, limit: float, carry: Carry = _carry_out
) -> tuple[Any, _Slice, bool]:
    """Step the engine from the execution's saved state until it blocks, ends or uses
    ``limit`` seconds; returns (the new state, what the slice produced, more is due now).

    ``carry`` carries out the effects the engine asks for (``_carry_out``: rows and
    calls in the caller's transaction). Nothing is written to the execution itself.
    """
    machine = machine_for(execution.definition)
    state = from_dict(execution.state) if execution.state else None
    out = _Slice(pending=list(execution.pending_signals))
    registry = registry_for(execution)
    began = time.monotonic()
    now = time.time()
    if state is None:
        state = interpreter.new_execution(
            machine,
            execution.input,
            _epoch(execution.start_date),
            name=execution.name,
            execution_arn=arns.execution_arn(execution),
            state_machine_arn=arns.machine_arn(execution.workflow),
            role_arn=arns.role_arn(execution.workflow),
            max_events=configured_limit("HISTORY_MAX_EVENTS"),
        )
        state.map_runs_outside = True  # Distributed Maps run as child executions
        step = interpreter.start(machine, state, now, start_at=execution.rerun_state or None)
        out.events.extend(step.events)
        carry(execution, step.effects, registry, out, now)
    elif state.ready:  # redriven: the revived frames have not run yet
        step = interpreter.resume(machine, state, now)
        out.events.extend(step.events)
        carry(execution, step.effects, registry, out, now)
    more = False
    while state.status == RUNNING:
        now = time.time()
        due = _next_due(state, out.pending, now)
        if due is None:
            break
        step = interpreter.advance(machine, state, due[1], max(now, due[0]))
        out.events.extend(step.events)
        carry(execution, step.effects, registry, out, now)
        if time.monotonic() - began > limit:
            more = True
            break
    return state, out, more


def slice_save(execution: Execution, state: Any, out: _Slice, more: bool) -> None:
    if _forgets_history(execution, state):
        # an Express Map Run child keeps its history only when it fails, as on AWS
        if execution.event_count:
            ExecutionEvent.objects.filter(execution=execution).delete()
        out.events = []
        execution.event_count = 0
    rows_insert(events_to_rows(execution, out.events))
    slice_apply(execution, state, out, more)
    row_update(execution, _ADVANCED_FIELDS)


def slice_apply(execution: Execution, state: Any, out: _Slice, more: bool) -> None:
    """Put what a slice produced on the execution (in memory; the caller writes it)."""
    execution.event_count += len(out.events)
    execution.state = to_dict(state) if _keeps_state(execution, state) else None
    execution.pending_signals = out.pending if state.status == RUNNING else []
    execution.sequence += 1
    execution.status = state.status
    if state.status != RUNNING:
        execution.output = state.output
        execution.error = state.error
        execution.cause = state.cause
        execution.stop_date = datetime.now(tz=UTC)
        execution.wake_at = None
    else:
        execution.wake_at = datetime.now(tz=UTC) if more else _wake_at(state, out.pending)


_ADVANCED_FIELDS = (
    "event_count",
    "state",
    "pending_signals",
    "sequence",
    "status",
    "output",
    "error",
    "cause",
    "stop_date",
    "wake_at",
)
"""What an advance changes (the definition and the input are not written back)."""


def _forgets_history(execution: Execution, state: Any) -> bool:
    return (
        execution.map_run_id is not None
        and execution.type == WorkflowType.EXPRESS
        and state.status == "SUCCEEDED"
    )


def _keeps_state(execution: Execution, state: Any) -> bool:
    """A running execution's state, and a Standard one's that a redrive may resume."""
    if state.status == RUNNING:
        return True
    return execution.type == WorkflowType.STANDARD and state.status in REDRIVABLE_STATUSES


def slice_after_commit(
    execution: Execution, out: _Slice, more: bool, announce: bool = False
) -> None:
    """Publish what the slice committed and hand over what is due next.

    ``announce``: send the status even while it runs (a start: the executions list
    shows the new execution).
    """
    finished = execution.status != ExecutionStatus.RUNNING
    # a Map Run's children are not in the workflow's executions list: no status message
    listed = execution.map_run_id is None
    status = execution_status_message(execution) if (finished or announce) and listed else None
    publish(execution.pk, execution.workflow_id, rendered(out.events), status)
    for invocation_id in out.invocations:
        invocation_dispatch(invocation_id)
    if more:
        execution_dispatch(execution.pk)
    elif not finished and execution.wake_at is not None:
        execution_dispatch(execution.pk, execution.wake_at)


def execution_status_message(execution: Execution) -> dict[str, Any]:
    return {
        "id": str(execution.pk),
        "name": execution.name,
        "status": execution.status,
        "start_date": execution.start_date.isoformat() if execution.start_date else None,
        "stop_date": execution.stop_date.isoformat() if execution.stop_date else None,
    }
