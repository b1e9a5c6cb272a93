"""Start, stop and run executions, as AWS's StartExecution / StopExecution / StartSyncExecution do.

Standard executions are durable: starting one runs its first slice
(``execution_first_slice``: until it waits, ends or uses a few milliseconds)
and stores it with its history and the audit entry in one statement; what is
left is committed as due and handed to the dispatcher port after the commit
(the sweeper covers a process that dies in between). A start costs one query
for the workflow and the caller's role and one statement for the rows; the
definition's validity is remembered per workflow revision or published
version, so it is not parsed again on every start. Express executions run in
memory from start to end (in the web process for a synchronous start, in a
worker otherwise) and record their history when they finish.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

import engine
from designer import arns
from designer.errors import Conflict, NotFound, ValidationFailed
from designer.limits import limit
from designer.models import (
    AuditEntry,
    Execution,
    ExecutionEvent,
    ExecutionStatus,
    Workflow,
    WorkflowAlias,
    WorkflowType,
    WorkflowVersion,
)
from designer.row_writes import rows_insert_together
from designer.runtime.adapters import registry_for
from designer.runtime.live import publish
from designer.runtime.machines import machine_for
from designer.services.access import RUN, workflow_get_for, workflow_get_to_run
from designer.services.aliases import alias_route
from designer.services.audit import audit_entry, audit_record
from designer.services.connections import team_scope
from designer.services.dispatcher import execution_started, express_dispatch
from designer.services.execution_events import events_to_rows, rendered
from designer.services.execution_first_slice import (
    execution_insert_advanced,
    start_slice_seconds,
)
from designer.services.execution_runtime import (
    execution_signal,
    execution_status_message,
)
from designer.services.express_control import (
    express_claim,
    express_stop,
    express_stop_probe,
    in_memory,
)
from designer.services.workflow_fields import check_express
from engine.interpreter.effects import StopExecution
from engine.jsonvalue import input_too_large


def _definition_for(workflow: Workflow, version: int | None) -> tuple[Any, WorkflowVersion | None]:
    if version is None:
        return workflow.definition, None
    found = workflow.versions.filter(number=version).first()
    if found is None:
        raise NotFound(f"Workflow {workflow.name} has no version {version}.")
    return found.definition, found


def _alias_for(
    workflow: Workflow, alias: str | None, version: int | None
) -> tuple[WorkflowAlias | None, int | None]:
    if alias is None:
        return None, version
    if version is not None:
        raise ValidationFailed(
            "Start by version or by alias, not both.", {"alias": ["Not with a version."]}
        )
    return alias_route(workflow, alias)


_RUNNABLE_MAX = 512
_runnable: OrderedDict[tuple[Any, ...], bool] = OrderedDict()
_runnable_lock = threading.Lock()


def _runnable_key(workflow: Workflow, version: WorkflowVersion | None) -> tuple[Any, ...]:
    """What identifies a definition's text: a published version, or the draft's revision."""
    if version is not None:
        return ("version", version.pk)
    return ("draft", workflow.pk, workflow.revision, workflow.updated_at)


def _check_runnable(definition: Any, key: tuple[Any, ...] | None = None) -> None:
    """Raise ValidationFailed unless the definition parses; a good one is remembered by ``key``."""
    if key is not None:
        with _runnable_lock:
            if key in _runnable:
                _runnable.move_to_end(key)
                return
    try:
        machine_for(definition)
    except engine.DefinitionError as err:
        raise ValidationFailed(
            "The definition has errors; fix them before running it.",
            [d.to_dict() for d in err.diagnostics],  # type: ignore[attr-defined]
        ) from None
    if key is not None:
        with _runnable_lock:
            _runnable[key] = True
            while len(_runnable) > _RUNNABLE_MAX:
                _runnable.popitem(last=False)


def _check_input(value: Any) -> None:
    too_large = input_too_large(value)
    if too_large is not None:
        raise ValidationFailed(too_large)


def execution_start(
    user: Any,
    workflow_id: Any,
    input_value: Any = None,
    *,
    name: str | None = None,
    version: int | None = None,
    mocks: dict[str, Any] | None = None,
    dispatch: bool = True,
    alias: str | None = None,
) -> tuple[Execution, bool]:
    """Start an execution; returns (execution, created).

    A Standard start is idempotent on ``name`` as AWS's is: the same name with the
    same input while the first is still running returns that one; any other reuse
    of a name is a Conflict. An Express start is not (AWS's neither): a reused
    name starts another execution, told apart by the id in its ARN.
    ``alias`` starts the version the alias routes this start to (``services.aliases``).
    """
    workflow = workflow_get_to_run(user, workflow_id)
    input_value = {} if input_value is None else input_value
    _check_input(input_value)
    found_alias, version = _alias_for(workflow, alias, version)
    definition, found_version = _definition_for(workflow, version)
    _check_runnable(definition, _runnable_key(workflow, found_version))
    check_express(workflow.type, definition)  # a version published while it was Standard
    name = name or str(uuid.uuid4())
    execution = Execution(
        workflow=workflow,
        team_id=workflow.team_id,
        version=found_version,
        alias=found_alias,
        definition=definition,
        name=name,
        type=workflow.type,
        input=input_value,
        started_by=user,
        mocks=mocks or None,
        wake_at=datetime.now(tz=UTC),
    )
    audit = audit_entry(workflow.team_id, user, "execution.start", f"{workflow.name}/{name}")
    # no look-up first: the unique (workflow, name) constraint answers a reused name
    try:
        if dispatch and workflow.type == WorkflowType.STANDARD and start_slice_seconds() > 0:
            execution_insert_advanced(execution, audit)  # its first slice run here
        else:
            _insert(execution, audit, dispatch)
    except IntegrityError:
        existing = Execution.objects.get(workflow=workflow, name=name, type=WorkflowType.STANDARD)
        return _reuse(existing, input_value), False
    return execution, True


def _insert(execution: Execution, audit: AuditEntry, dispatch: bool) -> None:
    """Store the execution as due now; after the commit, a worker takes it over."""
    with transaction.atomic():
        rows_insert_together([[execution], [audit]])  # statements built once (row_writes)
        if not dispatch:
            pass
        elif execution.type == WorkflowType.STANDARD:
            transaction.on_commit(
                lambda: execution_started(
                    execution.pk, execution.workflow_id, execution_status_message(execution)
                )
            )
        else:
            transaction.on_commit(lambda: express_dispatch(execution.pk))


def _reuse(existing: Execution, input_value: Any) -> Execution:
    if existing.status == ExecutionStatus.RUNNING and existing.input == input_value:
        return existing
    raise Conflict(
        f"An execution named {existing.name} already exists.",
        {"execution": str(existing.pk), "status": existing.status},
    )


def execution_stop(
    user: Any, execution: Execution, error: str | None = None, cause: str | None = None
) -> None:
    """Abort a running execution (its history records ExecutionAborted)."""
    workflow_get_for(user, execution.workflow_id, RUN)
    if execution.status != ExecutionStatus.RUNNING:
        raise Conflict(f"The execution is already {execution.status}.")
    audit_record(execution.workflow.team, user, "execution.stop", execution.name)
    if in_memory(execution):  # its run polls for the stop: nothing durable to advance
        express_stop(execution.pk, error, cause)
        return
    execution_signal(execution.pk, StopExecution(error, cause))


# ---- Express ----------------------------------------------------------------------


def express_run(execution_id: Any) -> Execution:
    """Run an Express execution in memory to the end and record its history."""
    execution = express_claim(execution_id)
    if execution is None:  # at least once: a redelivered message finds it done or running
        return Execution.objects.select_related("workflow").get(pk=execution_id)
    machine = machine_for(execution.definition)
    with team_scope(execution.workflow.team_id):
        result = _run_in_memory(machine, execution)
    return _record_express(execution_id, result)


def _run_in_memory(machine: Any, execution: Execution) -> engine.ExecutionResult:
    return engine.run(
        machine,
        execution.input,
        adapters=registry_for(execution),
        real_time=True,
        name=execution.name,
        max_events=limit("HISTORY_MAX_EVENTS"),  # AWS bounds Express histories as Standard ones
        max_seconds=limit("EXPRESS_MAX_SECONDS"),  # then it ends TIMED_OUT, as on AWS
        stopped=express_stop_probe(execution.pk),  # StopExecution, even mid-evaluation
        jsonata_seconds=limit("JSONATA_MAX_SECONDS"),
        start_at=execution.rerun_state or None,
        execution_arn=arns.execution_arn(execution),
        state_machine_arn=arns.machine_arn(execution.workflow),
        role_arn=arns.role_arn(execution.workflow),
    )


def _record_express(execution_id: Any, result: engine.ExecutionResult) -> Execution:
    with transaction.atomic():
        locked = Execution.objects.select_for_update().get(pk=execution_id)
        if locked.status != ExecutionStatus.RUNNING:
            return locked
        ExecutionEvent.objects.bulk_create(events_to_rows(locked, result.events))
        locked.event_count = len(result.events)
        locked.status = result.status
        locked.output = result.output if result.status == "SUCCEEDED" else None
        locked.error = result.error
        locked.cause = result.cause
        locked.stop_date = datetime.now(tz=UTC)
        locked.wake_at = None
        locked.pending_signals = []  # a stop its run applied
        locked.save()
        transaction.on_commit(
            lambda: publish(
                locked.pk,
                locked.workflow_id,
                rendered(result.events),
                execution_status_message(locked),
            )
        )
    return locked


def express_start_sync(
    user: Any,
    workflow_id: Any,
    input_value: Any = None,
    *,
    name: str | None = None,
    mocks: dict[str, Any] | None = None,
) -> tuple[Execution, float]:
    """StartSyncExecution: run an Express workflow now and return the finished execution."""
    workflow = workflow_get_for(user, workflow_id, RUN)
    if workflow.type != WorkflowType.EXPRESS:
        raise ValidationFailed("Synchronous starts are for Express workflows only.")
    began = time.monotonic()
    execution, created = execution_start(
        user, workflow_id, input_value, name=name, mocks=mocks, dispatch=False
    )
    if created or execution.status == ExecutionStatus.RUNNING:
        if settings.STATEYARD["EXPRESS_IN_WEB"]:
            execution = express_run(execution.pk)
        else:
            execution = _run_in_worker(execution)
    return execution, time.monotonic() - began


def _run_in_worker(execution: Execution) -> Execution:
    """Hand the run to a worker and wait for it (Express executions last 5 minutes at most)."""
    express_dispatch(execution.pk)
    deadline = time.monotonic() + limit("EXPRESS_MAX_SECONDS") + 10  # the run ends itself first
    delay = 0.005
    while time.monotonic() < deadline:
        execution.refresh_from_db()
        if execution.status != ExecutionStatus.RUNNING:
            return execution
        time.sleep(delay)
        delay = min(delay * 2, 0.2)
    raise Conflict("The execution did not finish within the Express limit of 5 minutes.")
