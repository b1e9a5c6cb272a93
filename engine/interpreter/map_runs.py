"""Distributed Map as a Map Run the runtime carries out (child executions).

With ``ExecutionState.map_runs_outside`` set (the durable runtime), a DISTRIBUTED
Map runs no iteration frames here. It records ``MapStateStarted`` and
``MapRunStarted`` as AWS does, asks the runtime for the run with one
``StartMapRun`` effect, and blocks. The effect's spec holds everything the runtime
needs, resolved now: the items (or the ItemReader's Parameters/Arguments and
ReaderConfig), the ItemProcessor as a definition of its own, MaxConcurrency, the
tolerances, what ItemSelector and ItemBatcher read (``ItemShaper`` applies them
outside, with the same code), and the ResultWriter's target.

The runtime answers like a task: ``TaskSucceeded(run_id, output)`` (the results
array, or the ResultWriter's details) records ``MapRunSucceeded`` and finishes the
state; ``TaskFailed`` records ``MapRunFailed`` and fails it (Retry and Catch
apply; a retry starts a new run). A redrive revives the state with
``MapRunRedriven`` and a ``StartMapRun`` whose ``redrive_of`` names the old run.
Without the flag (``engine.run``, the CLI), iterations run in-process and the
parent's history has the same shape.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Any

from engine import dataflow
from engine.interpreter import processing as proc
from engine.interpreter import recovery
from engine.interpreter.core import BLOCKED, FAIL, Outcome, Step
from engine.interpreter.data import (
    ENTER,
    MAP_RUN,
    Container,
    ExecutionState,
    Frame,
    PendingTask,
)
from engine.interpreter.effects import StartMapRun
from engine.interpreter.items import (
    MAX_BATCH_BYTES,
    group_stream,
    map_items,
    select_item,
    tolerances,
)
from engine.interpreter.numbers import resolve_integer
from engine.jsonvalue import MISSING
from engine.model import MapState, S3Block, State, StateMachine
from engine.scope import Scope


def outside(step: Step, state: State) -> bool:
    """Does the runtime run this Map's iterations (as a Map Run of child executions)?"""
    return step.ex.map_runs_outside and isinstance(state, MapState) and state.mode == "DISTRIBUTED"


def map_run_arn(execution_arn: str, state: MapState) -> str:
    """``arn:...:mapRun:<machine>/<label>:<execution name>`` (``designer.arns`` reads it)."""
    label = state.label or state.name
    for kind in (":execution:", ":express:"):
        head, found, rest = execution_arn.partition(kind)
        if found:
            machine, _, name = rest.partition(":")
            return f"{head}:mapRun:{machine}/{label}:{name}"
    return f"{execution_arn}/{label}"


# ---- starting ----------------------------------------------------------------------


def start(step: Step, frame: Frame, state: State) -> Outcome:
    """Enter the Distributed Map: resolve the run's spec, record the events, ask for it."""
    assert isinstance(state, MapState)
    scope = proc.make_scope(step, frame, state, frame.effective)
    items = None if state.item_reader is not None else map_items(state, scope)
    max_concurrency = (
        resolve_integer(state.max_concurrency, scope, minimum=0) if state.max_concurrency else 0
    )
    count, percentage = tolerances(state, scope)
    started = step.emit(frame, "MapStateStarted", {"length": len(items or ())})
    step.forget_fallen(frame)
    arn = map_run_arn(str(step.ex.context["Execution"]["Id"]), state)
    run_started = step.emit(frame, "MapRunStarted", {"mapRunArn": arn})
    spec = {
        "arn": arn,
        "state": state.name,
        "label": state.label or state.name,
        "pointer": state.pointer,
        "items": items,
        "reader": _block(state.item_reader, scope, state.is_jsonata),
        "writer": _block(state.result_writer, scope, state.is_jsonata),
        "processor": processor_definition(step.machine, state),
        "execution_type": state.execution_type,
        "max_concurrency": max(max_concurrency, 0),
        "tolerated_count": count,
        "tolerated_percentage": percentage,
        "shaping": _shaping(step, frame, state),
    }
    container = Container(
        kind="MapRun",
        inputs=[],
        started_id=started,
        cursor=started,
        last_success=started,
        map_run_id=run_started,
        map_run_arn=arn,
        silent=True,
    )
    return _ask(step, frame, container, spec, 0)


def _ask(step: Step, frame: Frame, container: Container, spec: dict[str, Any], old: int) -> Outcome:
    run_id = step.ex.new_effect_id()
    container.map_run = {"run": run_id, "spec": spec}
    frame.container = container
    frame.phase = MAP_RUN
    frame.pending = run_id
    step.ex.tasks[run_id] = PendingTask(frame=frame.id)
    step.effects.append(StartMapRun(run_id, spec, old))
    return BLOCKED


def processor_definition(machine: StateMachine, state: MapState) -> dict[str, Any]:
    """The ItemProcessor as a state machine of its own (what each child execution runs)."""
    node: Any = machine.definition
    for part in state.processor.strip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    program = machine.programs[state.processor]
    definition = {k: v for k, v in node.items() if k != "ProcessorConfig"}
    definition["QueryLanguage"] = program.query_language
    return definition


def _block(block: S3Block | None, scope: Scope, jsonata: bool) -> dict[str, Any] | None:
    """An ItemReader/ResultWriter with its Parameters/Arguments and MaxItems resolved."""
    if block is None:
        return None
    parameters: Any = None
    if block.parameters is not None:
        parameters = (
            block.parameters.evaluate(scope)
            if jsonata
            else dataflow.parameters(scope, block.parameters)
        )
    config = {k: v for k, v in block.config.items() if k not in ("MaxItems", "MaxItemsPath")}
    if block.max_items is not None:
        config["MaxItems"] = resolve_integer(block.max_items, scope, minimum=0)
    return {"resource": block.resource, "parameters": parameters, "config": config}


def _shaping(step: Step, frame: Frame, state: MapState) -> dict[str, Any]:
    """What ItemSelector and ItemBatcher read, as plain data (``ItemShaper`` rebuilds it)."""
    shaping: dict[str, Any] = {
        "context": copy.deepcopy(step.ex.context),
        "variables": dict(proc.visible_variables(step, frame)),
        "input": frame.input,
        "effective": frame.effective,
        "entered_time": frame.entered_time,
        "retry_count": frame.retry_count,
    }
    batcher = state.item_batcher
    if batcher is not None:
        document = frame.input if state.is_jsonata else frame.effective
        scope = proc.make_scope(step, frame, state, document)
        limit = {}
        for key, field, maximum in (
            ("max_items", batcher.max_items, None),
            ("max_bytes", batcher.max_bytes, MAX_BATCH_BYTES),
        ):
            if field is not None and field.is_set:
                limit[key] = resolve_integer(field, scope, minimum=1, maximum=maximum)
        if batcher.batch_input is not None:
            limit["batch_input"] = (
                batcher.batch_input.evaluate(scope)
                if state.is_jsonata
                else dataflow.parameters(scope, batcher.batch_input)
            )
        shaping["batcher"] = limit
    return shaping


# ---- the runtime's answer ----------------------------------------------------------


def answered(
    step: Step, frame: Frame, state: State, output: Any, error: str | None, cause: str | None
) -> None:
    """The Map Run ended: ``output`` when it succeeded, else ``error`` and ``cause``."""
    container = frame.container
    assert container is not None
    step.ex.tasks.pop(frame.pending, None)
    frame.container = None
    frame.phase = ENTER
    frame.pending = 0
    if error is None:
        outcome = step.guarded(frame, state, _succeeded, step, frame, state, container, output)
        step.resume(frame, state, outcome)
        return
    _failed(step, frame, state, container, error, cause)


def _succeeded(
    step: Step, frame: Frame, state: State, container: Container, output: Any
) -> Outcome:
    step.forget_fallen(frame)
    run_done = step.emit(frame, "MapRunSucceeded", prev=container.map_run_id)
    step.emit(frame, "MapStateSucceeded", prev=run_done)
    frame.cursor = run_done
    step.check_payload(state, output)
    selector = getattr(state, "result_selector", None)
    result, assigned = proc.state_output(step, frame, state, output, selector)
    proc.exit_state(step, frame, state, result, assigned)
    return proc.transition(state, result)


def _failed(
    step: Step,
    frame: Frame,
    state: State,
    container: Container,
    error: str | None,
    cause: str | None,
) -> None:
    frame.cursor = container.cursor

    def give_up() -> None:
        details = {k: v for k, v in (("error", error), ("cause", cause)) if v is not None}
        frame.cursor = step.emit(frame, "MapRunFailed", details or None, prev=container.map_run_id)
        step.emit(frame, "MapStateFailed")

    outcome = recovery.handle_error(step, frame, state, error, cause, on_give_up=give_up)
    if outcome.kind == FAIL:
        frame.container = container  # a redrive revives the run
    step.resume(frame, state, outcome)


# ---- redrive -----------------------------------------------------------------------


def revive(step: Step, frame: Frame, cursor: int) -> None:
    """Redrive: record MapRunRedriven and ask the runtime to redrive the failed run."""
    container = frame.container
    assert container is not None and container.map_run is not None
    container.cursor = cursor
    container.started_id = cursor
    container.map_run_id = step.emit(
        frame,
        "MapRunRedriven",
        {
            "mapRunArn": container.map_run_arn,
            "redriveCount": step.ex.context["Execution"].get("RedriveCount", 0),
        },
        prev=cursor,
    )
    old = int(container.map_run["run"])
    _ask(step, frame, container, container.map_run["spec"], old)
    step.on_blocked(frame)


# ---- shaping items outside the interpreter -----------------------------------------


class ItemShaper:
    """ItemSelector and ItemBatcher applied to items read outside (by the Map Run).

    Built from a ``StartMapRun`` spec and the parent's definition; it evaluates
    with the same code as an in-process Map (``$$.Map.Item``, variables, the
    context object). ``inputs`` turns a stream of items into a stream of child
    inputs: one per item, or one ``{"Items": [...], "BatchInput": ...}`` per batch.
    Raises ``StatesError`` when an item cannot be shaped.
    """

    def __init__(self, machine: StateMachine, spec: dict[str, Any]) -> None:
        state = _state_at(machine, spec["pointer"])
        shaping = spec["shaping"]
        self.state = state
        self.batcher: dict[str, Any] | None = shaping.get("batcher")
        ex = ExecutionState(context=shaping["context"])
        self.step = Step(machine, ex, shaping["entered_time"])
        self.frame = Frame(
            id=1,
            program="",
            state=state.name,
            input=shaping["input"],
            variables=dict(shaping["variables"]),
            entered_time=shaping["entered_time"],
            retry_count=shaping["retry_count"],
            effective=shaping["effective"],
        )

    def select(self, index: int, item: Any) -> Any:
        return select_item(self.step, self.frame, self.state, index, item)

    def inputs(self, items: Iterable[Any]) -> Iterator[Any]:
        selected = (self.select(i, item) for i, item in enumerate(items))
        if self.batcher is None:
            yield from selected
            return
        batch_input = self.batcher.get("batch_input", MISSING)
        size, max_bytes = self.batcher.get("max_items"), self.batcher.get("max_bytes")
        for batch in group_stream(selected, size, max_bytes):
            entry: dict[str, Any] = {"Items": batch}
            if batch_input is not MISSING:
                entry["BatchInput"] = batch_input
            yield entry


def _state_at(machine: StateMachine, pointer: str) -> MapState:
    for program in machine.programs.values():
        for state in program.states.values():
            if state.pointer == pointer and isinstance(state, MapState):
                return state
    raise KeyError(f"No Map state at {pointer}")
