"""What a Map state iterates over: Items/ItemsPath, ItemSelector, ItemBatcher, tolerances."""

from __future__ import annotations

from typing import Any

from engine import errors
from engine.errors import StatesError
from engine.interpreter import processing as proc
from engine.interpreter.core import Step
from engine.interpreter.data import Frame
from engine.interpreter.numbers import resolve_float, resolve_integer
from engine.jsonpath import PathNotFound
from engine.jsonvalue import to_json
from engine.model import ABSENT, MapState
from engine.scope import Scope


def map_items(state: MapState, scope: Scope) -> list[Any]:
    """The array to iterate, checked, and batched when an ItemBatcher is set."""
    items = _jsonata_items(state, scope) if state.is_jsonata else _jsonpath_items(state, scope)
    if state.item_batcher is not None:
        return _batches(state, items, scope)
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


def _batches(state: MapState, items: list[Any], scope: Scope) -> list[Any]:
    batcher = state.item_batcher or {}
    size = batcher.get("MaxItemsPerBatch")
    if size is None and "MaxItemsPerBatchPath" in batcher:
        from engine.jsonpath import compile_reference

        size = compile_reference(batcher["MaxItemsPerBatchPath"]).evaluate(scope)
    max_bytes = batcher.get("MaxInputBytesPerBatch")
    batch_input = batcher.get("BatchInput")
    batches: list[list[Any]] = []
    current: list[Any] = []
    for item in items:
        too_many = size is not None and len(current) >= int(size)
        too_big = max_bytes is not None and current and len(to_json([*current, item])) > max_bytes
        if current and (too_many or too_big):
            batches.append(current)
            current = []
        current.append(item)
    if current:
        batches.append(current)
    out: list[Any] = []
    for batch in batches:
        entry: dict[str, Any] = {"Items": batch}
        if batch_input is not None:
            entry["BatchInput"] = batch_input
        out.append(entry)
    return out


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
        from engine import dataflow

        selected = dataflow.parameters(scope, state.item_selector)
    step.check_text(state, selected)
    return selected


def tolerances(state: MapState, scope: Scope) -> tuple[int | None, float | None]:
    count = resolve_integer(state.tolerated_count, scope) if state.tolerated_count else None
    if count is not None and count < 0:
        raise StatesError(errors.RUNTIME, "ToleratedFailureCount cannot be negative.")
    percentage = (
        resolve_float(state.tolerated_percentage, scope) if state.tolerated_percentage else None
    )
    if percentage is not None and not 0 <= percentage <= 100:
        raise StatesError(errors.RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.")
    return count, percentage
