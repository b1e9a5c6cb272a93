"""Every worked example and stated limit of the intrinsic functions page, as data.

https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from engine.errors import INTRINSIC_FAILURE, StatesError
from engine.intrinsics import compile_intrinsic
from engine.scope import Scope

NINE = [1, 2, 3, 4, 5, 6, 7, 8, 9]

# (expression, input, result)
EXAMPLES: list[tuple[str, Any, Any]] = [
    (
        "States.Format('Hello, my name is {}.', $.name)",
        {"name": "Arnav"},
        "Hello, my name is Arnav.",
    ),
    ("States.Format($.template, $.name)", {"name": "A", "template": "Hi {}."}, "Hi A."),
    ("States.StringToJson($.s)", {"s": '{"foo": "bar"}'}, {"foo": "bar"}),
    ("States.JsonToString($.j)", {"j": {"foo": "bar"}}, '{"foo":"bar"}'),
    (
        "States.Array('Foo', 2020, $.someJson, null)",
        {"someJson": {"random": "abcdefghij"}},
        ["Foo", 2020, {"random": "abcdefghij"}, None],
    ),
    ("States.ArrayPartition($.a, 4)", {"a": NINE}, [[1, 2, 3, 4], [5, 6, 7, 8], [9]]),
    ("States.ArrayContains($.a, $.x)", {"a": NINE, "x": 5}, True),
    ("States.ArrayRange(1, 9, 2)", {}, [1, 3, 5, 7, 9]),
    ("States.ArrayGetItem($.a, $.i)", {"a": NINE, "i": 5}, 6),
    ("States.ArrayLength($.a)", {"a": NINE}, 9),
    ("States.ArrayUnique($.a)", {"a": [1, 2, 3, 3, 3, 3, 3, 3, 4]}, [1, 2, 3, 4]),
    ("States.Base64Encode($.s)", {"s": "Data to encode"}, "RGF0YSB0byBlbmNvZGU="),
    ("States.Base64Decode($.s)", {"s": "RGF0YSB0byBlbmNvZGU="}, "Data to encode"),
    (
        "States.Hash($.d, $.alg)",
        {"d": "input data", "alg": "SHA-1"},
        "aaff4a450a104cd177d28d18d74485e8cae074b7",
    ),
    (
        "States.JsonMerge($.j1, $.j2, false)",
        {"j1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "j2": {"a": {"a3": 1, "a4": 2}, "c": 3}},
        {"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3},
    ),
    ("States.MathAdd($.v, $.step)", {"v": 111, "step": -1}, 110),
    ("States.StringSplit($.s, $.d)", {"s": "1,2,3,4,5", "d": ","}, ["1", "2", "3", "4", "5"]),
    (
        "States.StringSplit($.s, $.d)",
        {"s": "This.is+a,test=string", "d": ".+,="},
        ["This", "is", "a", "test", "string"],
    ),
]


def _run(text: str, document: Any) -> Any:
    return compile_intrinsic(text).evaluate(Scope(input=document))


@pytest.mark.parametrize(("text", "document", "expected"), EXAMPLES)
def test_guide_examples(text: str, document: Any, expected: Any) -> None:
    assert _run(text, document) == expected


def test_math_random_is_within_start_inclusive_end_exclusive() -> None:
    values = {_run("States.MathRandom($.s, $.e)", {"s": 1, "e": 4}) for _ in range(200)}
    assert values <= {1, 2, 3} and len(values) > 1
    seeded = [_run("States.MathRandom(1, 999, 7)", {}) for _ in range(3)]
    assert len(set(seeded)) == 1


def test_uuid_is_version_4() -> None:
    value = _run("States.UUID()", {})
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", value
    )


# The page's limits: each ends with States.IntrinsicFailure (catchable), not a crash.
LIMITS: list[tuple[str, Any]] = [
    ("States.ArrayRange(1, 1001, 1)", {}),  # at most 1000 items
    ("States.ArrayRange(1, 9, 0)", {}),  # the step must not be 0
    ("States.MathAdd($.a, 1)", {"a": 2147483648}),  # 32-bit integers
    ("States.MathRandom(5, 1)", {}),  # start below end
    ("States.Hash($.s, 'SHA-3')", {"s": "x"}),  # MD5, SHA-1, SHA-256, SHA-384, SHA-512
    ("States.Base64Encode($.s)", {"s": "x" * 10_001}),  # at most 10,000 characters
    ("States.Base64Decode($.s)", {"s": "***"}),
    ("States.JsonMerge($.a, $.b, true)", {"a": {}, "b": {}}),  # only shallow merge
    ("States.StringToJson($.s)", {"s": "{oops"}),
    ("States.ArrayGetItem($.a, 9)", {"a": NINE}),
    ("States.ArrayPartition($.a, 0)", {"a": NINE}),
]


@pytest.mark.parametrize(("text", "document"), LIMITS)
def test_guide_limits_fail_with_intrinsic_failure(text: str, document: Any) -> None:
    with pytest.raises(StatesError) as caught:
        _run(text, document)
    assert caught.value.error == INTRINSIC_FAILURE
    assert caught.value.cause
