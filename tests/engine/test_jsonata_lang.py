"""engine.jsonata_lang: JSONata templates, AWS's functions and AWS's error wording.

Literal expectations marked "AWS" come from /work/shared/conformance/aws-recorded.jsonl.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from engine.errors import QUERY_EVALUATION_ERROR, ExpressionSyntaxError, StatesError
from engine.jsonata_lang import (
    JsonataEvaluationError,
    compile_template,
    is_jsonata_expression,
    unexpected_type_detail,
)
from engine.jsonvalue import MISSING
from engine.scope import Scope


def run(template: Any, input: Any = None, field: str = "Output", **scope: Any) -> Any:
    return compile_template(template, field).evaluate(Scope(input=input, **scope))


def failure(template: Any, input: Any = None, field: str = "Output", **scope: Any) -> StatesError:
    with pytest.raises(StatesError) as caught:
        run(template, input, field, **scope)
    assert caught.value.error == QUERY_EVALUATION_ERROR
    return caught.value


# --- recognising expressions ------------------------------------------------


@pytest.mark.parametrize("text", ["{% $x %}", "{%$x%}", "{% %}"])
def test_expression_strings(text: str) -> None:
    assert is_jsonata_expression(text)


@pytest.mark.parametrize(
    "value", [" {% $x %}", "{% $x %} ", "{%}", "{% $x", "$x %}", 1, None, ["{% 1 %}"]]
)
def test_not_expressions(value: Any) -> None:
    assert not is_jsonata_expression(value)


# --- templates ----------------------------------------------------------------


def test_constant_template_returns_its_value_untouched() -> None:
    value = {"a": [1, "$.not.a.path", "States.Format('{}', $x)"], "b": None}
    template = compile_template(value, "Output")
    assert template.is_constant
    assert template.evaluate(Scope(input={})) is value


def test_nested_expressions_at_any_depth_aws_list_rich() -> None:
    # AWS: outputdecl LIST_RICH
    template: list[Any] = [
        None,
        0,
        0.1,
        True,
        "string",
        [],
        "$nosuchvar",
        "{% $states.input %}",
        {"key": "{% true %}"},
    ]
    assert run(template, {"input_value": "stringliteral"}) == [
        None,
        0,
        0.1,
        True,
        "string",
        [],
        "$nosuchvar",
        {"input_value": "stringliteral"},
        {"key": True},
    ]


def test_states_holds_input_context_result_and_error_output() -> None:
    template = {
        "in": "{% $states.input.a %}",
        "ctx": "{% $states.context.Execution.Id %}",
        "res": "{% $states.result.r %}",
        "err": "{% $states.errorOutput.Error %}",
    }
    scope: dict[str, Any] = {
        "context": {"Execution": {"Id": "arn:x"}},
        "result": {"r": 2},
        "error_output": {"Error": "E"},
    }
    assert run(template, {"a": 1}, **scope) == {"in": 1, "ctx": "arn:x", "res": 2, "err": "E"}


def test_result_and_error_output_absent_when_missing() -> None:
    assert run("{% $keys($states) %}", {}) == ["input", "context"]


def test_variables_are_bound_by_name() -> None:
    variables = {"customerName": "María", "n": 2, "nothing": None}
    assert run("{% $customerName & ' ' & $string($n * 2) %}", variables=variables) == "María 4"
    assert run("{% $nothing %}", variables=variables) is None
    assert run("{% $exists($nothing) %}", variables=variables) is True


def test_json_null_in_input_is_null_not_undefined() -> None:
    assert run("{% $states.input.a %}", {"a": None}) is None
    assert run("{% $type($states.input.a) %}", {"a": None}) == "null"


def test_escaped_quote_comparison_aws() -> None:
    # AWS: ESCAPE_SEQUENCES_JSONATA_COMPARISON_OUTPUT / _ASSIGN
    assert run("{% $states.input = '\"' %}", '"') is True
    assert run("{% $var = '\"' %}", {}, variables={"var": '"'}) is True


def test_regular_expressions_aws() -> None:
    assert run('{% $contains("hello$world", /^hello\\$/) %}') is True
    assert run("{% $contains('hello$world', /^hello\\ /) %}") is False


def test_merge_with_dynamic_args_aws() -> None:
    data = {"part1": {"hello": "world"}, "part2": {"foo": "bar"}}
    assert run("{% $merge([$states.input.part1, $states.input.part2]) %}", data) == {
        "hello": "world",
        "foo": "bar",
    }


def test_path_over_arrays_maps_and_flattens() -> None:
    data = {"items": [{"n": 3}, {"n": 9}], "one": [0]}
    assert run("{% $states.input.items.n %}", data) == [3, 9]
    assert run("{% $states.input.one %}", data) == [0]
    assert run("{% $states.input.items[n > 5] %}", data) == {"n": 9}


# --- numbers ------------------------------------------------------------------


def test_integral_floats_come_back_as_int() -> None:
    value = run({"a": "{% 1.0 %}", "b": "{% 10 / 4 %}", "c": "{% $sum([1.5, 1.5]) %}"})
    assert value == {"a": 1, "b": 2.5, "c": 3}
    assert type(value["a"]) is int and type(value["c"]) is int


def test_large_integers_from_data_stay_exact() -> None:
    big = 12345678901234567890
    assert run("{% $states.input.big %}", {"big": big}) == big
    assert run("{% [$states.input.big] %}", {"big": big}) == [big]


def test_items_expression_aws() -> None:
    # AWS: evaluate_jsonata test_base_map[ITEMS]
    assert run([1, '{% $number("2") %}', 3], field="Items") == [1, 2, 3]
    assert run("{% $variable := 1 %}", field="MaxConcurrency") == 1


# --- failures with AWS's wording ------------------------------------------------


def test_undefined_result_aws() -> None:
    error = failure("{% $doesNotExist %}", {})
    assert error.cause == (
        "The JSONata expression '$doesNotExist' specified for the field 'Output' "
        "returned nothing (undefined)."
    )
    assert isinstance(error, JsonataEvaluationError) and error.location == "Output"


def test_undefined_inside_object_names_the_key_aws() -> None:
    error = failure({"result": "{% $doesNotExist %}"}, {})
    assert error.cause == (
        "The JSONata expression '$doesNotExist' specified for the field 'Output/result' "
        "returned nothing (undefined)."
    )
    assert isinstance(error, JsonataEvaluationError) and error.location == "Output/result"
    assert failure({"result": "{% $doesNotExist %}"}, field="Assign").cause is not None


def test_undefined_inside_array_names_the_index() -> None:
    error = failure({"a": [1, "{% $nope %}"]})
    assert isinstance(error, JsonataEvaluationError) and error.location == "Output/a/1"


def test_missing_field_of_input_is_undefined() -> None:
    error = failure("{% $states.input.a.b %}", {"a": "text"})
    assert error.cause is not None and error.cause.endswith("returned nothing (undefined).")


def test_function_result_is_unsupported_aws() -> None:
    error = failure("{% $fn := function($x){$x} %}", field="Items")
    assert error.cause == (
        "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' "
        "returned an unsupported result type."
    )
    assert failure("{% $uppercase %}").cause == (
        "The JSONata expression '$uppercase' specified for the field 'Output' "
        "returned an unsupported result type."
    )


def test_runtime_errors_carry_code_and_jsonata_js_wording() -> None:
    assert failure('{% $abs("x") %}').cause == (
        "The JSONata expression '$abs(\"x\")' specified for the field 'Output' threw an error "
        'during evaluation. T0410: Argument 1 of function "abs" does not match function signature'
    )
    assert str(failure('{% $sum(["a"]) %}').cause).endswith(
        'T0412: Argument 1 of function "sum" must be an array of "numbers"'
    )
    assert str(failure('{% 1 + "a" %}').cause).endswith(
        'T2002: The right side of the "+" operator must evaluate to a number'
    )
    assert str(failure('{% $error("boom") %}').cause).endswith("D3137: boom")


def test_eval_is_not_available() -> None:
    assert str(failure('{% $eval("1 + 1") %}').cause).endswith(
        "T1006: Attempted to invoke a non-function"
    )


def test_unexpected_type_detail_aws() -> None:
    assert unexpected_type_detail("1", "Items", "array", 1) == (
        "The JSONata expression '1' specified for the field 'Items' returned an unexpected "
        "result type. Expected 'array', but was 'number' for value: 1"
    )
    template = compile_template("{% {'foo': 'bar'} %}", "Items")
    value = template.evaluate(Scope(input={}))
    error = template.unexpected_type(value, "array")
    assert error.location == "Items"
    assert error.cause == (
        "The JSONata expression '{'foo': 'bar'}' specified for the field 'Items' returned an "
        "unexpected result type. Expected 'array', but was 'object' for value: {\"foo\":\"bar\"}"
    )
    null_template = compile_template("{% null %}", "Items")
    assert str(null_template.unexpected_type(None, "array").cause).endswith(
        "Expected 'array', but was 'null' for value: null"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{% a[1,2) %}", 'Expected "]", got ","'),
        ("{% 1 + %}", "Unexpected end of expression"),
        ('{% "open %}', "String literal must be terminated by a matching quote"),
        ('{% $match("a", /abc %}', "No terminating / in regular expression"),
    ],
)
def test_syntax_errors_raise_at_compile_time(text: str, message: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        compile_template({"deep": [text]}, "Output")
    assert caught.value.message == message


# --- AWS's functions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("array", "size", "expected"),
    [
        ([0], 1, [[0]]),
        ([0, 1], 5, [[0, 1]]),
        ([0, 1, 2, 3], 3, [[0, 1, 2], [3]]),
        ([0, 1, 2], 2.9, [[0, 1], [2]]),
    ],
)
def test_partition_aws(array: list[int], size: float, expected: list[list[int]]) -> None:
    data = {"FunctionInput": {"fst": array, "snd": size}}
    text = "{% $partition($states.input.FunctionInput.fst, $states.input.FunctionInput.snd) %}"
    assert run(text, data) == expected


def test_partition_argument_errors() -> None:
    assert str(failure("{% $partition([1], -1) %}").cause).endswith(
        "D3137: Second argument must be zero or greater"
    )
    assert "T0412" in str(failure("{% $partition(1, 1) %}").cause)
    assert "returned nothing" in str(failure("{% $partition([], 1) %}").cause)
    assert str(failure("{% $partition([1], 1, 2) %}").cause).endswith(
        'T0410: Argument 3 of function "partition" does not match function signature'
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0, 9, 3), [0, 3, 6, 9]),
        ((0, 10, 3), [0, 3, 6, 9]),
        ((1, 9, 9), 1),
        ((1, 9, 2), [1, 3, 5, 7, 9]),
        ((3, 0, -1), [3, 2, 1, 0]),
    ],
)
def test_range_aws(args: tuple[int, int, int], expected: Any) -> None:
    start, end, step = args
    assert run(f"{{% $range({start}, {end}, {step}) %}}") == expected


def test_range_wrong_direction_is_undefined() -> None:
    assert "returned nothing" in str(failure("{% $range(5, 1, 1) %}").cause)
    assert "T0410" in str(failure("{% $range('a', 1, 1) %}").cause)


def test_hash() -> None:
    assert run("{% $hash('a', 'MD5') %}") == "0cc175b9c0f1b6a831c399e269772661"
    assert run("{% $hash('a', 'SHA-256') %}") == (
        "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
    )
    assert str(failure("{% $hash('a', 'sha1') %}").cause).endswith(
        "D3137: Hash algorithm 'sha1' must be one of SHA-1, SHA-384, SHA-256, SHA-512, MD5"
    )


def test_random_seeded_like_java_util_random() -> None:
    assert run("{% $random(42) %}") == 0.7275636800328681
    assert run("{% $random(42.9) %}") == run("{% $random(42) %}")
    value = run("{% $random() %}")
    assert 0 <= value < 1


def test_uuid_is_version_4() -> None:
    value = run("{% $uuid() %}")
    assert len(value) == 36 and value[14] == "4"
    assert "T0410" in str(failure("{% $uuid(1) %}").cause)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-0", 0),
        ("1.1", 1.1),
        ("true", True),
        ('"HelloWorld"', "HelloWorld"),
        ('[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]),
        ('{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []}),
        ("null", None),
    ],
)
def test_parse_aws(text: str, expected: Any) -> None:
    assert run("{% $parse($states.input.FunctionInput) %}", {"FunctionInput": text}) == expected


def test_parse_rejects_invalid_json() -> None:
    for text in ["{", "NaN", '{"a": 1, "a": 2}', ""]:
        cause = failure("{% $parse($states.input) %}", text).cause
        assert str(cause).endswith("D3137: Invalid JSON")


# --- engineering properties ------------------------------------------------------


def test_fast_path_matches_the_library() -> None:
    documents: list[Any] = [
        {"a": {"b": 1}},
        {"a": {"b": None}},
        {"a": None},
        {"a": [{"b": 1}, {"b": 2}]},
        {"a": {"b": [1]}},
        {"a": "text"},
        {},
        {"a": {"b": {"c": 1.0}}},
    ]
    for document in documents:
        for path in ["$states.input.a.b", "$states.input.a", "$states.input.a.b.c"]:
            fast = compile_template("{% " + path + " %}", "Output")
            slow = compile_template("{% (" + path + ") %}", "Output")  # parentheses: no fast path
            assert outcome(fast, document) == outcome(slow, document), (path, document)


def outcome(template: Any, document: Any) -> Any:
    try:
        return template.evaluate(Scope(input=document))
    except StatesError as error:
        return error.cause.split("'")[-1] if error.cause else error.cause


def test_builtin_function_name_is_not_taken_for_a_missing_variable() -> None:
    assert "unsupported result type" in str(failure("{% $sum %}").cause)


def test_concurrent_evaluation_gives_each_thread_its_own_answer() -> None:
    template = compile_template({"double": "{% ($y := $states.input.x; $y * 2) %}"}, "Output")
    errors: list[str] = []

    def worker(x: int) -> None:
        for _ in range(200):
            result = template.evaluate(Scope(input={"x": x}))
            if result != {"double": 2 * x}:
                errors.append(f"{x}: {result}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_millis_is_taken_at_each_evaluation() -> None:
    clock = compile_template("{% $millis() %}", "Output")
    compile_template("{% 1 %}", "Output")  # a later compile must not freeze the clock
    first = clock.evaluate(Scope(input={}))
    time.sleep(0.01)
    assert clock.evaluate(Scope(input={})) > first


def test_expression_property() -> None:
    assert compile_template("{%  $x  %}", "Seconds").expression == "$x"
    assert compile_template({"a": "{% $x %}"}, "Output").expression is None
    assert MISSING is not None
