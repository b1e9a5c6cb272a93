"""The functional core: ``start`` an execution, ``advance`` it with a signal.

Both take the plain-data ``ExecutionState`` (mutated in place and also
returned), the current time on the runtime's clock, and return the history
events the step produced and the effects it asks the runtime to carry out.
Nothing here sleeps, performs I/O or starts a thread.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from engine import limits
from engine.history import Event, iso_timestamp
from engine.interpreter import containers, flow, map_runs, recovery, task
from engine.interpreter import redrive as redriving
from engine.interpreter.core import Hooks, Outcome, Step
from engine.interpreter.data import (
    MAP_RUN,
    RETRY,
    RUNNING,
    TASK,
    WAIT,
    ExecutionState,
    Frame,
    Timer,
)
from engine.interpreter.effects import (
    Effect,
    ExecutionTimeout,
    Signal,
    StartTimer,
    StopExecution,
    TaskFailed,
    TaskHeartbeat,
    TaskSucceeded,
    TimerFired,
)
from engine.model import State, StateMachine, TaskState

Step.hooks = Hooks(
    handlers={
        "Pass": flow.run_pass,
        "Succeed": flow.run_succeed,
        "Fail": flow.run_fail,
        "Choice": flow.run_choice,
        "Wait": flow.run_wait,
        "Task": task.run_task,
        "Parallel": containers.run_parallel,
        "Map": containers.run_map,
    },
    recover=recovery.handle_error,
    child_succeeded=containers.child_succeeded,
    child_failed=containers.child_failed,
    child_blocked=containers.child_blocked,
)

STANDARD_MAX_EVENTS = limits.HISTORY_MAX_EVENTS


@dataclass(frozen=True, slots=True)
class StepResult:
    state: ExecutionState
    events: list[Event]
    effects: list[Effect]

    @property
    def finished(self) -> bool:
        return self.state.status != RUNNING


DEFAULT_ROLE_ARN = "arn:aws:iam::000000000000:role/stateyard"  # when the runtime names none


def new_execution(
    machine: StateMachine,
    execution_input: Any,
    now: float,
    *,
    name: str = "execution",
    execution_arn: str | None = None,
    state_machine_arn: str | None = None,
    role_arn: str = DEFAULT_ROLE_ARN,
    max_events: int | None = STANDARD_MAX_EVENTS,
    max_seconds: float | None = None,
    random_seed: int = 0,
    token_key: str | None = None,
) -> ExecutionState:
    """A fresh execution state (not started yet)."""
    sm_arn = state_machine_arn or "arn:aws:states:us-east-1:000000000000:stateMachine:stateyard"
    sm_name = sm_arn.rsplit(":", 1)[-1]
    arn = execution_arn or sm_arn.replace(":stateMachine:", ":execution:") + f":{name}"
    context = {
        "Execution": {
            "Id": arn,
            "Input": execution_input,
            "Name": name,
            "RoleArn": role_arn,
            "StartTime": iso_timestamp(now),
            "RedriveCount": 0,
        },
        "StateMachine": {"Id": sm_arn, "Name": sm_name},
    }
    return ExecutionState(
        context=context,
        max_events=max_events,
        max_seconds=max_seconds,
        random_seed=random_seed,
        token_key=token_key if token_key is not None else secrets.token_hex(16),
    )


def start(
    machine: StateMachine, ex: ExecutionState, now: float, *, start_at: str | None = None
) -> StepResult:
    """Record ExecutionStarted and run until every frame blocks or the execution ends.

    ``start_at`` starts at another top-level state than ``StartAt`` ("re-run from here").
    """
    first = machine.root.start_at if start_at is None else start_at
    if first not in machine.root.states:
        raise ValueError(f"No top-level state {first!r} to start at.")
    step = Step(machine, ex, now)
    execution_input = ex.context["Execution"]["Input"]
    step.emit(
        None,
        "ExecutionStarted",
        {"input": execution_input, "roleArn": ex.context["Execution"]["RoleArn"]},
        prev=0,
    )
    root = Frame(id=ex.new_frame_id(), program="", state=first, input=execution_input)
    ex.frames[root.id] = root
    ex.ready.append(root.id)
    seconds = time_limit(machine.timeout_seconds, ex.max_seconds)
    if seconds:
        timer_id = ex.new_effect_id()
        fire_at = now + seconds
        ex.timers[timer_id] = Timer(frame=0, kind="execution", fire_at=fire_at)
        step.effects.append(StartTimer(timer_id, fire_at))
    step.drain()
    return StepResult(ex, step.events, step.effects)


def redrive(machine: StateMachine, ex: ExecutionState, now: float) -> StepResult:
    """RedriveExecution: turn a closed, unsuccessful ``ex`` into a RUNNING one (in place).

    Records ``ExecutionRedriven``; the frames to run again wait in ``ex.ready``
    until ``resume`` (the durable runtime saves the state in between). Raises
    ``redrive.NotRedrivable`` with AWS's reason when it cannot be redriven.
    """
    events, effects = redriving.redrive(machine, ex, now)
    return StepResult(ex, events, effects)


def resume(machine: StateMachine, ex: ExecutionState, now: float) -> StepResult:
    """Run the frames that are ready (after ``redrive``); nothing happens when none is."""
    step = Step(machine, ex, now)
    if ex.status == RUNNING and ex.ready:
        step.drain()
    return StepResult(ex, step.events, step.effects)


def time_limit(timeout_seconds: float | None, max_seconds: float | None) -> float | None:
    """The shorter of the definition's TimeoutSeconds and the runtime's cap (Express: 5 min)."""
    given = [s for s in (timeout_seconds, max_seconds) if s]
    return min(given) if given else None


def advance(machine: StateMachine, ex: ExecutionState, signal: Signal, now: float) -> StepResult:
    """Apply one signal from the runtime; unknown or stale ids are ignored (idempotent)."""
    step = Step(machine, ex, now)
    if ex.status == RUNNING:
        with step.history_bound():
            _apply(step, signal)
        step.drain()
    return StepResult(ex, step.events, step.effects)


def _apply(step: Step, signal: Signal) -> None:
    if isinstance(signal, TimerFired):
        _timer_fired(step, signal.timer_id)
    elif isinstance(signal, TaskSucceeded | TaskFailed):
        _task_answered(step, signal)
    elif isinstance(signal, TaskHeartbeat):
        task.heartbeat(step, signal.task_id)
    elif isinstance(signal, StopExecution):
        _stop(step, signal)
    elif isinstance(signal, ExecutionTimeout):
        step.time_out()


def _frame_state(step: Step, frame: Frame) -> State:
    return step.machine.programs[frame.program].states[frame.state]


def _task_answered(step: Step, signal: TaskSucceeded | TaskFailed) -> None:
    pending = step.ex.tasks.get(signal.task_id)
    if pending is None:
        return
    frame = step.ex.frames.get(pending.frame)
    if frame is not None and frame.phase == MAP_RUN and frame.pending == signal.task_id:
        _map_run_answered(step, frame, signal)
        return
    if frame is None or frame.phase != TASK or frame.pending != signal.task_id:
        step.ex.tasks.pop(signal.task_id, None)
        return
    state = _frame_state(step, frame)
    assert isinstance(state, TaskState)
    if isinstance(signal, TaskSucceeded):
        work: Any = task.task_succeeded
        args: tuple[Any, ...] = (step, frame, state, signal.task_id, signal.output)
    else:
        work = task.task_failed
        args = (step, frame, state, signal.task_id, signal.error, signal.cause)
    outcome: Outcome = step.guarded(frame, state, work, *args)
    step.resume(frame, state, outcome)


def _map_run_answered(step: Step, frame: Frame, signal: TaskSucceeded | TaskFailed) -> None:
    state = _frame_state(step, frame)
    if isinstance(signal, TaskSucceeded):
        map_runs.answered(step, frame, state, signal.output, None, None)
    else:
        map_runs.answered(step, frame, state, None, signal.error or "States.Runtime", signal.cause)


def _timer_fired(step: Step, timer_id: int) -> None:
    timer = step.ex.timers.pop(timer_id, None)
    if timer is None:
        return
    if timer.kind == "execution":
        _timed_out(step)
        return
    frame = step.ex.frames.get(timer.frame)
    if frame is None:
        return
    state = _frame_state(step, frame)
    if timer.kind in ("timeout", "heartbeat"):
        if frame.phase == TASK and frame.pending == timer.task:
            assert isinstance(state, TaskState)
            outcome = step.guarded(
                frame, state, task.task_timed_out, step, frame, state, timer.task, timer.kind
            )
            step.resume(frame, state, outcome)
        return
    if frame.pending != timer_id:
        return
    if frame.phase == WAIT:
        step.resume(frame, state, step.guarded(frame, state, flow.pass_through, step, frame, state))
    elif frame.phase == RETRY:
        step.resume(frame, state, step.guarded(frame, state, _retry, step, frame, state))


def _retry(step: Step, frame: Frame, state: State) -> Outcome:
    if isinstance(state, TaskState):
        return task.run_task(step, frame, state)  # Parameters see the new $$.State.RetryCount
    return containers.restart_after_retry(step, frame, state)


def _timed_out(step: Step) -> None:
    step.time_out()


def _stop(step: Step, signal: StopExecution) -> None:
    step.abort(signal.error, signal.cause)
