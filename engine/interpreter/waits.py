"""When a Wait state ends: Seconds, SecondsPath, Timestamp, TimestampPath (and JSONata forms)."""

from __future__ import annotations

from typing import Any

from engine import errors
from engine.errors import StatesError
from engine.interpreter.numbers import out_of_range
from engine.jsonpath import PathNotFound
from engine.jsonvalue import is_integer_value, to_json
from engine.model import WaitState
from engine.scope import Scope
from engine.timestamps import NANOS_PER_SECOND, InvalidTimestamp, parse_timestamp

_MAX_WAIT_SECONDS = 99999999


def wait_seconds(state: WaitState, scope: Scope, now: float) -> float:
    """The epoch second at which the Wait state is over."""
    if state.seconds is not None:
        return now + _seconds(state, scope)
    return _timestamp(state, scope)


def _seconds(state: WaitState, scope: Scope) -> float:
    field = state.seconds
    assert field is not None
    if field.template is not None:
        value = field.template.evaluate(scope)
        if not is_integer_value(value):
            raise field.template.unexpected_type(value, "integer")
        if not 0 <= value <= _MAX_WAIT_SECONDS:
            rule = f"Seconds must be between 0 and {_MAX_WAIT_SECONDS}."
            raise out_of_range(field, value, rule)
        return float(value)
    if field.path is None:
        return float(field.value)
    try:
        value = field.path.evaluate(scope)
    except PathNotFound:
        raise StatesError(
            errors.RUNTIME,
            f"The SecondsPath parameter does not reference an input value: {field.path_text}",
        ) from None
    if not is_integer_value(value):
        raise StatesError(
            errors.RUNTIME,
            "The SecondsPath parameter cannot be parsed as a long value: "
            f"{field.path_text} == {to_json(value)}",
        )
    if not 0 <= value <= _MAX_WAIT_SECONDS:
        raise StatesError(
            errors.RUNTIME,
            f"The SecondsPath parameter references a value out of range: "
            f"{field.path_text} == {to_json(value)}",
        )
    return float(value)


def _timestamp(state: WaitState, scope: Scope) -> float:
    if state.timestamp_path is not None:
        try:
            value: Any = state.timestamp_path.evaluate(scope)
        except PathNotFound:
            raise StatesError(
                errors.RUNTIME,
                "The TimestampPath parameter does not reference an input value: "
                f"{state.timestamp_path_text}",
            ) from None
        return _epoch(value, f"{state.timestamp_path_text} == {to_json(value)}", None)
    value = state.timestamp
    if not isinstance(value, str):
        evaluated = value.evaluate(scope)
        return _epoch(evaluated, None, value)
    return _epoch(value, value, None)


def _epoch(value: Any, shown: str | None, template: Any) -> float:
    try:
        if not isinstance(value, str):
            raise InvalidTimestamp(str(value))
        # "Step Functions considers the time value up to seconds and truncates milliseconds"
        return float(parse_timestamp(value).epoch_nanos // NANOS_PER_SECOND)
    except InvalidTimestamp:
        if template is not None:
            raise template.unexpected_type(value, "timestamp") from None
        raise StatesError(
            errors.RUNTIME,
            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
            f"date-time format string: {shown}",
        ) from None
