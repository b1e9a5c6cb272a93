"""The flow states: Pass, Succeed, Fail, Choice and Wait.

Each handler is called right after the state's Entered event and returns an
``Outcome``. Wait is the only one that may block: it asks for a timer and
resumes in ``wait_elapsed``.
"""

from __future__ import annotations

from typing import Any

from engine import dataflow, errors
from engine.errors import StatesError
from engine.interpreter import processing as proc
from engine.interpreter.core import BLOCKED, FAIL, NEXT, Outcome, Step
from engine.interpreter.data import WAIT, Frame, Timer
from engine.interpreter.effects import StartTimer
from engine.interpreter.waits import wait_seconds
from engine.jsonpath import PathNotFound
from engine.jsonvalue import MISSING, escaped, to_json
from engine.model import ABSENT, ChoiceState, FailState, PassState, State, WaitState
from engine.scope import Scope


def run_pass(step: Step, frame: Frame, state: State) -> Outcome:
    assert isinstance(state, PassState)
    if state.is_jsonata:
        output, assigned = proc.jsonata_output(step, frame, state, MISSING, frame.input)
    else:
        effective = proc.jsonpath_effective_input(step, frame, state, state.parameters)
        result = effective if state.result is ABSENT else state.result
        output, assigned = proc.jsonpath_output(step, frame, state, result)
    proc.exit_state(step, frame, state, output, assigned)
    return proc.transition(state, output)


def run_succeed(step: Step, frame: Frame, state: State) -> Outcome:
    return pass_through(step, frame, state)


def run_fail(step: Step, frame: Frame, state: State) -> Outcome:
    assert isinstance(state, FailState)
    if state.is_jsonata:
        scope = proc.make_scope(step, frame, state, frame.input)
        error = _evaluated(state.error, scope)
        cause = _evaluated(state.cause, scope)
    else:
        error = _from_path(step, frame, state, state.error_path, "ErrorPath", state.error)
        cause = _from_path(step, frame, state, state.cause_path, "CausePath", state.cause)
    # text that cannot be recorded is written as escapes: the execution fails either way
    return Outcome(FAIL, error=_recordable(error), cause=_recordable(cause))


def _recordable(text: str | None) -> str | None:
    return None if text is None else escaped(text)


def _evaluated(value: Any, scope: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    result = value.evaluate(scope)
    if not isinstance(result, str):
        raise StatesError(errors.QUERY_EVALUATION_ERROR, "Fail Error/Cause must be strings")
    return result


def _from_path(
    step: Step, frame: Frame, state: State, path: Any, field: str, literal: str | None
) -> str | None:
    if path is None:
        return literal
    scope = proc.make_scope(step, frame, state, frame.input)
    try:
        value = path.evaluate(scope)
    except PathNotFound as miss:
        raise StatesError(errors.RUNTIME, dataflow.invalid_path_cause(miss)) from None
    if not isinstance(value, str):
        raise StatesError(
            errors.RUNTIME,
            f"The {field} field must refer to a string value but was: {to_json(value)}",
        )
    return value


def run_choice(step: Step, frame: Frame, state: State) -> Outcome:
    assert isinstance(state, ChoiceState)
    jsonata = state.is_jsonata
    document = frame.input if jsonata else proc.jsonpath_effective_input(step, frame, state, None)
    scope = proc.make_scope(step, frame, state, document)
    for branch in state.choices:
        if branch.rule.matches(scope):
            return _leave_choice(
                step, frame, state, scope, branch.next, branch.output, branch.assign
            )
    if state.default is None:
        raise StatesError(
            errors.NO_CHOICE_MATCHED, "No Choice Rule matched and no Default was given."
        )
    return _leave_choice(step, frame, state, scope, state.default, state.output, state.assign)


def _leave_choice(
    step: Step,
    frame: Frame,
    state: ChoiceState,
    scope: Scope,
    next_state: str,
    output_t: Any,
    assign_t: Any,
) -> Outcome:
    """Assign and output of the chosen branch (JSONata) or of the state (JSONPath)."""
    assigned = assign_t.evaluate(scope) if assign_t is not None else None
    if state.is_jsonata:
        output = output_t.evaluate(scope) if output_t is not None else frame.input
    else:
        output = scope.input
        if state.output_path is not ABSENT:
            output = dataflow.output_path(scope, state.output_path)
    proc.exit_state(step, frame, state, output, assigned)
    return Outcome(NEXT, next=next_state, output=output)


def run_wait(step: Step, frame: Frame, state: State) -> Outcome:
    assert isinstance(state, WaitState)
    scope = proc.make_scope(step, frame, state, frame.input)
    if not state.is_jsonata and state.input_path is not ABSENT:
        scope = scope.with_input(dataflow.input_path(scope, state.input_path))
    fire_at = wait_seconds(state, scope, step.now)
    if fire_at <= step.now:
        return pass_through(step, frame, state)
    timer_id = step.ex.new_effect_id()
    step.ex.timers[timer_id] = Timer(frame=frame.id, kind="wait", fire_at=fire_at)
    step.effects.append(StartTimer(timer_id, fire_at))
    frame.phase = WAIT
    frame.pending = timer_id
    return BLOCKED


def pass_through(step: Step, frame: Frame, state: State) -> Outcome:
    """Leave a state whose result is its input (Succeed, and Wait once its time is up)."""
    if state.is_jsonata:
        output, assigned = proc.jsonata_output(step, frame, state, MISSING, frame.input)
    else:
        output, assigned = proc.jsonpath_output(
            step, frame, state, proc.jsonpath_effective_input(step, frame, state, None)
        )
    proc.exit_state(step, frame, state, output, assigned)
    return proc.transition(state, output)
