"""The JSONPath-mode processing steps of a state, with AWS's errors and causes.

A state's data flows: raw input -> ``InputPath`` -> ``Parameters`` (or
``ItemSelector``) -> the work -> ``ResultSelector`` -> ``ResultPath`` (merged
into the raw input) -> ``OutputPath`` -> output. Each step is one function here.

Absent and ``null`` differ. The interpreter passes the compiled default for an
absent field (``DEFAULT_PATH``/``DEFAULT_RESULT_PATH``, both ``$``, or ``None``
for an absent payload) and ``None`` for a JSON ``null`` path:

* ``InputPath: null`` gives ``{}``; ``OutputPath: null`` gives ``{}``;
* ``ResultPath: null`` discards the result and keeps the raw input.

Errors carry only the cause *detail*; the interpreter prefixes "An error
occurred while executing the state ...". Recorded on AWS::

    States.Runtime  Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']
"""

from __future__ import annotations

from typing import Any, Final

from engine.errors import RUNTIME, StatesError
from engine.jsonpath import (
    JsonPath,
    PathNotFound,
    Reference,
    compile_reference,
    compile_result_path,
    set_at,
)
from engine.payload import Payload
from engine.scope import Scope

__all__ = [
    "DEFAULT_PATH",
    "DEFAULT_RESULT_PATH",
    "input_path",
    "invalid_path_cause",
    "output_path",
    "parameters",
    "result_path",
    "result_selector",
]

DEFAULT_PATH: Final = compile_reference("$")
DEFAULT_RESULT_PATH: Final = compile_result_path("$")


def invalid_path_cause(miss: PathNotFound) -> str:
    """AWS's detail for an InputPath/OutputPath (or ItemsPath...) that matched nothing."""
    return f"Invalid path '{miss.path}' : {miss.reason}"


def _select(scope: Scope, path: Reference | None) -> Any:
    if path is None:
        return {}
    try:
        return path.evaluate(scope)
    except PathNotFound as miss:
        raise StatesError(RUNTIME, invalid_path_cause(miss)) from None


def input_path(scope: Scope, path: Reference | None) -> Any:
    """``InputPath`` over ``scope.input`` (the raw input); ``None`` (JSON null) gives ``{}``."""
    return _select(scope, path)


def parameters(scope: Scope, payload: Payload | None) -> Any:
    """``Parameters``/``ItemSelector`` over ``scope.input`` (the input after InputPath)."""
    return scope.input if payload is None else payload.evaluate(scope)


def result_selector(scope: Scope, payload: Payload | None) -> Any:
    """``ResultSelector``: ``scope.input`` is the state's raw result."""
    return scope.input if payload is None else payload.evaluate(scope)


def result_path(raw_input: Any, path: JsonPath | None, result: Any) -> Any:
    """``ResultPath``: ``result`` placed into a copy of ``raw_input``; ``None`` keeps the input."""
    if path is None:
        return raw_input
    return set_at(raw_input, path, result)


def output_path(scope: Scope, path: Reference | None) -> Any:
    """``OutputPath`` over ``scope.input`` (the output after ResultPath); ``None`` gives ``{}``."""
    return _select(scope, path)
