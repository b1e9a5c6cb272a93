"""Choice-state rules, compiled once and evaluated against a ``Scope``.

``compile_rule(rule, query_language, location)`` turns one element of a
Choice state's ``Choices`` into a ``ChoiceRule``; ``ChoiceRule.matches(scope)``
says whether it holds. ``first_match``/``choose`` walk compiled rules in order
the way the interpreter does.

JSONPath rules follow the States Language and what AWS does:

* A data-test rule names a ``Variable`` (a reference path: ``$.x``, ``$$.x`` or
  ``$var.x``) and exactly one operator (see ``engine.choice.operators``).
  Comparisons take a literal of their type; their ``...Path`` forms read the
  other value from a second reference path.
* A value of the wrong type makes a comparison false, never an error.
* A path that selects nothing fails the state with ``States.Runtime``, for the
  ``Variable`` of every operator except ``IsPresent`` (which is then false), and
  for the second path of the ``...Path`` forms.
* ``StringMatches``: ``*`` matches any run of characters, ``\\*`` is a literal
  star, ``\\\\`` a literal backslash; any other backslash is rejected here.
* ``And``/``Or`` take a non-empty list of rules and stop at the first decisive
  one; ``Not`` takes one rule. Only top-level rules carry ``Next``.

A JSONata rule has a ``Condition``: ``true``/``false`` or a ``{% %}`` expression
that must evaluate to a boolean, else ``States.QueryEvaluationError``.

Every top-level rule keeps its ``Next`` and, raw and unevaluated for the
interpreter, its ``Output`` and ``Assign`` (``MISSING`` when absent).
A malformed rule raises ``ExpressionSyntaxError`` naming its location.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from engine.choice.conditions import (
    INVALID_PATH_CAUSE,
    AllOf,
    AnyOf,
    CompareLiteral,
    ComparePaths,
    Condition,
    Constant,
    JsonataCondition,
    Negation,
    PathOperand,
    StringMatches,
    TypeTest,
)
from engine.choice.operators import (
    COMPARISONS,
    OPERATORS,
    PATH_COMPARISONS,
    STRING_MATCHES,
    TYPE_TESTS,
    compile_wildcard,
)
from engine.errors import ExpressionSyntaxError
from engine.jsonata_lang import compile_template, is_jsonata_expression
from engine.jsonpath import compile_reference
from engine.jsonvalue import MISSING
from engine.scope import Scope

__all__ = [
    "INVALID_PATH_CAUSE",
    "JSONATA",
    "JSONPATH",
    "OPERATORS",
    "ChoiceRule",
    "choose",
    "compile_choices",
    "compile_rule",
    "first_match",
]

JSONPATH: Final = "JSONPath"
JSONATA: Final = "JSONata"
COMBINATORS: Final = ("And", "Or", "Not")

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class ChoiceRule:
    """One compiled Choice Rule: its condition plus what the interpreter needs."""

    condition: Condition
    location: str
    next: str | None = None
    output: Any = MISSING
    assign: Any = MISSING

    def matches(self, scope: Scope) -> bool:
        return self.condition.evaluate(scope)


def compile_rule(rule: Any, query_language: str, location: str) -> ChoiceRule:
    """Compile one top-level Choice Rule (an element of ``Choices``)."""
    _require(isinstance(rule, dict), location, "a Choice Rule must be an object")
    if query_language == JSONATA:
        condition = _compile_jsonata_condition(rule, location)
    else:
        condition = _compile_jsonpath_condition(rule, location)
    return ChoiceRule(
        condition=condition,
        location=location,
        next=rule.get("Next"),
        output=rule.get("Output", MISSING),
        assign=rule.get("Assign", MISSING),
    )


def compile_choices(choices: Sequence[Any], query_language: str, location: str) -> list[ChoiceRule]:
    """Compile a whole ``Choices`` list; ``location`` is the list's own location."""
    return [
        compile_rule(rule, query_language, f"{location}/{index}")
        for index, rule in enumerate(choices)
    ]


def first_match(rules: Iterable[ChoiceRule], scope: Scope) -> ChoiceRule | None:
    """The first rule that holds, in order, or None."""
    return next((rule for rule in rules if rule.matches(scope)), None)


def choose(rules: Iterable[ChoiceRule], scope: Scope, default: str | None = None) -> str | None:
    """The ``Next`` of the first matching rule, else ``default`` (None: nothing matched)."""
    matched = first_match(rules, scope)
    return matched.next if matched is not None else default


def _require(condition: bool, location: str, message: str) -> None:
    if not condition:
        raise ExpressionSyntaxError(f"{location}: {message}")


def _compile_jsonata_condition(rule: Mapping[str, Any], location: str) -> Condition:
    _require("Condition" in rule, location, "a JSONata Choice Rule needs a 'Condition'")
    value = rule["Condition"]
    if isinstance(value, bool):
        return Constant(value)
    _require(
        is_jsonata_expression(value),
        f"{location}/Condition",
        "must be true, false or a JSONata expression '{% ... %}'",
    )
    return JsonataCondition(compile_template(value, "Condition"))


def _compile_jsonpath_condition(rule: Any, location: str) -> Condition:
    _require(isinstance(rule, dict), location, "a Choice Rule must be an object")
    combinators = [name for name in COMBINATORS if name in rule]
    if combinators:
        _require(
            len(combinators) == 1 and "Variable" not in rule,
            location,
            "a Choice Rule has exactly one of 'And', 'Or', 'Not' and no 'Variable'",
        )
        return _compile_combinator(combinators[0], rule[combinators[0]], location)
    _require("Variable" in rule, location, "a Choice Rule needs a 'Variable' or 'And'/'Or'/'Not'")
    operators = [name for name in rule if name in OPERATORS]
    _require(
        len(operators) == 1,
        location,
        f"a Choice Rule needs exactly one comparison operator, found {len(operators)}",
    )
    name = operators[0]
    variable = _compile_path(rule["Variable"], f"{location}/Variable")
    return _compile_operator(name, rule[name], variable, f"{location}/{name}")


def _compile_combinator(name: str, operand: Any, location: str) -> Condition:
    here = f"{location}/{name}"
    if name == "Not":
        return Negation(_compile_jsonpath_condition(operand, here))
    _require(
        isinstance(operand, list) and len(operand) > 0, here, "must be a non-empty array of rules"
    )
    operands = tuple(
        _compile_jsonpath_condition(item, f"{here}/{index}") for index, item in enumerate(operand)
    )
    return AllOf(operands) if name == "And" else AnyOf(operands)


def _compile_operator(name: str, operand: Any, variable: PathOperand, location: str) -> Condition:
    if name in TYPE_TESTS:
        _require(isinstance(operand, bool), location, "must be true or false")
        return TypeTest(variable, TYPE_TESTS[name], operand, tolerates_missing=name == "IsPresent")
    if name == STRING_MATCHES:
        _require(isinstance(operand, str), location, "must be a string")
        return StringMatches(variable, _located(location, compile_wildcard, operand))
    if name in PATH_COMPARISONS:
        return ComparePaths(variable, PATH_COMPARISONS[name], _compile_path(operand, location))
    comparison = COMPARISONS[name]
    expected = comparison.coerce(operand)
    _require(expected is not None, location, f"must be a {comparison.type_label}")
    return CompareLiteral(variable, comparison, expected)


def _compile_path(text: Any, location: str) -> PathOperand:
    _require(isinstance(text, str), location, "must be a reference path string")
    return PathOperand(text, _located(location, compile_reference, text))


def _located(location: str, compile_text: Callable[[str], _T], text: str) -> _T:
    """Run a compile function, prefixing any ExpressionSyntaxError with ``location``."""
    try:
        return compile_text(text)
    except ExpressionSyntaxError as error:
        raise ExpressionSyntaxError(f"{location}: {error.message}") from None
