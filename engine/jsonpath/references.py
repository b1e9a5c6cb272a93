"""Reference paths and their roots: ``$`` (input), ``$$`` (the context object), ``$name``.

``compile_reference`` compiles once; ``Reference.evaluate(scope)`` reads the
input, the context object or a workflow variable. ``bracket_notation`` prints a
path the way AWS does in messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final, Literal

from engine.errors import ExpressionSyntaxError
from engine.jsonpath.parser import _Parser
from engine.jsonpath.paths import JsonPath, PathNotFound, _build, _render, compile_path
from engine.jsonvalue import type_name
from engine.scope import Scope

_NOTHING: Final = object()


def bracket_notation(text: str) -> str:
    """``$.NoSuchInputPath`` -> ``$['NoSuchInputPath']``, as AWS shows paths in messages.

    ``$$.a`` renders as ``$$['a']`` and ``$var.a`` as ``$var['a']``.
    """
    reference = compile_reference(text)
    prefix = {"input": "$", "context": "$$"}.get(reference.root, f"${reference.variable}")
    return _render(reference.path.steps, prefix)


# -------------------------------------------------------------------- references

Root = Literal["input", "context", "variable"]


@dataclass(frozen=True, slots=True)
class Reference:
    """A path from ``$`` (input), ``$$`` (context object) or ``$name`` (a variable)."""

    text: str
    root: Root
    variable: str | None
    path: JsonPath = field(repr=False)

    @property
    def is_definite(self) -> bool:
        return self.path.is_definite

    def document(self, scope: Scope) -> Any:
        """The document this reference reads: the input, the context or the variable."""
        if self.root == "input":
            return scope.input
        if self.root == "context":
            return scope.context
        value = scope.variables.get(self.variable or "", _NOTHING)
        if value is _NOTHING:
            raise PathNotFound(self.text, f"The variable '${self.variable}' is not defined")
        return value

    def evaluate(self, scope: Scope) -> Any:
        """The selected value (or list of matches); ``PathNotFound`` when nothing matches."""
        if self.root == "input":
            return self.path.find(scope.input)
        try:
            return self.path.find(self.document(scope))
        except PathNotFound as miss:
            if miss.path == self.text:
                raise
            raise PathNotFound(self.text, miss.reason) from None


def _variable_name(text: str) -> str:
    end = 1
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return text[1:end]


def compile_reference(text: str) -> Reference:
    """Compile a path rooted at ``$``, ``$$`` or ``$name``; ``ExpressionSyntaxError`` if invalid."""
    if not isinstance(text, str) or not text.startswith("$"):
        shown = text if isinstance(text, str) else type_name(text)
        raise ExpressionSyntaxError(f"Invalid path {shown!r}: a path must start with '$'")
    return _compile_reference(text)


@lru_cache(maxsize=4096)
def _compile_reference(text: str) -> Reference:
    if text.startswith("$$"):
        return Reference(text, "context", None, _relative(text, text[2:], 2))
    name = _variable_name(text)
    if name:
        return Reference(
            text, "variable", name, _relative(text, text[1 + len(name) :], 1 + len(name))
        )
    return Reference(text, "input", None, compile_path(text))


def _relative(text: str, rest: str, offset: int) -> JsonPath:
    """Compile ``$`` + ``rest`` (the path after ``$$`` or ``$name``); errors name ``text``."""
    parser = _Parser(text)
    parser.pos = offset
    steps = parser.segments(in_filter=False)
    if not parser.at_end():
        raise parser.error(f"unexpected {parser.peek()!r}")
    return _build("$" + rest, steps)
