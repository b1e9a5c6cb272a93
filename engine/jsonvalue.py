"""JSON values as AWS renders and measures them.

Every place that prints a JSON value into a cause or a history event, or
measures a payload against the 256 KiB quota, goes through here so the
rendering is the same everywhere: compact (``{"a":1}``), non-ASCII kept,
integral floats kept as written by the user.
"""

from __future__ import annotations

import json
from typing import Any, Final

from engine.limits import PAYLOAD_MAX_BYTES


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
