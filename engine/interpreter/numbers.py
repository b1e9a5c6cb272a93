"""Numbers a state reads at run time: MaxConcurrency, tolerated failures, timeouts, Wait seconds.

Each may be literal, a JSONPath ``...Path`` or a JSONata expression; this
module resolves them with AWS's checks and wording (``States.Runtime`` for a
bad path value, ``States.QueryEvaluationError`` for a bad JSONata result).
"""

from __future__ import annotations

from typing import Any

from engine import errors
from engine.errors import StatesError
from engine.jsonata_lang import JsonataEvaluationError
from engine.jsonpath import PathNotFound
from engine.jsonvalue import is_integer_value, to_json
from engine.model import IntegerField
from engine.scope import Scope


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else to_json(value)


def out_of_range(field: IntegerField, value: Any, rule: str) -> StatesError:
    """A value of the right type but outside the field's range.

    JSONPath (a literal or a ``...Path``): ``States.Runtime`` with ``rule`` as the
    cause, as AWS recorded for ToleratedFailureCountPath = -1. JSONata:
    ``States.QueryEvaluationError`` located at the field, as the guide's JSONata
    error list says for an expression whose result is not a valid value.
    """
    if field.template is None:
        return StatesError(errors.RUNTIME, rule)
    expression = field.template.expression or to_json(value)
    location = field.template.field
    return JsonataEvaluationError(
        f"The JSONata expression '{expression}' specified for the field '{location}' "
        f"returned a value that is out of range: {to_json(value)}. {rule}",
        location,
    )


def resolve_integer(
    field: IntegerField, scope: Scope, minimum: int | None = None, maximum: int | None = None
) -> int:
    """The field's value as an integer, checked against ``minimum``..``maximum`` when given."""
    value = _integer(field, scope)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise out_of_range(field, value, _range_rule(field.name, minimum, maximum))
    return value


def _range_rule(name: str, minimum: int | None, maximum: int | None) -> str:
    if maximum is None:
        return f"{name} must be at least {minimum}."
    if minimum is None:
        return f"{name} must be at most {maximum}."
    return f"{name} must be between {minimum} and {maximum}."


def _integer(field: IntegerField, scope: Scope) -> int:
    if field.template is not None:
        value = field.template.evaluate(scope)
        if not is_integer_value(value):
            raise field.template.unexpected_type(value, "integer")
        return int(value)
    if field.path is None:
        if not is_integer_value(field.value):
            raise StatesError(
                errors.RUNTIME, f"{field.name} is not a valid integer: {_shown(field.value)}"
            )
        return int(field.value)
    value = _numeric_text(_read_path(field, scope), int)
    if not is_integer_value(value):
        raise StatesError(
            errors.RUNTIME,
            f'The {field.name}Path field refers to value "{_shown(value)}" '
            f"which is not a valid integer: {field.path_text}",
        )
    return int(value)


def resolve_float(field: IntegerField, scope: Scope) -> float:
    """The field's value as a number (ToleratedFailurePercentage)."""
    if field.template is not None:
        value = field.template.evaluate(scope)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise field.template.unexpected_type(value, "number")
        return float(value)
    if field.path is None:
        if isinstance(field.value, bool) or not isinstance(field.value, (int, float)):
            raise StatesError(
                errors.RUNTIME, f"{field.name} is not a valid number: {_shown(field.value)}"
            )
        return float(field.value)
    value = _numeric_text(_read_path(field, scope), float)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StatesError(
            errors.RUNTIME,
            f'The {field.name}Path field refers to value "{_shown(value)}" '
            f"which is not a valid float: {field.path_text}",
        )
    return float(value)


def _numeric_text(value: Any, kind: type[int] | type[float]) -> Any:
    """AWS reads a number written as a string ("1") through a ...Path as that number."""
    if isinstance(value, str):
        try:
            return kind(value.strip())
        except ValueError:
            return value
    return value


def _read_path(field: IntegerField, scope: Scope) -> Any:
    try:
        return field.path.evaluate(scope)
    except PathNotFound:
        raise StatesError(
            errors.RUNTIME,
            f"The {field.name}Path field does not reference an input value: {field.path_text}",
        ) from None
