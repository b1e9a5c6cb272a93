"""The Choice-rule operator tables: which JSON type each operator takes and how it compares.

* ``COMPARISONS``: ``StringEquals`` ... ``TimestampGreaterThanEquals``, each a
  ``Comparison`` (a type filter plus a relation); ``PATH_COMPARISONS`` the same
  under their ``...Path`` names.
* ``TYPE_TESTS``: ``IsNull``, ``IsPresent``, ``IsNumeric``, ``IsString``,
  ``IsBoolean``, ``IsTimestamp``, each a predicate over one value (``MISSING``
  for a path that selected nothing).
* ``StringMatches`` patterns: ``compile_wildcard``.

Types follow AWS: a value of the wrong type never compares (``coerce`` gives
None). Booleans are not numbers; ``1`` equals ``1.0``; strings order by UTF-16
code unit like Java's ``String.compareTo``; timestamps order as instants.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from engine.errors import ExpressionSyntaxError
from engine.jsonvalue import MISSING
from engine.timestamps import is_timestamp, try_parse_timestamp


def string_key(value: Any) -> bytes | None:
    """A key that orders strings as Java does (by UTF-16 code unit), or None."""
    if not isinstance(value, str):
        return None
    return value.encode("utf-16-be", "surrogatepass")


def number(value: Any) -> int | float | None:
    """The value if it is a JSON number (never a boolean), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number: int | float = value
    return number


def boolean(value: Any) -> bool | None:
    """The value if it is a JSON boolean, else None."""
    return value if isinstance(value, bool) else None


@dataclass(frozen=True, slots=True)
class Comparison:
    """How one comparison operator reads its two values and relates them.

    ``coerce`` turns a JSON value into a comparable key, or None when the value
    is not of the operator's type (which makes the comparison false).
    """

    type_label: str
    coerce: Callable[[Any], Any]
    relation: Callable[[Any, Any], bool]


_STRING = ("string", string_key)
_NUMBER = ("number", number)
_BOOLEAN = ("boolean", boolean)
_TIMESTAMP = ("timestamp", try_parse_timestamp)

COMPARISONS: Final[Mapping[str, Comparison]] = {
    "StringEquals": Comparison(*_STRING, operator.eq),
    "StringLessThan": Comparison(*_STRING, operator.lt),
    "StringGreaterThan": Comparison(*_STRING, operator.gt),
    "StringLessThanEquals": Comparison(*_STRING, operator.le),
    "StringGreaterThanEquals": Comparison(*_STRING, operator.ge),
    "NumericEquals": Comparison(*_NUMBER, operator.eq),
    "NumericLessThan": Comparison(*_NUMBER, operator.lt),
    "NumericGreaterThan": Comparison(*_NUMBER, operator.gt),
    "NumericLessThanEquals": Comparison(*_NUMBER, operator.le),
    "NumericGreaterThanEquals": Comparison(*_NUMBER, operator.ge),
    "BooleanEquals": Comparison(*_BOOLEAN, operator.eq),
    "TimestampEquals": Comparison(*_TIMESTAMP, operator.eq),
    "TimestampLessThan": Comparison(*_TIMESTAMP, operator.lt),
    "TimestampGreaterThan": Comparison(*_TIMESTAMP, operator.gt),
    "TimestampLessThanEquals": Comparison(*_TIMESTAMP, operator.le),
    "TimestampGreaterThanEquals": Comparison(*_TIMESTAMP, operator.ge),
}
"""Comparison operators whose operand is a literal value."""

PATH_COMPARISONS: Final[Mapping[str, Comparison]] = {
    f"{name}Path": comparison for name, comparison in COMPARISONS.items()
}
"""The same comparisons, with the operand read from a second reference path."""

TYPE_TESTS: Final[Mapping[str, Callable[[Any], bool]]] = {
    "IsNull": lambda value: value is None,
    "IsPresent": lambda value: value is not MISSING,
    "IsNumeric": lambda value: number(value) is not None,
    "IsString": lambda value: isinstance(value, str),
    "IsBoolean": lambda value: isinstance(value, bool),
    "IsTimestamp": is_timestamp,
}
"""Operators that test the Variable's value alone; their operand is true/false."""

STRING_MATCHES: Final = "StringMatches"

OPERATORS: Final = frozenset([*COMPARISONS, *PATH_COMPARISONS, *TYPE_TESTS, STRING_MATCHES])
"""Every data-test operator name a JSONPath Choice Rule may use."""


@dataclass(frozen=True, slots=True)
class WildcardPattern:
    """A ``StringMatches`` pattern: literal pieces with a ``*`` between each two.

    Matching is greedy and linear (no regular-expression backtracking).
    """

    pieces: tuple[str, ...]

    def matches(self, text: str) -> bool:
        if len(self.pieces) == 1:
            return text == self.pieces[0]
        first, *middle, last = self.pieces
        end = len(text) - len(last)
        if end < len(first) or not text.startswith(first) or not text.endswith(last):
            return False
        position = len(first)
        for piece in middle:
            found = text.find(piece, position, end)
            if found < 0:
                return False
            position = found + len(piece)
        return True


def compile_wildcard(pattern: str) -> WildcardPattern:
    """Split a StringMatches pattern at its unescaped stars (``\\*`` and ``\\\\`` are literal)."""
    pieces: list[str] = []
    current: list[str] = []
    characters = iter(pattern)
    for character in characters:
        if character == "*":
            pieces.append("".join(current))
            current = []
        elif character == "\\":
            escaped = next(characters, "")
            if escaped not in ("*", "\\"):
                raise ExpressionSyntaxError(
                    f"open escape in StringMatches pattern {pattern!r}: "
                    "a backslash must be followed by '*' or '\\'"
                )
            current.append(escaped)
        else:
            current.append(character)
    pieces.append("".join(current))
    return WildcardPattern(tuple(pieces))
