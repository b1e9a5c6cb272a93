"""The runtime's cap on an execution's life (a Standard one's year) as a signal.

``ExecutionTimeout`` ends a running execution TIMED_OUT with ``States.Timeout``
and an ``ExecutionTimedOut`` event, whatever it waits for; an ended execution
ignores it (the web app's sweep may send it twice).
"""

from __future__ import annotations

import engine
from engine import interpreter
from engine.interpreter.effects import ExecutionTimeout

NAP = {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 3600, "End": True}}}


def test_the_signal_ends_a_waiting_execution_timed_out() -> None:
    machine = engine.parse(NAP)
    state = interpreter.new_execution(machine, {}, 0.0)
    interpreter.start(machine, state, 0.0)
    assert state.status == "RUNNING"
    step = interpreter.advance(machine, state, ExecutionTimeout(), 10.0)
    assert (state.status, state.error) == ("TIMED_OUT", "States.Timeout")
    assert [e["type"] for e in step.events][-1] == "ExecutionTimedOut"
    again = interpreter.advance(machine, state, ExecutionTimeout(), 11.0)
    assert again.events == [] and state.status == "TIMED_OUT"
