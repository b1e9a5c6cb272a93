"""Field tables: which fields each object of a definition accepts, and of what kind.

Pure data. ``STATE_FIELDS[type]`` lists every field a state of that type may
hold; ``Field.lang`` restricts a field to one query language and
``Field.expr`` says a JSONata state may give the value as a ``{% %}``
expression instead. ``REQUIRED``, ``EXCLUSIVE`` and ``ONE_OF`` hold the
relations between fields. Sources: the Amazon States Language specification
(states-language.net) and the AWS Step Functions developer guide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Lang = Literal["JSONPath", "JSONata"]
JSONPATH: Final[Lang] = "JSONPath"
JSONATA: Final[Lang] = "JSONata"
QUERY_LANGUAGES: Final = ("JSONPath", "JSONata")

# Kinds of value, checked in fields.py:
#   string, bool, pos_int, nonneg_int, number, percentage, backoff, object, array,
#   any, timestamp, state_name, query_language, assign, enum:A|B, string_list,
#   jsonata (any JSON with {% %} strings), items (an array or one {% %} string),
#   payload (JSONPath template with .$ keys; a JSONata template in a JSONata
#   state), template (like payload, but any JSON value: AWS accepts a string,
#   number, array... for Parameters), path (Path or null), ref_path (reference path or null),
#   ref_path_strict (reference path), path_or_intrinsic
Kind = str


@dataclass(frozen=True, slots=True)
class Field:
    kind: Kind
    lang: Lang | None = None  # None: both query languages
    expr: bool = False  # a JSONata state may use a "{% %}" string instead


def _fields(*groups: dict[str, Field]) -> dict[str, Field]:
    merged: dict[str, Field] = {}
    for group in groups:
        merged.update(group)
    return merged


_P, _J = JSONPATH, JSONATA

COMMON: Final = {
    "Type": Field("string"),
    "Comment": Field("string"),
    "QueryLanguage": Field("query_language"),
}
FLOW: Final = {"Next": Field("state_name"), "End": Field("bool")}
IO_PATHS: Final = {"InputPath": Field("path", _P), "OutputPath": Field("path", _P)}
OUTPUT: Final = {"Output": Field("jsonata", _J)}
ASSIGN: Final = {"Assign": Field("assign")}
RESULT: Final = {
    "ResultPath": Field("ref_path", _P),
    "ResultSelector": Field("payload", _P),
    "Retry": Field("array"),
    "Catch": Field("array"),
}

STATE_FIELDS: Final[dict[str, dict[str, Field]]] = {
    "Pass": _fields(
        COMMON,
        FLOW,
        IO_PATHS,
        OUTPUT,
        ASSIGN,
        {
            "Parameters": Field("template", _P),
            "Result": Field("any", _P),
            "ResultPath": Field("ref_path", _P),
        },
    ),
    "Task": _fields(
        COMMON,
        FLOW,
        IO_PATHS,
        OUTPUT,
        ASSIGN,
        RESULT,
        {
            "Resource": Field("string"),
            "Parameters": Field("template", _P),
            "Arguments": Field("jsonata", _J),
            "Credentials": Field("object"),  # rules in resources.py
            "TimeoutSeconds": Field("pos_int", expr=True),
            "TimeoutSecondsPath": Field("ref_path_strict", _P),
            "HeartbeatSeconds": Field("pos_int", expr=True),
            "HeartbeatSecondsPath": Field("ref_path_strict", _P),
        },
    ),
    "Choice": _fields(
        COMMON,
        IO_PATHS,
        OUTPUT,
        ASSIGN,
        {"Choices": Field("array"), "Default": Field("state_name")},
    ),
    "Wait": _fields(
        COMMON,
        FLOW,
        IO_PATHS,
        OUTPUT,
        ASSIGN,
        {
            "Seconds": Field("nonneg_int", expr=True),
            "Timestamp": Field("timestamp", expr=True),
            "SecondsPath": Field("ref_path_strict", _P),
            "TimestampPath": Field("ref_path_strict", _P),
        },
    ),
    "Succeed": _fields(COMMON, IO_PATHS, OUTPUT),
    "Fail": _fields(
        COMMON,
        {
            "Error": Field("string", expr=True),
            "Cause": Field("string", expr=True),
            "ErrorPath": Field("path_or_intrinsic", _P),
            "CausePath": Field("path_or_intrinsic", _P),
        },
    ),
    "Parallel": _fields(
        COMMON,
        FLOW,
        IO_PATHS,
        OUTPUT,
        ASSIGN,
        RESULT,
        {
            "Branches": Field("array"),
            "Parameters": Field("template", _P),
            "Arguments": Field("jsonata", _J),
        },
    ),
    "Map": _fields(
        COMMON,
        FLOW,
        IO_PATHS,
        OUTPUT,
        ASSIGN,
        RESULT,
        {
            "ItemProcessor": Field("object"),
            "Iterator": Field("object"),
            "ItemsPath": Field("ref_path_strict", _P),
            "Items": Field("items", _J),
            "ItemSelector": Field("payload"),
            "Parameters": Field("template", _P),
            "ItemReader": Field("object"),
            "ItemBatcher": Field("object"),
            "ResultWriter": Field("object"),
            "MaxConcurrency": Field("nonneg_int", expr=True),
            "MaxConcurrencyPath": Field("ref_path_strict", _P),
            "ToleratedFailureCount": Field("nonneg_int", expr=True),
            "ToleratedFailureCountPath": Field("ref_path_strict", _P),
            "ToleratedFailurePercentage": Field("percentage", expr=True),
            "ToleratedFailurePercentagePath": Field("ref_path_strict", _P),
            "Label": Field("string"),
        },
    ),
}

STATE_TYPES: Final = tuple(STATE_FIELDS)
TERMINAL_TYPES: Final = frozenset({"Succeed", "Fail"})  # never Next/End
NO_TRANSITION_TYPES: Final = frozenset({"Succeed", "Fail", "Choice"})

REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "Task": ("Resource",),
    "Choice": ("Choices",),
    "Parallel": ("Branches",),
}

# At most one field of each group.
EXCLUSIVE: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    "Task": (
        ("TimeoutSeconds", "TimeoutSecondsPath"),
        ("HeartbeatSeconds", "HeartbeatSecondsPath"),
    ),
    "Wait": (("Seconds", "Timestamp", "SecondsPath", "TimestampPath"),),
    "Fail": (("Error", "ErrorPath"), ("Cause", "CausePath")),
    "Map": (
        ("ItemProcessor", "Iterator"),
        ("ItemSelector", "Parameters"),
        ("ItemsPath", "Items"),
        ("MaxConcurrency", "MaxConcurrencyPath"),
        ("ToleratedFailureCount", "ToleratedFailureCountPath"),
        ("ToleratedFailurePercentage", "ToleratedFailurePercentagePath"),
    ),
}

# At least one field of each group (combined with EXCLUSIVE: exactly one).
ONE_OF: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    "Wait": (("Seconds", "Timestamp", "SecondsPath", "TimestampPath"),),
    "Map": (("ItemProcessor", "Iterator"),),
}

# Map fields that only make sense when ProcessorConfig.Mode is DISTRIBUTED (a warning;
# ItemReader, ItemBatcher and ResultWriter are errors there, see distributed.py).
DISTRIBUTED_ONLY: Final = (
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "Label",
)

TOP_LEVEL: Final = {
    "StartAt": Field("string"),
    "States": Field("object"),
    "Comment": Field("string"),
    "Version": Field("string"),
    "TimeoutSeconds": Field("nonneg_int"),
    "QueryLanguage": Field("query_language"),
}
BRANCH: Final = {"StartAt": Field("string"), "States": Field("object"), "Comment": Field("string")}
PROCESSOR: Final = _fields(BRANCH, {"ProcessorConfig": Field("object")})
SCOPE_REQUIRED: Final = ("StartAt", "States")

PROCESSOR_CONFIG: Final = {
    "Mode": Field("enum:INLINE|DISTRIBUTED"),
    "ExecutionType": Field("enum:STANDARD|EXPRESS"),
}

RETRIER: Final = {
    "ErrorEquals": Field("string_list"),
    "IntervalSeconds": Field("pos_int"),
    "MaxAttempts": Field("nonneg_int"),
    "BackoffRate": Field("backoff"),
    "MaxDelaySeconds": Field("pos_int"),
    "JitterStrategy": Field("enum:FULL|NONE"),
    "Comment": Field("string"),
}
CATCHER: Final = {
    "ErrorEquals": Field("string_list"),
    "Next": Field("state_name"),
    "ResultPath": Field("ref_path", _P),
    "Comment": Field("string"),
    "Assign": Field("assign"),
    "Output": Field("jsonata", _J),
}
RETRIER_REQUIRED: Final = ("ErrorEquals",)
CATCHER_REQUIRED: Final = ("ErrorEquals", "Next")

# Limits AWS documents for retriers.
MAX_ATTEMPTS_LIMIT: Final = 99999999
MAX_DELAY_LIMIT: Final = 31622400

MAX_STATE_NAME_LENGTH: Final = 80
MAX_VARIABLE_NAME_LENGTH: Final = 80
RESERVED_VARIABLES: Final = frozenset({"states"})
