"""TestState's ``mock.fieldValidationMode``: a mocked result checked against the API it stands for.

For a Task calling an AWS SDK integration
(``arn:aws:states:::aws-sdk:<service>:<action>``, optionally
``.waitForTaskToken``) the mocked result must fit the action's output shape in
botocore's model of that service:

* ``STRICT`` (AWS's default): every required member present, every present
  member known and of the right JSON type, all the way down (member names
  with a capital first letter, as Step Functions writes SDK results);
* ``PRESENT``: every present member known and of the right type;
* ``NONE``: no check.

A Map's or a Parallel's mocked result stands for its iterations' (branches')
outputs: an array (``PRESENT``), with one element per branch for a Parallel
(``STRICT``).

Other resources (optimized integrations such as ``lambda:invoke``, whose
results are Step Functions' own wrappers, HTTP tasks, activities) have no
model to check against; their mocks are used as sent. A result that does not
fit is a ``ValidationException`` naming each problem's path.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from botocore.exceptions import UnknownServiceError
from botocore.model import OperationModel
from botocore.session import get_session

from designer.aws.errors import AwsError
from engine.teststate_containers import CONTAINER_TYPES, check_mock_shape

_SDK = re.compile(r"^arn:aws[a-z-]*:states:::aws-sdk:(?P<service>[a-z0-9-]+):(?P<action>\w+)")
_ALIASES = {"sfn": "stepfunctions"}  # Step Functions' service names that botocore spells apart
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "blob": (str,),
    "timestamp": (str, int, float),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "boolean": (bool,),
    "structure": (dict,),
    "map": (dict,),
    "list": (list,),
}


@lru_cache(maxsize=64)
def _operation(service: str, action: str) -> OperationModel | None:
    try:
        model = get_session().get_service_model(_ALIASES.get(service, service))
    except UnknownServiceError:
        return None
    name = _pascal(action)
    return model.operation_model(name) if name in model.operation_names else None


def _pascal(name: str) -> str:
    """Step Functions writes an SDK result's member names with a capital first letter."""
    return name[:1].upper() + name[1:]


def _fits(kind: str, value: object) -> bool:
    wrong_bool = isinstance(value, bool) and kind != "boolean"
    return isinstance(value, _TYPES.get(kind, (object,))) and not wrong_bool


def _problems(shape: Any, value: Any, path: str, strict: bool) -> list[str]:
    kind = shape.type_name
    if not _fits(kind, value):
        return [f"{path}: expected {kind}, got {type(value).__name__}"]
    found: list[str] = []
    if kind == "structure":
        members = {_pascal(k): v for k, v in shape.members.items()}
        found += [
            f"{path}.{key}: not a member of {shape.name}" for key in value if key not in members
        ]
        if strict:
            found += [
                f"{path}.{key}: required by {shape.name}"
                for key in map(_pascal, shape.required_members)
                if key not in value
            ]
        for key, item in value.items():
            if key in members:
                found += _problems(members[key], item, f"{path}.{key}", strict)
    elif kind == "list":
        for index, item in enumerate(value):
            found += _problems(shape.member, item, f"{path}[{index}]", strict)
    elif kind == "map":
        for key, item in value.items():
            found += _problems(shape.value, item, f"{path}.{key}", strict)
    return found


def check_mock_result(state: Any, result: Any, mode: str) -> None:
    """Refuse a mocked ``result`` that does not fit the state's API (see the module docstring)."""
    if mode == "NONE" or not isinstance(state, dict):
        return
    if state.get("Type") in CONTAINER_TYPES:
        problem = check_mock_shape(state if mode == "STRICT" else {"Type": state["Type"]}, result)
        if problem is not None:
            raise AwsError("ValidationException", f"{problem} ({mode})")
        return
    match = _SDK.match(str(state.get("Resource", "")))
    operation = _operation(match["service"], match["action"]) if match else None
    if operation is None or operation.output_shape is None:
        return
    problems = _problems(operation.output_shape, result, "result", strict=mode == "STRICT")
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise AwsError(
            "ValidationException",
            f"The mocked result does not fit {operation.service_model.service_name}:"
            f"{operation.name} ({mode}): " + "; ".join(problems[:5]) + more,
        )
