"""The intrinsic functions themselves: argument checks and results, as AWS computes them.

Every function takes the list of its evaluated arguments and returns a JSON
value. A bad argument raises ``ArgumentError`` with the detail only; the call
node that invoked the function turns it into ``StatesError`` (see
``engine.intrinsics.nodes``). ``FUNCTIONS`` is the dispatch table from the
name used in a definition to the function and its argument count, which the
parser checks statically.

AWS behaviour worth knowing (from recorded executions):

* ``States.Format`` prints strings as they are and other values the way AWS's
  Java runtime prints them: ``null``, ``true``, ``1``, ``1.1``, objects as
  ``{key=value, other=[1, 2]}`` (not as JSON).
* ``States.MathAdd`` rounds each argument half up (``-1.5`` -> ``-1``) before adding.
  The guide says non-integer numbers are rounded to the nearest integer where an
  integer is expected; the other integer parameters (MathRandom, ArrayRange,
  ArrayPartition's chunk size, ArrayGetItem's index) are rounded the same way.
  Strings and booleans are still rejected.
* ``States.StringSplit`` treats every character of the second argument as a
  delimiter and drops empty pieces.
* ``States.StringToJson`` of a blank string is ``null``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from engine.intrinsics.javatext import java_text
from engine.jsonvalue import to_json, type_name

INT_MIN: Final = -(2**31)
INT_MAX: Final = 2**31 - 1
MAX_RANGE_ITEMS: Final = 1000
MAX_TEXT_CHARS: Final = 10_000
MAX_SHOWN_CHARS: Final = 100  # of a value quoted in an error cause
HASH_ALGORITHMS: Final[dict[str, str]] = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}


class ArgumentError(Exception):
    """An intrinsic function was given arguments it cannot work with (detail only)."""


@dataclass(frozen=True, slots=True)
class FormatTemplate:
    """A ``States.Format`` template written as a literal: text pieces around the ``{}``s.

    Escaped braces (``\\{``, ``\\}``) are already plain text in ``pieces``; there is
    one placeholder between each two pieces.
    """

    pieces: tuple[str, ...]


Function = Callable[[list[Any]], Any]


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """One intrinsic: its implementation and how many arguments it accepts."""

    function: Function
    min_args: int
    max_args: int | None  # None: any number

    def accepts(self, count: int) -> bool:
        return count >= self.min_args and (self.max_args is None or count <= self.max_args)

    def describe_arity(self) -> str:
        if self.max_args is None:
            return f"at least {self.min_args}"
        if self.max_args == self.min_args:
            return str(self.min_args)
        return f"{self.min_args} to {self.max_args}"


# ---------------------------------------------------------------- argument checks


def _shown(value: Any) -> str:
    """The JSON text of ``value`` for an error cause, cut after ``MAX_SHOWN_CHARS``."""
    text = to_json(value)
    return text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS] + "..."


def _describe(value: Any) -> str:
    """``string "abc"``, ``array [1,2]``: the JSON type and the (shortened) JSON text."""
    return f"{type_name(value)} {_shown(value)}"


def _string(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ArgumentError(f"{what} must be a string, got {_describe(value)}")
    return value


def _array(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise ArgumentError(f"{what} must be an array, got {_describe(value)}")
    return value


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ArgumentError(f"{what} must be an object, got {_describe(value)}")
    return value


def _number(value: Any, what: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ArgumentError(f"{what} must be a number, got {_describe(value)}")
    number: int | float = value
    return number


def _rounded_int(value: Any, what: str) -> int:
    """A number rounded half up to an integer in the 32-bit range, as AWS's Math functions do."""
    number = _number(value, what)
    if isinstance(number, float) and not math.isfinite(number):
        raise ArgumentError(f"{what} must be a finite number, got {_shown(value)}")
    rounded = math.floor(number + 0.5) if isinstance(number, float) else number
    if not INT_MIN <= rounded <= INT_MAX:
        raise ArgumentError(f"{what} must be between {INT_MIN} and {INT_MAX}, got {_shown(value)}")
    return rounded


def _limited_text(value: Any, what: str) -> str:
    text = _string(value, what)
    if len(text) > MAX_TEXT_CHARS:
        raise ArgumentError(f"{what} must be at most {MAX_TEXT_CHARS} characters, got {len(text)}")
    return text


# ---------------------------------------------------------------- JSON value helpers


def canonical(value: Any) -> Any:
    """A hashable key equal for equal JSON values (``1 == 1.0``, ``true != 1``)."""
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, list):
        return ("array", tuple(canonical(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((key, canonical(item)) for key, item in value.items()))
    return (type_name(value), value)


# ---------------------------------------------------------------- generic and JSON


def format_(args: list[Any]) -> str:
    template, values = args[0], args[1:]
    pieces = template.pieces if isinstance(template, FormatTemplate) else _runtime_pieces(template)
    if len(pieces) - 1 != len(values):
        raise ArgumentError(
            f"the template has {len(pieces) - 1} placeholder(s) '{{}}' "
            f"but {len(values)} value(s) were given"
        )
    out = [pieces[0]]
    for value, piece in zip(values, pieces[1:], strict=True):
        out.append(value if isinstance(value, str) else java_text(value))
        out.append(piece)
    return "".join(out)


def _runtime_pieces(template: Any) -> tuple[str, ...]:
    return tuple(_string(template, "the template (first argument)").split("{}"))


def string_to_json(args: list[Any]) -> Any:
    text = _string(args[0], "the argument")
    if not text.strip():
        return None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (json.JSONDecodeError, ValueError) as exc:
        raise ArgumentError(f"the string {_shown(text)} is not valid JSON") from exc


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def json_to_string(args: list[Any]) -> str:
    return to_json(args[0])


def json_merge(args: list[Any]) -> dict[str, Any]:
    first = _object(args[0], "the first argument")
    second = _object(args[1], "the second argument")
    deep = args[2]
    if not isinstance(deep, bool):
        raise ArgumentError(f"the third argument must be a boolean, got {_describe(deep)}")
    if deep:
        raise ArgumentError("only shallow merging is supported: the third argument must be false")
    return {**first, **second}


# ---------------------------------------------------------------- arrays


def array(args: list[Any]) -> list[Any]:
    return list(args)


def array_partition(args: list[Any]) -> list[list[Any]]:
    items = _array(args[0], "the first argument")
    size = _rounded_int(args[1], "the chunk size (second argument)")
    if size <= 0:
        raise ArgumentError(f"the chunk size (second argument) must be positive, got {size}")
    return [items[start : start + size] for start in range(0, len(items), size)]


def array_contains(args: list[Any]) -> bool:
    items = _array(args[0], "the first argument")
    wanted = canonical(args[1])
    return any(canonical(item) == wanted for item in items)


def array_range(args: list[Any]) -> list[int]:
    start = _rounded_int(args[0], "the start (first argument)")
    end = _rounded_int(args[1], "the end (second argument)")
    step = _rounded_int(args[2], "the step (third argument)")
    if step == 0:
        raise ArgumentError("the step (third argument) must not be 0")
    count = max(0, (end - start) // step + 1)
    if count > MAX_RANGE_ITEMS:
        raise ArgumentError(
            f"the range would have {count} items, more than the maximum of {MAX_RANGE_ITEMS}"
        )
    return [start + index * step for index in range(count)]


def array_get_item(args: list[Any]) -> Any:
    items = _array(args[0], "the first argument")
    index = _rounded_int(args[1], "the index (second argument)")
    if not 0 <= index < len(items):
        raise ArgumentError(
            f"the index {index} is out of bounds for an array of {len(items)} items"
        )
    return items[index]


def array_length(args: list[Any]) -> int:
    return len(_array(args[0], "the argument"))


def array_unique(args: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    unique = []
    for item in _array(args[0], "the argument"):
        key = canonical(item)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


# ---------------------------------------------------------------- encoding and hashing


def _utf8(text: str, what: str) -> bytes:
    """``text`` in UTF-8; an ``ArgumentError`` (not Python's codec error) for a lone
    surrogate, which UTF-8 cannot encode."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise ArgumentError(
            f"{what} is not valid Unicode (it holds a lone UTF-16 surrogate)"
        ) from None


def base64_encode(args: list[Any]) -> str:
    text = _limited_text(args[0], "the argument")
    return base64.b64encode(_utf8(text, "the argument")).decode("ascii")


def base64_decode(args: list[Any]) -> str:
    text = _limited_text(args[0], "the argument")
    padded = text + "=" * (-len(text) % 4)
    try:
        data = base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ArgumentError(f"the string {_shown(text)} is not valid base64") from exc
    return data.decode("utf-8", errors="replace")


def hash_(args: list[Any]) -> str:
    data = _limited_text(args[0], "the data (first argument)")
    algorithm = _string(args[1], "the algorithm (second argument)")
    if algorithm not in HASH_ALGORITHMS:
        raise ArgumentError(
            f"the algorithm {_shown(algorithm)} is not supported; "
            f"use one of {', '.join(HASH_ALGORITHMS)}"
        )
    data_bytes = _utf8(data, "the data (first argument)")
    return hashlib.new(HASH_ALGORITHMS[algorithm], data_bytes).hexdigest()


# ---------------------------------------------------------------- math, strings, ids


def math_random(args: list[Any]) -> int:
    start = _rounded_int(args[0], "the start (first argument)")
    end = _rounded_int(args[1], "the end (second argument)")
    if start >= end:
        raise ArgumentError(f"the start ({start}) must be less than the end ({end})")
    return _generator(args[2:]).randrange(start, end)


def _generator(seed: list[Any]) -> random.Random:
    """A generator that repeats itself for a given seed, or the system's when there is none."""
    if not seed:
        return random.SystemRandom()
    return random.Random(_rounded_int(seed[0], "the seed (third argument)"))


def math_add(args: list[Any]) -> int:
    return _rounded_int(args[0], "the first argument") + _rounded_int(
        args[1], "the second argument"
    )


def string_split(args: list[Any]) -> list[str]:
    text = _string(args[0], "the first argument")
    delimiters = frozenset(_string(args[1], "the delimiter (second argument)"))
    return _split_on_any(text, delimiters)


def _split_on_any(text: str, delimiters: frozenset[str]) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    for char in text:
        if char in delimiters:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return [piece for piece in pieces if piece]


def uuid_(args: list[Any]) -> str:
    return str(uuid.uuid4())


FUNCTIONS: Final[dict[str, FunctionSpec]] = {
    "States.Format": FunctionSpec(format_, 1, None),
    "States.StringToJson": FunctionSpec(string_to_json, 1, 1),
    "States.JsonToString": FunctionSpec(json_to_string, 1, 1),
    "States.JsonMerge": FunctionSpec(json_merge, 3, 3),
    "States.Array": FunctionSpec(array, 0, None),
    "States.ArrayPartition": FunctionSpec(array_partition, 2, 2),
    "States.ArrayContains": FunctionSpec(array_contains, 2, 2),
    "States.ArrayRange": FunctionSpec(array_range, 3, 3),
    "States.ArrayGetItem": FunctionSpec(array_get_item, 2, 2),
    "States.ArrayLength": FunctionSpec(array_length, 1, 1),
    "States.ArrayUnique": FunctionSpec(array_unique, 1, 1),
    "States.Base64Encode": FunctionSpec(base64_encode, 1, 1),
    "States.Base64Decode": FunctionSpec(base64_decode, 1, 1),
    "States.Hash": FunctionSpec(hash_, 2, 2),
    "States.MathRandom": FunctionSpec(math_random, 2, 3),
    "States.MathAdd": FunctionSpec(math_add, 2, 2),
    "States.StringSplit": FunctionSpec(string_split, 2, 2),
    "States.UUID": FunctionSpec(uuid_, 0, 0),
}
