"""Compiled Choice-rule conditions: the objects ``ChoiceRule.matches`` evaluates.

Each ``Condition`` is frozen and evaluates against a ``Scope``. Data tests read
their ``Variable`` through a ``PathOperand``, which turns a path that selects
nothing into AWS's ``States.Runtime`` failure (or ``MISSING``, for
``IsPresent``). A JSONata ``Condition`` must produce a boolean, else
``States.QueryEvaluationError`` with AWS's wording (``engine.jsonata_lang``
words an expression that returns nothing or fails).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from engine.choice.operators import Comparison, WildcardPattern
from engine.errors import RUNTIME, StatesError
from engine.jsonata_lang import JsonataTemplate
from engine.jsonpath import PathNotFound, Reference
from engine.jsonvalue import MISSING
from engine.scope import Scope

INVALID_PATH_CAUSE: Final = (
    "Invalid path '{path}': The choice state's condition path references an invalid value."
)


class Condition(ABC):
    """A compiled boolean test over a scope."""

    @abstractmethod
    def evaluate(self, scope: Scope) -> bool: ...


@dataclass(frozen=True, slots=True)
class PathOperand:
    """A reference path in a rule: its ``Variable`` or a ``...Path`` operand."""

    text: str
    reference: Reference

    def read(self, scope: Scope) -> Any:
        """The selected value; a path that selects nothing fails with States.Runtime."""
        try:
            return self.reference.evaluate(scope)
        except PathNotFound:
            raise StatesError(RUNTIME, INVALID_PATH_CAUSE.format(path=self.text)) from None

    def peek(self, scope: Scope) -> Any:
        """The selected value, or MISSING when the path selects nothing."""
        try:
            return self.reference.evaluate(scope)
        except PathNotFound:
            return MISSING


@dataclass(frozen=True, slots=True)
class CompareLiteral(Condition):
    """``{"Variable": ..., "NumericEquals": 1}`` and the like."""

    variable: PathOperand
    comparison: Comparison
    expected: Any

    def evaluate(self, scope: Scope) -> bool:
        actual = self.comparison.coerce(self.variable.read(scope))
        return actual is not None and self.comparison.relation(actual, self.expected)


@dataclass(frozen=True, slots=True)
class ComparePaths(Condition):
    """``{"Variable": ..., "NumericEqualsPath": "$.other"}`` and the like."""

    variable: PathOperand
    comparison: Comparison
    other: PathOperand

    def evaluate(self, scope: Scope) -> bool:
        actual = self.variable.read(scope)
        expected = self.other.read(scope)
        left, right = self.comparison.coerce(actual), self.comparison.coerce(expected)
        return left is not None and right is not None and self.comparison.relation(left, right)


@dataclass(frozen=True, slots=True)
class StringMatches(Condition):
    variable: PathOperand
    pattern: WildcardPattern

    def evaluate(self, scope: Scope) -> bool:
        value = self.variable.read(scope)
        return isinstance(value, str) and self.pattern.matches(value)


@dataclass(frozen=True, slots=True)
class TypeTest(Condition):
    """``IsNull``/``IsPresent``/``IsNumeric``/...: ``test(value) == expected``."""

    variable: PathOperand
    test: Callable[[Any], bool]
    expected: bool
    tolerates_missing: bool = False

    def evaluate(self, scope: Scope) -> bool:
        if self.tolerates_missing:
            value = self.variable.peek(scope)
        else:
            value = self.variable.read(scope)
        return self.test(value) == self.expected


@dataclass(frozen=True, slots=True)
class AllOf(Condition):
    """``And``: stops at the first false operand."""

    operands: tuple[Condition, ...]

    def evaluate(self, scope: Scope) -> bool:
        return all(operand.evaluate(scope) for operand in self.operands)


@dataclass(frozen=True, slots=True)
class AnyOf(Condition):
    """``Or``: stops at the first true operand."""

    operands: tuple[Condition, ...]

    def evaluate(self, scope: Scope) -> bool:
        return any(operand.evaluate(scope) for operand in self.operands)


@dataclass(frozen=True, slots=True)
class Negation(Condition):
    """``Not``."""

    operand: Condition

    def evaluate(self, scope: Scope) -> bool:
        return not self.operand.evaluate(scope)


@dataclass(frozen=True, slots=True)
class Constant(Condition):
    """A JSONata ``Condition`` written as a literal ``true``/``false``."""

    value: bool

    def evaluate(self, scope: Scope) -> bool:
        return self.value


@dataclass(frozen=True, slots=True)
class JsonataCondition(Condition):
    """A JSONata ``Condition`` expression, compiled for the field ``Condition``."""

    template: JsonataTemplate

    def evaluate(self, scope: Scope) -> bool:
        result = self.template.evaluate(scope)
        if isinstance(result, bool):
            return result
        raise self.template.unexpected_type(result, "boolean")
