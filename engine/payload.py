"""Payload templates of the JSONPath query language, compiled once.

``Parameters``, ``ResultSelector``, ``ItemSelector`` and the JSONPath-mode
``Assign`` and Fail payloads are JSON values in which an object key ending in
``.$`` takes a path or an intrinsic function call instead of a literal::

    {"greeting.$": "States.Format('Hi {}', $.name)", "id.$": "$$.Execution.Id",
     "total.$": "$order.total", "fixed": [1, {"x.$": "$.x"}]}

The output key drops the ``.$``. Paths start at ``$`` (the scope's input),
``$$`` (the context object) or ``$name`` (a variable). ``.$`` keys work at any
depth, inside arrays too. A template with no ``.$`` key anywhere evaluates to
the template itself, shared and never copied: callers must treat every JSON
value they get from the engine as immutable.

Failures are ``StatesError("States.Runtime", detail)`` with AWS's wording:
``The JSONPath '$.x' specified for the field 'x.$' could not be found in the
input '{"a":1}'``, and ``Unable to apply Path transformation to null or empty
input.`` when an input path is applied to a ``null`` input.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Protocol

from engine.errors import RUNTIME, ExpressionSyntaxError, StatesError
from engine.jsonpath import PathNotFound, Reference, compile_reference
from engine.jsonvalue import to_json, type_name
from engine.scope import Scope

__all__ = ["NULL_INPUT_CAUSE", "Payload", "compile_payload", "not_found_cause"]

NULL_INPUT_CAUSE: Final = "Unable to apply Path transformation to null or empty input."
_SUFFIX: Final = ".$"


def not_found_cause(path: str, key: str, document: Any) -> str:
    """AWS's cause detail for a ``.$`` path that matched nothing."""
    return (
        f"The JSONPath '{path}' specified for the field '{key}' could not be found "
        f"in the input '{to_json(document)}'"
    )


class _Node(Protocol):
    def evaluate(self, scope: Scope) -> Any: ...


@dataclass(frozen=True, slots=True)
class _Constant:
    value: Any

    def evaluate(self, scope: Scope) -> Any:
        return self.value


@dataclass(frozen=True, slots=True)
class _Dynamic:
    """A ``.$`` value: a path or an intrinsic call; ``key`` is the field as written."""

    key: str
    text: str
    reads_input: bool
    evaluator: Callable[[Scope], Any]

    def evaluate(self, scope: Scope) -> Any:
        if self.reads_input and scope.input is None:
            raise StatesError(RUNTIME, NULL_INPUT_CAUSE)
        try:
            return self.evaluator(scope)
        except PathNotFound as miss:
            raise StatesError(RUNTIME, not_found_cause(miss.path, self.key, scope.input)) from None


@dataclass(frozen=True, slots=True)
class _Object:
    entries: tuple[tuple[str, _Node], ...]

    def evaluate(self, scope: Scope) -> Any:
        return {key: node.evaluate(scope) for key, node in self.entries}


@dataclass(frozen=True, slots=True)
class _Array:
    items: tuple[_Node, ...]

    def evaluate(self, scope: Scope) -> Any:
        return [item.evaluate(scope) for item in self.items]


@dataclass(frozen=True, slots=True)
class Payload:
    """A compiled template; ``field`` names the definition field it came from."""

    field: str
    template: Any
    root: _Node

    @property
    def is_constant(self) -> bool:
        """True when the template has no ``.$`` key: ``evaluate`` returns it as is."""
        return isinstance(self.root, _Constant)

    def evaluate(self, scope: Scope) -> Any:
        """The template with every ``.$`` key resolved against ``scope``."""
        return self.root.evaluate(scope)


def compile_payload(template: Any, field: str) -> Payload:
    """Compile a JSON template once; ``ExpressionSyntaxError`` names the bad ``.$`` key."""
    return Payload(field, template, _compile(template, field))


def _compile(value: Any, where: str) -> _Node:
    if isinstance(value, dict):
        return _compile_object(value, where)
    if isinstance(value, list):
        items = tuple(_compile(item, f"{where}[{i}]") for i, item in enumerate(value))
        if all(isinstance(item, _Constant) for item in items):
            return _Constant(value)
        return _Array(items)
    return _Constant(value)


def _compile_object(value: dict[str, Any], where: str) -> _Node:
    entries: list[tuple[str, _Node]] = []
    seen: set[str] = set()
    for key, item in value.items():
        location = f"{where}/{key}"
        if key.endswith(_SUFFIX):
            name, node = key[: -len(_SUFFIX)], _compile_dynamic(key, item, location)
        else:
            name, node = key, _compile(item, location)
        if name in seen:
            raise ExpressionSyntaxError(f"{location}: the field '{name}' is given twice")
        seen.add(name)
        entries.append((name, node))
    if all(isinstance(node, _Constant) for _, node in entries):
        return _Constant(value)
    return _Object(tuple(entries))


def _compile_dynamic(key: str, text: Any, location: str) -> _Node:
    if not isinstance(text, str):
        raise ExpressionSyntaxError(
            f"{location}: the value of a field ending in '.$' must be a path or an "
            f"intrinsic function call, not {type_name(text)}"
        )
    if text.startswith("$"):
        reference = _reference(text, location)
        return _Dynamic(key, text, reference.root == "input", reference.evaluate)
    intrinsics = importlib.import_module("engine.intrinsics")
    if not intrinsics.is_intrinsic(text):
        raise ExpressionSyntaxError(
            f"{location}: {text!r} is neither a path (starting with '$') nor an "
            "intrinsic function call (starting with 'States.')"
        )
    try:
        intrinsic = intrinsics.compile_intrinsic(text)
    except ExpressionSyntaxError as exc:
        raise ExpressionSyntaxError(f"{location}: {exc.message}") from None
    return _Dynamic(key, text, False, intrinsic.evaluate)


def _reference(text: str, location: str) -> Reference:
    try:
        return compile_reference(text)
    except ExpressionSyntaxError as exc:
        raise ExpressionSyntaxError(f"{location}: {exc.message}") from None
