"""How much one JSONata evaluation may allocate: strings, arrays, the process's memory.

The time bound (``limits.JSONATA_MAX_SECONDS``) is looked at every few thousand
evaluation steps, and one step can allocate gigabytes before the next look:
``$pad("x", 1e9)``, a string doubled forty times, ``$string`` or ``**`` of an
array that holds the same large array a thousand times. The bounds, each with
a cause that names it (``interrupts.LimitExceeded``, which the evaluator turns
into ``States.QueryEvaluationError``):

* every value a step that builds one returns (a path, an array constructor, ``&``,
  ``*``, every function): a string of at most ``JSONATA_MAX_STRING_LENGTH``
  characters, an array of at most ``JSONATA_MAX_ARRAY_LENGTH`` items
  (``check_value``), and a range ``[a..b]`` before it exists (any use builds it).
  Steps that only pass a value on (a variable, a block, a condition) are not
  looked at: a hook on every step cost a third of the evaluation's time;
* before a step that can make far more than it is given: ``$pad``'s width,
  ``$join``'s total, ``$zip``'s items, the widths in a date picture, ``$replace``
  with a plain string, the JSON text ``$string``, ``&`` and a transform
  (``~> |...|``) write, the values ``**`` collects (``PRECHECKS``, ``extent``);
* the evaluation's growth of the process's resident memory, looked at with the
  clock (``MemoryProbe``): the bound for values built from many small pieces.

A range over ten million items keeps JSONata's own error (D2014).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import Any, Final

from jsonata import Jsonata, Utils

from engine import limits
from engine.interrupts import LimitExceeded

_STRING: Final = "JSONATA_MAX_STRING_LENGTH"
_ARRAY: Final = "JSONATA_MAX_ARRAY_LENGTH"


def string_too_long(what: str, length: int | None = None) -> LimitExceeded:
    size = f"a string of {length} characters" if length is not None else "a longer string"
    return LimitExceeded(
        f"{what} would make {size}, more than the limit of "
        f"{limits.JSONATA_MAX_STRING_LENGTH} ({_STRING})."
    )


def array_too_long(what: str, length: int) -> LimitExceeded:
    return LimitExceeded(
        f"{what} would make an array of {length} items, more than the limit of "
        f"{limits.JSONATA_MAX_ARRAY_LENGTH} ({_ARRAY})."
    )


def check_value(value: Any) -> None:
    """Refuse a string or an array over its limit."""
    if value.__class__ is str:
        if len(value) > limits.JSONATA_MAX_STRING_LENGTH:
            raise string_too_long("The expression", len(value))
    elif isinstance(value, list):
        count = _range_length(value) if isinstance(value, Utils.RangeList) else len(value)
        if count > limits.JSONATA_MAX_ARRAY_LENGTH:
            raise array_too_long("The expression", count)


def _checked(value: Any) -> Any:
    check_value(value)
    return value


def _range_length(value: Any) -> int:
    """The items of a lazy range (the library's ``len`` counts one too many)."""
    return len(range(value.a, value.b))


# --- sizes without building anything ------------------------------------------------------


def extent(value: Any, budget: int) -> int:
    """About the length of ``value``'s JSON text, counted until it passes ``budget``.

    Shared parts count each time they appear, as a serialiser writes them; the walk
    stops as soon as the count is over ``budget``, so it costs at most that much.
    """
    total = 0
    pending = [value]
    while pending:
        item = pending.pop()
        if item.__class__ is str:
            total += len(item) + 2
        elif isinstance(item, dict):
            total += 2 + len(item)
            for key, member in item.items():
                total += len(key) + 3
                pending.append(member)
        elif isinstance(item, list):
            total += 2 + len(item)
            pending.extend(item)
        else:
            total += 4
        if total > budget:
            return total
    return total


def check_text(what: str, value: Any) -> None:
    """Refuse to write ``value`` as JSON text when that text would pass the string limit."""
    if value.__class__ is str:
        return
    cap = limits.JSONATA_MAX_STRING_LENGTH
    if extent(value, cap) > cap:
        raise string_too_long(what)


def check_collected(what: str, value: Any) -> None:
    """Refuse to collect every value inside ``value`` (``**``) when there are too many."""
    cap = limits.JSONATA_MAX_ARRAY_LENGTH
    if isinstance(value, (list, dict)) and extent(value, 2 * cap) > 2 * cap:
        raise LimitExceeded(f"{what} would collect more than {cap} values ({_ARRAY}).")


# --- before a library function runs ---------------------------------------------------------


def _whole(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return None
    if value in (float("inf"), float("-inf")):
        return limits.JSONATA_MAX_STRING_LENGTH + 1
    return abs(int(value))


def _pad(args: Sequence[Any]) -> None:
    width = _whole(args[1]) if len(args) > 1 else None
    if width is not None and width > limits.JSONATA_MAX_STRING_LENGTH:
        raise string_too_long("$pad", width)


def _join(args: Sequence[Any]) -> None:
    items = args[0] if args else None
    if not isinstance(items, list):
        return
    separator = args[1] if len(args) > 1 and isinstance(args[1], str) else ""
    total = len(separator) * max(len(items) - 1, 0)
    for item in items:
        if isinstance(item, str):
            total += len(item)
    if total > limits.JSONATA_MAX_STRING_LENGTH:
        raise string_too_long("$join", total)


def _string(args: Sequence[Any]) -> None:
    if args:
        check_text("$string", args[0])


def _zip(args: Sequence[Any]) -> None:
    arrays = [a for a in args if isinstance(a, list)]
    if arrays and len(arrays) == len(args):
        total = min(len(a) for a in arrays) * len(arrays)
        if total > limits.JSONATA_MAX_ARRAY_LENGTH:
            raise array_too_long("$zip", total)


_WIDTH: Final = re.compile(r"\[[^\]]*,\s*(\d+)(?:\s*-\s*(\d+|\*))?")


def _picture(position: int, name: str) -> Callable[[Sequence[Any]], None]:
    def check(args: Sequence[Any]) -> None:
        picture = args[position] if len(args) > position else None
        if not isinstance(picture, str):
            return
        for match in _WIDTH.finditer(picture):
            widths = [int(w) for w in match.groups() if w is not None and w.isdigit()]
            if any(w > limits.JSONATA_MAX_STRING_LENGTH for w in widths):
                raise string_too_long(f"The picture of ${name}", max(widths))

    return check


def _replace(args: Sequence[Any]) -> None:
    """A plain-string pattern and replacement: the result's length is known in advance."""
    if len(args) < 3 or not all(isinstance(a, str) for a in args[:3]) or not args[1]:
        return
    text, pattern, replacement = args[0], args[1], args[2]
    count = text.count(pattern)
    limit = _whole(args[3]) if len(args) > 3 else None
    if limit is not None:
        count = min(count, limit)
    length = len(text) + count * (len(replacement) - len(pattern))
    if length > limits.JSONATA_MAX_STRING_LENGTH:
        raise string_too_long("$replace", length)


#: Library function name -> the check of its (validated) arguments before it runs.
PRECHECKS: Final[dict[str, Callable[[Sequence[Any]], None]]] = {
    "pad": _pad,
    "join": _join,
    "string": _string,
    "zip": _zip,
    "fromMillis": _picture(1, "fromMillis"),
    "now": _picture(0, "now"),
    "toMillis": _picture(1, "toMillis"),
    "replace": _replace,
}


# --- inside the evaluator -------------------------------------------------------------------


class BoundedJsonata(Jsonata):  # type: ignore[misc]
    """The library's evaluator, with the checks its own steps need before they allocate."""

    def evaluate_range_expression(self, lhs: Any, rhs: Any) -> Any:
        result = super().evaluate_range_expression(lhs, rhs)
        if isinstance(result, Utils.RangeList):  # lazy, but any use of it builds it
            count = _range_length(result)
            if count > limits.JSONATA_MAX_ARRAY_LENGTH:
                raise array_too_long(f"The range [{lhs}..{rhs}]", count)
        return result

    def evaluate_string_concat(self, lhs: Any, rhs: Any) -> Any:
        for operand in (lhs, rhs):
            if operand is not None:
                check_text("The & operator", operand)
        return _checked(super().evaluate_string_concat(lhs, rhs))

    def evaluate_path(self, expr: Any, input: Any, environment: Any) -> Any:
        return _checked(super().evaluate_path(expr, input, environment))

    def evaluate_unary(self, expr: Any, input: Any, environment: Any) -> Any:
        return _checked(super().evaluate_unary(expr, input, environment))

    def evaluate_wildcard(self, expr: Any, input: Any) -> Any:
        return _checked(super().evaluate_wildcard(expr, input))

    def evaluate_descendants(self, expr: Any, input: Any) -> Any:
        if input is not None:
            check_collected("The ** operator", input)
        return super().evaluate_descendants(expr, input)

    def evaluate_transform_expression(self, expr: Any, input: Any, environment: Any) -> Any:
        function = super().evaluate_transform_expression(expr, input, environment)
        function.function = _CheckedTransform(function.function)
        return function


class _CheckedTransform(Jsonata.JFunctionCallable):  # type: ignore[misc]
    """A transform (``~> |pattern|update|``) copies its input through JSON text first."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def call(self, input: Any, args: Any) -> Any:
        if args:
            check_text("The transform (~> |...|...|)", args[0])
        return self.inner.call(input, args)


# --- the process's memory ------------------------------------------------------------------


def _page_size() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 4096


_PAGE: Final = _page_size()


def resident_bytes() -> int | None:
    """This process's resident memory now (Linux ``/proc/self/statm``), None elsewhere."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


class MemoryProbe:
    """Compares the process's resident memory with what it was at the evaluation's first look.

    The first look is the clock's first, a few thousand steps in: a short evaluation
    (nearly all of them) never reads ``/proc``. What the first steps allocate is
    bounded by the other limits.
    """

    __slots__ = ("limit", "start")

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limits.JSONATA_MAX_MEMORY_BYTES if limit is None else limit
        self.start: int | None = None

    def check(self) -> None:
        now = resident_bytes()
        if now is None:
            return
        if self.start is None:
            self.start = now
        elif now - self.start > self.limit:
            raise LimitExceeded(
                f"The evaluation grew the process's memory by {now - self.start} bytes, more "
                f"than the limit of {self.limit} (JSONATA_MAX_MEMORY_BYTES)."
            )
