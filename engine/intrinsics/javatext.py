"""Values printed the way AWS's Java runtime prints them inside ``States.Format``.

AWS recorded ``States.Format('{}', $.v)`` with ``v = {"Arg1": 1, "Arg2": []}`` as
``{Arg1=1, Arg2=[]}``: Java's ``Map.toString``/``List.toString``, not JSON.
Floats follow ``Double.toString`` (``1.0``, ``1.0E-4``, ``1.2345678E7``).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any


def java_double_text(number: float) -> str:
    """A float as Java's ``Double.toString`` prints it: ``1.0``, ``0.001``, ``1.5E-4``."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    sign = "-" if math.copysign(1.0, number) < 0 else ""
    magnitude = abs(number)
    if magnitude == 0:
        return f"{sign}0.0"
    shortest = Decimal(repr(magnitude)).normalize().as_tuple()
    digits = "".join(str(digit) for digit in shortest.digits)
    exponent = len(digits) + int(shortest.exponent) - 1
    if 1e-3 <= magnitude < 1e7:
        return sign + _plain_decimal(digits, exponent)
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exponent}"


def _plain_decimal(digits: str, exponent: int) -> str:
    """Significant ``digits`` (the first one worth 10**exponent) as ``123.45``, never ``123``."""
    if exponent < 0:
        return "0." + "0" * (-exponent - 1) + digits
    whole = digits[: exponent + 1].ljust(exponent + 1, "0")
    return f"{whole}.{digits[exponent + 1 :] or '0'}"


def java_text(value: Any) -> str:
    """A value as AWS's runtime prints it into ``States.Format``: Java's ``toString`` style."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double_text(value)
    if isinstance(value, list):
        return "[" + ", ".join(java_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={java_text(item)}" for key, item in value.items()) + "}"
    return str(value)
