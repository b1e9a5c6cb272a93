"""Choice-rule evaluation (engine.choice), checked against what AWS does."""

from __future__ import annotations

from typing import Any

import pytest

from engine.choice import (
    INVALID_PATH_CAUSE,
    ChoiceRule,
    choose,
    compile_choices,
    compile_rule,
    first_match,
)
from engine.choice.operators import COMPARISONS, OPERATORS, PATH_COMPARISONS, compile_wildcard
from engine.errors import QUERY_EVALUATION_ERROR, RUNTIME, ExpressionSyntaxError, StatesError
from engine.jsonvalue import MISSING
from engine.scope import Scope

LOCATION = "/States/Check/Choices/0"


def rule(body: dict[str, Any], query_language: str = "JSONPath") -> ChoiceRule:
    return compile_rule({**body, "Next": "Yes"}, query_language, LOCATION)


def holds(body: dict[str, Any], document: Any, **scope: Any) -> bool:
    return rule(body).matches(Scope(input=document, **scope))


def check(operator: str, operand: Any, variable: Any) -> bool:
    return holds({"Variable": "$.Variable", operator: operand}, {"Variable": variable})


def check_path(operator: str, variable: Any, value: Any) -> bool:
    body = {"Variable": "$.Variable", f"{operator}Path": "$.Value"}
    return holds(body, {"Variable": variable, "Value": value})


def runtime_error(body: dict[str, Any], document: Any) -> StatesError:
    with pytest.raises(StatesError) as caught:
        holds(body, document)
    assert caught.value.error == RUNTIME
    return caught.value


# Values AWS's recorded cases feed to every operator (wrong types included).
ALL_KINDS: list[Any] = [
    None,
    0,
    0.0,
    1,
    1.1,
    "",
    " ",
    "HelloWorld",
    "2012-10-09T19:00:55",
    "2012-10-09T19:00:55Z",
    "2012-10-09T19:00:55+01:00",
    "2023-02-24",
    [],
    [""],
    {},
    {"A": 0},
    True,
    False,
]


# --------------------------------------------------------------------------
# Recorded AWS behaviour (aws-recorded.jsonl, topic choice_operators)

RECORDED = [
    # (operator, operand, Variable, AWS took the rule?)
    ("BooleanEquals", True, None, False),
    ("BooleanEquals", True, 1, False),
    ("BooleanEquals", False, 0, False),
    ("BooleanEquals", False, "", False),
    ("BooleanEquals", True, True, True),
    ("BooleanEquals", True, False, False),
    ("BooleanEquals", False, False, True),
    ("IsBoolean", False, None, True),
    ("IsBoolean", True, False, True),
    ("IsNull", True, None, True),
    ("IsNull", False, None, False),
    ("IsNull", True, 0, False),
    ("IsNumeric", True, 0.0, True),
    ("IsNumeric", True, 1.1, True),
    ("IsNumeric", True, "", False),
    ("IsNumeric", True, True, False),
    ("IsNumeric", False, "2023-02-24", True),
    ("IsPresent", True, None, True),
    ("IsPresent", False, {"A": 0}, False),
    ("IsString", True, "2012-10-09T19:00:55Z", True),
    ("IsString", True, [""], False),
    ("NumericEquals", 0, 0.0, True),
    ("NumericEquals", 1.0, 1, True),
    ("NumericEquals", 2.22, 2.22, True),
    ("NumericEquals", 1, 1.1, False),
    ("NumericEquals", 0, None, False),
    ("NumericEquals", 0, False, False),
    ("NumericEquals", 1, True, False),
    ("NumericEquals", 0, "", False),
    ("NumericEquals", 1, [], False),
    ("NumericGreaterThan", 0, 1, True),
    ("NumericGreaterThan", 1, 1, False),
    ("NumericLessThan", 1, 0, True),
    ("NumericLessThanEquals", 0, 0.0, True),
    ("StringGreaterThan", "A ", "A", False),
    ("StringGreaterThan", "A\t\n\r", "A", False),
    ("StringGreaterThan", "ABC", "AB", False),
    ("StringLessThan", "AB", "A", True),
    ("StringLessThanEquals", "", "", True),
    ("TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", True),
    ("TimestampEquals", "2012-10-09T19:00:55Z", "2023-02-24 12:15:56.832957", False),
    ("TimestampEquals", "2012-10-09T19:00:55Z", 0, False),
    ("TimestampEquals", "2012-10-09T19:00:55Z", {"A": 0}, False),
    ("TimestampGreaterThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", True),
    ("TimestampLessThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", False),
]


@pytest.mark.parametrize(("operator", "operand", "variable", "expected"), RECORDED)
def test_recorded_aws_cases(operator: str, operand: Any, variable: Any, expected: bool) -> None:
    assert check(operator, operand, variable) is expected


RECORDED_PATHS = [
    ("BooleanEquals", True, True, True),
    ("BooleanEquals", 1, True, False),
    ("NumericGreaterThan", 0.0, 0, False),
    ("NumericGreaterThanEquals", 0.0, 0, True),
    ("NumericLessThanEquals", 1, 0, False),
    ("StringGreaterThanEquals", "AB", "A", True),
    ("StringLessThan", "", "", False),
    ("TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", True),
    ("TimestampGreaterThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", False),
    ("TimestampLessThan", "2012-10-09T19:00:56Z", "2012-10-09T19:00:55Z", False),
]


@pytest.mark.parametrize(("operator", "variable", "value", "expected"), RECORDED_PATHS)
def test_recorded_aws_path_cases(operator: str, variable: Any, value: Any, expected: bool) -> None:
    assert check_path(operator, variable, value) is expected


def test_aws_docs_scenario() -> None:
    rules = compile_choices(
        [
            {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
            {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
            {
                "And": [
                    {"Variable": "$.value", "NumericGreaterThanEquals": 20},
                    {"Variable": "$.value", "NumericLessThan": 30},
                ],
                "Next": "ValueInTwenties",
            },
        ],
        "JSONPath",
        "/States/ChoiceStateX/Choices",
    )
    scope = Scope(input={"type": "Private", "value": 22})
    assert choose(rules, scope, "DefaultState") == "ValueInTwenties"
    assert choose(rules, Scope(input={"type": "Public", "value": 22})) == "Public"
    assert choose(rules, Scope(input={"type": "Private", "value": 0})) == "ValueIsZero"
    assert choose(rules, Scope(input={"type": "Private", "value": 5}), "DefaultState") == (
        "DefaultState"
    )
    assert choose(rules, Scope(input={"type": "Private", "value": 5})) is None


# --------------------------------------------------------------------------
# Every operator


def test_operator_table_is_complete() -> None:
    families = ("String", "Numeric", "Timestamp")
    relations = ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")
    expected = {family + relation for family in families for relation in relations}
    assert set(COMPARISONS) == expected | {"BooleanEquals"}
    assert set(PATH_COMPARISONS) == {f"{name}Path" for name in COMPARISONS}
    assert len(OPERATORS) == 16 * 2 + 6 + 1


STRING_CASES = [
    ("StringEquals", "abc", "abc", True),
    ("StringEquals", "abc", "ABC", False),
    ("StringEquals", "", "", True),
    ("StringEquals", "é", "e\u0301", False),  # no Unicode normalization
    ("StringLessThan", "abd", "abc", True),
    ("StringLessThan", "abc", "abc", False),
    ("StringGreaterThan", "B", "a", True),  # code-unit order, not case-folded
    ("StringGreaterThan", "abc", "abd", True),
    ("StringGreaterThan", "abc", "abc", False),
    ("StringLessThanEquals", "abc", "abc", True),
    ("StringLessThanEquals", "abc", "abd", False),
    ("StringGreaterThanEquals", "abc", "abc", True),
    ("StringGreaterThanEquals", "abd", "abc", False),
    # Java compareTo order: U+FF21 (one code unit) sorts after U+1F600 (surrogates D83D DE00)
    ("StringGreaterThan", "\U0001f600", "\uff21", True),
    ("StringLessThan", "\uff21", "\U0001f600", True),
]


@pytest.mark.parametrize(("operator", "operand", "variable", "expected"), STRING_CASES)
def test_string_comparisons(operator: str, operand: str, variable: str, expected: bool) -> None:
    assert check(operator, operand, variable) is expected
    assert check_path(operator, variable, operand) is expected


NUMERIC_CASES = [
    ("NumericEquals", 1, 1.0, True),
    ("NumericEquals", -0.0, 0, True),
    ("NumericEquals", 0.1, 0.1, True),
    ("NumericEquals", 3, 4, False),
    ("NumericLessThan", 0, -1, True),
    ("NumericLessThan", 1.5, 1.5, False),
    ("NumericGreaterThan", 1.5, 1.6, True),
    ("NumericGreaterThan", 2, 2.0, False),
    ("NumericLessThanEquals", 2, 2.0, True),
    ("NumericLessThanEquals", 2, 2.0001, False),
    ("NumericGreaterThanEquals", 1e3, 1000, True),
    ("NumericGreaterThanEquals", 1000, 999.999, False),
    ("NumericEquals", 9007199254740993, 9007199254740993, True),
]


@pytest.mark.parametrize(("operator", "operand", "variable", "expected"), NUMERIC_CASES)
def test_numeric_comparisons(operator: str, operand: Any, variable: Any, expected: bool) -> None:
    assert check(operator, operand, variable) is expected
    assert check_path(operator, variable, operand) is expected


TIMESTAMP_CASES = [
    ("TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T20:00:55+01:00", True),
    ("TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55.000Z", True),
    ("TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55.001Z", False),
    ("TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55+01:00", False),
    ("TimestampLessThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55+01:00", True),
    ("TimestampLessThan", "2012-10-09T19:00:55.5Z", "2012-10-09T19:00:55.25Z", True),
    ("TimestampGreaterThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55.5Z", True),
    ("TimestampGreaterThan", "2012-10-09T19:00:55Z", "2012-10-09T15:00:56-04:00", True),
    ("TimestampLessThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T20:00:55+01:00", True),
    ("TimestampGreaterThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:54.999Z", False),
    # strings that are not timestamps never compare as timestamps
    ("TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55", False),
    ("TimestampLessThan", "2012-10-09T19:00:55Z", "2012-10-09", False),
    ("TimestampGreaterThanEquals", "2012-10-09T19:00:55Z", "2012-10-09t19:00:55z", False),
]


@pytest.mark.parametrize(("operator", "operand", "variable", "expected"), TIMESTAMP_CASES)
def test_timestamp_comparisons(operator: str, operand: str, variable: str, expected: bool) -> None:
    assert check(operator, operand, variable) is expected
    assert check_path(operator, variable, operand) is expected


def test_timestamp_strings_still_compare_as_strings() -> None:
    assert check("StringEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z")
    assert not check("StringEquals", "2012-10-09T19:00:55Z", "2012-10-09T20:00:55+01:00")


@pytest.mark.parametrize("variable", ALL_KINDS)
def test_type_mismatch_is_false_never_an_error(variable: Any) -> None:
    if not isinstance(variable, str):
        for name in ("StringEquals", "StringLessThan", "StringGreaterThanEquals"):
            assert not check(name, "", variable)
            assert not check_path(name, variable, "")
        assert not check("StringMatches", "*", variable)
    if isinstance(variable, bool) or not isinstance(variable, (int, float)):
        assert not check("NumericEquals", 0, variable)
        assert not check("NumericLessThanEquals", 10, variable)
        assert not check_path("NumericGreaterThanEquals", variable, -10)
    if not isinstance(variable, bool):
        assert not check("BooleanEquals", True, variable)
        assert not check("BooleanEquals", False, variable)
        assert not check_path("BooleanEquals", variable, False)
    if variable != "2012-10-09T19:00:55Z" and variable != "2012-10-09T19:00:55+01:00":
        assert not check("TimestampLessThanEquals", "2100-01-01T00:00:00Z", variable)
        assert not check_path("TimestampGreaterThanEquals", variable, "1900-01-01T00:00:00Z")


def test_path_operand_of_wrong_type_is_false() -> None:
    assert not check_path("NumericEquals", 1, "1")
    assert not check_path("StringEquals", "1", 1)
    assert not check_path("BooleanEquals", True, "true")
    assert not check_path("TimestampEquals", "2012-10-09T19:00:55Z", "not a timestamp")


TYPE_MEMBERS: dict[str, list[Any]] = {
    "IsNull": [None],
    "IsNumeric": [0, 0.0, 1, 1.1],
    "IsString": [
        "",
        " ",
        "HelloWorld",
        "2012-10-09T19:00:55",
        "2012-10-09T19:00:55Z",
        "2012-10-09T19:00:55+01:00",
        "2023-02-24",
    ],
    "IsBoolean": [True, False],
    "IsTimestamp": ["2012-10-09T19:00:55Z", "2012-10-09T19:00:55+01:00"],
    "IsPresent": ALL_KINDS,
}


@pytest.mark.parametrize("operator", sorted(TYPE_MEMBERS))
@pytest.mark.parametrize("variable", ALL_KINDS)
def test_type_tests(operator: str, variable: Any) -> None:
    is_member = any(variable is kind for kind in TYPE_MEMBERS[operator])
    assert check(operator, True, variable) is is_member
    assert check(operator, False, variable) is not is_member


@pytest.mark.parametrize("text", ["1", "1.5", "-2", "1e3", "NaN", "0x10"])
def test_numeric_strings_are_not_numeric(text: str) -> None:
    assert not check("IsNumeric", True, text)
    assert check("IsString", True, text)
    assert not check("NumericEquals", 1, text)


@pytest.mark.parametrize("text", ["true", "false", "True"])
def test_boolean_strings_are_not_boolean(text: str) -> None:
    assert not check("IsBoolean", True, text)
    assert not check("BooleanEquals", text == "true", text)


def test_is_timestamp_follows_the_asl_profile() -> None:
    assert check("IsTimestamp", True, "2016-03-14T01:59:00.123-08:00")
    assert not check("IsTimestamp", True, "2016-03-14T01:59:00")
    assert not check("IsTimestamp", True, "2016-03-14")
    assert not check("IsTimestamp", True, "2016-02-30T01:59:00Z")
    assert not check("IsTimestamp", True, 1457920740)


# --------------------------------------------------------------------------
# StringMatches


MATCHES = [
    ("foo*.log", "foo23.log", True),
    ("foo*.log", "foo.log", True),
    ("foo*.log", "foo23.txt", False),
    ("*.log", "zebra.log", True),
    ("*.log", ".log", True),
    ("*.log", "zebra.log.gz", False),
    ("foo*.*", "foobar.zebra", True),
    ("*", "", True),
    ("*", "anything at all", True),
    ("", "", True),
    ("", "x", False),
    ("abc", "abc", True),
    ("abc", "abcd", False),
    ("a*b*c", "abc", True),
    ("a*b*c", "aXbYc", True),
    ("a*b*c", "acb", False),
    ("a**c", "ac", True),
    ("*ab*ab*", "abab", True),
    ("*ab*ab*", "aba", False),
    ("aa*aa", "aaa", False),
    ("aa*aa", "aaaa", True),
    ("a?c", "abc", False),  # only * is special
    ("a?c", "a?c", True),
    ("[a]", "a", False),
    ("[a]", "[a]", True),
    ("a.c", "abc", False),
    ("line*", "line\nbreak", True),
    # escapes: \* is a literal star, \\ a literal backslash
    ("\\*", "*", True),
    ("\\*", "x", False),
    ("\\*", "", False),
    ("a\\*b", "a*b", True),
    ("a\\*b", "aXb", False),
    ("\\\\", "\\", True),
    ("\\\\", "\\\\", False),
    ("\\\\*", "\\anything", True),
    ("\\\\*", "anything", False),
    ("*\\**", "before*after", True),
    ("*\\**", "no star here", False),
    ("C:\\\\dir\\\\*", "C:\\dir\\file.txt", True),
]


@pytest.mark.parametrize(("pattern", "text", "expected"), MATCHES)
def test_string_matches(pattern: str, text: str, expected: bool) -> None:
    assert check("StringMatches", pattern, text) is expected


@pytest.mark.parametrize("pattern", ["\\", "abc\\", "\\a", "a\\.b", "\\n"])
def test_string_matches_open_escape_is_rejected(pattern: str) -> None:
    with pytest.raises(ExpressionSyntaxError, match="StringMatches"):
        rule({"Variable": "$.x", "StringMatches": pattern})


def test_string_matches_is_linear_on_adversarial_patterns() -> None:
    pattern = compile_wildcard("*a" * 30 + "*b")
    assert not pattern.matches("a" * 5000)


# --------------------------------------------------------------------------
# Missing paths


@pytest.mark.parametrize(
    ("operator", "operand"),
    [
        ("StringEquals", "x"),
        ("StringMatches", "*"),
        ("NumericEquals", 1),
        ("BooleanEquals", True),
        ("TimestampEquals", "2012-10-09T19:00:55Z"),
        ("NumericEqualsPath", "$.Value"),
        ("IsNull", True),
        ("IsNull", False),
        ("IsNumeric", False),
        ("IsString", True),
        ("IsBoolean", False),
        ("IsTimestamp", False),
    ],
)
def test_missing_variable_fails_with_states_runtime(operator: str, operand: Any) -> None:
    error = runtime_error({"Variable": "$.nope", operator: operand}, {"Value": 1})
    assert error.cause == INVALID_PATH_CAUSE.format(path="$.nope")
    assert error.cause == (
        "Invalid path '$.nope': The choice state's condition path references an invalid value."
    )


def test_missing_nested_variable_names_the_whole_path() -> None:
    error = runtime_error({"Variable": "$.a.b[2]", "IsNull": True}, {"a": {"b": [1]}})
    assert error.cause is not None
    assert "'$.a.b[2]'" in error.cause


def test_is_present_tolerates_a_missing_path() -> None:
    assert not holds({"Variable": "$.nope", "IsPresent": True}, {})
    assert holds({"Variable": "$.nope", "IsPresent": False}, {})
    assert not holds({"Variable": "$.a.b.c", "IsPresent": True}, {"a": 1})
    assert holds({"Variable": "$.a", "IsPresent": True}, {"a": None})
    assert holds({"Variable": "$[1]", "IsPresent": True}, [0, 1])
    assert not holds({"Variable": "$[2]", "IsPresent": True}, [0, 1])


def test_missing_second_path_fails_with_states_runtime() -> None:
    body = {"Variable": "$.Variable", "NumericEqualsPath": "$.nope"}
    error = runtime_error(body, {"Variable": 1})
    assert error.cause == INVALID_PATH_CAUSE.format(path="$.nope")


def test_missing_second_path_fails_even_when_types_mismatch() -> None:
    runtime_error({"Variable": "$.Variable", "StringEqualsPath": "$.nope"}, {"Variable": 1})


def test_and_short_circuits_before_a_missing_path() -> None:
    guarded = {
        "And": [
            {"Variable": "$.value", "IsPresent": True},
            {"Variable": "$.value", "NumericEquals": 3},
        ]
    }
    assert not holds(guarded, {})
    assert holds(guarded, {"value": 3})
    runtime_error({"And": list(reversed(guarded["And"]))}, {})


def test_or_short_circuits_before_a_missing_path() -> None:
    body = {
        "Or": [
            {"Variable": "$.a", "IsPresent": True},
            {"Variable": "$.b", "StringEquals": "x"},
        ]
    }
    assert holds(body, {"a": 1})
    runtime_error(body, {})


def test_not_does_not_hide_a_missing_path() -> None:
    runtime_error({"Not": {"Variable": "$.type", "StringEquals": "Private"}}, {})


# --------------------------------------------------------------------------
# Roots: input, context object, variables


def test_variable_from_context_object() -> None:
    body = {"Variable": "$$.Execution.Input.input-value", "NumericLessThanEquals": 0}
    context = {"Execution": {"Input": {"input-value": 0}}}
    assert holds(body, {}, context=context)


def test_variable_from_workflow_variable() -> None:
    body = {"Variable": "$order.total", "NumericGreaterThan": 100}
    assert holds(body, {}, variables={"order": {"total": 150}})
    assert not holds(body, {}, variables={"order": {"total": 50}})


def test_path_operand_from_workflow_variable() -> None:
    body = {"Variable": "$.rating", "NumericGreaterThanPath": "$threshold"}
    assert holds(body, {"rating": 5}, variables={"threshold": 4})
    assert not holds(body, {"rating": 3}, variables={"threshold": 4})


def test_variable_is_whole_input() -> None:
    body = {
        "And": [
            {"IsPresent": True, "Variable": "$"},
            {"And": [{"IsNumeric": True, "Variable": "$"}, {"NumericEquals": 3, "Variable": "$"}]},
        ]
    }
    assert holds(body, 3)
    assert not holds(body, 2)
    assert not holds(body, {"x": 3})


# --------------------------------------------------------------------------
# And / Or / Not


def test_boolean_combinators() -> None:
    positive = {"Variable": "$.n", "NumericGreaterThan": 0}
    even = {"Variable": "$.even", "BooleanEquals": True}
    assert holds({"And": [positive, even]}, {"n": 2, "even": True})
    assert not holds({"And": [positive, even]}, {"n": 2, "even": False})
    assert holds({"Or": [positive, even]}, {"n": -1, "even": True})
    assert not holds({"Or": [positive, even]}, {"n": -1, "even": False})
    assert holds({"Not": positive}, {"n": -1})
    assert holds({"And": [positive]}, {"n": 1})
    nested = {"Or": [{"Not": {"And": [positive, even]}}, {"Not": {"Not": positive}}]}
    assert holds(nested, {"n": 1, "even": True})
    assert not holds({"Not": nested}, {"n": 1, "even": True})


# --------------------------------------------------------------------------
# Compile-time errors


@pytest.mark.parametrize(
    "body",
    [
        {"StringEquals": "x"},  # no Variable
        {"Variable": "$.x"},  # no operator
        {"Variable": "$.x", "StringEquals": "a", "NumericEquals": 1},  # two operators
        {"Variable": "$.x", "StringEquals": 1},
        {"Variable": "$.x", "NumericEquals": "1"},
        {"Variable": "$.x", "NumericEquals": True},
        {"Variable": "$.x", "BooleanEquals": "true"},
        {"Variable": "$.x", "TimestampEquals": "2012-10-09"},
        {"Variable": "$.x", "TimestampLessThan": 5},
        {"Variable": "$.x", "IsNull": "true"},
        {"Variable": "$.x", "StringMatches": 5},
        {"Variable": "$.x", "NumericEqualsPath": 5},
        {"Variable": 5, "IsNull": True},
        {"And": []},
        {"Or": {"Variable": "$.x", "IsNull": True}},
        {"Not": [{"Variable": "$.x", "IsNull": True}]},
        {"And": [{"Variable": "$.x", "IsNull": True}], "Or": []},
        {"And": [{"Variable": "$.x", "IsNull": True}], "Variable": "$.x"},
        {"And": ["not a rule"]},
        {"Condition": "{% true %}"},  # JSONata rule in a JSONPath state
    ],
)
def test_malformed_jsonpath_rules_raise_expression_syntax_error(body: dict[str, Any]) -> None:
    with pytest.raises(ExpressionSyntaxError, match=LOCATION):
        rule(body)


def test_compile_error_names_the_nested_location() -> None:
    body = {"And": [{"Variable": "$.x", "IsNull": True}, {"Not": {"Variable": "$.x"}}]}
    with pytest.raises(ExpressionSyntaxError, match=f"{LOCATION}/And/1/Not"):
        rule(body)


def test_rule_must_be_an_object() -> None:
    with pytest.raises(ExpressionSyntaxError):
        compile_rule(["Variable"], "JSONPath", LOCATION)


# --------------------------------------------------------------------------
# Compiled rule attributes, first_match and choose


def test_rule_keeps_next_output_and_assign_raw() -> None:
    compiled = compile_rule(
        {
            "Condition": "{% $states.input.ok %}",
            "Next": "Done",
            "Output": {"result": "{% $states.input.value %}"},
            "Assign": {"seen": "{% $states.input.ok %}"},
        },
        "JSONata",
        LOCATION,
    )
    assert compiled.next == "Done"
    assert compiled.output == {"result": "{% $states.input.value %}"}
    assert compiled.assign == {"seen": "{% $states.input.ok %}"}
    assert compiled.location == LOCATION


def test_absent_output_and_assign_are_missing() -> None:
    compiled = rule({"Variable": "$.x", "IsNull": True})
    assert compiled.output is MISSING
    assert compiled.assign is MISSING
    assert compiled.next == "Yes"


def test_jsonpath_rule_keeps_assign() -> None:
    compiled = compile_rule(
        {"Variable": "$.x", "IsNull": True, "Next": "A", "Assign": {"x.$": "$.x"}},
        "JSONPath",
        LOCATION,
    )
    assert compiled.assign == {"x.$": "$.x"}


def test_first_match_takes_rules_in_order() -> None:
    rules = compile_choices(
        [
            {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
            {"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Positive"},
            {"Variable": "$.n", "NumericGreaterThan": 5, "Next": "NeverReached"},
        ],
        "JSONPath",
        "/States/S/Choices",
    )
    assert [compiled.location for compiled in rules] == [
        "/States/S/Choices/0",
        "/States/S/Choices/1",
        "/States/S/Choices/2",
    ]
    matched = first_match(rules, Scope(input={"n": 7}))
    assert matched is rules[1]
    assert choose(rules, Scope(input={"n": 70})) == "Big"
    assert first_match(rules, Scope(input={"n": -1})) is None


def test_choose_stops_before_a_later_failing_rule() -> None:
    rules = compile_choices(
        [
            {"Variable": "$.a", "IsPresent": True, "Next": "HasA"},
            {"Variable": "$.b", "StringEquals": "x", "Next": "BIsX"},
        ],
        "JSONPath",
        "/States/S/Choices",
    )
    assert choose(rules, Scope(input={"a": 1})) == "HasA"
    with pytest.raises(StatesError):
        choose(rules, Scope(input={}))


# --------------------------------------------------------------------------
# JSONata conditions


def jsonata_rule(condition: Any) -> ChoiceRule:
    return compile_rule({"Condition": condition, "Next": "Yes"}, "JSONata", LOCATION)


def test_jsonata_condition_from_input() -> None:
    compiled = jsonata_rule("{% $states.input.condition %}")
    assert compiled.matches(Scope(input={"condition": True}))
    assert not compiled.matches(Scope(input={"condition": False}))


def test_jsonata_constant_condition() -> None:
    assert jsonata_rule(True).matches(Scope(input={}))
    assert not jsonata_rule(False).matches(Scope(input={}))


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        ("yes", "'string' for value: \"yes\""),
        (1, "'number' for value: 1"),
        (None, "'null' for value: null"),
        ({"a": 1}, "'object' for value: {\"a\":1}"),
        ([True], "'array' for value: [true]"),
    ],
)
def test_jsonata_condition_must_be_boolean(value: Any, rendered: str) -> None:
    compiled = jsonata_rule("{% $states.input.condition %}")
    with pytest.raises(StatesError) as caught:
        compiled.matches(Scope(input={"condition": value}))
    assert caught.value.error == QUERY_EVALUATION_ERROR
    assert caught.value.cause == (
        "The JSONata expression '$states.input.condition' specified for the field 'Condition' "
        f"returned an unexpected result type. Expected 'boolean', but was {rendered}"
    )


def test_jsonata_condition_undefined() -> None:
    compiled = jsonata_rule("{% $states.input.nope %}")
    with pytest.raises(StatesError) as caught:
        compiled.matches(Scope(input={}))
    assert caught.value.error == QUERY_EVALUATION_ERROR
    assert caught.value.cause == (
        "The JSONata expression '$states.input.nope' specified for the field 'Condition' "
        "returned nothing (undefined)."
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"Variable": "$.x", "IsNull": True},
        {"Condition": "not an expression"},
        {"Condition": 1},
        {"Condition": None},
    ],
)
def test_malformed_jsonata_rules(body: dict[str, Any]) -> None:
    with pytest.raises(ExpressionSyntaxError, match=LOCATION):
        compile_rule({**body, "Next": "Yes"}, "JSONata", LOCATION)
