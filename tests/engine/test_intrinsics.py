"""Intrinsic functions: parsing, every function's results and errors, AWS's recorded behaviour.

Cases marked "AWS" come from executions recorded against real AWS Step Functions
(shared/conformance/aws-recorded.jsonl, topic intrinsic_functions).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import Any

import pytest

from engine.errors import INTRINSIC_FAILURE, RUNTIME, ExpressionSyntaxError, StatesError
from engine.intrinsics import FUNCTIONS, Intrinsic, compile_intrinsic, is_intrinsic
from engine.jsonpath import PathNotFound
from engine.scope import Scope


def run(text: str, document: Any = None, **scope: Any) -> Any:
    return compile_intrinsic(text).evaluate(Scope(input=document, **scope))


def failure(text: str, document: Any = None) -> StatesError:
    with pytest.raises(StatesError) as caught:
        run(text, document)
    return caught.value


def syntax_error(text: str) -> str:
    with pytest.raises(ExpressionSyntaxError) as caught:
        compile_intrinsic(text)
    return caught.value.message


def same_json(left: Any, right: Any) -> bool:
    """Equal as JSON values: 1 == 1.0, but true is not 1 and types must match otherwise."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(same_json, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same_json(left[k], right[k]) for k in left)
    return bool(left == right)


# ---------------------------------------------------------------- recognising and parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("States.Format('x')", True),
        ("States.UUID()", True),
        ("States.Nope()", True),
        ("$.States.Format", False),
        ("$States", False),
        (" States.UUID()", False),
        ("", False),
        (42, False),
        (None, False),
    ],
)
def test_is_intrinsic(text: Any, expected: bool) -> None:
    assert is_intrinsic(text) is expected


def test_compiled_intrinsic_is_frozen_and_keeps_its_text() -> None:
    intrinsic = compile_intrinsic("States.Array(1)")
    assert isinstance(intrinsic, Intrinsic)
    assert intrinsic.text == "States.Array(1)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        intrinsic.text = "other"  # type: ignore[misc]


def test_dispatch_table_has_every_aws_function() -> None:
    assert set(FUNCTIONS) == {
        "States.Format",
        "States.StringToJson",
        "States.JsonToString",
        "States.JsonMerge",
        "States.Array",
        "States.ArrayPartition",
        "States.ArrayContains",
        "States.ArrayRange",
        "States.ArrayGetItem",
        "States.ArrayLength",
        "States.ArrayUnique",
        "States.Base64Encode",
        "States.Base64Decode",
        "States.Hash",
        "States.MathRandom",
        "States.MathAdd",
        "States.StringSplit",
        "States.UUID",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("States.Array(1, -2, 0, 2.5, -0.25, 1e3, 1.0)", [1, -2, 0, 2.5, -0.25, 1000.0, 1.0]),
        ("States.Array(true, false, null)", [True, False, None]),
        (
            "States.Array('a', '', 'it\\'s', '\\{\\}', 'back\\\\slash')",
            ["a", "", "it's", "{}", "back\\slash"],
        ),
        ("States.Array(  'spaced'  ,\n\t1 )", ["spaced", 1]),
        ("States.Array('ünïcødé ✓ 🚀')", ["ünïcødé ✓ 🚀"]),
        ("States.Array('a, b', 'c)')", ["a, b", "c)"]),
        ("States.Array(States.Array(), States.Array(States.Array(1)))", [[], [[1]]]),
        ("States.Array ( 1 )", [1]),
    ],
)
def test_literal_arguments(text: str, expected: Any) -> None:
    result = run(text)
    assert result == expected
    assert [type(item) for item in result] == [type(item) for item in expected]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("States.Nope(1)", "unknown intrinsic function 'States.Nope'"),
        ("States.format('x')", "unknown intrinsic function 'States.format'"),
        ("States.UUID(1)", "States.UUID takes 0 argument(s) but 1 were given"),
        ("States.ArrayLength()", "States.ArrayLength takes 1 argument(s) but 0 were given"),
        ("States.MathRandom(1)", "States.MathRandom takes 2 to 3 argument(s) but 1 were given"),
        ("States.Format()", "States.Format takes at least 1 argument(s) but 0 were given"),
        ("States.JsonMerge($.a, $.b)", "States.JsonMerge takes 3 argument(s) but 2 were given"),
        ("States.Array(1", "expected ','"),
        ("States.Array(1,)", "expected an argument"),
        ("States.Array(,1)", "expected an argument"),
        ("States.Array(1) extra", "unexpected text after the end of the call"),
        ("States.Array('open)", "unterminated string"),
        ("States.Array(hello)", "unexpected 'hello'; strings must be in single quotes"),
        ('States.Array("double")', "expected an argument"),
        ("States.Array(1 2)", "expected ','"),
        ("States.Array(--1)", "expected a number"),
        ("States.UUID", "expected '('"),
        ("States.", "unknown intrinsic function 'States.'"),
        ("States.Array(1, %)", "expected an argument"),
        ("States.Format('{} and {}', 1)", "the template has 2 placeholder(s) '{}' but 1 value(s)"),
        ("States.Format('none', 1)", "the template has 0 placeholder(s) '{}' but 1 value(s)"),
        ("States.Format(42)", "the template must be a string"),
        ("States.Array($.a[)", "invalid path '$.a[)'"),
    ],
)
def test_syntax_errors(text: str, fragment: str) -> None:
    message = syntax_error(text)
    assert fragment in message
    assert message.startswith(f"Invalid intrinsic function call {text!r}")


def test_compile_rejects_text_that_is_not_an_intrinsic() -> None:
    assert "must start with 'States.'" in syntax_error("$.path")


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    text = "States.Array(" * 100 + ")" * 100
    assert "nested more than 64 deep" in syntax_error(text)


def test_syntax_error_points_at_the_character() -> None:
    assert syntax_error("States.Array(1, @)").endswith("(at character 17)")


def test_undefined_escape_compiles_but_fails_at_run_time() -> None:
    intrinsic = compile_intrinsic("States.Format('line\\nbreak')")
    with pytest.raises(StatesError) as caught:
        intrinsic.evaluate(Scope(input={}))
    assert caught.value.error == RUNTIME
    assert "'\\\\n'" in str(caught.value.cause)


# ---------------------------------------------------------------- path arguments


def test_path_arguments_read_input_context_and_variables() -> None:
    scope = Scope(
        input={"a": {"b": [10, 20]}, "s": "x"},
        context={"Execution": {"Id": "arn:exec"}},
        variables={"greeting": {"text": "hi"}},
    )
    intrinsic = compile_intrinsic("States.Array($, $.a.b[1], $$.Execution.Id, $greeting.text)")
    assert intrinsic.evaluate(scope) == [scope.input, 20, "arn:exec", "hi"]


def test_path_arguments_may_hold_commas_parentheses_and_escapes() -> None:
    document = {"a,b": 1, "a b": 2, "items": [{"x": 1}, {"x": 2}, {"x": 3}]}
    text = "States.Array($.a\\,b, $['a,b'], $['a b'] , $.items[?(@.x > 1)], $.items[*].x)"
    assert run(text, document) == [1, 1, 2, [{"x": 2}, {"x": 3}], [1, 2, 3]]


def test_path_argument_that_matches_nothing_raises_path_not_found() -> None:
    with pytest.raises(PathNotFound):
        run("States.Format('{}', $.missing)", {"present": 1})


def test_result_does_not_share_containers_with_the_input() -> None:
    document = {"items": [{"k": 1}], "obj": {"k": 2}}
    result = run("States.Array($.items, $.obj)", document)
    result[0][0]["k"] = 99
    result[1]["k"] = 99
    assert document == {"items": [{"k": 1}], "obj": {"k": 2}}


def test_nested_calls_aws_documentation_example() -> None:
    arn = "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.0.2"
    document = {"ImageRecipe": {"Arn": arn}}
    text = (
        "States.Format('{}.{}.{}', "
        "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
        "States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), "
        "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
        "States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1), "
        "States.MathAdd(States.ArrayLength(States.StringSplit($.ImageRecipe.Arn, '/')), -1))"
    )
    assert run(text, document) == "1.0.2"


def test_failure_cause_names_the_call_that_failed() -> None:
    error = failure("States.Array(1, States.ArrayGetItem(States.Array(), 0))")
    assert error.error == INTRINSIC_FAILURE
    assert error.cause == (
        "The intrinsic function States.ArrayGetItem(States.Array(), 0) failed: "
        "the index 0 is out of bounds for an array of 0 items"
    )


def test_failure_cause_shortens_long_values() -> None:
    cause = str(failure("States.ArrayLength($)", "x" * 500).cause)
    assert cause.endswith('must be an array, got string "' + "x" * 99 + "...")


# ---------------------------------------------------------------- States.Format


@pytest.mark.parametrize(
    ("value", "expected"),
    [  # AWS
        ("", "Formatting argument ."),
        (" ", "Formatting argument  ."),
        ("HelloWorld", "Formatting argument HelloWorld."),
        (None, "Formatting argument null."),
        (1, "Formatting argument 1."),
        (1.1, "Formatting argument 1.1."),
        ('{"Arg1": 1, "Arg2": []}', 'Formatting argument {"Arg1": 1, "Arg2": []}.'),
        ({"Arg1": 1, "Arg2": []}, "Formatting argument {Arg1=1, Arg2=[]}."),
    ],
)
def test_format_renders_values_like_aws(value: Any, expected: str) -> None:
    assert run("States.Format('Formatting argument {}.', $.v)", {"v": value}) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, "true"),
        (False, "false"),
        (1.0, "1.0"),
        (-0.5, "-0.5"),
        (12345678.0, "1.2345678E7"),
        (0.0001, "1.0E-4"),
        (10**20, "100000000000000000000"),
        ([1, "two", None, [True], {"k": "v"}], "[1, two, null, [true], {k=v}]"),
        ({"nested": {"list": [1.5, {}]}, "s": "t"}, "{nested={list=[1.5, {}]}, s=t}"),
        ("ünïcødé", "ünïcødé"),
    ],
)
def test_format_renders_other_values_the_java_way(value: Any, expected: str) -> None:
    assert run("States.Format('{}', $.v)", {"v": value}) == expected


def test_format_two_placeholders_aws() -> None:
    text = "States.Format('Formatting arguments fst={} and snd={}.', $.fst, $.snd)"
    assert run(text, {"fst": None, "snd": 1.1}) == "Formatting arguments fst=null and snd=1.1."


def test_format_escaped_braces_are_text_not_placeholders() -> None:
    text = "States.Format('\\{\\} {} \\{} {\\} \\\\{}', 'a', 'b')"
    assert run(text) == "{} a {} {} \\b"


def test_format_lone_braces_are_text() -> None:
    assert run("States.Format('{ {x} }{}', 1)") == "{ {x} }1"


def test_format_template_from_a_path_or_a_variable() -> None:
    scope = Scope(input={"t": "Hi {}, {}!"}, variables={"tpl": "It's {}!"})
    assert compile_intrinsic("States.Format($.t, 'a', 2)").evaluate(scope) == "Hi a, 2!"
    assert compile_intrinsic("States.Format($tpl, 'Pikachu')").evaluate(scope) == "It's Pikachu!"


def test_format_runtime_template_mismatch_and_non_string_template() -> None:
    error = failure("States.Format($.t, 1, 2)", {"t": "only {}"})
    assert error.error == INTRINSIC_FAILURE
    assert "the template has 1 placeholder(s) '{}' but 2 value(s) were given" in str(error.cause)
    error = failure("States.Format($.t)", {"t": 5})
    assert "the template (first argument) must be a string, got number 5" in str(error.cause)


def test_format_with_nested_calls() -> None:
    assert run("States.Format('{}-{}', States.UUID(), States.MathAdd(1, 2))").endswith("-3")


# ---------------------------------------------------------------- JSON functions


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # AWS
        ("", None),
        (" ", None),
        ("null", None),
        ("-0", 0),
        ("1", 1),
        ("1.1", 1.1),
        ("true", True),
        ('"HelloWorld"', "HelloWorld"),
        ('[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]),
        ('{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []}),
        ('{"ü": "✓"}', {"ü": "✓"}),
    ],
)
def test_string_to_json(text: str, expected: Any) -> None:
    assert same_json(run("States.StringToJson($.s)", {"s": text}), expected)


@pytest.mark.parametrize("bad", ["{", "NaN", "Infinity", "[1,]", "{'a': 1}", "1 2"])
def test_string_to_json_rejects_invalid_json(bad: str) -> None:
    error = failure("States.StringToJson($.s)", {"s": bad})
    assert error.error == INTRINSIC_FAILURE
    assert "is not valid JSON" in str(error.cause)


def test_string_to_json_needs_a_string() -> None:
    assert "must be a string, got object {}" in str(failure("States.StringToJson($)", {}).cause)


def test_string_to_json_of_a_literal() -> None:
    assert run("States.StringToJson('{\"a\": [1]}')") == {"a": [1]}


@pytest.mark.parametrize(
    ("value", "expected"),
    [  # AWS
        (None, "null"),
        (0, "0"),
        (1, "1"),
        (1.1, "1.1"),
        (True, "true"),
        ("HelloWorld", '"HelloWorld"'),
        ([1, 2, "HelloWorld"], '[1,2,"HelloWorld"]'),
        ({"Arg1": 1, "Arg2": []}, '{"Arg1":1,"Arg2":[]}'),
        ({"ü": "✓ 🚀"}, '{"ü":"✓ 🚀"}'),
    ],
)
def test_json_to_string(value: Any, expected: str) -> None:
    assert run("States.JsonToString($.v)", {"v": value}) == expected


def test_json_merge_is_shallow_and_the_second_object_wins() -> None:
    document = {"a": {"x": 1, "keep": {"deep": 1}, "n": 1}, "b": {"keep": {"other": 2}, "m": 2}}
    assert run("States.JsonMerge($.a, $.b, false)", document) == {
        "x": 1,
        "keep": {"other": 2},
        "n": 1,
        "m": 2,
    }


def test_json_merge_with_an_escaped_literal_aws() -> None:
    text = (
        'States.JsonMerge(States.StringToJson(\'{"constant_in_literal": "false"}\'), '
        "$$.Execution.Input.input_field, false)"
    )
    context = {"Execution": {"Input": {"input_field": {"constant_input_field": "constant_value"}}}}
    assert run(text, {}, context=context) == {
        "constant_in_literal": "false",
        "constant_input_field": "constant_value",
    }


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("States.JsonMerge($.a, $.a, true)", "only shallow merging is supported"),
        ("States.JsonMerge($.a, $.a, 'false')", "the third argument must be a boolean, got string"),
        (
            "States.JsonMerge($.l, $.a, false)",
            "the first argument must be an object, got array [1]",
        ),
        ("States.JsonMerge($.a, null, false)", "the second argument must be an object, got null"),
    ],
)
def test_json_merge_errors(text: str, fragment: str) -> None:
    error = failure(text, {"a": {}, "l": [1]})
    assert error.error == INTRINSIC_FAILURE
    assert fragment in str(error.cause)


# ---------------------------------------------------------------- arrays


def test_array() -> None:
    assert run("States.Array()") == []  # AWS
    assert run("States.Array($.id, 'x', $.o)", {"id": 123456, "o": {"k": None}}) == [
        123456,
        "x",
        {"k": None},
    ]


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("length", [0, 1, 2, 3, 4])
def test_array_partition_aws(length: int, size: int) -> None:
    items = list(range(length))
    expected = [items[i : i + size] for i in range(0, length, size)]
    assert run("States.ArrayPartition($.a, $.n)", {"a": items, "n": size}) == expected


def test_array_partition_examples() -> None:
    text = "States.ArrayPartition($.a, 4)"
    assert run(text, {"a": [1, 2, 3, 4, 5, 6, 7, 8, 9]}) == [[1, 2, 3, 4], [5, 6, 7, 8], [9]]
    assert run("States.ArrayPartition($.a, 2.0)", {"a": [1, 2, 3]}) == [[1, 2], [3]]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "States.ArrayPartition($.a, 0)",
            "the chunk size (second argument) must be positive, got 0",
        ),
        ("States.ArrayPartition($.a, -1)", "must be positive, got -1"),
        ("States.ArrayPartition($.a, 0.4)", "must be positive, got 0"),
        ("States.ArrayPartition($.a, '2')", 'must be a number, got string "2"'),
        ("States.ArrayPartition('abc', 2)", "the first argument must be an array"),
    ],
)
def test_array_partition_errors(text: str, fragment: str) -> None:
    assert fragment in str(failure(text, {"a": [1]}).cause)


@pytest.mark.parametrize(
    ("items", "value", "expected"),
    [  # AWS, then edge cases
        ([], None, False),
        ([], [], False),
        ([], 1, False),
        ([[1, 2, 3], 2], None, False),
        ([[1, 2, 3], 2], [1, 2, 3], True),
        ([{"1": 2, "2": []}], [], False),
        ([{"1": 2, "2": []}], {"1": 2, "2": []}, True),
        ([True, False], True, True),
        ([True, False], False, True),
        ([1, 2], 1.0, True),
        ([1, 0], True, False),
        ([1, 0], False, False),
        (["1"], 1, False),
        ([None], None, True),
        ([{"a": [1, {"b": 2}]}], {"a": [1, {"b": 2.0}]}, True),
        (["ü"], "ü", True),
    ],
)
def test_array_contains(items: list[Any], value: Any, expected: bool) -> None:
    assert run("States.ArrayContains($.a, $.v)", {"a": items, "v": value}) is expected


def test_array_contains_needs_an_array() -> None:
    assert "must be an array, got object" in str(failure("States.ArrayContains($, 1)", {}).cause)


@pytest.mark.parametrize(
    ("start", "end", "step", "expected"),
    [  # AWS first
        (0, 9, 3, [0, 3, 6, 9]),
        (0, 10, 3, [0, 3, 6, 9]),
        (1, 9, 9, [1]),
        (1, 9, 2, [1, 3, 5, 7, 9]),
        (5, 5, 1, [5]),
        (10, 0, -3, [10, 7, 4, 1]),
        (-2, 2, 1, [-2, -1, 0, 1, 2]),
        (5, 0, 1, []),
        (0, 5, -1, []),
        (1.0, 3.0, 1.0, [1, 2, 3]),
    ],
)
def test_array_range(start: Any, end: Any, step: Any, expected: list[int]) -> None:
    result = run("States.ArrayRange($.a, $.b, $.c)", {"a": start, "b": end, "c": step})
    assert result == expected
    assert all(type(item) is int for item in result)


def test_array_range_literals_and_limit() -> None:
    assert run("States.ArrayRange(0, 3, 1)") == [0, 1, 2, 3]
    assert len(run("States.ArrayRange(1, 1000, 1)")) == 1000
    assert len(run("States.ArrayRange(0, -999, -1)")) == 1000
    error = failure("States.ArrayRange(0, 1000, 1)")
    assert error.error == INTRINSIC_FAILURE
    assert "would have 1001 items, more than the maximum of 1000" in str(error.cause)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("States.ArrayRange(1, 9, 0)", "the step (third argument) must not be 0"),
        ("States.ArrayRange(1, 9, 0.4)", "the step (third argument) must not be 0"),
        ("States.ArrayRange(1, '9', 1)", "the end (second argument) must be a number"),
        ("States.ArrayRange(1, 9, true)", "the step (third argument) must be a number"),
    ],
)
def test_array_range_errors(text: str, fragment: str) -> None:
    assert fragment in str(failure(text).cause)


# https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html: where an
# integer is expected, a non-integer number is rounded to the nearest integer (half up,
# as AWS recorded for States.MathAdd: 1.5 -> 2, -1.5 -> -1, -2.5 -> -2).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("States.ArrayPartition($.a, 1.5)", [[1, 2], [3]]),
        ("States.ArrayPartition($.a, 1.49)", [[1], [2], [3]]),
        ("States.ArrayRange(1.5, 4.4, 1)", [2, 3, 4]),
        ("States.ArrayRange(0, 6, 2.5)", [0, 3, 6]),
        ("States.ArrayRange(3, 1, -1.5)", [3, 2, 1]),
        ("States.ArrayGetItem($.a, 1.5)", 3),
        ("States.ArrayGetItem($.a, 0.49)", 1),
        ("States.ArrayGetItem($.a, -0.5)", 1),
        ("States.MathAdd(-2.5, 0)", -2),
        ("States.MathRandom(0.5, 1.5)", 1),
        ("States.MathRandom(1, 2, 7.6)", 1),
    ],
)
def test_non_integer_numbers_are_rounded(text: str, expected: Any) -> None:
    assert run(text, {"a": [1, 2, 3]}) == expected


def test_array_get_item() -> None:
    document = {"a": [1, 2, 3, 4, 5, 6, 7, 8, 9], "i": 5}
    assert run("States.ArrayGetItem($.a, $.i)", document) == 6  # AWS
    assert run("States.ArrayGetItem($.a, 0)", document) == 1
    assert run("States.ArrayGetItem($.a, 8.0)", document) == 9
    assert run("States.ArrayGetItem($.o, 0)", {"o": [{"k": [1]}]}) == {"k": [1]}


@pytest.mark.parametrize(
    ("index", "fragment"),
    [
        ("9", "the index 9 is out of bounds for an array of 9 items"),
        ("-1", "the index -1 is out of bounds for an array of 9 items"),
        ("8.5", "the index 9 is out of bounds for an array of 9 items"),
        ("'1'", 'the index (second argument) must be a number, got string "1"'),
    ],
)
def test_array_get_item_errors(index: str, fragment: str) -> None:
    error = failure(f"States.ArrayGetItem($.a, {index})", {"a": list(range(9))})
    assert error.error == INTRINSIC_FAILURE
    assert fragment in str(error.cause)


def test_array_length() -> None:
    assert run("States.ArrayLength($)", [1, 2, 3, 4, 5, 6, 7, 8, 9]) == 9  # AWS
    assert run("States.ArrayLength(States.Array())") == 0
    assert "must be an array, got string" in str(failure("States.ArrayLength('abc')").cause)


def test_array_unique() -> None:
    assert run("States.ArrayUnique($)", [1, 2, 2, 3, 3, 4]) == [1, 2, 3, 4]
    assert run("States.ArrayUnique($)", []) == []
    mixed = [1, 1.0, True, "1", None, None, {"a": [1]}, {"a": [1.0]}, [1, 2], [2, 1], False, 0]
    assert run("States.ArrayUnique($)", mixed) == [
        1,
        True,
        "1",
        None,
        {"a": [1]},
        [1, 2],
        [2, 1],
        False,
        0,
    ]
    assert "must be an array, got null" in str(failure("States.ArrayUnique(null)").cause)


# ---------------------------------------------------------------- encoding and hashing


def test_base64_encode_and_decode() -> None:
    assert run("States.Base64Decode($)", "") == ""  # AWS
    assert run("States.Base64Decode($)", "RGF0YSB0byBlbmNvZGU=") == "Data to encode"  # AWS
    assert run("States.Base64Encode('Data to encode')") == "RGF0YSB0byBlbmNvZGU="
    assert run("States.Base64Encode($)", "Hello World") == "SGVsbG8gV29ybGQ="
    assert run("States.Base64Encode('')") == ""
    unicode = "héllo ✓ 🚀"
    assert run("States.Base64Decode(States.Base64Encode($))", unicode) == unicode
    assert run("States.Base64Decode('SGk')") == "Hi"


def test_base64_limits_and_errors() -> None:
    assert len(run("States.Base64Encode($)", "a" * 10_000)) == 13_336
    assert "at most 10000 characters, got 10001" in str(
        failure("States.Base64Encode($)", "a" * 10_001).cause
    )
    assert "at most 10000 characters" in str(failure("States.Base64Decode($)", "A" * 10_004).cause)
    assert "is not valid base64" in str(failure("States.Base64Decode('***')").cause)
    assert "must be a string, got number 1" in str(failure("States.Base64Encode(1)").cause)


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [  # AWS
        ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
        ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
        ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
        (
            "SHA-384",
            "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b"
            "87525bdc835ebb27e1fb9e9374a15562",
        ),
        (
            "SHA-512",
            "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce"
            "2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4",
        ),
    ],
)
def test_hash_aws(algorithm: str, digest: str) -> None:
    assert run("States.Hash($.d, $.a)", {"d": "input data", "a": algorithm}) == digest


def test_hash_of_unicode_uses_utf8() -> None:
    assert run("States.Hash('✓', 'SHA-256')") == hashlib.sha256("✓".encode()).hexdigest()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("States.Hash('x', 'SHA256')", 'the algorithm "SHA256" is not supported; use one of MD5'),
        ("States.Hash('x', 'md5')", 'the algorithm "md5" is not supported'),
        ("States.Hash(1, 'MD5')", "the data (first argument) must be a string, got number 1"),
        ("States.Hash('x', null)", "the algorithm (second argument) must be a string, got null"),
    ],
)
def test_hash_errors(text: str, fragment: str) -> None:
    assert fragment in str(failure(text).cause)


def test_hash_input_limit() -> None:
    assert len(run("States.Hash($, 'MD5')", "a" * 10_000)) == 32
    assert "at most 10000 characters" in str(failure("States.Hash($, 'MD5')", "a" * 10_001).cause)


# ---------------------------------------------------------------- math


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [  # AWS: each argument is rounded half up before the addition
        (-9, 3, -6),
        (1.49, 1.5, 3),
        (1.5, 1.51, 4),
        (-1.49, -1.5, -2),
        (-1.5, -1.51, -3),
        (1.49, 0, 1),
        (1.49, -1.49, 0),
        (1.5, 0, 2),
        (1.51, 0, 2),
        (-1.49, 0, -1),
        (-1.5, 0, -1),
        (-1.51, 0, -2),
        (0.5, 0, 1),
        (2.5, 0, 3),
        (3.5, 0, 4),
        (-0.5, 0.5, 1),
        (-0.5, 0, 0),
        (-2.5, 0, -2),
        (-3.5, 0, -3),
        (2147483647, -2147483648, -1),
    ],
)
def test_math_add(first: Any, second: Any, expected: int) -> None:
    result = run("States.MathAdd($.a, $.b)", {"a": first, "b": second})
    assert result == expected
    assert type(result) is int


def test_math_add_literals_and_nesting() -> None:
    assert run("States.MathAdd(States.MathAdd(1, 2), -1)") == 2
    assert run("States.MathAdd($.n, -1)", {"n": 1}) == 0


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "States.MathAdd(2147483648, 0)",
            "the first argument must be between -2147483648 and 2147483647",
        ),
        ("States.MathAdd(0, -2147483649)", "the second argument must be between"),
        ("States.MathAdd('1', 2)", 'the first argument must be a number, got string "1"'),
        ("States.MathAdd(1, true)", "the second argument must be a number, got boolean true"),
        ("States.MathAdd(1, null)", "the second argument must be a number, got null"),
    ],
)
def test_math_add_errors(text: str, fragment: str) -> None:
    error = failure(text)
    assert error.error == INTRINSIC_FAILURE
    assert fragment in str(error.cause)


def test_math_random_stays_in_range() -> None:
    results = {run("States.MathRandom(1, 4)") for _ in range(200)}
    assert results <= {1, 2, 3}
    assert len(results) > 1
    assert run("States.MathRandom(-5, -4)") == -5


def test_math_random_is_deterministic_for_a_seed() -> None:
    first = [run(f"States.MathRandom(0, 1000000, {seed})") for seed in range(5)]
    again = [run(f"States.MathRandom(0, 1000000, {seed})") for seed in range(5)]
    assert first == again
    assert len(set(first)) > 1
    assert all(0 <= value < 1000000 for value in first)
    assert run("States.MathRandom($.s, $.e, $.seed)", {"s": 1, "e": 999, "seed": 7}) == run(
        "States.MathRandom(1, 999, 7)"
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("States.MathRandom(5, 5)", "the start (5) must be less than the end (5)"),
        ("States.MathRandom(9, 1)", "the start (9) must be less than the end (1)"),
        ("States.MathRandom('1', 9)", "the start (first argument) must be a number"),
        ("States.MathRandom(1, 9, 'seed')", "the seed (third argument) must be a number"),
    ],
)
def test_math_random_errors(text: str, fragment: str) -> None:
    assert fragment in str(failure(text).cause)


# ---------------------------------------------------------------- strings and ids


@pytest.mark.parametrize(
    ("text", "delimiters", "expected"),
    [  # AWS first
        (" ", ",", [" "]),
        (" , ", ",", [" ", " "]),
        (", , ,", ",", [" ", " "]),
        (",,,,", ",", []),
        ("1,2,3,4,5", ",", ["1", "2", "3", "4", "5"]),
        ("This.is+a,test=string", ".+,=", ["This", "is", "a", "test", "string"]),
        ("split on T and \nnew line", "T\n", ["split on ", " and ", "new line"]),
        (
            "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\n"
            "true,1,'HelloWorld'\nNull,None,\n   \n",
            ",",
            [
                "Value1",
                "Value2",
                "Value3\nValue4",
                "Value5",
                "Value6\n",
                "\ntrue",
                "1",
                "'HelloWorld'\nNull",
                "None",
                "\n   \n",
            ],
        ),
        ("", ",", []),
        ("abc", "", ["abc"]),
        ("a→b→c", "→", ["a", "b", "c"]),
        ("a--b", "--", ["a", "b"]),
    ],
)
def test_string_split(text: str, delimiters: str, expected: list[str]) -> None:
    assert run("States.StringSplit($.s, $.d)", {"s": text, "d": delimiters}) == expected


def test_string_split_literal_with_real_newlines_aws() -> None:
    assert run("States.StringSplit('Hello\nWorld', '\n')") == ["Hello", "World"]


def test_string_split_errors() -> None:
    assert "the first argument must be a string, got number 1" in str(
        failure("States.StringSplit(1, ',')").cause
    )
    assert "the delimiter (second argument) must be a string, got array []" in str(
        failure("States.StringSplit('a', States.Array())").cause
    )


def test_uuid_is_a_fresh_version_4_uuid() -> None:
    pattern = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    intrinsic = compile_intrinsic("States.UUID()")
    values = {intrinsic.evaluate(Scope(input=None)) for _ in range(20)}
    assert len(values) == 20
    assert all(pattern.match(value) for value in values)
