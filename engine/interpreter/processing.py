"""Input and output processing of a state, in both query languages.

JSONPath: raw input -> InputPath -> Parameters (the effective input) -> the
state's work -> ResultSelector -> Assign -> ResultPath (merged into the raw
input) -> OutputPath. JSONata: raw input -> Arguments -> work -> Assign and
Output (both see ``$states.result`` and the variables as they were on entry).

Also builds the scope every expression reads: the context object (only for
states that read it) and the variables visible from a frame.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from engine import dataflow
from engine.history import iso_timestamp
from engine.interpreter.core import END, NEXT, Outcome, Step
from engine.interpreter.data import Frame
from engine.jsonvalue import MISSING
from engine.model import ABSENT, State
from engine.scope import Scope

_EMPTY: Mapping[str, Any] = {}


def visible_variables(step: Step, frame: Frame) -> Mapping[str, Any]:
    """The frame's own variables over those of every enclosing frame."""
    if frame.parent is None:
        return frame.variables
    maps = [frame.variables]
    frames = step.ex.frames
    parent_id: int | None = frame.parent
    while parent_id is not None:
        parent = frames.get(parent_id)
        if parent is None:
            break
        maps.append(parent.variables)
        parent_id = parent.parent
    return ChainMap(*maps)


def context_object(
    step: Step, frame: Frame, state: State, extra: Mapping[str, Any] | None = None
) -> Any:
    """``$$``: Execution, State, StateMachine (and Map.Item / Task.Token when given)."""
    ex_context = step.ex.context
    context: dict[str, Any] = {
        "Execution": ex_context["Execution"],
        "State": {
            "EnteredTime": iso_timestamp(frame.entered_time),
            "Name": state.name,
            "RetryCount": frame.retry_count,
        },
        "StateMachine": ex_context["StateMachine"],
    }
    if extra:
        context.update(extra)
    return context


def make_scope(
    step: Step,
    frame: Frame,
    state: State,
    document: Any,
    *,
    result: Any = MISSING,
    error_output: Any = MISSING,
    context_extra: Mapping[str, Any] | None = None,
) -> Scope:
    context = (
        context_object(step, frame, state, context_extra)
        if state.needs_context or context_extra
        else _EMPTY
    )
    return Scope(
        input=document,
        context=context,
        variables=visible_variables(step, frame),
        result=result,
        error_output=error_output,
    )


# ---- JSONPath ------------------------------------------------------------------


def jsonpath_effective_input(
    step: Step,
    frame: Frame,
    state: State,
    parameters: Any,
    context_extra: Mapping[str, Any] | None = None,
) -> Any:
    """InputPath then Parameters (if any), as the state's work sees its input."""
    value = frame.input
    if state.input_path is not ABSENT or parameters is not None:
        scope = make_scope(step, frame, state, value, context_extra=context_extra)
        if state.input_path is not ABSENT:
            value = dataflow.input_path(scope, state.input_path)
            scope = scope.with_input(value)
        if parameters is not None:
            value = dataflow.parameters(scope, parameters)
            step.check_payload(state, value)
    return value


def jsonpath_output(
    step: Step, frame: Frame, state: State, result: Any, result_selector: Any = None
) -> tuple[Any, dict[str, Any] | None]:
    """ResultSelector, Assign, ResultPath and OutputPath; returns (output, assigned)."""
    scope: Scope | None = None
    if result_selector is not None:
        scope = make_scope(step, frame, state, result)
        result = dataflow.result_selector(scope, result_selector)
    assigned = None
    if state.assign is not None:
        scope = make_scope(step, frame, state, result)
        assigned = state.assign.evaluate(scope)
    result_path: Any = getattr(state, "result_path", ABSENT)
    output = (
        result if result_path is ABSENT else dataflow.result_path(frame.input, result_path, result)
    )
    if state.output_path is not ABSENT:
        scope = make_scope(step, frame, state, output)
        output = dataflow.output_path(scope, state.output_path)
    return output, assigned


# ---- JSONata -------------------------------------------------------------------


def jsonata_effective_input(
    step: Step,
    frame: Frame,
    state: State,
    arguments: Any,
    context_extra: Mapping[str, Any] | None = None,
) -> Any:
    if arguments is None:
        return frame.input
    scope = make_scope(step, frame, state, frame.input, context_extra=context_extra)
    value = arguments.evaluate(scope)
    step.check_payload(state, value)
    return value


def jsonata_output(
    step: Step, frame: Frame, state: State, result: Any, default_output: Any
) -> tuple[Any, dict[str, Any] | None]:
    """Assign and Output with ``$states.result``; returns (output, assigned)."""
    if state.assign is None and state.output is None:
        return default_output, None
    scope = make_scope(step, frame, state, frame.input, result=result)
    assigned = state.assign.evaluate(scope) if state.assign is not None else None
    output = state.output.evaluate(scope) if state.output is not None else default_output
    return output, assigned


# ---- both ----------------------------------------------------------------------


def effective_input(
    step: Step,
    frame: Frame,
    state: State,
    parameters: Any,
    arguments: Any,
    context_extra: Mapping[str, Any] | None = None,
) -> Any:
    """What the state's work receives: Arguments (JSONata) or InputPath + Parameters."""
    if state.is_jsonata:
        return jsonata_effective_input(step, frame, state, arguments, context_extra)
    return jsonpath_effective_input(step, frame, state, parameters, context_extra)


def state_output(
    step: Step, frame: Frame, state: State, result: Any, result_selector: Any = None
) -> tuple[Any, dict[str, Any] | None]:
    """The state's output and assigned variables for ``result``, in the state's language."""
    if state.is_jsonata:
        return jsonata_output(step, frame, state, result, result)
    return jsonpath_output(step, frame, state, result, result_selector)


def exit_state(
    step: Step, frame: Frame, state: State, output: Any, assigned: dict[str, Any] | None
) -> None:
    """Check the output's size, apply the assigned variables, record the Exited event."""
    if output is not frame.input:  # an unchanged input was checked when it was produced
        step.check_payload(state, output)
    details: dict[str, Any] = {"name": state.name, "output": output}
    if assigned:
        step.check_text(state, assigned)
    if assigned is not None:
        frame.variables.update(assigned)
        details["assignedVariables"] = assigned
    step.emit(frame, state.type + "StateExited", details)


def transition(state: State, output: Any) -> Outcome:
    """The outcome that leaves ``state`` with ``output``: to Next, or the end of the frame."""
    if state.next is not None:
        return Outcome(NEXT, next=state.next, output=output)
    return Outcome(END, output=output)
