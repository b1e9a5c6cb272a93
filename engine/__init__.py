"""Stateyard's engine: a pure-Python interpreter and validator of the Amazon States Language.

    import engine
    machine = engine.parse(definition)        # validate and compile once
    result = engine.run(machine, {"x": 1})    # run in memory, full history
    problems = engine.validate(definition)    # every problem, with JSON Pointers

The durable, step-by-step form of the interpreter lives in
``engine.interpreter`` (``new_execution``, ``start``, ``advance``).
"""

from __future__ import annotations

from engine.adapters import AdapterRegistry, MockTasks, TaskResponse
from engine.diagnostics import Diagnostic
from engine.errors import DefinitionError, EngineError, ExpressionSyntaxError, StatesError
from engine.model import StateMachine
from engine.parser import parse
from engine.runner import ExecutionResult, run
from engine.validation import validate

__all__ = [
    "AdapterRegistry",
    "DefinitionError",
    "Diagnostic",
    "EngineError",
    "ExecutionResult",
    "ExpressionSyntaxError",
    "MockTasks",
    "StateMachine",
    "StatesError",
    "TaskResponse",
    "parse",
    "run",
    "validate",
]
