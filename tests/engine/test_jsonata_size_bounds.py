"""Issue #13: one JSONata evaluation cannot allocate gigabytes before its time bound fires.

Each step's value is held to ``JSONATA_MAX_STRING_LENGTH`` characters and
``JSONATA_MAX_ARRAY_LENGTH`` items; the steps that can make far more than they are
given (``$pad``, ``$join``, ``$string``, ``$replace``, ``$zip``, a date picture's
width, ``[a..b]``, ``**``, ``&``) are checked before they allocate; values built
from many small pieces are bounded by the process's growth
(``JSONATA_MAX_MEMORY_BYTES``). Past any of them the state fails with
``States.QueryEvaluationError`` and a cause naming the limit, so Retry and Catch apply.
"""

from __future__ import annotations

from typing import Any

import pytest

import engine
from engine import limits
from engine.jsonata_lang import compile_template
from engine.scope import Scope


def evaluate(expression: str, data: Any = None) -> Any:
    return compile_template("{% " + expression + " %}", "Output").evaluate(Scope(input=data))


def refusal(expression: str, data: Any = None) -> str:
    with pytest.raises(engine.StatesError) as caught:
        evaluate(expression, data)
    assert caught.value.error == "States.QueryEvaluationError"
    cause = str(caught.value.cause)
    assert cause.startswith(f"The JSONata expression '{expression}' specified for the field")
    return cause


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Limits small enough that a test allocates nothing to speak of."""
    monkeypatch.setattr(limits, "JSONATA_MAX_STRING_LENGTH", 1000)
    monkeypatch.setattr(limits, "JSONATA_MAX_ARRAY_LENGTH", 100)


# --- the defaults, against the expressions ----------------------------------------


def test_a_string_doubled_forty_times_stops_at_the_string_limit() -> None:
    cause = refusal('$reduce([1..40], function($a, $b){ $a & $a }, "x")')
    assert "more than the limit of 8388608 (JSONATA_MAX_STRING_LENGTH)" in cause


def test_a_huge_pad_is_refused_before_it_is_made() -> None:
    cause = refusal('$pad("x", 1000000000)')
    assert "$pad would make a string of 1000000000 characters" in cause


def test_a_huge_range_is_refused_before_it_is_made() -> None:
    assert "D2014" in refusal("$count([1..100000000])")  # JSONata's own bound still answers first
    cause = refusal("$count([1..5000000])")
    assert "The range [1..5000000] would make an array of 5000000 items" in cause
    assert "(JSONATA_MAX_ARRAY_LENGTH)" in cause


def test_values_at_the_limits_are_fine() -> None:
    assert evaluate("$count([1..1000000])") == limits.JSONATA_MAX_ARRAY_LENGTH
    assert evaluate('$length($pad("", 8388608, "x"))') == limits.JSONATA_MAX_STRING_LENGTH


def test_a_limit_fails_the_state_so_catchers_apply() -> None:
    grow = {
        "StartAt": "Grow",
        "States": {"Grow": {"Type": "Pass", "Output": '{% $pad("x", 1e8) %}', "End": True}},
    }
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [grow],
                "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }
    result = engine.run(engine.parse(definition), {})
    assert result.status == "SUCCEEDED"
    assert "JSONATA_MAX_STRING_LENGTH" in result.output["Cause"]


# --- each allocation point, with small limits ----------------------------------------------


@pytest.mark.parametrize(
    ("expression", "names"),
    [
        ('$reduce([1..20], function($a, $b){ $a & $a }, "x")', "JSONATA_MAX_STRING_LENGTH"),
        ('$pad("x", 1001)', "$pad would make a string of 1001 characters"),
        ('$pad("x", -5000)', "$pad would make a string of 5000 characters"),
        ('$join([$pad("", 600, "a"), $pad("", 600, "b")])', "$join would make a string of 1200"),
        ('$join(["ab", "cd"], $pad("", 999, "-"))', "$join would make a string of 1003"),
        ('$replace($pad("", 100, "a"), "a", "bbbbbbbbbbbbbbbbbbbb")', "$replace would make a"),
        ('$replace($pad("", 100, "a"), /a/, "$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0")', "$replace would"),
        ('$replace($pad("", 100, "a"), /a/, function($m){ $pad("", 50, "z") })', "$replace would"),
        ('$fromMillis(0, "[Y,100000000]")', "The picture of $fromMillis would make"),
        ('$now("[Y,5000-6000]")', "The picture of $now would make"),
        ("$count([1..101])", "The range [1..101] would make an array of 101 items"),
        ("$range(1, 500, 1)", "$range would make an array of 500 items"),
        ("$zip([1..60], [1..60])", "$zip would make an array of 120 items"),
        ("[1..10].([1..20])", "would make an array of 200 items"),
        ("$append([1..80], [1..80])", "would make an array of 160 items"),
        ('$split($pad("", 500, "a"), "")', "would make an array of 500 items"),
    ],
)
def test_each_allocation_point_is_bounded(small: None, expression: str, names: str) -> None:
    cause = refusal(expression)
    assert names in cause
    assert "(JSONATA_MAX_STRING_LENGTH)" in cause or "(JSONATA_MAX_ARRAY_LENGTH)" in cause


# A value that holds the same array many times is small in memory and huge as text.
SHARED = "($a := [1..90]; $b := [[$a], [$a], [$a], [$a], [$a]]; $c := [[$b], [$b], [$b], [$b]]; "


@pytest.mark.parametrize(
    ("expression", "names"),
    [
        (SHARED + "$string($c))", "$string would make a longer string"),
        (SHARED + '$c & "")', "The & operator would make a longer string"),
        (SHARED + "$c ~> |$|{}|)", "The transform (~> |...|...|) would make a longer string"),
        (SHARED + "$c.**)", "The ** operator would collect more than 100 values"),
        (SHARED + "$c)", "returned a value too large. The result would make a longer string"),
    ],
)
def test_shared_values_are_measured_before_they_are_written_out(
    small: None, expression: str, names: str
) -> None:
    assert names in refusal(expression)


def test_within_small_limits_the_same_functions_work(small: None) -> None:
    assert evaluate('$length($pad("x", 1000))') == 1000
    assert evaluate('$join(["ab", "cd"], "-")') == "ab-cd"
    assert evaluate('$replace("abcabc", /b(c)/, "[$1]")') == "a[c]a[c]"
    assert evaluate('$replace("abc", "b", "xx")') == "axxc"
    assert evaluate('$fromMillis(0, "[Y0001]-[M01]")') == "1970-01"
    assert evaluate("$count([1..100])") == 100
    assert evaluate("$string([1, 2])") == "[1,2]"


def test_many_small_pieces_are_bounded_by_the_process_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "JSONATA_MAX_MEMORY_BYTES", 8 * 1024 * 1024)
    # 2,000 strings of 20,000 characters each: no one value is large, together 40 MB
    cause = refusal('[1..2000].($pad("", 20000, "x") & $string($))')
    assert "grew the process's memory by" in cause
    assert "(JSONATA_MAX_MEMORY_BYTES)" in cause
