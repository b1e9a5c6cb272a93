"""Re-run from here: a new execution that starts at a state of a finished one.

``execution_rerun_from`` starts a NEW execution of the same workflow at a
top-level state of a finished execution, with the input that state received
then (its last ``<Type>StateEntered`` event in the history) or an input the
caller gives, against the execution's own definition (``target="version"``:
the version, or the draft as it was, that it ran) or the workflow's current
draft (``target="draft"``). The new execution records where it came from
(``rerun_of``, ``rerun_state``); its definition is left as it is and the
engine starts at the state (``interpreter.start(..., start_at=...)``), so the
export, the diff and the version link stay true.

A state inside a Parallel branch or a Map iteration is refused (400) with the
top-level state that holds it in ``details.enclosing_state``: re-running one
branch or one iteration alone has no place to put its result (the Parallel or
Map that would gather it is not running), so the caller re-runs the enclosing
state, whose input is in the history too.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction

import engine
from designer.errors import Conflict, ValidationFailed
from designer.models import Execution, ExecutionEvent, ExecutionStatus, WorkflowType
from designer.runtime.machines import machine_for
from designer.services.access import RUN, execution_get_for
from designer.services.audit import audit_record
from designer.services.dispatcher import execution_started, express_dispatch
from designer.services.execution_runtime import execution_status_message
from designer.services.workflow_fields import check_express
from engine.jsonvalue import exceeds_payload_limit
from engine.model import MapState, ParallelState, StateMachine

TARGETS = ("version", "draft")
NOT_GIVEN: Any = object()  # no input given: the state's input from the history


def execution_rerun_from(
    user: Any,
    execution_id: Any,
    state_name: str,
    input_value: Any = NOT_GIVEN,
    target: str = "version",
    *,
    name: str | None = None,
) -> Execution:
    """Start a new execution at ``state_name`` of a finished execution (runner role)."""
    source = execution_get_for(user, execution_id, RUN)
    if source.status == ExecutionStatus.RUNNING:
        raise Conflict("The execution is still running: re-run from a state of a finished one.")
    if target not in TARGETS:
        raise ValidationFailed("target is 'version' or 'draft'.", {"target": ["Not a target."]})
    workflow = source.workflow
    if target == "version":
        definition, version = source.definition, source.version
    else:
        definition, version = workflow.definition, None
    try:
        machine = machine_for(definition)
    except engine.DefinitionError as err:
        raise ValidationFailed(
            f"The {target}'s definition has errors; fix them before running it.",
            [d.to_dict() for d in err.diagnostics],  # type: ignore[attr-defined]
        ) from None
    _check_state(machine, state_name, target)
    if input_value is NOT_GIVEN:
        input_value = _entered_input(source, state_name)
    if exceeds_payload_limit(input_value):
        raise ValidationFailed("The input is larger than the 256 KiB payload quota.")
    check_express(workflow.type, definition)
    name = name or str(uuid.uuid4())
    try:
        with transaction.atomic():
            execution = Execution.objects.create(
                workflow=workflow,
                version=version,
                alias=None,
                definition=definition,
                name=name,
                type=workflow.type,
                input=input_value,
                started_by=user,
                mocks=source.mocks,
                wake_at=datetime.now(tz=UTC),
                rerun_of=source,
                rerun_state=state_name,
            )
            audit_record(
                workflow.team, user, "execution.rerun", f"{workflow.name}/{name}", state=state_name
            )
            transaction.on_commit(lambda: _dispatch(execution))
    except IntegrityError:
        raise Conflict(f"An execution named {name} already exists.") from None
    return execution


def _dispatch(execution: Execution) -> None:
    if execution.type == WorkflowType.STANDARD:
        execution_started(execution.pk, execution.workflow_id, execution_status_message(execution))
    else:
        express_dispatch(execution.pk)


def _check_state(machine: StateMachine, state_name: str, target: str) -> None:
    if state_name in machine.root.states:
        return
    enclosing = _enclosing(machine, state_name)
    if enclosing is not None:
        raise ValidationFailed(
            f"The state {state_name} runs inside {enclosing}: re-run from {enclosing}, "
            "the top-level state that holds it.",
            {"state": state_name, "enclosing_state": enclosing},
        )
    raise ValidationFailed(
        f"The {target}'s definition has no state {state_name}.", {"state": state_name}
    )


def _enclosing(machine: StateMachine, state_name: str) -> str | None:
    """The top-level Parallel or Map whose branches or iterations hold ``state_name``."""
    for top in machine.root.states.values():
        pending = list(_programs_of(top))
        while pending:
            program = machine.programs[pending.pop()]
            if state_name in program.states:
                return top.name
            for inner in program.states.values():
                pending.extend(_programs_of(inner))
    return None


def _programs_of(state: Any) -> tuple[str, ...]:
    if isinstance(state, ParallelState):
        return state.branches
    if isinstance(state, MapState):
        return (state.processor,)
    return ()


def _entered_input(source: Execution, state_name: str) -> Any:
    """The input of the last time the state was entered (top level: its name is unique)."""
    rows = (
        ExecutionEvent.objects.filter(execution=source, type__endswith="StateEntered")
        .order_by("-event_id")
        .only("details")
    )
    for row in rows.iterator(chunk_size=500):  # details are JSON text: matched here
        if isinstance(row.details, dict) and row.details.get("name") == state_name:
            return row.details.get("input")
    raise ValidationFailed(
        f"The state {state_name} was not entered in this execution: give an input.",
        {"state": state_name},
    )


def execution_rerun_links(execution: Execution) -> dict[str, Any]:
    """``rerun_of`` (the execution it re-runs, or None) and ``reruns`` (its own re-runs)."""
    rerun_of = None
    if execution.rerun_of_id is not None:
        found = Execution.objects.filter(pk=execution.rerun_of_id).only("id", "name", "status")
        origin = found.first()
        if origin is not None:
            rerun_of = {"id": str(origin.pk), "name": origin.name, "status": origin.status}
    reruns = [
        {"id": str(r.pk), "name": r.name, "status": r.status, "state": r.rerun_state}
        for r in Execution.objects.filter(rerun_of=execution)
        .only("id", "name", "status", "rerun_state", "start_date")
        .order_by("start_date", "pk")
    ]
    return {"rerun_of": rerun_of, "rerun_state": execution.rerun_state or None, "reruns": reruns}
