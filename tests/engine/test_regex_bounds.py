"""Issue #13: a regular expression that backtracks catastrophically cannot hang a step.

JSONata's ``/regex/`` (``$match``, ``$contains``, ``$replace``, ``$split``, a regex
called as a function) and a JSONPath filter's ``=~`` run through
``engine.regexes``: each search has ``REGEX_MAX_SECONDS`` (less when the JSONata
evaluation has less time left) and then fails the state with a cause that names
the pattern and the limit: ``States.QueryEvaluationError`` in JSONata,
``States.Runtime`` in a JSONPath filter. Python's ``re`` ran ``(a|aa)+$`` against
``"a" * 40 + "b"`` for hours, deaf to signals and to the evaluation's clock.
"""

from __future__ import annotations

from typing import Any

import pytest

import engine
from engine import interrupts, regexes
from engine.interrupts import LimitExceeded, Watch
from engine.jsonata_lang import compile_template
from engine.jsonpath import compile_path
from engine.scope import Scope

EVIL = "(a|aa)+$"
VICTIM = "a" * 40 + "b"


def evaluate(expression: str, data: Any = None) -> Any:
    return compile_template("{% " + expression + " %}", "Output").evaluate(Scope(input=data))


@pytest.mark.parametrize(
    "call",
    [
        f"$match($states.input.s, /{EVIL}/)",
        f"$contains($states.input.s, /{EVIL}/)",
        f'$replace($states.input.s, /{EVIL}/, "x")',
        f"$split($states.input.s, /{EVIL}/)",
        f"/{EVIL}/($states.input.s)",
    ],
)
def test_a_catastrophic_pattern_fails_the_state_naming_the_limit(call: str) -> None:
    with pytest.raises(engine.StatesError) as caught:
        evaluate(call, {"s": VICTIM})
    assert caught.value.error == "States.QueryEvaluationError"
    cause = str(caught.value.cause)
    assert f"The regular expression /{EVIL}/ took longer than the limit of 1 second(s)" in cause
    assert "(REGEX_MAX_SECONDS) on a string of 41 characters" in cause


def test_the_pattern_gets_no_more_than_the_evaluation_has_left() -> None:
    # a tiny evaluation budget: the search is cut short by the evaluation's clock
    with (
        interrupts.watching(Watch(jsonata_seconds=0.000001)),
        pytest.raises(engine.StatesError) as caught,
    ):
        evaluate(f"$contains($states.input.s, /{EVIL}/)", {"s": VICTIM})
    assert "JSONATA_MAX_SECONDS" in str(caught.value.cause)


def test_a_catastrophic_jsonpath_filter_fails_with_states_runtime() -> None:
    path = compile_path(f"$.items[?(@.name =~ /{EVIL}/)]")
    with pytest.raises(engine.StatesError) as caught:
        path.find({"items": [{"name": VICTIM}]})
    assert caught.value.error == "States.Runtime"
    assert "(REGEX_MAX_SECONDS)" in str(caught.value.cause)


def test_a_catastrophic_jsonpath_filter_in_a_run_fails_the_execution() -> None:
    definition = {
        "StartAt": "Pick",
        "States": {
            "Pick": {"Type": "Pass", "InputPath": f"$.items[?(@.name =~ /{EVIL}/)]", "End": True}
        },
    }
    result = engine.run(engine.parse(definition), {"items": [{"name": VICTIM}]})
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert "REGEX_MAX_SECONDS" in str(result.cause)


def test_ordinary_patterns_behave_as_before() -> None:
    assert evaluate('$match("xAbx", /ab/i).match') == "Ab"
    assert evaluate('$contains("line1\\nline2", /^line2$/m)') is True
    assert evaluate('$replace("abcabc", /b(c)/, "[$1]")') == "a[c]a[c]"
    assert evaluate('$replace("abc", /b/, "$5")') == "ac"  # a missing group is nothing
    assert evaluate('$replace("abc", /b/, "$$")') == "a$c"
    assert evaluate('$replace("aaa", /a/, "b", 2)') == "bba"
    assert evaluate('$split("a1b22c", /\\d+/)') == ["a", "b", "c"]
    assert evaluate('$replace("xaby", /a(b)/, function($m){ $uppercase($m.match) })') == "xABy"
    assert evaluate('/b+/("abbbc").match') == "bbb"
    path = compile_path("$.items[?(@.name =~ /a.*/i)].name")
    assert path.find({"items": [{"name": "Abc"}, {"name": "b"}]}) == ["Abc"]


def test_a_bad_pattern_is_a_syntax_error_not_a_trace() -> None:
    with pytest.raises(engine.ExpressionSyntaxError) as caught:
        compile_template('{% $match("a", /a{2,1}/) %}', "Output")
    assert "Invalid regular expression /a{2,1}/" in caught.value.message


def test_the_bound_pattern_raises_limit_exceeded_directly() -> None:
    pattern = regexes.compile_pattern(EVIL)
    with pytest.raises(LimitExceeded) as caught:
        pattern.search(VICTIM)
    assert "REGEX_MAX_SECONDS" in caught.value.cause
    assert pattern.search("aaa") is not None
