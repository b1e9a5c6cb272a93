"""The Task state: schedule the work, wait, then process the result or the error.

The interpreter asks the runtime to invoke the resource with an ``InvokeTask``
effect and blocks the frame. ``TimeoutSeconds`` and ``HeartbeatSeconds`` become
timers of their own; whichever answer comes first (result, failure, timer)
decides, and the rest are cancelled.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from engine import errors
from engine.interpreter import processing as proc
from engine.interpreter import recovery
from engine.interpreter.core import BLOCKED, Outcome, Step
from engine.interpreter.data import TASK, ExecutionState, Frame, PendingTask, Timer
from engine.interpreter.effects import CancelTask, CancelTimer, InvokeTask, StartTimer
from engine.interpreter.numbers import resolve_integer
from engine.jsonvalue import escaped, unencodable_cause, unencodable_pointer
from engine.model import IntegerField, State, TaskState
from engine.scope import Scope

DEFAULT_TIMEOUT_SECONDS = 99999999


def _seconds(field: IntegerField | None, scope: Scope) -> int | None:
    """TimeoutSeconds / HeartbeatSeconds: a positive integer (the guide's Task state fields)."""
    if field is None or not field.is_set:
        return None
    return resolve_integer(field, scope, minimum=1, maximum=DEFAULT_TIMEOUT_SECONDS)


def resource_parts(resource: str) -> tuple[str, str]:
    """(resourceType, resource) as AWS's task events name them."""
    if resource.startswith("arn:aws:states:::"):
        service, _, action = resource[len("arn:aws:states:::") :].partition(":")
        return service, action
    if ":function:" in resource:
        return "lambda", resource
    if ":activity:" in resource:
        return "activity", resource
    return "custom", resource


CALLBACK_SUFFIX = ".waitForTaskToken"


def task_token(ex: ExecutionState, task_id: int) -> str:
    """The unguessable token of one task attempt (derived from the execution's secret key)."""
    message = f"{ex.context['Execution']['Id']}#{task_id}".encode()
    return hmac.new(ex.token_key.encode(), message, hashlib.sha256).hexdigest()


def run_task(step: Step, frame: Frame, state: State) -> Outcome:
    """Evaluate the task's input (with ``$$.Task.Token`` for callbacks) and schedule it."""
    assert isinstance(state, TaskState)
    task_id = step.ex.new_effect_id()
    token = task_token(step.ex, task_id)
    extra = {"Task": {"Token": token}} if state.resource.endswith(CALLBACK_SUFFIX) else None
    frame.effective = proc.effective_input(
        step, frame, state, state.parameters, state.arguments, extra
    )
    return schedule(step, frame, state, task_id, token)


def schedule(step: Step, frame: Frame, state: TaskState, task_id: int, token: str) -> Outcome:
    """Ask for the invocation and block until its answer (or a timeout) arrives."""
    ex = step.ex
    scope = proc.make_scope(step, frame, state, frame.input)
    timeout = _seconds(state.timeout, scope)
    heartbeat = _seconds(state.heartbeat, scope)
    pending = PendingTask(frame=frame.id, heartbeat_seconds=heartbeat)
    if timeout is not None:
        pending.timeout_timer = _start_timer(step, frame, "timeout", timeout, task_id)
    if heartbeat is not None:
        pending.heartbeat_timer = _start_timer(step, frame, "heartbeat", heartbeat, task_id)
    ex.tasks[task_id] = pending
    frame.phase = TASK
    frame.pending = task_id
    family = event_family(state.resource)
    if family == "Task":
        details: dict[str, Any] = {
            **_task_identity(state),
            "region": ex.context.get("Region", "us-east-1"),
            "parameters": frame.effective,
        }
    else:
        details = {"resource": state.resource, "input": frame.effective}
    if timeout is not None:
        details["timeoutInSeconds"] = timeout
    if heartbeat is not None and family != "LambdaFunction":
        details["heartbeatInSeconds"] = heartbeat
    step.emit(frame, family + "Scheduled", details)
    task_started(step, frame, state)
    context = proc.context_object(step, frame, state)
    step.effects.append(
        InvokeTask(
            task_id=task_id,
            resource=state.resource,
            input=frame.effective,
            state_name=state.name,
            context=context,
            timeout_seconds=timeout,
            heartbeat_seconds=heartbeat,
            attempt=frame.retry_count,
            token=token,
        )
    )
    return BLOCKED


def _start_timer(step: Step, frame: Frame, kind: str, seconds: float, task_id: int) -> int:
    timer_id = step.ex.new_effect_id()
    fire_at = step.now + seconds
    step.ex.timers[timer_id] = Timer(frame=frame.id, kind=kind, fire_at=fire_at, task=task_id)
    step.effects.append(StartTimer(timer_id, fire_at))
    return timer_id


def _close(step: Step, task_id: int) -> None:
    pending = step.ex.tasks.pop(task_id, None)
    if pending is None:
        return
    for timer_id in (pending.timeout_timer, pending.heartbeat_timer):
        if timer_id and step.ex.timers.pop(timer_id, None) is not None:
            step.effects.append(CancelTimer(timer_id))


def event_family(resource: str) -> str:
    """AWS names task events by resource: Task*, LambdaFunction* (function ARNs), Activity*."""
    if resource.startswith("arn:aws:lambda:") and ":function:" in resource:
        return "LambdaFunction"
    if ":activity:" in resource and resource.startswith("arn:aws:states:"):
        return "Activity"
    return "Task"


def _task_identity(state: TaskState) -> dict[str, Any]:
    resource_type, resource = resource_parts(state.resource)
    return {"resourceType": resource_type, "resource": resource}


def _emit_task_event(
    step: Step, frame: Frame, state: TaskState, suffix: str, details: dict[str, Any]
) -> None:
    family = event_family(state.resource)
    if family == "Task":
        details = {**_task_identity(state), **details}
    step.emit(frame, family + suffix, details or None)


def task_started(step: Step, frame: Frame, state: TaskState) -> None:
    _emit_task_event(step, frame, state, "Started", {})


def task_succeeded(
    step: Step, frame: Frame, state: TaskState, task_id: int, output: Any
) -> Outcome:
    where = unencodable_pointer(output)
    if where is not None:  # never recorded: the task fails with States.Runtime instead
        cause = unencodable_cause(f"task of the state '{state.name}'", where)
        return task_failed(step, frame, state, task_id, errors.RUNTIME, cause)
    _close(step, task_id)
    _emit_task_event(step, frame, state, "Succeeded", {"output": output})
    step.check_payload(state, output)
    result, assigned = proc.state_output(step, frame, state, output, state.result_selector)
    proc.exit_state(step, frame, state, result, assigned)
    return proc.transition(state, result)


def task_failed(
    step: Step, frame: Frame, state: TaskState, task_id: int, error: str | None, cause: str | None
) -> Outcome:
    _close(step, task_id)
    error = None if error is None else escaped(error)  # recordable text, whatever the task sent
    cause = None if cause is None else escaped(cause)
    details: dict[str, Any] = {}
    if error is not None:
        details["error"] = error
    if cause is not None:
        details["cause"] = cause
    _emit_task_event(step, frame, state, "Failed", details)
    return recovery.handle_error(step, frame, state, error, cause)


def task_timed_out(step: Step, frame: Frame, state: TaskState, task_id: int, kind: str) -> Outcome:
    _close(step, task_id)
    step.effects.append(CancelTask(task_id))  # the abandoned work's answer is no longer wanted
    error = errors.HEARTBEAT_TIMEOUT if kind == "heartbeat" else errors.TIMEOUT
    _emit_task_event(step, frame, state, "TimedOut", {"error": error})
    return recovery.handle_error(step, frame, state, error, None)


def heartbeat(step: Step, task_id: int) -> None:
    """Push the heartbeat deadline of a running task further out."""
    pending = step.ex.tasks.get(task_id)
    if pending is None or not pending.heartbeat_timer or pending.heartbeat_seconds is None:
        return
    timer = step.ex.timers.get(pending.heartbeat_timer)
    if timer is None:
        return
    step.effects.append(CancelTimer(pending.heartbeat_timer))
    del step.ex.timers[pending.heartbeat_timer]
    frame = step.ex.frames[pending.frame]
    pending.heartbeat_timer = _start_timer(
        step, frame, "heartbeat", pending.heartbeat_seconds, task_id
    )
