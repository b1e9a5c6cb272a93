"""Responses compared with botocore's output shapes, strictly (written apart from the server).

``assert_shape(operation, body)`` fails when the raw JSON body of an answer has
a member the output shape does not name, lacks a required member, has a value
of the wrong JSON type, an enum value outside the set, or a string or number
outside the shape's bounds. Nested structures, lists and maps are checked all
the way down. ``assert_error(operation, code)`` checks that an error code is
one the operation documents (or a common error of every AWS JSON service).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import botocore.session
from botocore.model import OperationModel, ServiceModel

COMMON_ERRORS = {
    "AccessDeniedException",
    "IncompleteSignatureException",
    "InvalidSignatureException",
    "MissingAuthenticationTokenException",
    "UnrecognizedClientException",
    "SerializationException",
    "UnknownOperationException",
    "ThrottlingException",
    "ValidationException",
    "InternalFailure",
    "ServiceUnavailable",
}
TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "float": (int, float),
    "double": (int, float),
    "timestamp": (int, float),
    "structure": (dict,),
    "map": (dict,),
    "list": (list,),
}


@lru_cache(maxsize=1)
def model() -> ServiceModel:
    return botocore.session.get_session().get_service_model("stepfunctions")


def op(name: str) -> OperationModel:
    return model().operation_model(name)


def _problems(shape: Any, value: Any, path: str) -> list[str]:
    kind = shape.type_name
    if not isinstance(value, TYPES[kind]) or (isinstance(value, bool) and kind != "boolean"):
        return [f"{path}: {kind} expected, got {type(value).__name__} {value!r:.60}"]
    meta = shape.metadata
    value = _as_any(value)
    found: list[str] = []
    if kind == "structure":
        members = shape.members
        found += [f"{path}.{k}: not in {shape.name}" for k in value if k not in members]
        found += [
            f"{path}.{k}: required by {shape.name}"
            for k in shape.required_members
            if k not in value
        ]
        for key, item in value.items():
            if key in members:
                found += _problems(members[key], item, f"{path}.{key}")
    elif kind == "list":
        for index, item in enumerate(value):
            found += _problems(shape.member, item, f"{path}[{index}]")
    elif kind == "map":
        for key, item in value.items():
            found += _problems(shape.value, item, f"{path}.{key}")
    elif kind == "string":
        enum = meta.get("enum")
        if enum and value not in enum:
            found.append(f"{path}: {value!r} not in {enum}")
        if len(value) < meta.get("min", 0) or len(value) > meta.get("max", 10**9):
            found.append(f"{path}: length {len(value)} outside {meta}")
    elif kind in ("integer", "long", "float", "double") and not (
        meta.get("min", float("-inf")) <= value <= meta.get("max", float("inf"))
    ):
        found.append(f"{path}: {value} outside {meta}")
    return found


def _as_any(value: object) -> Any:
    return value


def assert_shape(operation: str, body: Any) -> None:
    shape = op(operation).output_shape
    if shape is None:
        assert body == {}, body
        return
    problems = _problems(shape, body, operation)
    assert not problems, "\n".join(problems)


def assert_error(operation: str, code: str) -> None:
    documented = {e.name for e in op(operation).error_shapes}
    assert code in documented | COMMON_ERRORS, f"{operation} does not document {code}"
