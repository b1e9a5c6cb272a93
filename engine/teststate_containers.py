"""TestState of Map and Parallel states: tested with a mock of the whole state's outcome.

AWS's TestState runs a Map or a Parallel state only with a ``mock``: its
iterations (branches) do not run, the mock stands for what they produced.

* ``mock.result`` is the state's result (the array of iteration or branch
  outputs); ResultSelector, ResultPath and OutputPath (or JSONata ``Output``
  and ``Assign``) then process it, and the state moves on to ``Next``.
* ``mock.errorOutput`` is the error a failed iteration (branch) raised; the
  state's Retry and Catch apply as on the runtime (``retrierRetryCount`` says
  how many retries happened), ``States.TaskFailed`` matching nothing, as for
  any state that is not a Task.
* ``stateConfiguration.errorCausedByState`` (only with ``errorOutput``) names
  the state inside the ItemProcessor (a branch) the error came from; a name
  that is not there is refused.
* ``stateConfiguration.mapIterationFailureCount`` (Map only): that many
  iterations failed. Beyond ToleratedFailureCount / ToleratedFailurePercentage
  (none tolerated by default) the Map fails with
  ``States.ExceedToleratedFailureThreshold``, whatever the mock; within them
  the mock decides. It cannot exceed the number of iterations when they are
  known.
* ``stateConfiguration.mapItemReaderData``: a Map's ItemReader does not read
  its source; the caller gives the items it would have read (``reader_items``,
  parsed from the source's text by the caller) and MaxItems applies to them.

The state runs as a Task with the same Retry, Catch, output fields and
transitions, answered by the (effective) mock, so the interpreter does every
step after the iterations exactly as it does on the runtime. What comes
before them (InputPath, ItemsPath or Items, ItemSelector, ItemBatcher,
Parallel's Parameters or Arguments, the tolerances, MaxConcurrency) is
evaluated by the interpreter's own functions for ``inspectionData``; a
failure there (ItemsPath not an array, say) is the state's error, as it would
be on the runtime.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine import errors
from engine.diagnostics import Diagnostic
from engine.errors import DefinitionError, StatesError
from engine.interpreter import processing as proc
from engine.interpreter.core import Step
from engine.interpreter.data import Frame
from engine.interpreter.items import batch_items, map_items, select_item, tolerances
from engine.interpreter.numbers import resolve_integer
from engine.model import MapState, ParallelState, State

CONTAINER_TYPES = ("Map", "Parallel")
MOCK_RESOURCE = "arn:aws:lambda:us-east-1:123456789012:function:stateyard-test-state-mock"
NEVER_MATCHED = "Stateyard.TestState.TaskFailedMatchesOnlyTasks"
EXCEEDED_CAUSE = "The specified tolerated failure threshold was exceeded"
_KEPT = (
    "Comment",
    "QueryLanguage",
    "InputPath",
    "ResultSelector",
    "ResultPath",
    "OutputPath",
    "Output",
    "Assign",
    "Next",
    "End",
)


@dataclass
class ContainerView:
    """What the container did before its iterations, for ``inspectionData`` and the outcome."""

    stages: dict[str, Any] = field(default_factory=dict)
    iterations: int | None = None
    tolerated_count: int | None = None
    tolerated_percentage: float | None = None
    error: StatesError | None = None


def _problem(message: str, location: str = "") -> DefinitionError:
    return DefinitionError([Diagnostic("TEST_STATE_CONFIGURATION", message, location)])


# ---- the request ---------------------------------------------------------------------


def _inner_names(state: Mapping[str, Any]) -> Iterator[str]:
    """Every state name inside a Map's ItemProcessor (Iterator) or a Parallel's branches."""
    programs: list[Any] = list(state.get("Branches") or [])
    processor = state.get("ItemProcessor") or state.get("Iterator")
    if processor is not None:
        programs.append(processor)
    for program in programs:
        states = program.get("States") if isinstance(program, Mapping) else None
        if not isinstance(states, Mapping):
            continue
        for name, inner in states.items():
            yield name
            if isinstance(inner, Mapping):
                yield from _inner_names(inner)


def check_configuration(
    state: Mapping[str, Any],
    mock: Mapping[str, Any] | None,
    error_caused_by_state: str | None,
    failure_count: int | None,
    reader_items: list[Any] | None,
) -> None:
    """Refuse what ``stateConfiguration`` cannot mean for this state (DefinitionError)."""
    kind = state.get("Type")
    if error_caused_by_state is not None:
        if kind not in CONTAINER_TYPES:
            raise _problem("errorCausedByState applies to Map and Parallel states.")
        if mock is None or "errorOutput" not in mock:
            raise _problem("errorCausedByState goes with a mocked errorOutput.")
        if error_caused_by_state not in set(_inner_names(state)):
            where = "ItemProcessor" if kind == "Map" else "branches"
            raise _problem(
                f"errorCausedByState {error_caused_by_state!r} is not a state in the "
                f"{kind} state's {where}."
            )
    if failure_count is not None:
        if kind != "Map":
            raise _problem("mapIterationFailureCount applies to Map states.")
        if failure_count < 0:
            raise _problem("mapIterationFailureCount cannot be negative.")
    if reader_items is not None and (kind != "Map" or "ItemReader" not in state):
        raise _problem("mapItemReaderData applies to a Map state with an ItemReader.")


def check_mock_shape(state: Mapping[str, Any], result: Any) -> str | None:
    """Why a mocked result cannot be this container's result, or None when it can."""
    if not isinstance(result, list):
        return f"The mocked result of a {state.get('Type')} state is an array (its results)."
    branches = state.get("Branches") if state.get("Type") == "Parallel" else None
    if isinstance(branches, list) and len(result) != len(branches):
        return (
            f"The mocked result of this Parallel state has {len(result)} elements; "
            f"it has {len(branches)} branches, one result each."
        )
    return None


# ---- running it as a Task --------------------------------------------------------------


def _without_task_failed(handlers: Any) -> Any:
    """Retriers/catchers with States.TaskFailed made inert: it matches only Task states."""
    if not isinstance(handlers, list):
        return handlers
    out = []
    for handler in handlers:
        if isinstance(handler, Mapping) and isinstance(handler.get("ErrorEquals"), list):
            equals = [
                NEVER_MATCHED if e == errors.TASK_FAILED else e for e in handler["ErrorEquals"]
            ]
            handler = {**handler, "ErrorEquals": equals}
        out.append(handler)
    return out


def as_mocked_task(definition: dict[str, Any], name: str) -> dict[str, Any]:
    """The one-state machine with the container replaced by a Task its mock answers."""
    state = definition["States"][name]
    task: dict[str, Any] = {"Type": "Task", "Resource": MOCK_RESOURCE}
    task.update({k: state[k] for k in _KEPT if k in state})
    for key in ("Retry", "Catch"):
        if key in state:
            task[key] = _without_task_failed(state[key])
    return {**definition, "States": {**definition["States"], name: task}}


def effective_mock(
    mock: Mapping[str, Any], view: ContainerView, failure_count: int | None
) -> dict[str, Any]:
    """The Task's answer: the container's own error first, then the tolerances, then the mock."""
    if view.error is not None:
        return {"errorOutput": {"error": view.error.error, "cause": view.error.cause}}
    if failure_count and not _tolerated(view, failure_count):
        return {
            "errorOutput": {
                "error": errors.EXCEED_TOLERATED_FAILURE_THRESHOLD,
                "cause": EXCEEDED_CAUSE,
            }
        }
    return dict(mock)


def _tolerated(view: ContainerView, failed: int) -> bool:
    if view.tolerated_count is not None and failed <= view.tolerated_count:
        return True
    percentage, total = view.tolerated_percentage, view.iterations
    return percentage is not None and total is not None and failed * 100 <= percentage * total


def check_failure_count(view: ContainerView, failure_count: int | None) -> None:
    if failure_count is None or view.iterations is None or view.error is not None:
        return
    if failure_count > view.iterations:
        raise _problem(
            f"mapIterationFailureCount ({failure_count}) is more than the Map's "
            f"{view.iterations} iterations."
        )


# ---- what happens before the iterations -------------------------------------------------


def container_view(
    step: Step, frame: Frame, state: State, reader_items: list[Any] | None
) -> ContainerView:
    """The stages before the iterations, computed with the interpreter's functions."""
    view = ContainerView(stages={"input": frame.input})
    try:
        if isinstance(state, MapState):
            _map_stages(step, frame, state, reader_items, view)
        elif isinstance(state, ParallelState):
            _parallel_stages(step, frame, state, view)
    except StatesError as error:
        view.error = error
    return view


def _parallel_stages(step: Step, frame: Frame, state: ParallelState, view: ContainerView) -> None:
    if state.is_jsonata:
        if state.arguments is not None:
            view.stages["afterArguments"] = proc.effective_input(
                step, frame, state, None, state.arguments
            )
        return
    view.stages["afterInputPath"] = proc.jsonpath_effective_input(step, frame, state, None)
    if state.parameters is not None:
        view.stages["afterParameters"] = proc.jsonpath_effective_input(
            step, frame, state, state.parameters
        )


def _map_stages(
    step: Step,
    frame: Frame,
    state: MapState,
    reader_items: list[Any] | None,
    view: ContainerView,
) -> None:
    if state.is_jsonata:
        frame.effective = frame.input
    else:
        frame.effective = proc.jsonpath_effective_input(step, frame, state, None)
        view.stages["afterInputPath"] = frame.effective
    scope = proc.make_scope(step, frame, state, frame.effective)
    items: list[Any] | None
    if state.item_reader is not None:
        items = _read_items(state, scope, reader_items)
    else:
        items = map_items(state, scope)
        if not state.is_jsonata:
            view.stages["afterItemsPath"] = items
    view.tolerated_count, view.tolerated_percentage = tolerances(state, scope)
    if state.max_concurrency:
        view.stages["maxConcurrency"] = resolve_integer(state.max_concurrency, scope, minimum=0)
    if view.tolerated_count is not None:
        view.stages["toleratedFailureCount"] = view.tolerated_count
    if view.tolerated_percentage is not None:
        view.stages["toleratedFailurePercentage"] = view.tolerated_percentage
    if items is None:
        return
    if state.item_selector is not None:
        view.stages["afterItemSelector"] = [
            select_item(step, frame, state, index, item) for index, item in enumerate(items)
        ]
    if state.item_batcher is not None:
        batches = batch_items(step, frame, state, items)
        view.stages["afterItemBatcher"] = batches
        view.iterations = len(batches)
    else:
        view.iterations = len(items)


def _read_items(state: MapState, scope: Any, reader_items: list[Any] | None) -> list[Any] | None:
    """The items the ItemReader gives: ``reader_items`` up to MaxItems (None: not given)."""
    if reader_items is None:
        return None
    reader = state.item_reader
    assert reader is not None
    if reader.max_items is not None:
        most = resolve_integer(reader.max_items, scope, minimum=0)
        if most:  # 0: no limit, as AWS reads it
            return reader_items[:most]
    return list(reader_items)
