"""ResultPath: place a state's result into its input, copying only the objects on the path."""

from __future__ import annotations

from typing import Any, Final

from engine import errors
from engine.errors import ExpressionSyntaxError, StatesError
from engine.jsonpath.paths import JsonPath, compile_result_path
from engine.jsonvalue import to_json

_NOTHING: Final = object()


# What AWS raises when a ResultPath cannot be applied (recorded as
# "Unable to apply ReferencePath $.x to input \"text\""); the ASL spec's name for
# the same situation is States.ResultPathMatchFailure.
REFERENCE_PATH_CONFLICT: Final = errors.REFERENCE_PATH_CONFLICT


# ---------------------------------------------------------------------- ResultPath


def set_at(document: Any, path: JsonPath | str, value: Any) -> Any:
    """ResultPath: ``document`` with ``value`` placed at ``path`` (a copy; never mutated).

    ``$`` returns ``value``; missing objects along the path are created; a step
    that meets a value it cannot descend into raises
    ``StatesError("States.ReferencePathConflict", "Unable to apply ReferencePath ...")``.
    """
    compiled = compile_result_path(path) if isinstance(path, str) else path
    if not compiled.is_reference_path:
        raise ExpressionSyntaxError(f"Invalid ResultPath {compiled.text!r}: not a reference path")
    keys = compiled._keys or ()
    if not keys:
        return value
    return _placed(document, keys, 0, value, compiled.text, document)


def _placed(
    node: Any, keys: tuple[str | int, ...], at: int, value: Any, text: str, whole: Any
) -> Any:
    key = keys[at]
    last = at == len(keys) - 1
    if isinstance(key, str) and isinstance(node, dict):
        copy = dict(node)
        child = node.get(key, _NOTHING)
        if child is _NOTHING and not last:
            child = {}
        copy[key] = value if last else _placed(child, keys, at + 1, value, text, whole)
        return copy
    if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
        items = list(node)
        items[key] = value if last else _placed(node[key], keys, at + 1, value, text, whole)
        return items
    raise StatesError(
        REFERENCE_PATH_CONFLICT, f"Unable to apply ReferencePath {text} to input {to_json(whole)}"
    )
