"""A runaway JSONata expression is bounded: its own time limit, the execution's deadline, a Stop.

The tail-recursive ``$f := function($n){ $f($n+1) }`` never overflows the stack
(the library turns tail calls into a loop), so before these bounds it ran for ever
and an Express execution holding it never reached its 5-minute limit.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

import engine
from engine import interrupts
from engine.interrupts import Stop, Watch
from engine.jsonata_lang import compile_template
from engine.scope import Scope

RUNAWAY = "{% ($f := function($n){ $f($n+1) }; $f(0)) %}"


def runaway(**extra: Any) -> dict[str, Any]:
    return {
        "QueryLanguage": "JSONata",
        "StartAt": "S",
        "States": {"S": {"Type": "Pass", "Output": RUNAWAY, "End": True, **extra}},
    }


def types(result: engine.ExecutionResult) -> list[str]:
    return [e["type"] for e in result.events]


def test_an_endless_evaluation_fails_at_its_time_limit() -> None:
    template = compile_template(RUNAWAY, "Output")
    with (
        interrupts.watching(Watch(jsonata_seconds=1)),
        pytest.raises(engine.StatesError) as caught,
    ):
        template.evaluate(Scope(input={}))
    assert caught.value.error == "States.QueryEvaluationError"
    assert "longer than the limit of 1 seconds (JSONATA_MAX_SECONDS)" in str(caught.value.cause)


def test_the_time_limit_fails_the_state_so_catchers_apply() -> None:
    branch = runaway()
    del branch["QueryLanguage"]
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [branch],
                "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Succeed"},
        },
    }
    result = engine.run(engine.parse(definition), {}, jsonata_seconds=1)
    assert result.status == "SUCCEEDED"
    assert "EvaluationFailed" in types(result)
    assert types(result)[-3:] == ["SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]


def test_the_execution_deadline_interrupts_an_evaluation() -> None:
    result = engine.run(
        engine.parse(runaway()), {}, real_time=True, max_seconds=1, jsonata_seconds=60
    )
    assert (result.status, result.error) == ("TIMED_OUT", "States.Timeout")
    assert types(result) == ["ExecutionStarted", "PassStateEntered", "ExecutionTimedOut"]


def test_the_definitions_timeout_interrupts_an_evaluation() -> None:
    result = engine.run(
        engine.parse({**runaway(), "TimeoutSeconds": 1}), {}, real_time=True, jsonata_seconds=60
    )
    assert (result.status, result.error) == ("TIMED_OUT", "States.Timeout")


def test_a_stop_interrupts_an_evaluation() -> None:
    requested: list[Stop] = []
    probed = threading.Event()

    def stopped() -> Stop | None:
        probed.set()
        return requested[0] if requested else None

    def stop_once_evaluating() -> None:
        probed.wait(30)
        requested.append(Stop("Halt", "enough"))

    threading.Thread(target=stop_once_evaluating, daemon=True).start()
    result = engine.run(
        engine.parse(runaway()), {}, real_time=True, stopped=stopped, jsonata_seconds=60
    )
    assert (result.status, result.error, result.cause) == ("ABORTED", "Halt", "enough")
    assert types(result) == ["ExecutionStarted", "PassStateEntered", "ExecutionAborted"]


def test_a_stop_ends_a_wait_without_waiting_it_out() -> None:
    requested: list[Stop] = []
    napping = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}}

    def stopped() -> Stop | None:
        if not requested:
            requested.append(Stop())  # asked first after the Wait began: stop from then on
            return None
        return requested[0]

    result = engine.run(engine.parse(napping), {}, real_time=True, stopped=stopped)
    assert result.status == "ABORTED"
    assert types(result) == ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"]


def test_ordinary_expressions_are_not_slowed_into_failing() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "S",
        "States": {
            "S": {
                "Type": "Pass",
                "Output": "{% $sum([1..20000].($ * 2)) %}",
                "End": True,
            }
        },
    }
    result = engine.run(engine.parse(definition), {})
    assert (result.status, result.output) == ("SUCCEEDED", 400020000)
