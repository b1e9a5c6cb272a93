"""The functional core driven by hand: save/restore after every step, duplicate and stale signals.

Each test drives ``engine.interpreter.start/advance`` itself (no runner), carries
out the effects with scripted answers on a virtual clock, and after every step
round-trips the execution state through ``to_dict -> json -> from_dict``. The
result and the full history must equal an uninterrupted ``engine.run``.
"""

from __future__ import annotations

import heapq
import itertools
import json
from typing import Any

import pytest

import engine
from engine import interpreter
from engine.adapters import MockTasks
from engine.interpreter.data import ExecutionState, from_dict, to_dict
from engine.interpreter.effects import (
    CancelTask,
    CancelTimer,
    InvokeTask,
    Signal,
    StartTimer,
    TaskFailed,
    TaskHeartbeat,
    TaskSucceeded,
    TimerFired,
)
from engine.runner import DEFAULT_START

LAMBDA = "arn:aws:states:::lambda:invoke"


def roundtrip(ex: ExecutionState) -> ExecutionState:
    return from_dict(json.loads(json.dumps(to_dict(ex))))


class Driver:
    """A minimal runtime: scripted task answers, timers, cancellation; state saved every step."""

    def __init__(self, definition: dict[str, Any], data: Any, mocks: dict[str, Any]) -> None:
        self.machine = engine.parse(definition)
        self.mocks = MockTasks(dict(mocks))
        self.clock = DEFAULT_START
        self.ex = interpreter.new_execution(self.machine, data, self.clock, max_events=None)
        self.heap: list[tuple[float, int, Signal]] = []
        self.order = itertools.count()
        self.cancelled_tasks: set[int] = set()
        self.cancelled_timers: set[int] = set()
        self.events: list[dict[str, Any]] = []
        self.delivered: list[tuple[float, Signal]] = []
        self.invocations: list[InvokeTask] = []

    def _take(self, step: interpreter.StepResult) -> None:
        self.events.extend(step.events)
        self.ex = roundtrip(step.state)
        for effect in step.effects:
            if isinstance(effect, InvokeTask):
                self.invocations.append(effect)
                response = self.mocks.invoke(effect)
                for offset in response.heartbeats:
                    self._add(self.clock + offset, TaskHeartbeat(effect.task_id))
                answer: Signal
                if response.failed:
                    answer = TaskFailed(effect.task_id, response.error, response.cause)
                else:
                    answer = TaskSucceeded(effect.task_id, response.output)
                self._add(self.clock + response.duration, answer)
            elif isinstance(effect, StartTimer):
                self._add(effect.fire_at, TimerFired(effect.timer_id))
            elif isinstance(effect, CancelTimer):
                self.cancelled_timers.add(effect.timer_id)
            elif isinstance(effect, CancelTask):
                self.cancelled_tasks.add(effect.task_id)

    def _add(self, at: float, signal: Signal) -> None:
        heapq.heappush(self.heap, (at, next(self.order), signal))

    def _cancelled(self, signal: Signal) -> bool:
        if isinstance(signal, TimerFired):
            return signal.timer_id in self.cancelled_timers
        return getattr(signal, "task_id", None) in self.cancelled_tasks

    def start(self) -> None:
        self._take(interpreter.start(self.machine, self.ex, self.clock))

    def feed(self, signal: Signal, at: float | None = None) -> list[dict[str, Any]]:
        """Deliver one signal (even a cancelled or duplicate one); return the new events."""
        if at is not None:
            self.clock = max(self.clock, at)
        before = len(self.events)
        self._take(interpreter.advance(self.machine, self.ex, signal, self.clock))
        return self.events[before:]

    def step(self) -> bool:
        while self.heap:
            at, _, signal = heapq.heappop(self.heap)
            if not self._cancelled(signal):
                self.delivered.append((at, signal))
                self.feed(signal, at)
                return True
        return False

    def run(self) -> Driver:
        self.start()
        while self.ex.status == "RUNNING" and self.step():
            pass
        return self


def uninterrupted(
    definition: dict[str, Any], data: Any, mocks: dict[str, Any]
) -> engine.ExecutionResult:
    return engine.run(engine.parse(definition), data, mocks=mocks)


TASK_CHAIN = {
    "StartAt": "A",
    "States": {
        "A": {
            "Type": "Task",
            "Resource": LAMBDA,
            "Parameters": {"n.$": "$.n", "try.$": "$$.State.RetryCount"},
            "ResultPath": "$.a",
            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2, "JitterStrategy": "FULL"}],
            "Assign": {"seen.$": "$.Payload"},
            "Next": "W",
        },
        "W": {"Type": "Wait", "Seconds": 30, "Next": "B"},
        "B": {
            "Type": "Task",
            "Resource": LAMBDA,
            "TimeoutSeconds": 5,
            "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.late", "Next": "Done"}],
            "Next": "Done",
        },
        "Done": {"Type": "Pass", "Parameters": {"seen.$": "$seen", "all.$": "$"}, "End": True},
    },
}
TASK_CHAIN_MOCKS = {
    "A": [{"Throw": {"Error": "Flaky", "Cause": "1"}}, {"Return": {"Payload": "ok"}, "Delay": 3}],
    "B": [{"Return": "never", "Delay": 60}],
}

CONTAINERS = {
    "StartAt": "P",
    "States": {
        "P": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "M",
                    "States": {
                        "M": {
                            "Type": "Map",
                            "MaxConcurrency": 2,
                            "ItemsPath": "$.items",
                            "ItemProcessor": {
                                "StartAt": "Work",
                                "States": {
                                    "Work": {
                                        "Type": "Task",
                                        "Resource": LAMBDA,
                                        "HeartbeatSeconds": 5,
                                        "End": True,
                                    }
                                },
                            },
                            "End": True,
                        }
                    },
                },
                {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 7, "End": True}}},
            ],
            "End": True,
        }
    },
}
CONTAINERS_MOCKS = {"Work": [{"Return": "w", "Delay": 12, "Heartbeats": [4, 8]}]}


@pytest.mark.parametrize(
    ("definition", "data", "mocks"),
    [
        (TASK_CHAIN, {"n": 1}, TASK_CHAIN_MOCKS),
        (CONTAINERS, {"items": [1, 2, 3]}, CONTAINERS_MOCKS),
    ],
    ids=["task-chain", "containers"],
)
def test_saved_after_every_step_equals_uninterrupted_run(
    definition: dict[str, Any], data: Any, mocks: dict[str, Any]
) -> None:
    driven = Driver(definition, data, mocks).run()
    reference = uninterrupted(definition, data, mocks)
    assert reference.status == "SUCCEEDED"
    assert driven.ex.status == reference.status
    assert driven.ex.output == reference.output
    assert driven.events == reference.events


def test_task_chain_reference_output() -> None:
    reference = uninterrupted(TASK_CHAIN, {"n": 1}, TASK_CHAIN_MOCKS)
    assert reference.output == {
        "seen": "ok",
        "all": {"n": 1, "a": {"Payload": "ok"}, "late": {"Error": "States.Timeout"}},
    }


def test_duplicate_task_answer_adds_no_events() -> None:
    definition = {
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": LAMBDA, "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 10, "End": True},
        },
    }
    driver = Driver(definition, {}, {"T": [{"Return": 1}]})
    driver.start()
    (invoke,) = driver.invocations
    first = driver.feed(TaskSucceeded(invoke.task_id, 1))
    assert [e["type"] for e in first] == ["TaskSucceeded", "TaskStateExited", "WaitStateEntered"]
    assert driver.feed(TaskSucceeded(invoke.task_id, 1)) == []
    assert driver.feed(TaskFailed(invoke.task_id, "E", "late")) == []
    assert driver.feed(TaskHeartbeat(invoke.task_id)) == []
    while driver.step():
        pass
    assert driver.ex.status == "SUCCEEDED"
    assert [e["type"] for e in driver.events].count("TaskSucceeded") == 1


def test_duplicate_timer_fired_adds_no_events() -> None:
    definition = {
        "StartAt": "W",
        "States": {
            "W": {"Type": "Wait", "Seconds": 5, "Next": "X"},
            "X": {"Type": "Wait", "Seconds": 5, "End": True},
        },
    }
    driver = Driver(definition, {}, {})
    driver.start()
    assert driver.step()
    _, fired = driver.delivered[-1]
    assert driver.feed(fired) == []
    while driver.step():
        pass
    assert driver.ex.status == "SUCCEEDED"
    assert [e["type"] for e in driver.events].count("WaitStateExited") == 2


def test_stale_task_id_from_a_previous_attempt_is_ignored() -> None:
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": LAMBDA,
                "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 1}],
                "End": True,
            }
        },
    }
    driver = Driver(
        definition,
        {},
        {"T": [{"Throw": {"Error": "E"}, "Delay": 1}, {"Return": "new", "Delay": 50}]},
    )
    driver.start()
    first_attempt = driver.invocations[0].task_id
    driver.step()  # the failure
    driver.step()  # the retry timer: attempt two is scheduled
    assert len(driver.invocations) == 2
    assert driver.feed(TaskSucceeded(first_attempt, "stale")) == []
    while driver.step():
        pass
    assert driver.ex.output == "new"


def test_answer_after_timeout_is_ignored() -> None:
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": LAMBDA, "TimeoutSeconds": 5, "End": True}},
    }
    driver = Driver(definition, {}, {"T": [{"Return": 1, "Delay": 10}]})
    driver.run()
    assert driver.ex.status == "FAILED"
    (invoke,) = driver.invocations
    assert driver.feed(TaskSucceeded(invoke.task_id, 1)) == []
    assert driver.cancelled_tasks == {invoke.task_id}


def test_unknown_ids_are_ignored_while_running() -> None:
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": True}}}
    driver = Driver(definition, {}, {})
    driver.start()
    count = driver.ex.event_count
    assert driver.feed(TimerFired(999)) == []
    assert driver.feed(TaskSucceeded(999, "x")) == []
    assert driver.ex.event_count == count
    assert driver.ex.status == "RUNNING"


def test_cancelled_sibling_task_answer_is_ignored() -> None:
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "A",
                        "States": {"A": {"Type": "Task", "Resource": LAMBDA, "End": True}},
                    },
                    {
                        "StartAt": "B",
                        "States": {"B": {"Type": "Task", "Resource": LAMBDA, "End": True}},
                    },
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Later"}],
                "End": True,
            },
            "Later": {"Type": "Wait", "Seconds": 100, "End": True},
        },
    }
    mocks = {"A": [{"Throw": {"Error": "Boom"}, "Delay": 1}], "B": [{"Return": "b", "Delay": 5}]}
    driver = Driver(definition, {}, mocks)
    driver.start()
    b_task = next(i.task_id for i in driver.invocations if i.state_name == "B")
    driver.step()  # A fails, B is cancelled, the catcher's Wait starts
    assert b_task in driver.cancelled_tasks
    assert driver.feed(TaskSucceeded(b_task, "b"), at=DEFAULT_START + 5) == []
    while driver.step():
        pass
    assert driver.ex.status == "SUCCEEDED"
    assert driver.events == uninterrupted(definition, {}, mocks).events


def test_snapshot_is_plain_json() -> None:
    driver = Driver(CONTAINERS, {"items": [1, 2, 3]}, CONTAINERS_MOCKS)
    driver.start()
    snapshot = to_dict(driver.ex)
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert from_dict(snapshot).frames.keys() == driver.ex.frames.keys()
