"""Compiled JSONPath over one document: ``compile_path``, ``JsonPath.find`` and misses.

A definite path yields one value or raises ``PathNotFound`` whose ``reason``
words the miss as AWS (Jayway) does; an indefinite path yields a list of matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from engine.errors import EngineError, ExpressionSyntaxError
from engine.jsonpath.parser import _Parser
from engine.jsonpath.steps import _Index, _Name, _NameUnion, _run_steps, _Step
from engine.jsonvalue import to_json, type_name


class PathNotFound(EngineError):
    """A definite path matched nothing; ``path`` is its text, ``reason`` AWS's wording."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


# ------------------------------------------------------------------- evaluation


def _render(steps: Sequence[_Step], prefix: str = "$") -> str:
    return prefix + "".join(step.render() for step in steps)


@dataclass(frozen=True, slots=True)
class JsonPath:
    """A compiled path over one document; see the module docstring for the syntax."""

    text: str
    steps: tuple[_Step, ...] = field(repr=False, compare=False)
    is_definite: bool = field(compare=False)
    is_reference_path: bool = field(compare=False)
    _keys: tuple[str | int, ...] | None = field(repr=False, compare=False)
    _names: tuple[str, ...] | None = field(repr=False, compare=False)
    _failure: str | None = field(repr=False, compare=False)

    def find(self, document: Any) -> Any:
        """The value (definite path, else ``PathNotFound``) or the list of matches."""
        names = self._names
        if names is not None:
            # Only object members: plain subscripting fails with KeyError on a
            # missing name and TypeError on anything that is not an object.
            node = document
            try:
                for name in names:
                    node = node[name]
            except (KeyError, TypeError):
                raise PathNotFound(self.text, self._explain_miss(document)) from None
            return node
        keys = self._keys
        if keys is None:
            return self._find_general(document)
        node = document
        try:
            for key in keys:  # indexes here are never negative
                if key.__class__ is int and not isinstance(node, list):
                    raise TypeError
                node = node[key]
        except (KeyError, TypeError, IndexError):
            raise PathNotFound(self.text, self._explain_miss(document)) from None
        return node

    def exists(self, document: Any) -> bool:
        """True when a definite path finds a value; an indefinite one always "exists"."""
        try:
            self.find(document)
        except PathNotFound:
            return False
        return True

    def bracket_notation(self) -> str:
        """The path as AWS prints it in messages: ``$['a'][0]``."""
        return _render(self.steps)

    def _find_general(self, document: Any) -> Any:
        if self._failure is not None:
            raise PathNotFound(self.text, self._failure)
        found = _run_steps(self.steps, document, document)
        if not self.is_definite:
            return found
        if found:
            return found[0]
        raise PathNotFound(self.text, self._explain_miss(document))

    def _explain_miss(self, document: Any) -> str:
        node, done = document, "$"
        last = len(self.steps) - 1
        for position, step in enumerate(self.steps):
            found: list[Any] = []
            step.select(node, document, found)
            if not found:
                return _miss_reason(step, node, done, position == last, self.bracket_notation())
            node, done = found[0], done + step.render()
        return f"No results for path: {self.bracket_notation()}"


def _miss_reason(step: _Step, node: Any, done: str, is_leaf: bool, full: str) -> str:
    """Jayway's words for a definite path that stops at ``step`` (reached via ``done``)."""
    if isinstance(step, (_Name, _NameUnion)):
        if not isinstance(node, dict):
            return (
                f"Expected to find an object with property {step.render()} in path {done} "
                f"but found '{type_name(node)}'. This is not a json object."
            )
        if not is_leaf:
            return f"Missing property in path {done}{step.render()}"
    elif node is None:
        return f"The path {done} is null"
    elif not isinstance(node, list):
        return f"Filter: {step.render()} can only be applied to arrays. Current context is: " + (
            to_json(node)
        )
    return f"No results for path: {full}"


def _build(text: str, steps: list[_Step]) -> JsonPath:
    keys = _plain_keys(steps)
    negative = keys is not None and any(isinstance(k, int) and k < 0 for k in keys)
    names = None
    if keys is not None and all(isinstance(k, str) for k in keys):
        names = tuple(str(k) for k in keys)
    return JsonPath(
        text,
        tuple(steps),
        is_definite=all(step.definite for step in steps),
        is_reference_path=keys is not None and not negative,
        _keys=None if negative else keys,
        _names=names,
        _failure=_non_leaf_union(steps),
    )


def _plain_keys(steps: list[_Step]) -> tuple[str | int, ...] | None:
    """The names and indexes of a path made of nothing else (the fast case), else None."""
    keys: list[str | int] = []
    for step in steps:
        if type(step) is _Name:
            keys.append(step.name)
        elif type(step) is _Index:
            keys.append(step.index)
        else:
            return None
    return tuple(keys)


def _non_leaf_union(steps: list[_Step]) -> str | None:
    """Jayway's runtime failure for ``['a','b']`` anywhere but at the end of a path."""
    for position, step in enumerate(steps[:-1]):
        if isinstance(step, _NameUnion):
            return "Multi properties can only be used as path leafs: " + _render(
                steps[: position + 1]
            )
    return None


def compile_path(text: str) -> JsonPath:
    """Parse ``text`` (which must start with ``$``) once; ``ExpressionSyntaxError`` if invalid."""
    if not isinstance(text, str):
        raise ExpressionSyntaxError(f"A path must be a string, not {type_name(text)}")
    return _compile_path(text)


@lru_cache(maxsize=4096)
def _compile_path(text: str) -> JsonPath:
    return _build(text, _Parser(text).path())


def compile_result_path(text: str) -> JsonPath:
    """A ResultPath: a reference path into ``$`` made only of names and indexes."""
    path = compile_path(text)
    if not path.is_reference_path:
        raise ExpressionSyntaxError(
            f"Invalid ResultPath {text!r}: a reference path may only use names and "
            "non-negative indexes (no '*', '..', slices, unions or filters)"
        )
    return path
