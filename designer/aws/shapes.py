"""botocore's service model of Step Functions, and requests checked against its input shapes.

The model ships with botocore (``botocore/data/stepfunctions``); it names each
operation, its input and output shapes and their constraints. A request body
is checked as AWS checks it: a value of the wrong JSON type is a
``SerializationException``; a missing required member, a string of the wrong
length, a number out of range or a value outside an enum is a
``ValidationException`` listing every problem ("2 validation errors detected:
Value null at 'name' failed to satisfy constraint: Member must not be null;
..."). A string holding a NUL character or a lone UTF-16 surrogate
(``\ud800``, which JSON can carry but UTF-8 cannot encode) is refused too:
no database column can store it, and no message echoes it unescaped.
Members the model does not know are ignored, as AWS ignores them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape
from botocore.session import get_session

from designer.aws.errors import AwsError

SERVICE = "stepfunctions"
_JSON_TYPES: dict[str, tuple[type, ...]] = {
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
    "blob": (str,),
}


@lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    return get_session().get_service_model(SERVICE)


def operation(name: str) -> OperationModel | None:
    model = service_model()
    if name not in model.operation_names:
        return None
    return model.operation_model(name)


_SURROGATES = re.compile("[\ud800-\udfff]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def readable(text: str) -> str:
    """``text`` with NUL and lone surrogates written as ``\\uXXXX``: safe to echo in UTF-8."""
    return _UNSTORABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    text = str(value)
    return "'" + (text if len(text) <= 80 else text[:77] + "...") + "'"


class _Check:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, value: Any, path: str, constraint: str) -> None:
        self.problems.append(
            readable(
                f"Value {_shown(value)} at '{path}' failed to satisfy constraint: {constraint}"
            )
        )

    def value(self, shape: Shape, value: Any, path: str) -> None:
        kinds = _JSON_TYPES.get(shape.type_name, (object,))
        wrong_bool = isinstance(value, bool) and shape.type_name != "boolean"
        if not isinstance(value, kinds) or wrong_bool:
            raise AwsError(
                "SerializationException",
                readable(
                    f"Expected {shape.type_name} at '{path or '(body)'}', "
                    f"got {type(value).__name__}."
                ),
            )
        check = getattr(self, "_" + shape.type_name, None)
        if check is not None:
            check(shape, value, path)

    def _structure(self, shape: Any, value: dict[str, Any], path: str) -> None:
        for name in shape.required_members:
            if value.get(name) is None:
                self.fail(None, _join(path, name), "Member must not be null")
        for name, member in shape.members.items():
            if value.get(name) is not None:
                self.value(member, value[name], _join(path, name))

    def _string(self, shape: Shape, value: str, path: str) -> None:
        meta = shape.metadata
        if "\x00" in value:  # PostgreSQL stores no NUL: refused at the door, never a 500
            self.fail(value, path, "Member must not contain a NUL character (\\u0000)")
        if not value.isascii() and _SURROGATES.search(value):  # UTF-8 cannot encode these
            self.fail(value, path, "Member must be valid Unicode (no lone UTF-16 surrogate)")
        if "min" in meta and len(value) < meta["min"]:
            self.fail(
                value, path, f"Member must have length greater than or equal to {meta['min']}"
            )
        if "max" in meta and len(value) > meta["max"]:
            self.fail(value, path, f"Member must have length less than or equal to {meta['max']}")
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            self.fail(value, path, f"Member must satisfy enum value set: [{', '.join(enum)}]")

    def _number(self, shape: Shape, value: float, path: str) -> None:
        meta = shape.metadata
        if "min" in meta and value < meta["min"]:
            self.fail(value, path, f"Member must have value greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            self.fail(value, path, f"Member must have value less than or equal to {meta['max']}")

    _integer = _long = _float = _double = _number

    def _list(self, shape: Any, value: list[Any], path: str) -> None:
        meta = shape.metadata
        if "min" in meta and len(value) < meta["min"]:
            self.fail(
                value, path, f"Member must have length greater than or equal to {meta['min']}"
            )
        if "max" in meta and len(value) > meta["max"]:
            self.fail(value, path, f"Member must have length less than or equal to {meta['max']}")
        for index, item in enumerate(value, 1):
            self.value(shape.member, item, f"{path}.{index}.member")

    def _map(self, shape: Any, value: dict[str, Any], path: str) -> None:
        for key, item in value.items():
            self.value(shape.key, key, f"{path}.key")
            self.value(shape.value, item, f"{path}.{key}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def check_input(op: OperationModel, body: Any) -> dict[str, Any]:
    """The request's parameters if they fit the operation's input shape; else an AwsError."""
    shape = op.input_shape
    if shape is None:
        return {}
    check = _Check()
    check.value(shape, body, "")
    if check.problems:
        count = len(check.problems)
        noun = "error" if count == 1 else "errors"
        raise AwsError(
            "ValidationException",
            f"{count} validation {noun} detected: " + "; ".join(check.problems),
        )
    return dict(body)
