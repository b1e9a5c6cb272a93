"""Parallel and Map: states that run child frames and gather their results.

A container state starts children lazily, one at a time: a child runs until it
finishes or blocks on the outside world, and only then is the next one started
(up to MaxConcurrency). Iterations that never block therefore run one after
another in index order, as AWS records them, while iterations that wait on
tasks or timers really overlap. When every child has finished the state
processes the results like a task result; a failed child fails the state
(Retry and Catch apply), after aborting its siblings.
"""

from __future__ import annotations

import copy
from typing import Any

from engine import errors
from engine.interpreter import map_runs, recovery
from engine.interpreter import processing as proc
from engine.interpreter.core import BLOCKED, FAIL, Outcome, Step
from engine.interpreter.data import (
    CHILDREN,
    ENTER,
    Container,
    Frame,
    frame_from_dict,
    frame_to_dict,
)
from engine.interpreter.effects import CancelTask, CancelTimer
from engine.interpreter.items import batch_items, map_items, select_item, tolerances
from engine.interpreter.numbers import resolve_integer
from engine.jsonvalue import MISSING
from engine.model import MapState, ParallelState, State

# ---- entering ----------------------------------------------------------------------


def run_parallel(step: Step, frame: Frame, state: State) -> Outcome:
    assert isinstance(state, ParallelState)
    frame.effective = proc.effective_input(step, frame, state, state.parameters, state.arguments)
    return start(step, frame, state)


def run_map(step: Step, frame: Frame, state: State) -> Outcome:
    assert isinstance(state, MapState)
    if state.is_jsonata:
        frame.effective = frame.input
    else:
        frame.effective = proc.jsonpath_effective_input(step, frame, state, None)
    return start(step, frame, state)


def start(step: Step, frame: Frame, state: State) -> Outcome:
    """Start (or, on a retry, restart) the children of a Parallel or Map state."""
    if map_runs.outside(step, state):
        return map_runs.start(step, frame, state)
    if isinstance(state, ParallelState):
        container = Container(kind="Parallel", inputs=[frame.effective] * len(state.branches))
        container.started_id = step.emit(frame, "ParallelStateStarted")
    else:
        assert isinstance(state, MapState)
        container = _map_container(step, frame, state)
    step.forget_fallen(frame)  # a retry runs every child again
    container.results = [MISSING] * len(container.inputs)
    container.cursor = container.started_id
    container.last_success = container.started_id
    frame.container = container
    frame.phase = CHILDREN
    if not container.inputs:
        return complete(step, frame, state)
    spawn_next(step, frame, state)
    return BLOCKED


def _map_container(step: Step, frame: Frame, state: MapState) -> Container:
    scope = proc.make_scope(step, frame, state, frame.effective)
    items = map_items(state, scope)
    if state.item_batcher is not None:
        items = batch_items(step, frame, state, items)
    max_concurrency = (
        resolve_integer(state.max_concurrency, scope, minimum=0) if state.max_concurrency else 0
    )
    container = Container(
        kind="Map",
        inputs=items,
        max_concurrency=max(max_concurrency, 0),
        effective_input=frame.effective,
        silent=state.mode == "DISTRIBUTED",
    )
    container.started_id = step.emit(frame, "MapStateStarted", {"length": len(items)})
    container.tolerated_count, container.tolerated_percentage = tolerances(state, scope)
    if container.silent:
        execution_arn = str(step.ex.context["Execution"]["Id"])
        container.map_run_arn = map_runs.map_run_arn(execution_arn, state)
        container.map_run_id = step.emit(
            frame, "MapRunStarted", {"mapRunArn": container.map_run_arn}
        )
    return container


# ---- children ----------------------------------------------------------------------


def spawn_next(step: Step, frame: Frame, state: State) -> None:
    """Start the next child, right away, if the concurrency limit allows."""
    container = frame.container
    assert container is not None
    if not container.redo and container.next_index >= len(container.inputs):
        return
    if container.max_concurrency and len(container.running) >= container.max_concurrency:
        return
    if container.redo:
        _revive_child(step, frame, state, container.redo.pop(0))
        return
    index = container.next_index
    container.next_index += 1
    child_input = container.inputs[index]
    if isinstance(state, MapState):
        program = state.processor
        if state.item_batcher is None:  # batches were built from selected items
            child_input = select_item(step, frame, state, index, child_input)
        prev = (
            step.emit(
                frame,
                "MapIterationStarted",
                {"name": state.name, "index": index},
                prev=container.cursor,
                advance=False,
            )
            if not container.silent
            else 0
        )
    else:
        assert isinstance(state, ParallelState)
        program = state.branches[index]
        prev = container.started_id
    child = Frame(
        id=step.ex.new_frame_id(),
        program=program,
        state=step.machine.programs[program].start_at,
        input=child_input,
        parent=frame.id,
        index=index,
        cursor=prev,
        silent=container.silent or frame.silent,
    )
    step.ex.frames[child.id] = child
    container.running.append(child.id)
    step.ex.ready.appendleft(child.id)


def _revive_child(step: Step, frame: Frame, state: State, snapshot: dict[str, Any]) -> None:
    """Redrive: start an unsuccessful child again at the state where it stopped."""
    container = frame.container
    assert container is not None
    prev = container.started_id
    if isinstance(state, MapState) and not container.silent:
        prev = step.emit(
            frame,
            "MapIterationStarted",
            {"name": state.name, "index": snapshot["index"]},
            prev=container.cursor,
            advance=False,
        )
    child = revive(step, snapshot, prev)
    container.running.append(child.id)
    if child.phase == ENTER:
        step.ex.ready.appendleft(child.id)


def revive(step: Step, snapshot: dict[str, Any], cursor: int) -> Frame:
    """A frame of a closed execution, running again (redrive).

    A frame at a Parallel or Map whose children had started keeps its container
    (the results of the children that succeeded) and starts only the others
    again; any other frame enters its state anew, retry counters at zero.
    """
    frame = frame_from_dict(copy.deepcopy(snapshot))
    frame.phase = ENTER
    frame.pending = 0
    frame.attempts = []
    frame.retry_count = 0
    frame.cursor = cursor
    frame.pre_enter_cursor = cursor
    step.ex.frames[frame.id] = frame
    container = frame.container
    if container is None:
        return frame
    if container.kind == "MapRun":
        map_runs.revive(step, frame, cursor)
        return frame
    container.running = []
    container.cursor = cursor
    container.started_id = cursor
    frame.phase = CHILDREN
    state = _container_state(step, frame)
    if container.silent:
        container.map_run_id = step.emit(
            frame,
            "MapRunRedriven",
            {
                "mapRunArn": container.map_run_arn,
                "redriveCount": step.ex.context["Execution"].get("RedriveCount", 0),
            },
            prev=cursor,
        )
    if container.done == len(container.inputs) and not container.redo:
        step.resume(frame, state, step.guarded(frame, state, complete, step, frame, state))
    else:
        spawn_next(step, frame, state)  # the rest start as children block or end
    return frame


def _container_state(step: Step, frame: Frame) -> State:
    return step.machine.programs[frame.program].states[frame.state]


def child_blocked(step: Step, child: Frame) -> None:
    """A child waits on the outside world: start another one, or tell our own parent."""
    parent = step.ex.frames.get(child.parent)  # type: ignore[arg-type]
    if parent is None or parent.container is None:
        return
    container = parent.container
    can_start = (container.redo or container.next_index < len(container.inputs)) and (
        not container.max_concurrency or len(container.running) < container.max_concurrency
    )
    if can_start:
        spawn_next(step, parent, _container_state(step, parent))
    else:
        step.on_blocked(parent)


def child_succeeded(step: Step, child: Frame, output: Any) -> None:
    parent = step.ex.frames[child.parent]  # type: ignore[index]
    container = parent.container
    assert container is not None
    state = _container_state(step, parent)
    container.running.remove(child.id)
    container.results[child.index] = output
    container.done += 1
    if container.kind == "Map" and not container.silent:
        container.last_success = step.emit(
            parent,
            "MapIterationSucceeded",
            {"name": state.name, "index": child.index},
            prev=child.cursor,
            advance=False,
        )
    _after_child(step, parent, state)


def child_failed(step: Step, child: Frame, error: str | None, cause: str | None) -> None:
    parent = step.ex.frames[child.parent]  # type: ignore[index]
    container = parent.container
    assert container is not None
    state = _container_state(step, parent)
    container.running.remove(child.id)
    container.done += 1
    container.failed += 1
    if container.kind == "Map" and not container.silent:
        step.emit(
            parent,
            "MapIterationFailed",
            {"name": state.name, "index": child.index},
            prev=child.cursor,
            advance=False,
        )
    if container.kind == "Map" and _tolerated(container):
        container.results[child.index] = _error_output(error, cause)
        _after_child(step, parent, state)
        return
    if container.kind == "Map" and _has_tolerance(container):
        error, cause = (
            errors.EXCEED_TOLERATED_FAILURE_THRESHOLD,
            "The specified tolerated failure threshold was exceeded",
        )
    _abort_children(step, parent)
    _fail_container(step, parent, state, error, cause)


def _after_child(step: Step, parent: Frame, state: State) -> None:
    container = parent.container
    assert container is not None
    if container.done == len(container.inputs):
        step.resume(parent, state, step.guarded(parent, state, complete, step, parent, state))
    else:
        spawn_next(step, parent, state)


def _has_tolerance(container: Container) -> bool:
    return container.tolerated_count is not None or container.tolerated_percentage is not None


def _tolerated(container: Container) -> bool:
    if container.tolerated_count is not None and container.failed <= container.tolerated_count:
        return True
    percentage = container.tolerated_percentage
    return percentage is not None and container.failed * 100 <= percentage * len(container.inputs)


def _error_output(error: str | None, cause: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if error is not None:
        out["Error"] = error
    if cause is not None:
        out["Cause"] = cause
    return out


# ---- finishing ---------------------------------------------------------------------


def complete(step: Step, frame: Frame, state: State) -> Outcome:
    """Every child is done: the results are the state's result."""
    container = frame.container
    assert container is not None
    frame.container = None
    frame.phase = ENTER
    step.forget_fallen(frame)  # tolerated failures of its children are over
    prefix = "Map" if container.kind == "Map" else "Parallel"
    if container.silent:
        run_done = step.emit(frame, "MapRunSucceeded", prev=container.map_run_id)
        step.emit(frame, "MapStateSucceeded", prev=run_done)
        frame.cursor = run_done
    else:
        step.emit(frame, prefix + "StateSucceeded", prev=container.last_success)
        frame.cursor = container.last_success if prefix == "Map" else container.cursor
    results = list(container.results)
    step.check_payload(state, results)
    selector = getattr(state, "result_selector", None)
    output, assigned = proc.state_output(step, frame, state, results, selector)
    proc.exit_state(step, frame, state, output, assigned)
    return proc.transition(state, output)


def _fail_container(
    step: Step, frame: Frame, state: State, error: str | None, cause: str | None
) -> None:
    container = frame.container
    assert container is not None
    frame.container = None
    frame.phase = ENTER
    frame.cursor = container.cursor
    prefix = "Map" if container.kind == "Map" else "Parallel"

    def give_up() -> None:
        if container.silent:
            details = {k: v for k, v in (("error", error), ("cause", cause)) if v is not None}
            run_failed = step.emit(
                frame, "MapRunFailed", details or None, prev=container.map_run_id
            )
            frame.cursor = run_failed
        step.emit(frame, prefix + "StateFailed")

    outcome = recovery.handle_error(step, frame, state, error, cause, on_give_up=give_up)
    if outcome.kind == FAIL:
        frame.container = container  # its snapshot keeps the children that succeeded
    else:
        step.forget_fallen(frame)
    step.resume(frame, state, outcome)


def _abort_children(step: Step, frame: Frame) -> None:
    """Stop every running descendant of ``frame``: drop its frames, cancel its work."""
    ex = step.ex
    doomed = {frame.id}
    changed = True
    while changed:
        changed = False
        for fid, candidate in ex.frames.items():
            if candidate.parent in doomed and fid not in doomed:
                doomed.add(fid)
                changed = True
    doomed.discard(frame.id)
    for task_id, pending in list(ex.tasks.items()):
        if pending.frame in doomed:
            del ex.tasks[task_id]
            step.effects.append(CancelTask(task_id))
    for timer_id, timer in list(ex.timers.items()):
        if timer.frame in doomed:
            del ex.timers[timer_id]
            step.effects.append(CancelTimer(timer_id))
    for fid in doomed:
        aborted = ex.frames.pop(fid, None)
        if aborted is not None:
            ex.fallen.append(frame_to_dict(aborted))  # a redrive starts it again
    if frame.container is not None:
        frame.container.running.clear()


def restart_after_retry(step: Step, frame: Frame, state: State) -> Outcome:
    """The retry interval of a failed Parallel/Map is over: run all its children again."""
    return start(step, frame, state)
