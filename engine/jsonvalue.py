"""JSON values as AWS renders and measures them.

Every place that prints a JSON value into a cause or a history event, or
measures a payload against the 256 KiB quota, goes through here so the
rendering is the same everywhere: compact (``{"a":1}``), non-ASCII kept,
integral floats kept as written by the user.
"""

from __future__ import annotations

import json
from typing import Any, Final

from engine.diagnostics import pointer
from engine.limits import DEFINITION_MAX_BYTES, JSON_MAX_DEPTH, PAYLOAD_MAX_BYTES


class _Missing:
    """The absence of a value (JSONata's *undefined*, a path that matched nothing)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()

PAYLOAD_LIMIT_BYTES: Final = PAYLOAD_MAX_BYTES


def to_json(value: Any) -> str:
    """Compact JSON text, the way AWS prints values inside causes and events."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def payload_size(value: Any) -> int:
    """Bytes of the UTF-8 JSON text of ``value`` (what the payload quota counts)."""
    return len(to_json(value).encode("utf-8"))


def exceeds_payload_limit(value: Any, limit: int = PAYLOAD_LIMIT_BYTES) -> bool:
    """True when the JSON text of ``value`` is over ``limit`` bytes.

    A cheap upper bound (every character of a string counted as a six-byte
    escape) settles small values without serialising them; only values that
    might be too large are measured exactly.
    """
    if _bounded_size(value, limit) <= limit:
        return False
    return payload_size(value) > limit


def definition_too_large(
    value: Any, most: int = DEFINITION_MAX_BYTES, field: str = "definition"
) -> str | None:
    """Why ``value`` cannot be a definition (over AWS's 1 MB quota), or None.

    The same words from the web app (``services.workflows``) and the command line.
    """
    if not exceeds_payload_limit(value, most):
        return None
    return (
        f"The {field} is {payload_size(value)} bytes; the limit is {most} bytes (AWS's quota "
        "for a state machine definition)."
    )


def input_too_large(value: Any, most: int = PAYLOAD_LIMIT_BYTES) -> str | None:
    """Why ``value`` cannot be an execution's input (over the 256 KiB payload quota), or None."""
    if not exceeds_payload_limit(value, most):
        return None
    return f"The input is larger than the {most // 1024} KiB payload quota."


def _bounded_size(value: Any, budget: int) -> int:
    """An upper bound of the UTF-8 JSON size of ``value``; stops early past ``budget``."""
    if isinstance(value, str):
        return 6 * len(value) + 2
    if isinstance(value, dict):
        total = 2
        for key, item in value.items():
            total += 6 * len(key) + 4 + _bounded_size(item, budget - total)
            if total > budget:
                return total
        return total
    if isinstance(value, list):
        total = 2
        for item in value:
            total += 1 + _bounded_size(item, budget - total)
            if total > budget:
                return total
        return total
    return 32  # numbers, booleans, null


def unencodable_pointer(value: Any) -> str | None:
    """The JSON Pointer of the first string (or key) in ``value`` that UTF-8 cannot encode.

    Such a string holds a lone UTF-16 surrogate (``"\\ud800"`` decoded from JSON,
    made by JSONata or a function): no database or client can store or read it.
    ``None`` when ``value`` is fine. One C-speed serialisation settles the usual case.
    """
    try:
        to_json(value).encode("utf-8")
    except UnicodeEncodeError:
        found = _first_problem(value, None)
        return found[0] if found else None
    return None


def unencodable_cause(what: str, where: str) -> str:
    """The cause of the States.Runtime error for text UTF-8 cannot encode at ``where``."""
    return (
        f"The {what} produced a string that is not valid Unicode at '{where or '/'}': it "
        "holds a lone UTF-16 surrogate (such as \\ud800), which cannot be recorded."
    )


def too_deep_pointer(value: Any, max_depth: int = JSON_MAX_DEPTH) -> str | None:
    """The JSON Pointer of the first object or array nested deeper than ``max_depth``."""
    found = _first_problem(value, max_depth, text=False)
    return found[0] if found else None


def json_problem(value: Any, max_depth: int = JSON_MAX_DEPTH) -> tuple[str, str] | None:
    """``(pointer, reason)`` of the first thing in ``value`` that cannot be accepted from outside.

    It is nesting deeper than ``max_depth``, a string that UTF-8 cannot encode, or a
    string holding a NUL character (``\\u0000``), which no text column can store
    (Django's forms refuse it too).
    """
    return _first_problem(value, max_depth, nul=True)


_SURROGATE: Final = "the string is not valid Unicode (it holds a lone UTF-16 surrogate)"
_NUL: Final = "the string holds a NUL character (\\u0000), which cannot be stored"


def _text_problem(text: str, nul: bool) -> str | None:
    if nul and "\x00" in text:
        return _NUL
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE
    return None


def _first_problem(
    value: Any, max_depth: int | None, text: bool = True, nul: bool = False
) -> tuple[str, str] | None:
    """Depth first, in document order: the first bad string or too-deep node, and why."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            why = _text_problem(item, nul) if text else None
            if why is not None:
                return escaped(pointer(*path)), why
            continue
        if not isinstance(item, dict | list):
            continue
        if max_depth is not None and len(path) >= max_depth:
            return escaped(pointer(*path)), f"the value nests deeper than {max_depth} levels"
        if isinstance(item, dict):
            children = list(item.items())
            for key, _ in children:
                why = _text_problem(key, nul) if text and isinstance(key, str) else None
                if why is not None:
                    return escaped(pointer(*path, key)), why
        else:
            children = list(enumerate(item))
        stack.extend((child, (*path, key)) for key, child in reversed(children))
    return None


def escaped(text: str) -> str:
    """``text`` as any text column can store it: characters UTF-8 cannot encode (lone
    surrogates) and NUL written as ``\\uXXXX`` escapes; other text is returned as is."""
    if "\x00" in text:
        text = text.replace("\x00", "\\u0000")
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def type_name(value: Any) -> str:
    """The JSON type name of a value: object, array, string, number, boolean or null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def is_integer_value(value: Any) -> bool:
    """True for a JSON number with no fractional part (``3`` and ``3.0``), never a bool."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()
