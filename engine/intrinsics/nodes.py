"""The frozen call tree a compiled intrinsic is made of.

Each node evaluates against a ``Scope``: literals return their value, path
arguments ask their compiled reference (``engine.jsonpath``), calls evaluate
their arguments left to right and run the function from the dispatch table.
A function's ``ArgumentError`` becomes ``StatesError("States.IntrinsicFailure",
detail)`` here, naming the call that failed. A path argument that matches
nothing raises ``engine.jsonpath.PathNotFound`` unchanged, so the payload
template that holds the intrinsic can report it against its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from engine.errors import INTRINSIC_FAILURE, RUNTIME, StatesError
from engine.intrinsics.functions import ArgumentError, FormatTemplate, Function
from engine.scope import Scope


class Node(Protocol):
    """Anything in the call tree: it yields a JSON value for a scope."""

    def evaluate(self, scope: Scope) -> Any: ...


@dataclass(frozen=True, slots=True)
class Constant:
    """A number, ``true``, ``false`` or ``null`` written in the call."""

    value: Any

    def evaluate(self, scope: Scope) -> Any:
        return self.value


@dataclass(frozen=True, slots=True)
class StringLiteral:
    """A quoted string; ``pieces`` is its text split around unescaped ``{}`` placeholders."""

    value: str
    pieces: tuple[str, ...]

    def evaluate(self, scope: Scope) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class InvalidEscape:
    """A quoted string with a backslash sequence AWS does not define; it fails when evaluated."""

    literal: str
    escape: str

    def evaluate(self, scope: Scope) -> Any:
        raise StatesError(
            RUNTIME,
            f"The intrinsic function argument {self.literal} contains the escape "
            f"{self.escape!r}; only \\', \\{{, \\}} and \\\\ may follow a backslash",
        )


@dataclass(frozen=True, slots=True)
class TemplateLiteral:
    """The literal first argument of ``States.Format``, split around its ``{}`` placeholders."""

    template: FormatTemplate

    def evaluate(self, scope: Scope) -> FormatTemplate:
        return self.template


@dataclass(frozen=True, slots=True)
class PathArgument:
    """``$.x``, ``$``, ``$$.Execution.Id`` or ``$var.field``: read from the scope."""

    text: str
    reference: Node

    def evaluate(self, scope: Scope) -> Any:
        return self.reference.evaluate(scope)


@dataclass(frozen=True, slots=True)
class Call:
    """``States.Name(arg, ...)``: ``source`` is the call's own text, used in error causes."""

    name: str
    source: str
    args: tuple[Node, ...]
    function: Function

    def evaluate(self, scope: Scope) -> Any:
        values = [arg.evaluate(scope) for arg in self.args]
        try:
            return self.function(values)
        except ArgumentError as exc:
            raise StatesError(
                INTRINSIC_FAILURE, f"The intrinsic function {self.source} failed: {exc}"
            ) from None
        except RecursionError:  # a value deeper than JSON text can carry (Python callers)
            raise StatesError(
                INTRINSIC_FAILURE,
                f"The intrinsic function {self.source} failed: an argument nests too deeply",
            ) from None
