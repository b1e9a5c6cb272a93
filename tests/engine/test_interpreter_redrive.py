"""Redrive: a closed, unsuccessful execution continues from the states that did not succeed."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

import pytest

import engine
from engine import interpreter
from engine.history import details
from engine.interpreter.data import ExecutionState, from_dict, to_dict
from engine.interpreter.effects import (
    InvokeTask,
    Signal,
    StartTimer,
    StopExecution,
    TaskFailed,
    TaskSucceeded,
    TimerFired,
)
from engine.interpreter.redrive import NotRedrivable

LAMBDA = "arn:aws:states:::lambda:invoke"
Worker = Callable[[str, Any], Any]  # (state name, input) -> output; raises Boom to fail


class Boom(Exception):
    pass


class Driver:
    """Runs an execution to its end, answering tasks at once with ``worker``."""

    def __init__(self, definition: dict[str, Any], worker: Worker) -> None:
        self.machine = engine.parse(definition)
        self.worker = worker
        self.events: list[dict[str, Any]] = []
        self.calls: list[tuple[str, Any]] = []
        self.now = 1_700_000_000.0
        self.queue: deque[Signal] = deque()
        self.timers: list[tuple[float, int]] = []

    def start(self, data: Any) -> ExecutionState:
        ex = interpreter.new_execution(self.machine, data, self.now)
        return self._run(interpreter.start(self.machine, ex, self.now))

    def redrive(self, ex: ExecutionState) -> ExecutionState:
        ex = from_dict(to_dict(ex))  # as the runtime saves and loads it
        self.now += 60
        step = interpreter.redrive(self.machine, ex, self.now)
        self.events.extend(step.events)
        self._effects(step.effects)
        ex = from_dict(to_dict(ex))
        return self._run(interpreter.resume(self.machine, ex, self.now))

    def _effects(self, effects: list[Any]) -> None:
        for effect in effects:
            if isinstance(effect, InvokeTask):
                self.calls.append((effect.state_name, effect.input))
                try:
                    output = self.worker(effect.state_name, effect.input)
                except Boom as err:
                    self.queue.append(TaskFailed(effect.task_id, "Boom", str(err)))
                else:
                    self.queue.append(TaskSucceeded(effect.task_id, output))
            elif isinstance(effect, StartTimer):
                self.timers.append((effect.fire_at, effect.timer_id))

    def _run(self, step: interpreter.StepResult) -> ExecutionState:
        self.events.extend(step.events)
        self._effects(step.effects)
        ex = step.state
        while ex.status == "RUNNING":
            if self.queue:
                signal: Signal = self.queue.popleft()
            else:
                due = [t for t in sorted(self.timers) if t[1] in ex.timers]
                if not due:
                    break
                self.timers.remove(due[0])
                self.now = max(self.now, due[0][0])
                signal = TimerFired(due[0][1])
            step = interpreter.advance(self.machine, ex, signal, self.now)
            self.events.extend(step.events)
            self._effects(step.effects)
        return ex

    def types(self, since: int = 0) -> list[str]:
        return [e["type"] for e in self.events[since:]]


def task(name: str, nxt: str | None = None, **fields: Any) -> dict[str, Any]:
    state: dict[str, Any] = {"Type": "Task", "Resource": LAMBDA, **fields}
    if nxt:
        state["Next"] = nxt
    else:
        state["End"] = True
    return state


def flaky(*failing: str) -> tuple[Worker, set[str]]:
    """A worker that fails each named state the first time, and counts per name."""
    broken = set(failing)

    def work(name: str, data: Any) -> Any:
        if name in broken:
            broken.discard(name)
            raise Boom(f"{name} broke")
        return {"by": name, "in": data}

    return work, broken


ABC = {
    "StartAt": "A",
    "States": {"A": task("A", "B"), "B": task("B", "C"), "C": task("C")},
}


def test_redrive_skips_what_succeeded_and_resumes_the_failed_state() -> None:
    work, _ = flaky("B")
    run = Driver(ABC, work)
    ex = run.start({"x": 1})
    assert ex.status == "FAILED"
    assert [n for n, _ in run.calls] == ["A", "B"]
    before = len(run.events)
    ex = run.redrive(ex)
    assert ex.status == "SUCCEEDED"
    new = run.events[before:]
    assert new[0]["type"] == "ExecutionRedriven"
    assert details(new[0]) == {"redriveCount": 1}
    assert new[0]["id"] == before + 1
    assert [e["id"] for e in run.events] == list(range(1, len(run.events) + 1))
    entered = [details(e)["name"] for e in new if e["type"] == "TaskStateEntered"]
    assert entered == ["B", "C"]  # no new A
    assert [n for n, _ in run.calls] == ["A", "B", "B", "C"]
    # B got again the input it had (A's output), C got B's
    assert run.calls[2][1] == run.calls[1][1]
    assert ex.output["by"] == "C"
    assert ex.context["Execution"]["RedriveCount"] == 1


def test_redrive_count_increments_and_retry_counters_restart() -> None:
    attempts: list[str] = []

    def always(name: str, data: Any) -> Any:
        attempts.append(name)
        if name == "B":
            raise Boom("no")
        return data

    definition = {
        "StartAt": "A",
        "States": {
            "A": task("A", "B"),
            "B": task("B", Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}]),
        },
    }
    run = Driver(definition, always)
    ex = run.start({})
    assert ex.status == "FAILED" and attempts.count("B") == 3
    ex = run.redrive(ex)
    assert ex.status == "FAILED" and attempts.count("B") == 6  # Retry starts at 0 again
    ex = run.redrive(ex)
    assert attempts.count("A") == 1 and attempts.count("B") == 9
    redriven = [details(e) for e in run.events if e["type"] == "ExecutionRedriven"]
    assert redriven == [{"redriveCount": 1}, {"redriveCount": 2}]
    assert ex.context["Execution"]["RedriveCount"] == 2


def test_a_map_redrives_only_its_failed_iterations() -> None:
    definition = {
        "StartAt": "Prep",
        "States": {
            "Prep": task("Prep", "M"),
            "M": {
                "Type": "Map",
                "ItemsPath": "$.in.items",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "W",
                    "States": {"W": task("W")},
                },
                "End": True,
            },
        },
    }
    failing = {1, 3}
    seen: list[int] = []

    def work(name: str, data: Any) -> Any:
        if name == "Prep":
            return {"by": name, "in": data}
        seen.append(data)
        if data in failing:
            failing.discard(data)
            raise Boom(f"item {data}")
        return data * 10

    run = Driver(definition, work)
    ex = run.start({"items": [0, 1, 2, 3, 4]})
    assert ex.status == "FAILED"
    assert sorted(seen) == [0, 1, 2, 3, 4]  # all started (they wait on tasks together)
    before = len(run.events)
    seen.clear()
    ex = run.redrive(ex)
    assert ex.status == "SUCCEEDED", run.types(before)
    assert ex.output == [0, 10, 20, 30, 40]
    # 0 succeeded, 1 failed, and 2-4 were aborted when it failed: those run again
    redone = sorted(seen)
    assert redone == [1, 2, 3, 4]
    new = run.events[before:]
    assert "MapStateEntered" not in run.types(before)
    assert "TaskStateEntered" not in [  # Prep did not run again
        e["type"] for e in new if details(e).get("name") == "Prep"
    ]
    started = [details(e)["index"] for e in new if e["type"] == "MapIterationStarted"]
    assert sorted(started) == redone
    assert run.types(before)[-2:] == ["MapStateExited", "ExecutionSucceeded"]


def test_a_map_with_all_five_started_redrives_exactly_the_two_that_failed() -> None:
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ToleratedFailureCount": 5,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "W",
                    "States": {"W": task("W")},
                },
                "Next": "Check",
            },
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$[1].Error", "IsPresent": True, "Next": "Bad"}],
                "Default": "Done",
            },
            "Bad": {"Type": "Fail", "Error": "Partial"},
            "Done": {"Type": "Succeed"},
        },
    }
    failing = {1, 3}
    seen: list[int] = []

    def work(name: str, data: Any) -> Any:
        seen.append(data)
        if data in failing:
            raise Boom(f"item {data}")
        return data * 10

    run = Driver(definition, work)
    ex = run.start([0, 1, 2, 3, 4])
    assert ex.status == "FAILED" and sorted(seen) == [0, 1, 2, 3, 4]
    # the Map succeeded (failures tolerated): its iterations are over, the Fail state reruns
    before = len(run.events)
    seen.clear()
    ex = run.redrive(ex)
    assert seen == [] and ex.error == "Partial"
    assert [e for e in run.types(before) if e.startswith("Map")] == []


def test_a_map_of_five_with_two_failures_redrives_those_two() -> None:
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ToleratedFailureCount": 1,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "W",
                    "States": {"W": task("W")},
                },
                "End": True,
            },
        },
    }
    failing = {1, 4}
    seen: list[int] = []

    def work(name: str, data: Any) -> Any:
        seen.append(data)
        if data in failing:
            failing.discard(data)
            raise Boom(f"item {data}")
        return data * 10

    run = Driver(definition, work)
    ex = run.start([0, 1, 2, 3, 4])
    assert ex.status == "FAILED" and ex.error == "States.ExceedToleratedFailureThreshold"
    assert sorted(seen) == [0, 1, 2, 3, 4]
    before = len(run.events)
    seen.clear()
    ex = run.redrive(ex)
    assert ex.status == "SUCCEEDED"
    assert sorted(seen) == [1, 4]
    assert ex.output == [0, 10, 20, 30, 40]
    new = run.events[before:]
    started = [details(e)["index"] for e in new if e["type"] == "MapIterationStarted"]
    assert started == [1, 4]
    succeeded = [details(e)["index"] for e in new if e["type"] == "MapIterationSucceeded"]
    assert sorted(succeeded) == [1, 4]


def test_a_parallel_redrives_only_its_failed_branch() -> None:
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "L1", "States": {"L1": task("L1", "L2"), "L2": task("L2")}},
                    {"StartAt": "R1", "States": {"R1": task("R1", "R2"), "R2": task("R2")}},
                ],
                "End": True,
            }
        },
    }
    work, _ = flaky("R2")
    run = Driver(definition, work)
    ex = run.start({"v": 1})
    assert ex.status == "FAILED"
    assert sorted(n for n, _ in run.calls) == ["L1", "L2", "R1", "R2"]
    before = len(run.calls)
    first_events = len(run.events)
    ex = run.redrive(ex)
    assert ex.status == "SUCCEEDED"
    # the right branch resumes at R2 (R1 succeeded), the left branch is kept
    assert [n for n, _ in run.calls[before:]] == ["R2"]
    assert ex.output[0]["by"] == "L2" and ex.output[1]["by"] == "R2"
    assert run.types(first_events)[-3:] == [
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "ExecutionSucceeded",
    ]


def test_a_timed_out_execution_redrives_the_state_that_was_running() -> None:
    definition = {
        "StartAt": "A",
        "TimeoutSeconds": 5,
        "States": {
            "A": task("A", "W"),
            "W": {"Type": "Wait", "Seconds": 3, "Next": "B"},
            "B": task("B", "Long"),
            "Long": {"Type": "Wait", "Seconds": 10, "End": True},
        },
    }
    work, _ = flaky()
    run = Driver(definition, work)
    ex = run.start({})
    assert ex.status == "TIMED_OUT"
    before = len(run.events)
    ex = run.redrive(ex)
    assert ex.status == "TIMED_OUT"  # the Wait of 10 s is longer than the timeout again
    entered = [details(e)["name"] for e in run.events[before:] if "StateEntered" in e["type"]]
    assert entered == ["Long"]


def test_an_aborted_execution_redrives() -> None:
    definition = {
        "StartAt": "A",
        "States": {"A": task("A", "W"), "W": {"Type": "Wait", "Seconds": 30, "End": True}},
    }
    work, _ = flaky()
    run = Driver(definition, work)
    machine = run.machine
    ex = interpreter.new_execution(machine, {}, run.now)
    step = interpreter.start(machine, ex, run.now)
    run._effects(step.effects)
    task_answer = run.queue.popleft()
    interpreter.advance(machine, ex, task_answer, run.now)
    interpreter.advance(machine, ex, StopExecution("Stop", "by hand"), run.now)
    assert ex.status == "ABORTED"
    ex = run.redrive(ex)
    assert ex.status == "SUCCEEDED"
    assert [n for n, _ in run.calls] == ["A"]


def test_what_cannot_be_redriven() -> None:
    work, _ = flaky()
    run = Driver(ABC, work)
    ex = run.start({})
    assert ex.status == "SUCCEEDED"
    with pytest.raises(NotRedrivable, match="SUCCEEDED"):
        interpreter.redrive(run.machine, ex, run.now)
    running = interpreter.new_execution(run.machine, {}, run.now)
    with pytest.raises(NotRedrivable, match="RUNNING"):
        interpreter.redrive(run.machine, running, run.now)
    failing, _ = flaky("B")
    full = Driver(ABC, failing)
    ex = full.start({})
    ex.max_events = ex.event_count + 1
    with pytest.raises(NotRedrivable, match="event limit"):
        interpreter.redrive(full.machine, ex, full.now)


def test_a_container_without_a_trace_of_a_started_child_runs_again_whole() -> None:
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "W",
                    "States": {"W": task("W")},
                },
                "End": True,
            }
        },
    }
    failing = {2}
    seen: list[int] = []

    def work(name: str, data: Any) -> Any:
        seen.append(data)
        if data in failing:
            failing.discard(data)
            raise Boom("two")
        return data

    run = Driver(definition, work)
    ex = run.start([0, 1, 2, 3])
    assert ex.status == "FAILED"
    # a state saved before snapshots were kept: the aborted iteration 3 left none
    ex.fallen = [f for f in ex.fallen if f.get("index") != 3 or f.get("parent") is None]
    before = len(run.events)
    seen.clear()
    ex = run.redrive(ex)
    assert ex.status == "SUCCEEDED" and ex.output == [0, 1, 2, 3]
    assert sorted(seen) == [0, 1, 2, 3]
    assert "MapStateEntered" in run.types(before)


def test_a_caught_map_failure_leaves_nothing_for_a_later_map_to_redrive() -> None:
    def inline(state: str) -> dict[str, Any]:
        return {
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": state,
            "States": {state: task(state)},
        }

    definition = {
        "StartAt": "M1",
        "States": {
            "M1": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": inline("W1"),
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.caught", "Next": "M2"}],
                "ResultPath": "$.one",
                "Next": "M2",
            },
            "M2": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": inline("W2"),
                "End": True,
            },
        },
    }
    broken = {("W1", 1), ("W2", 0)}
    seen: list[tuple[str, Any]] = []

    def work(name: str, data: Any) -> Any:
        seen.append((name, data))
        if (name, data) in broken:
            broken.discard((name, data))
            raise Boom(f"{name} {data}")
        return f"{name}:{data}"

    run = Driver(definition, work)
    ex = run.start({"items": [0, 1]})
    assert ex.status == "FAILED"
    assert all(f.get("program") != "/States/M1/ItemProcessor" for f in ex.fallen)
    seen.clear()
    ex = run.redrive(ex)
    assert ex.status == "SUCCEEDED", ex.cause
    assert sorted(seen) == [("W2", 0), ("W2", 1)]  # 1 was aborted when 0 failed; no W1
    assert ex.output == ["W2:0", "W2:1"]
