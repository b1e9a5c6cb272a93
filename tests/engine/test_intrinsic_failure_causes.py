"""An intrinsic function that fails says why in its own words, never with Python's names.

``States.Base64Encode`` and ``States.Hash`` of a string holding a lone UTF-16
surrogate raised Python's ``UnicodeEncodeError`` out of the intrinsic. Now
every failure is ``States.IntrinsicFailure`` (or a path error) whose cause
names no Python exception; a property test throws arbitrary values at every
function.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from engine.errors import INTRINSIC_FAILURE, ExpressionSyntaxError, StatesError
from engine.intrinsics import FUNCTIONS
from engine.intrinsics.parser import parse_call
from engine.scope import Scope

PYTHON = re.compile(r"\b\w*(Error|Exception)\b|codec|NoneType|Traceback")


def call_of(name: str, count: int) -> Any:
    text = f"{name}({', '.join(f'$.v{i}' for i in range(count))})"
    try:
        return parse_call(text)
    except ExpressionSyntaxError:  # a wrong number of arguments: refused before any run
        reject()


def cause_of(call: Any, values: list[Any]) -> str | None:
    try:
        call.evaluate(Scope(input={f"v{i}": v for i, v in enumerate(values)}))
    except StatesError as failure:
        return str(failure.cause)
    return None


@pytest.mark.parametrize(
    ("name", "values"),
    [("States.Base64Encode", ["a\ud800"]), ("States.Hash", ["a\ud800", "SHA-256"])],
)
def test_a_lone_surrogate_is_an_intrinsic_failure(name: str, values: list[Any]) -> None:
    with pytest.raises(StatesError) as caught:
        parse_call(f"{name}({', '.join(f'$.v{i}' for i in range(len(values)))})").evaluate(
            Scope(input={f"v{i}": v for i, v in enumerate(values)})
        )
    assert caught.value.error == INTRINSIC_FAILURE
    assert "lone UTF-16 surrogate" in str(caught.value.cause)
    assert not PYTHON.search(str(caught.value.cause))


VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["\ud800", "a{}b", "YQ==", "@@", "[[[", "SHA-256", "MD5", "{}"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=5,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(FUNCTIONS)), st.lists(VALUES, min_size=0, max_size=3))
def test_any_arguments_fail_without_python_names(name: str, values: list[Any]) -> None:
    call = call_of(name, len(values))
    try:
        cause = cause_of(call, values)
    except Exception as error:  # anything but a StatesError escaped the intrinsic
        pytest.fail(f"{name}{tuple(values)!r} raised {type(error).__name__}: {error}")
    assert cause is None or not PYTHON.search(cause), cause
