"""Child executions: a Task with ``arn:aws:states:::states:startExecution[...]``.

The runtime records the Task as a ``child`` invocation and calls
``child_start(parent, invocation)`` inside the parent's advancing transaction
(``designer.runtime.task_routing.child_starters``). The Task's Parameters (or
Arguments) are StartExecution's: ``StateMachineArn`` (a workflow of the same
team, by name: ``arn:aws:states:<region>:<account>:stateMachine:<name>``,
optionally ``:<version number>``; the account is the team's own or one of
the aliases ``designer.arns`` accepts, another team's account names nothing:
``StepFunctions.StateMachineDoesNotExistException``, as for a missing
machine), ``Input`` (JSON, or a string of JSON text) and ``Name``. What the
Task returns depends on the resource:

* ``startExecution``: at once, ``{ExecutionArn, StartDate}``;
* ``startExecution.sync``: when the child ends, its description with
  ``Input`` and ``Output`` as JSON text (as AWS does);
* ``startExecution.sync:2``: the same with ``Input`` and ``Output`` as JSON;
* ``startExecution.waitForTaskToken``: whatever is sent with the task token
  (the child usually gets it in its input from ``$$.Task.Token``).

A child that fails, times out or is aborted fails a ``.sync`` Task with
``States.TaskFailed`` and, as cause, the child's description (with its
``Error`` and ``Cause``) as JSON text. The answer is queued inside the
transaction that ends the child (``child_finished``, a
``task_routing.child_finishers`` hook), so it is never lost. Dates are epoch
milliseconds.

Children run on the durable runtime (``execution_advance``) whatever their
workflow's type, so an Express child's end reaches its parent the same way.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

import engine
from designer import arns
from designer.models import (
    NAME_RULE,
    Execution,
    ExecutionStatus,
    InvocationStatus,
    TaskInvocation,
    Workflow,
)
from designer.runtime import task_routing
from designer.runtime.live import publish
from designer.runtime.machines import machine_for
from designer.services.audit import audit_record
from designer.services.dispatcher import execution_dispatch
from designer.services.execution_runtime import execution_status_message
from designer.services.task_invocations import invocation_answer
from engine.interpreter.effects import Signal, TaskFailed, TaskSucceeded
from engine.jsonvalue import exceeds_payload_limit

START, SYNC, SYNC2, CALLBACK = "start", "sync", "sync:2", "callback"
_MODES = {"": START, ".sync": SYNC, ".sync:2": SYNC2, ".waitForTaskToken": CALLBACK}
_MACHINE_ARN = re.compile(
    r"^arn:aws:states:[^:]*:[^:]*:stateMachine:(?P<name>[^:]+)(?::(?P<qualifier>[^:]+))?$"
)
_ACTIVE = (InvocationStatus.SCHEDULED, InvocationStatus.STARTED)


class _StartFailed(Exception):
    def __init__(self, error: str, cause: str) -> None:
        super().__init__(cause)
        self.error = error
        self.cause = cause


def mode_of(resource: str) -> str | None:
    return _MODES.get(resource.removeprefix(task_routing.CHILD_PREFIX))


machine_arn = arns.machine_arn
execution_arn = arns.execution_arn


def _millis(moment: datetime | None) -> int | None:
    return int(moment.timestamp() * 1000) if moment else None


def _json_text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# ---- starting -----------------------------------------------------------------------


def child_start(parent: Execution, invocation: TaskInvocation) -> None:
    """The ``child_starters`` hook: start the Task's child (in the parent's transaction)."""
    if Execution.objects.filter(parent=parent, parent_task_id=invocation.task_id).exists():
        return  # already started for this attempt
    mode = mode_of(invocation.resource)
    try:
        if mode is None:
            raise _StartFailed("States.Runtime", f"Unsupported resource {invocation.resource}.")
        child = _create_child(parent, invocation)
    except _StartFailed as err:
        _answer_after_commit(
            parent, invocation, TaskFailed(invocation.task_id, err.error, err.cause)
        )
        return
    if mode == START:
        _answer_after_commit(parent, invocation, TaskSucceeded(invocation.task_id, started(child)))


def started(child: Execution) -> dict[str, Any]:
    """What a plain ``startExecution`` Task returns (StartExecution's response)."""
    return {"ExecutionArn": execution_arn(child), "StartDate": _millis(child.start_date)}


def _answer_after_commit(
    parent: Execution, invocation: TaskInvocation, signal: TaskSucceeded | TaskFailed
) -> None:
    # The parent's row is locked by the advance running this hook, and that advance
    # saves its own queue of answers: so answer once it has committed (the answer and
    # the invocation's end commit together; a crash before leaves the child to answer).
    invocation_id = invocation.pk
    transaction.on_commit(lambda: invocation_answer(invocation_id, signal))


def _parameters(invocation: TaskInvocation) -> tuple[str, Any, str | None]:
    params = invocation.input if isinstance(invocation.input, dict) else {}
    arn = params.get("StateMachineArn")
    if not isinstance(arn, str) or not arn:
        raise _StartFailed(
            "StepFunctions.InvalidArnException", "StateMachineArn is required (a string)."
        )
    value = params.get("Input", {})
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _StartFailed(
                "StepFunctions.InvalidExecutionInputException", "Input is not valid JSON."
            ) from None
    if exceeds_payload_limit(value):
        raise _StartFailed(
            "StepFunctions.InvalidExecutionInputException",
            "The input is larger than the 256 KiB payload quota.",
        )
    name = params.get("Name")
    if name is not None:
        try:
            NAME_RULE(name if isinstance(name, str) else "")
        except DjangoValidationError:
            raise _StartFailed(
                "StepFunctions.InvalidNameException", f"Invalid execution name: {name!r}."
            ) from None
    return arn, value, name


def _definition(parent: Execution, arn: str) -> tuple[Workflow, Any, Any]:
    match = _MACHINE_ARN.match(arn)
    parsed = arns.parse_arn(arn)
    if match is None or parsed is None:
        raise _StartFailed("StepFunctions.InvalidArnException", f"Invalid state machine ARN: {arn}")
    team_id = parent.workflow.team_id
    workflow = None
    if parsed.owned_by(team_id):  # another team's account names nothing here
        workflow = Workflow.objects.filter(team_id=team_id, name=match["name"]).first()
    if workflow is None:
        raise _StartFailed(
            "StepFunctions.StateMachineDoesNotExistException",
            f"State Machine Does Not Exist: '{arn}'",
        )
    qualifier = match["qualifier"]
    if qualifier is None:
        return workflow, workflow.definition, None
    version = (
        workflow.versions.filter(number=int(qualifier)).first() if qualifier.isdigit() else None
    )
    if version is None:
        raise _StartFailed(
            "StepFunctions.StateMachineDoesNotExistException",
            f"State Machine Does Not Exist: '{arn}'",
        )
    return workflow, version.definition, version


def _create_child(parent: Execution, invocation: TaskInvocation) -> Execution:
    arn, child_input, name = _parameters(invocation)
    workflow, definition, version = _definition(parent, arn)
    try:
        machine_for(definition)
    except engine.DefinitionError:
        raise _StartFailed(
            "StepFunctions.InvalidDefinitionException",
            f"The definition of {workflow.name} has errors.",
        ) from None
    name = name or str(uuid.uuid4())
    already = f"Execution Already Exists: '{workflow.name}:{name}'"
    if Execution.objects.filter(workflow=workflow, name=name).exists():
        raise _StartFailed("StepFunctions.ExecutionAlreadyExistsException", already)
    try:
        with transaction.atomic():  # a savepoint: a clash must not spoil the parent's advance
            child = Execution.objects.create(
                workflow=workflow,
                version=version,
                definition=definition,
                name=name,
                type=workflow.type,
                input=child_input,
                started_by=parent.started_by,
                mocks=None,
                parent=parent,
                parent_task_id=invocation.task_id,
                wake_at=datetime.now(tz=UTC),
            )
    except IntegrityError:
        raise _StartFailed("StepFunctions.ExecutionAlreadyExistsException", already) from None
    audit_record(workflow.team, parent.started_by, "execution.start", f"{workflow.name}/{name}")
    transaction.on_commit(lambda: _announce_and_dispatch(child))
    return child


def _announce_and_dispatch(child: Execution) -> None:
    publish(child.pk, child.workflow_id, [], execution_status_message(child))
    execution_dispatch(child.pk)


# ---- finishing ----------------------------------------------------------------------


def describe(child: Execution, json_values: bool) -> dict[str, Any]:
    """The child as AWS's DescribeExecution names it (what ``.sync`` Tasks return)."""

    def value(raw: Any) -> Any:
        return raw if json_values else _json_text(raw)

    data: dict[str, Any] = {
        "ExecutionArn": execution_arn(child),
        "Input": value(child.input),
        "InputDetails": {"Included": True},
        "Name": child.name,
        "StartDate": _millis(child.start_date),
        "StateMachineArn": machine_arn(child.workflow),
        "Status": child.status,
        "StopDate": _millis(child.stop_date),
    }
    if child.status == ExecutionStatus.SUCCEEDED:
        data["Output"] = value(child.output)
        data["OutputDetails"] = {"Included": True}
    if child.error is not None:
        data["Error"] = child.error
    if child.cause is not None:
        data["Cause"] = child.cause
    return dict(sorted(data.items()))


def child_finished(child: Execution) -> None:
    """The ``child_finishers`` hook: answer the parent's Task as the child ends."""
    if child.parent_id is None or child.parent_task_id is None:
        return
    invocation = TaskInvocation.objects.filter(
        execution_id=child.parent_id, task_id=child.parent_task_id, status__in=_ACTIVE
    ).first()
    if invocation is None:
        return  # answered already, timed out or cancelled
    mode = mode_of(invocation.resource)
    signal: Signal
    if mode == CALLBACK or mode is None:
        return  # the Task waits for its token, not for the child
    if mode == START:  # only when the answer sent at the start was lost
        signal = TaskSucceeded(invocation.task_id, started(child))
    elif child.status == ExecutionStatus.SUCCEEDED:
        signal = TaskSucceeded(invocation.task_id, describe(child, json_values=mode == SYNC2))
    else:
        cause = _json_text(describe(child, json_values=mode == SYNC2))
        signal = TaskFailed(invocation.task_id, "States.TaskFailed", cause)
    # the invocation's end and the parent's answer commit with the child's end
    invocation_answer(invocation.pk, signal)


# ---- links --------------------------------------------------------------------------


def _link(execution: Execution) -> dict[str, Any]:
    return {
        "id": str(execution.pk),
        "name": execution.name,
        "workflow": str(execution.workflow_id),
        "workflow_name": execution.workflow.name,
        "status": execution.status,
        "execution_arn": execution_arn(execution),
    }


def execution_links(execution: Execution) -> dict[str, Any]:
    """``parent`` (or None) and ``children`` of an execution, for its description."""
    parent = None
    if execution.parent_id is not None:
        found = Execution.objects.select_related("workflow").filter(pk=execution.parent_id).first()
        if found is not None:
            parent = {**_link(found), "task_id": execution.parent_task_id}
    states: dict[int | None, str] = dict(
        TaskInvocation.objects.filter(execution=execution, kind="child").values_list(
            "task_id", "state_name"
        )
    )
    children = [
        {**_link(child), "task_id": child.parent_task_id, "state": states.get(child.parent_task_id)}
        for child in Execution.objects.select_related("workflow")
        .filter(parent=execution)
        .order_by("start_date", "pk")
    ]
    return {"parent": parent, "children": children}


def register() -> None:
    """Plug the hooks into the runtime (once; the app calls this when it is ready)."""
    if child_start not in task_routing.child_starters:
        task_routing.child_starters.append(child_start)
    if child_finished not in task_routing.child_finishers:
        task_routing.child_finishers.append(child_finished)


register()
