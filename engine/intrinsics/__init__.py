"""AWS Step Functions intrinsic functions (JSONPath mode): ``States.Format(...)`` and friends.

A ``.$`` value, an ``ErrorPath`` or a ``CausePath`` that starts with ``States.``
is an intrinsic call. It is compiled once into a frozen call tree::

    intrinsic = compile_intrinsic("States.Format('Hello, {}!', $.name)")
    intrinsic.evaluate(Scope(input={"name": "Ada"}))   # 'Hello, Ada!'

* ``compile_intrinsic`` raises ``ExpressionSyntaxError`` (and nothing else) for
  bad syntax, an unknown function, a wrong number of arguments, a bad path, or
  a literal ``States.Format`` template whose ``{}`` count does not match its
  arguments.
* ``Intrinsic.evaluate`` raises ``StatesError("States.IntrinsicFailure", detail)``
  when a function rejects its arguments at run time, ``StatesError("States.Runtime",
  detail)`` for a string literal with an undefined backslash escape (AWS documents
  that as a runtime error), and lets ``engine.jsonpath.PathNotFound`` through
  when a path argument matches nothing.

The package is split into ``parser`` (text to call tree), ``nodes`` (the tree),
``functions`` (the functions and their dispatch table ``FUNCTIONS``) and
``javatext`` (how ``States.Format`` prints non-string values).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from engine.errors import ExpressionSyntaxError
from engine.intrinsics.functions import FUNCTIONS
from engine.intrinsics.nodes import Call
from engine.intrinsics.parser import parse_call
from engine.scope import Scope

__all__ = ["FUNCTIONS", "Intrinsic", "compile_intrinsic", "is_intrinsic"]

PREFIX = "States."


def is_intrinsic(text: Any) -> bool:
    """True when ``text`` is meant as an intrinsic call (a string starting with ``States.``)."""
    return isinstance(text, str) and text.startswith(PREFIX)


def compile_intrinsic(text: str) -> Intrinsic:
    """Parse ``text`` once into an ``Intrinsic``; ``ExpressionSyntaxError`` if it cannot be."""
    if not is_intrinsic(text):
        raise ExpressionSyntaxError(
            f"Invalid intrinsic function call {text!r}: it must start with {PREFIX!r}"
        )
    return Intrinsic(text, parse_call(text))


@dataclass(frozen=True, slots=True)
class Intrinsic:
    """A compiled intrinsic call; ``text`` is what the definition says."""

    text: str
    call: Call

    def evaluate(self, scope: Scope) -> Any:
        """The call's result, never sharing a list or an object with the scope's documents."""
        result = self.call.evaluate(scope)
        return copy.deepcopy(result) if isinstance(result, (list, dict)) else result
