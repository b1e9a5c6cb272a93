"""What a Map state iterates over: Items/ItemsPath, ItemSelector, ItemBatcher, tolerances."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from engine import dataflow, errors
from engine.errors import StatesError
from engine.interpreter import processing as proc
from engine.interpreter.core import Step
from engine.interpreter.data import Frame
from engine.interpreter.numbers import out_of_range, resolve_float, resolve_integer
from engine.jsonpath import PathNotFound
from engine.jsonvalue import MISSING, payload_size, to_json
from engine.model import ABSENT, IntegerField, MapState
from engine.scope import Scope


def map_items(state: MapState, scope: Scope) -> list[Any]:
    """The array to iterate, checked."""
    items = _jsonata_items(state, scope) if state.is_jsonata else _jsonpath_items(state, scope)
    return items


def _jsonata_items(state: MapState, scope: Scope) -> list[Any]:
    if state.items is None:
        value = scope.input
        if not isinstance(value, list):
            raise StatesError(
                errors.QUERY_EVALUATION_ERROR,
                f"Map state input must be an array but was: {to_json(value)}",
            )
        return value
    value = state.items.evaluate(scope)
    if not isinstance(value, list):
        raise state.items.unexpected_type(value, "array")
    return value


def _jsonpath_items(state: MapState, scope: Scope) -> list[Any]:
    if state.items_path is ABSENT or state.items_path is None:
        value = scope.input
    else:
        try:
            value = state.items_path.evaluate(scope)
        except PathNotFound as miss:
            raise StatesError(
                errors.RUNTIME,
                f"Invalid path '{state.items_path.text}' : {miss.reason}",
            ) from None
    if not isinstance(value, list):
        raise StatesError(
            errors.RUNTIME, f"Map state input must be an array but was: {to_json(value)}"
        )
    return value


def batch_items(step: Step, frame: Frame, state: MapState, items: list[Any]) -> list[Any]:
    """ItemSelector on each item, then ItemBatcher's batches: ``{"Items": [...], "BatchInput"}``.

    The guide applies ItemSelector before ItemBatcher; BatchInput is evaluated once,
    like Parameters (JSONPath ``.$`` fields, intrinsics, ``$$``) or as a JSONata template.
    """
    batcher = state.item_batcher
    assert batcher is not None
    selected = [select_item(step, frame, state, i, item) for i, item in enumerate(items)]
    document = frame.input if state.is_jsonata else frame.effective
    scope = proc.make_scope(step, frame, state, document)
    size = _limit(batcher.max_items, scope, None)
    max_bytes = _limit(batcher.max_bytes, scope, MAX_BATCH_BYTES)
    batch_input = _batch_input(batcher.batch_input, scope, state.is_jsonata)
    out: list[Any] = []
    for batch in _group(selected, size, max_bytes):
        entry: dict[str, Any] = {"Items": batch}
        if batch_input is not MISSING:
            entry["BatchInput"] = batch_input
        out.append(entry)
    return out


MAX_BATCH_BYTES = 256 * 1024


def _limit(field: IntegerField | None, scope: Scope, maximum: int | None) -> int | None:
    if field is None or not field.is_set:
        return None
    return resolve_integer(field, scope, minimum=1, maximum=maximum)


def _batch_input(template: Any, scope: Scope, jsonata: bool) -> Any:
    if template is None:
        return MISSING
    if jsonata:
        return template.evaluate(scope)
    return dataflow.parameters(scope, template)


def _group(items: list[Any], size: int | None, max_bytes: int | None) -> list[list[Any]]:
    return list(group_stream(items, size, max_bytes))


def group_stream(
    items: Iterable[Any], size: int | None, max_bytes: int | None
) -> Iterator[list[Any]]:
    """Consecutive batches of at most ``size`` items whose JSON array fits ``max_bytes``."""
    current: list[Any] = []
    current_bytes = 2  # "[]"
    for item in items:
        item_bytes = payload_size(item) if max_bytes is not None else 0
        grown = current_bytes + item_bytes + (1 if current else 0)  # a comma between items
        too_many = size is not None and len(current) >= size
        too_big = max_bytes is not None and grown > max_bytes
        if current and (too_many or too_big):
            yield current
            current, grown = [], 2 + item_bytes
        current.append(item)
        current_bytes = grown
    if current:
        yield current


def select_item(step: Step, frame: Frame, state: MapState, index: int, item: Any) -> Any:
    """The iteration's input: the item, or ItemSelector evaluated with ``$$.Map.Item``."""
    if state.item_selector is None:
        return item
    extra = {"Map": {"Item": {"Index": index, "Value": item}}}
    document = frame.input if state.is_jsonata else frame.effective
    scope = proc.make_scope(step, frame, state, document, context_extra=extra)
    if state.is_jsonata:
        selected = state.item_selector.evaluate(scope)
    else:
        selected = dataflow.parameters(scope, state.item_selector)
    step.check_text(state, selected)
    return selected


def tolerances(state: MapState, scope: Scope) -> tuple[int | None, float | None]:
    """ToleratedFailureCount (>= 0) and ToleratedFailurePercentage (0..100), when set."""
    count_field, percentage_field = state.tolerated_count, state.tolerated_percentage
    count = resolve_integer(count_field, scope) if count_field else None
    if count_field and count is not None and count < 0:
        raise out_of_range(count_field, count, "ToleratedFailureCount cannot be negative.")
    percentage = resolve_float(percentage_field, scope) if percentage_field else None
    if percentage_field and percentage is not None and not 0 <= percentage <= 100:
        rule = "ToleratedFailurePercentage must be between 0 and 100."
        raise out_of_range(percentage_field, percentage, rule)
    return count, percentage
