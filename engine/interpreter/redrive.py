"""Redrive: run a closed, unsuccessful execution again from where it stopped.

As AWS's RedriveExecution does, the same execution continues with the same
input: the states that succeeded are not run again, the state (or states) that
failed, were aborted or were running when it timed out are entered again with
the input and variables they had, retry counters at zero. A Parallel or Map
keeps the results of the branches and iterations that succeeded and runs only
the others (each again from the state where it stopped). The history goes on
after an ``ExecutionRedriven`` event carrying the new ``redriveCount``
(``$$.Execution.RedriveCount``).

What to resume comes from ``ExecutionState.fallen``: the step loop snapshots
every frame that fails or is aborted (and, when the execution times out or is
stopped, every frame still running) and forgets the snapshots under a
Parallel/Map that succeeds, catches or retries. ``redrive`` only rebuilds the
frames and records the event; the runtime then drains them (``resume``).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any

from engine.history import Event, iso_timestamp
from engine.interpreter import containers
from engine.interpreter.core import Step
from engine.interpreter.data import (
    ABORTED,
    FAILED,
    RUNNING,
    TIMED_OUT,
    ExecutionState,
    Timer,
)
from engine.interpreter.effects import Effect, StartTimer
from engine.model import StateMachine

REDRIVABLE_STATUSES = frozenset({FAILED, TIMED_OUT, ABORTED})


class NotRedrivable(Exception):
    """The execution cannot be redriven; the message says why (AWS's wording)."""


def redrive_problem(ex: ExecutionState) -> str | None:
    """Why ``ex`` cannot be redriven, or None when it can (the engine's part of the rules)."""
    if ex.status == RUNNING:
        return "Execution is RUNNING and cannot be redriven."
    if ex.status not in REDRIVABLE_STATUSES:
        return f"Execution is {ex.status} and cannot be redriven."
    if ex.max_events and ex.event_count + 2 > ex.max_events:
        return "Execution history event limit exceeded."
    if not any(f.get("parent") is None for f in ex.fallen):
        return "Execution has no unsuccessful state to redrive."
    return None


def redrive(
    machine: StateMachine, ex: ExecutionState, now: float
) -> tuple[list[Event], list[Effect]]:
    """Turn the closed ``ex`` (in place) into a RUNNING execution resuming its failed states.

    Returns the events (``ExecutionRedriven`` and, for a Parallel/Map, the
    starts of the iterations it runs again) and effects (the execution
    timeout's timer). Nothing runs yet: the revived frames are in ``ex.ready``.
    """
    problem = redrive_problem(ex)
    if problem is not None:
        raise NotRedrivable(problem)
    fallen = ex.fallen
    children: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for snapshot in fallen:
        children[snapshot.get("parent")].append(snapshot)
    root = _prepared(children[None][0], children)
    execution = ex.context["Execution"]
    execution["RedriveCount"] = int(execution.get("RedriveCount", 0)) + 1
    execution["RedriveTime"] = iso_timestamp(now)
    ex.status = RUNNING
    ex.output = ex.error = ex.cause = None
    ex.fallen = []
    ex.frames.clear()
    ex.ready.clear()
    ex.tasks.clear()
    ex.timers.clear()
    step = Step(machine, ex, now)
    with step.history_bound():
        redriven = step.emit(None, "ExecutionRedriven", {"redriveCount": execution["RedriveCount"]})
        seconds = _time_limit(machine.timeout_seconds, ex.max_seconds)
        if seconds:
            timer_id = ex.new_effect_id()
            ex.timers[timer_id] = Timer(frame=0, kind="execution", fire_at=now + seconds)
            step.effects.append(StartTimer(timer_id, now + seconds))
        frame = containers.revive(step, root, redriven)
        if frame.phase == "enter":
            ex.ready.append(frame.id)
    return step.events, step.effects


def _time_limit(timeout_seconds: float | None, max_seconds: float | None) -> float | None:
    given = [s for s in (timeout_seconds, max_seconds) if s]
    return min(given) if given else None


def _prepared(
    snapshot: dict[str, Any], children: dict[Any, list[dict[str, Any]]]
) -> dict[str, Any]:
    """A frame snapshot whose container (if any) lists the children to run again."""
    snapshot = copy.deepcopy(snapshot)
    container = snapshot.get("container")
    if not container:
        return snapshot
    kids = sorted(children.get(snapshot["id"], []), key=lambda k: int(k["index"]))
    again = {int(kid["index"]) for kid in kids}
    results = container["results"]
    unknown = [
        i for i in range(container["next_index"]) if results[i].get("missing") and i not in again
    ]
    if unknown:  # a child started but neither succeeded nor left a snapshot (an older state)
        snapshot["container"] = None  # so the whole Parallel/Map runs again
        return snapshot
    redo = [_prepared(kid, children) for kid in kids]
    for index in again:
        container["results"][index] = {"missing": True}
    container["redo"] = redo
    container["running"] = []
    container["done"] = sum(1 for i in range(container["next_index"]) if i not in again)
    container["failed"] = 0
    return snapshot
