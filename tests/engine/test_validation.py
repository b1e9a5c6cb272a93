"""Unit tests of engine.validation: one test (at least) per rule, by code and exact pointer."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from engine.diagnostics import Diagnostic
from engine.validation import CODES, load_definition, validate, validate_text


def _conformance_dir() -> Path:
    """``shared/conformance`` beside the checkout (a worktree sits one level deeper)."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "conformance"
        if candidate.is_dir():
            return candidate
    return Path(__file__).resolve().parents[2] / ".." / "shared" / "conformance"


CONFORMANCE = _conformance_dir()
ARN = "arn:aws:states:::lambda:invoke"


def machine(**states: Any) -> dict[str, Any]:
    """A definition whose first state is the StartAt; states default to a valid Pass chain."""
    if not states:
        states = {"A": {"Type": "Pass", "End": True}}
    return {"StartAt": next(iter(states)), "States": states}


def found(definition: Any) -> set[tuple[str, str]]:
    return {(d.code, d.location) for d in validate(definition)}


def errors(definition: Any) -> list[Diagnostic]:
    return [d for d in validate(definition) if d.severity == "error"]


def assert_only(definition: Any, *expected: tuple[str, str]) -> None:
    got = found(definition)
    assert got == set(expected), got


# --- whole definitions -------------------------------------------------------


def test_valid_minimal_definition_has_no_diagnostics() -> None:
    assert validate(machine()) == []


@pytest.mark.parametrize("value", [None, [], 3, "x", True, 1.5])
def test_definition_must_be_an_object(value: Any) -> None:
    assert_only(value, ("SCHEMA_WRONG_TYPE", ""))


def test_missing_start_at_and_states() -> None:
    assert_only({}, ("SCHEMA_MISSING_FIELD", ""))
    assert len(validate({})) == 2


def test_start_at_not_found() -> None:
    d = machine()
    d["StartAt"] = "Nope"
    assert ("START_AT_NOT_FOUND", "/StartAt") in found(d)


def test_empty_states() -> None:
    assert_only({"StartAt": "A", "States": {}}, ("EMPTY_STATES", "/States"))


def test_unknown_top_level_field() -> None:
    d = machine()
    d["Bogus"] = 1
    assert_only(d, ("SCHEMA_UNKNOWN_FIELD", "/Bogus"))


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("Comment", 1, "SCHEMA_WRONG_TYPE"),
        ("Version", 1.0, "SCHEMA_WRONG_TYPE"),
        ("TimeoutSeconds", "10", "SCHEMA_WRONG_TYPE"),
        ("TimeoutSeconds", -1, "SCHEMA_INVALID_VALUE"),
        ("QueryLanguage", "XPath", "SCHEMA_INVALID_VALUE"),
    ],
)
def test_top_level_field_types(field: str, value: Any, code: str) -> None:
    d = machine()
    d[field] = value
    assert_only(d, (code, "/" + field))


def test_non_string_keys_never_crash() -> None:
    d: dict[Any, Any] = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True, 3: 4}}}
    d[(1, 2)] = None
    codes = {code for code, _ in found(d)}
    assert codes == {"SCHEMA_WRONG_TYPE"}


# --- states: fields, types, transitions --------------------------------------


def test_unknown_state_field() -> None:
    assert_only(
        machine(A={"Type": "Pass", "End": True, "Foo": 1}),
        ("SCHEMA_UNKNOWN_FIELD", "/States/A/Foo"),
    )


def test_invalid_state_type() -> None:
    assert_only(machine(A={"Type": "Sleep", "End": True}), ("INVALID_STATE_TYPE", "/States/A/Type"))


def test_missing_type() -> None:
    assert_only(machine(A={"End": True}), ("SCHEMA_MISSING_FIELD", "/States/A"))


def test_state_must_be_object() -> None:
    assert_only(machine(A=[1]), ("SCHEMA_WRONG_TYPE", "/States/A"))


def test_missing_transition() -> None:
    assert_only(machine(A={"Type": "Pass"}), ("MISSING_TRANSITION", "/States/A"))


def test_end_false_is_no_transition() -> None:
    assert_only(machine(A={"Type": "Pass", "End": False}), ("MISSING_TRANSITION", "/States/A"))


def test_conflicting_transition() -> None:
    d = machine(A={"Type": "Pass", "Next": "B", "End": True}, B={"Type": "Succeed"})
    assert_only(d, ("CONFLICTING_TRANSITION", "/States/A/End"))


def test_terminal_states_reject_next() -> None:
    d = machine(A={"Type": "Succeed", "Next": "B"}, B={"Type": "Fail"})
    assert ("SCHEMA_UNKNOWN_FIELD", "/States/A/Next") in found(d)


def test_end_must_be_boolean() -> None:
    assert ("SCHEMA_WRONG_TYPE", "/States/A/End") in found(
        machine(A={"Type": "Pass", "End": "yes"})
    )


def test_task_requires_resource() -> None:
    assert_only(machine(A={"Type": "Task", "End": True}), ("SCHEMA_MISSING_FIELD", "/States/A"))


@pytest.mark.parametrize("value", [0, -5, 1.5, "10", True])
def test_timeout_seconds_must_be_positive_integer(value: Any) -> None:
    d = machine(A={"Type": "Task", "Resource": ARN, "TimeoutSeconds": value, "End": True})
    codes = found(d)
    assert codes in (
        {("SCHEMA_WRONG_TYPE", "/States/A/TimeoutSeconds")},
        {("SCHEMA_INVALID_VALUE", "/States/A/TimeoutSeconds")},
    )


def test_timeout_and_timeout_path_are_exclusive() -> None:
    task = {"Type": "Task", "Resource": ARN, "TimeoutSeconds": 5, "TimeoutSecondsPath": "$.t"}
    assert_only(
        machine(A={**task, "End": True}), ("EXCLUSIVE_FIELDS", "/States/A/TimeoutSecondsPath")
    )


def test_heartbeat_must_be_below_timeout() -> None:
    task = {
        "Type": "Task",
        "Resource": ARN,
        "TimeoutSeconds": 5,
        "HeartbeatSeconds": 5,
        "End": True,
    }
    assert_only(machine(A=task), ("HEARTBEAT_NOT_BELOW_TIMEOUT", "/States/A/HeartbeatSeconds"))


def test_state_name_too_long() -> None:
    name = "n" * 81
    assert_only(machine(**{name: {"Type": "Succeed"}}), ("STATE_NAME_TOO_LONG", f"/States/{name}"))


def test_state_name_with_slash_is_escaped_in_pointer() -> None:
    d = machine(**{"a/b~c": {"Type": "Pass", "End": True, "X": 1}})
    assert_only(d, ("SCHEMA_UNKNOWN_FIELD", "/States/a~1b~0c/X"))


# --- graph ---------------------------------------------------------------------


def test_dangling_next() -> None:
    assert_only(machine(A={"Type": "Pass", "Next": "Ghost"}), ("DANGLING_NEXT", "/States/A/Next"))


def test_dangling_choice_default_and_rule_next() -> None:
    choice = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Ghost1"}],
        "Default": "Ghost2",
    }
    assert_only(
        machine(A=choice),
        ("DANGLING_NEXT", "/States/A/Choices/0/Next"),
        ("DANGLING_NEXT", "/States/A/Default"),
    )


def test_dangling_catch_next() -> None:
    task = {"Type": "Task", "Resource": ARN, "End": True}
    task["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": "Ghost"}]
    assert_only(machine(A=task), ("DANGLING_NEXT", "/States/A/Catch/0/Next"))


def test_unreachable_state() -> None:
    d = machine(A={"Type": "Succeed"}, B={"Type": "Succeed"})
    assert_only(d, ("UNREACHABLE_STATE", "/States/B"))


def test_catch_and_default_make_states_reachable() -> None:
    task: dict[str, Any] = {"Type": "Task", "Resource": ARN, "Next": "C"}
    task["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": "Handler"}]
    choice = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.x", "IsNull": True, "Next": "Done"}],
        "Default": "Other",
    }
    d = machine(
        A=task,
        C=choice,
        Done={"Type": "Succeed"},
        Other={"Type": "Succeed"},
        Handler={"Type": "Fail"},
    )
    assert validate(d) == []


def test_unreachable_inside_branch_and_processor() -> None:
    branch = {"StartAt": "B1", "States": {"B1": {"Type": "Succeed"}, "B2": {"Type": "Succeed"}}}
    proc = {"StartAt": "M1", "States": {"M1": {"Type": "Succeed"}, "M2": {"Type": "Succeed"}}}
    d = machine(
        P={"Type": "Parallel", "Branches": [branch], "Next": "M"},
        M={"Type": "Map", "ItemProcessor": proc, "End": True},
    )
    assert_only(
        d,
        ("UNREACHABLE_STATE", "/States/P/Branches/0/States/B2"),
        ("UNREACHABLE_STATE", "/States/M/ItemProcessor/States/M2"),
    )


def test_next_cannot_leave_its_branch() -> None:
    branch = {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Next": "After"}}}
    d = machine(
        P={"Type": "Parallel", "Branches": [branch], "Next": "After"}, After={"Type": "Succeed"}
    )
    diags = validate(d)
    assert {(x.code, x.location) for x in diags} == {
        ("DANGLING_NEXT", "/States/P/Branches/0/States/B1/Next")
    }
    assert "/States/After" in diags[0].message


def test_duplicate_state_names_across_branches() -> None:
    branch = {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    d = machine(A={"Type": "Parallel", "Branches": [branch], "End": True})
    assert_only(d, ("DUPLICATE_STATE_NAME", "/States/A/Branches/0/States/A"))


def test_duplicate_state_names_across_map_processors() -> None:
    proc = {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}
    d = machine(
        M1={"Type": "Map", "ItemProcessor": proc, "Next": "M2"},
        M2={"Type": "Map", "Iterator": copy.deepcopy(proc), "End": True},
    )
    assert_only(d, ("DUPLICATE_STATE_NAME", "/States/M2/Iterator/States/X"))


# --- Choice ----------------------------------------------------------------------


def choice_machine(*rules: Any, **extra: Any) -> dict[str, Any]:
    return machine(C={"Type": "Choice", "Choices": list(rules), **extra}, T={"Type": "Succeed"})


def test_choice_default_is_optional() -> None:
    assert validate(choice_machine({"Variable": "$.a", "StringEquals": "x", "Next": "T"})) == []


def test_choices_empty() -> None:
    d = choice_machine(Default="T")
    assert_only(d, ("CHOICES_EMPTY", "/States/C/Choices"))


def test_choice_requires_choices() -> None:
    d = machine(C={"Type": "Choice", "Default": "T"}, T={"Type": "Succeed"})
    assert_only(d, ("SCHEMA_MISSING_FIELD", "/States/C"))


def test_choice_rule_without_operator() -> None:
    d = choice_machine({"Variable": "$.a", "Next": "T"})
    assert_only(d, ("CHOICE_RULE_NO_OPERATOR", "/States/C/Choices/0"))


def test_choice_rule_with_two_operators() -> None:
    d = choice_machine({"Variable": "$.a", "StringEquals": "x", "IsNull": True, "Next": "T"})
    assert_only(d, ("CHOICE_RULE_MULTIPLE_OPERATORS", "/States/C/Choices/0"))


def test_choice_rule_without_next() -> None:
    d = choice_machine({"Variable": "$.a", "IsNull": True}, Default="T")
    assert_only(d, ("CHOICE_RULE_MISSING_NEXT", "/States/C/Choices/0"))


def test_choice_rule_without_variable() -> None:
    d = choice_machine({"StringEquals": "x", "Next": "T"})
    assert_only(d, ("SCHEMA_MISSING_FIELD", "/States/C/Choices/0"))


def test_choice_operand_type() -> None:
    d = choice_machine({"Variable": "$.a", "NumericEquals": "1", "Next": "T"})
    assert_only(d, ("SCHEMA_WRONG_TYPE", "/States/C/Choices/0/NumericEquals"))


def test_choice_and_or_not_shape() -> None:
    rule = {
        "And": [
            {"Variable": "$.a", "IsNull": True},
            {"Not": {"Variable": "$.b"}},
            {"Or": []},
            "oops",
        ],
        "Next": "T",
    }
    assert_only(
        choice_machine(rule),
        ("CHOICE_RULE_NO_OPERATOR", "/States/C/Choices/0/And/1/Not"),
        ("SCHEMA_WRONG_TYPE", "/States/C/Choices/0/And/2/Or"),
        ("SCHEMA_WRONG_TYPE", "/States/C/Choices/0/And/3"),
    )


def test_choice_nested_rule_cannot_have_next() -> None:
    rule = {"Not": {"Variable": "$.a", "IsNull": True, "Next": "T"}, "Next": "T"}
    assert_only(choice_machine(rule), ("CHOICE_RULE_NESTED_NEXT", "/States/C/Choices/0/Not/Next"))


def test_choice_boolean_rule_cannot_have_variable() -> None:
    rule = {"Variable": "$.a", "Not": {"Variable": "$.a", "IsNull": True}, "Next": "T"}
    assert_only(choice_machine(rule), ("EXCLUSIVE_FIELDS", "/States/C/Choices/0/Variable"))


def test_choice_unknown_rule_field() -> None:
    d = choice_machine({"Variable": "$.a", "IsNull": True, "Next": "T", "Foo": 1})
    assert_only(d, ("SCHEMA_UNKNOWN_FIELD", "/States/C/Choices/0/Foo"))


def test_choice_jsonata_rule_needs_condition() -> None:
    d = choice_machine({"Next": "T"}, QueryLanguage="JSONata")
    assert_only(d, ("SCHEMA_MISSING_FIELD", "/States/C/Choices/0"))


def test_choice_jsonata_rule_rejects_variable() -> None:
    d = choice_machine(
        {"Condition": "{% true %}", "Variable": "$.a", "Next": "T"}, QueryLanguage="JSONata"
    )
    assert_only(d, ("SCHEMA_UNKNOWN_FIELD", "/States/C/Choices/0/Variable"))


# --- Wait, Fail, Map, Parallel ------------------------------------------------------


def test_wait_needs_one_duration() -> None:
    assert_only(machine(W={"Type": "Wait", "End": True}), ("MISSING_ONE_OF", "/States/W"))


def test_wait_allows_only_one_duration() -> None:
    d = machine(W={"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": True})
    assert_only(d, ("EXCLUSIVE_FIELDS", "/States/W/SecondsPath"))


def test_wait_timestamp_format() -> None:
    d = machine(W={"Type": "Wait", "Timestamp": "tomorrow", "End": True})
    assert_only(d, ("SCHEMA_INVALID_VALUE", "/States/W/Timestamp"))


def test_wait_seconds_jsonata_expression() -> None:
    d = machine(W={"Type": "Wait", "Seconds": "{% 3 %}", "End": True, "QueryLanguage": "JSONata"})
    assert validate(d) == []


def test_fail_error_and_error_path_exclusive() -> None:
    d = machine(F={"Type": "Fail", "Error": "E", "ErrorPath": "$.e"})
    assert_only(d, ("EXCLUSIVE_FIELDS", "/States/F/ErrorPath"))


def test_fail_cause_path_may_be_intrinsic() -> None:
    d = machine(F={"Type": "Fail", "CausePath": "States.Format('x {}', $.a)"})
    assert validate(d) == []


def map_state(**fields: Any) -> dict[str, Any]:
    proc = {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": True}}}
    return {"Type": "Map", "ItemProcessor": proc, "End": True, **fields}


def test_map_needs_processor() -> None:
    assert_only(machine(M={"Type": "Map", "End": True}), ("MISSING_ONE_OF", "/States/M"))


def test_map_item_processor_and_iterator_exclusive() -> None:
    state = map_state()
    state["Iterator"] = {"StartAt": "It", "States": {"It": {"Type": "Pass", "End": True}}}
    assert_only(machine(M=state), ("EXCLUSIVE_FIELDS", "/States/M/Iterator"))


def test_map_processor_config() -> None:
    state = map_state()
    state["ItemProcessor"]["ProcessorConfig"] = {"Mode": "SIDEWAYS", "Extra": 1}
    assert_only(
        machine(M=state),
        ("SCHEMA_INVALID_VALUE", "/States/M/ItemProcessor/ProcessorConfig/Mode"),
        ("SCHEMA_UNKNOWN_FIELD", "/States/M/ItemProcessor/ProcessorConfig/Extra"),
    )


def test_map_distributed_needs_execution_type() -> None:
    state = map_state()
    state["ItemProcessor"]["ProcessorConfig"] = {"Mode": "DISTRIBUTED"}
    assert_only(
        machine(M=state), ("SCHEMA_MISSING_FIELD", "/States/M/ItemProcessor/ProcessorConfig")
    )


def test_map_execution_type_values() -> None:
    state = map_state()
    state["ItemProcessor"]["ProcessorConfig"] = {"Mode": "DISTRIBUTED", "ExecutionType": "FAST"}
    loc = "/States/M/ItemProcessor/ProcessorConfig/ExecutionType"
    assert_only(machine(M=state), ("SCHEMA_INVALID_VALUE", loc))


def test_map_distributed_only_fields_warn_on_inline_map() -> None:
    diags = validate(machine(M=map_state(ToleratedFailureCount=1, Label="x")))
    assert {(d.code, d.location, d.severity) for d in diags} == {
        ("DISTRIBUTED_ONLY_FIELD", "/States/M/ToleratedFailureCount", "warning"),
        ("DISTRIBUTED_ONLY_FIELD", "/States/M/Label", "warning"),
    }


def test_map_distributed_fields() -> None:
    state = map_state(
        ItemReader={"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {}},
        ItemBatcher={"MaxItemsPerBatch": 0},
        ResultWriter={"Resource": "arn:aws:states:::s3:putObject", "Bogus": 1},
        ToleratedFailurePercentage=101,
    )
    state["ItemProcessor"]["ProcessorConfig"] = {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}
    assert_only(
        machine(M=state),
        ("SCHEMA_INVALID_VALUE", "/States/M/ItemBatcher/MaxItemsPerBatch"),
        ("SCHEMA_UNKNOWN_FIELD", "/States/M/ResultWriter/Bogus"),
        ("SCHEMA_MISSING_FIELD", "/States/M/ResultWriter"),
        ("SCHEMA_INVALID_VALUE", "/States/M/ToleratedFailurePercentage"),
    )


def test_map_item_reader_needs_resource() -> None:
    state = map_state(ItemReader={})
    state["ItemProcessor"]["ProcessorConfig"] = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
    assert_only(machine(M=state), ("SCHEMA_MISSING_FIELD", "/States/M/ItemReader"))


@pytest.mark.parametrize(
    ("pair", "values"),
    [
        (("MaxConcurrency", "MaxConcurrencyPath"), (1, "$.m")),
        (("ItemSelector", "Parameters"), ({}, {})),
    ],
)
def test_map_exclusive_pairs(pair: tuple[str, str], values: tuple[Any, Any]) -> None:
    state = map_state(**dict(zip(pair, values, strict=True)))
    assert_only(machine(M=state), ("EXCLUSIVE_FIELDS", f"/States/M/{pair[1]}"))


def test_map_max_concurrency_type() -> None:
    assert_only(
        machine(M=map_state(MaxConcurrency=-1)),
        ("SCHEMA_INVALID_VALUE", "/States/M/MaxConcurrency"),
    )


def test_map_processor_must_be_object() -> None:
    state = map_state()
    state["ItemProcessor"] = []
    assert ("SCHEMA_WRONG_TYPE", "/States/M/ItemProcessor") in found(machine(M=state))


def test_parallel_branches_required_and_non_empty() -> None:
    assert_only(machine(P={"Type": "Parallel", "End": True}), ("SCHEMA_MISSING_FIELD", "/States/P"))
    d = machine(P={"Type": "Parallel", "Branches": [], "End": True})
    assert_only(d, ("SCHEMA_INVALID_VALUE", "/States/P/Branches"))


def test_parallel_branch_shape() -> None:
    d = machine(P={"Type": "Parallel", "Branches": [{"States": {}}, 3], "End": True})
    assert_only(
        d,
        ("SCHEMA_MISSING_FIELD", "/States/P/Branches/0"),
        ("EMPTY_STATES", "/States/P/Branches/0/States"),
        ("SCHEMA_WRONG_TYPE", "/States/P/Branches/1"),
    )


# --- Retry / Catch ---------------------------------------------------------------


def task_with(**fields: Any) -> dict[str, Any]:
    task = {"Type": "Task", "Resource": ARN, "End": True, **fields}
    return machine(T=task, H={"Type": "Succeed"}) if "Catch" in fields else machine(T=task)


def test_retry_error_equals_required_and_non_empty() -> None:
    assert_only(
        task_with(Retry=[{}, {"ErrorEquals": []}]),
        ("SCHEMA_MISSING_FIELD", "/States/T/Retry/0"),
        ("ERROR_EQUALS_EMPTY", "/States/T/Retry/1/ErrorEquals"),
    )


def test_states_all_alone_and_last() -> None:
    retry = [{"ErrorEquals": ["States.ALL", "X"]}, {"ErrorEquals": ["Y"]}]
    assert_only(
        task_with(Retry=retry),
        ("STATES_ALL_NOT_ALONE", "/States/T/Retry/0/ErrorEquals"),
        ("STATES_ALL_NOT_LAST", "/States/T/Retry/0/ErrorEquals"),
    )


def test_catch_states_all_not_last() -> None:
    catch = [{"ErrorEquals": ["States.ALL"], "Next": "H"}, {"ErrorEquals": ["X"], "Next": "H"}]
    assert_only(task_with(Catch=catch), ("STATES_ALL_NOT_LAST", "/States/T/Catch/0/ErrorEquals"))


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("MaxAttempts", -1, "SCHEMA_INVALID_VALUE"),
        ("MaxAttempts", 100000000, "SCHEMA_INVALID_VALUE"),
        ("BackoffRate", 0.5, "SCHEMA_INVALID_VALUE"),
        ("BackoffRate", "2", "SCHEMA_WRONG_TYPE"),
        ("IntervalSeconds", 0, "SCHEMA_INVALID_VALUE"),
        ("MaxDelaySeconds", 0, "SCHEMA_INVALID_VALUE"),
        ("JitterStrategy", "HALF", "SCHEMA_INVALID_VALUE"),
        ("Bogus", 1, "SCHEMA_UNKNOWN_FIELD"),
    ],
)
def test_retrier_fields(field: str, value: Any, code: str) -> None:
    d = task_with(Retry=[{"ErrorEquals": ["X"], field: value}])
    assert_only(d, (code, f"/States/T/Retry/0/{field}"))


def test_retry_zero_attempts_is_fine() -> None:
    assert validate(task_with(Retry=[{"ErrorEquals": ["X"], "MaxAttempts": 0}])) == []


def test_catcher_requires_next() -> None:
    task = {"Type": "Task", "Resource": ARN, "End": True, "Catch": [{"ErrorEquals": ["X"]}]}
    assert_only(machine(T=task), ("SCHEMA_MISSING_FIELD", "/States/T/Catch/0"))


def test_retry_must_be_array_of_objects() -> None:
    assert_only(task_with(Retry={}), ("SCHEMA_WRONG_TYPE", "/States/T/Retry"))
    assert_only(task_with(Retry=[1]), ("SCHEMA_WRONG_TYPE", "/States/T/Retry/0"))


# --- query languages ------------------------------------------------------------


def test_jsonpath_only_fields_in_jsonata_state() -> None:
    d = machine(A={"Type": "Pass", "QueryLanguage": "JSONata", "Parameters": {}, "End": True})
    assert_only(d, ("FIELD_WRONG_QUERY_LANGUAGE", "/States/A/Parameters"))


@pytest.mark.parametrize("field", ["InputPath", "OutputPath", "ResultPath"])
def test_jsonpath_paths_in_jsonata_machine(field: str) -> None:
    d = machine(A={"Type": "Pass", field: "$", "End": True})
    d["QueryLanguage"] = "JSONata"
    assert_only(d, ("FIELD_WRONG_QUERY_LANGUAGE", f"/States/A/{field}"))


@pytest.mark.parametrize("field", ["Output", "Arguments"])
def test_jsonata_only_fields_in_jsonpath_state(field: str) -> None:
    d = machine(A={"Type": "Task", "Resource": ARN, field: {}, "End": True})
    assert_only(d, ("FIELD_WRONG_QUERY_LANGUAGE", f"/States/A/{field}"))


def test_map_items_vs_items_path() -> None:
    assert_only(machine(M=map_state(Items=[1])), ("FIELD_WRONG_QUERY_LANGUAGE", "/States/M/Items"))
    jsonata = map_state(ItemsPath="$.a", QueryLanguage="JSONata")
    assert_only(machine(M=jsonata), ("FIELD_WRONG_QUERY_LANGUAGE", "/States/M/ItemsPath"))


def test_jsonata_machine_cannot_hold_jsonpath_state() -> None:
    d = machine(A={"Type": "Pass", "QueryLanguage": "JSONPath", "End": True})
    d["QueryLanguage"] = "JSONata"
    assert_only(d, ("QUERY_LANGUAGE_CONFLICT", "/States/A/QueryLanguage"))


def test_jsonpath_machine_may_hold_jsonata_state() -> None:
    d = machine(A={"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% 1 %}", "End": True})
    assert validate(d) == []


def test_state_query_language_value() -> None:
    d = machine(A={"Type": "Pass", "QueryLanguage": "jsonata", "End": True})
    assert_only(d, ("SCHEMA_INVALID_VALUE", "/States/A/QueryLanguage"))


# --- expressions ---------------------------------------------------------------------


def test_bad_input_path() -> None:
    d = machine(A={"Type": "Pass", "InputPath": "a.b", "End": True})
    assert_only(d, ("INVALID_PATH", "/States/A/InputPath"))


def test_result_path_cannot_target_context() -> None:
    d = machine(A={"Type": "Pass", "ResultPath": "$$.x", "End": True})
    assert_only(d, ("INVALID_PATH", "/States/A/ResultPath"))


def test_null_paths_are_allowed() -> None:
    d = machine(
        A={"Type": "Pass", "InputPath": None, "OutputPath": None, "ResultPath": None, "End": True}
    )
    assert validate(d) == []


def test_parameters_dollar_keys_need_valid_path_or_intrinsic() -> None:
    params = {"ok.$": "$.a", "nested": {"bad.$": "nope", "num.$": 3}, "fn.$": "States.Format("}
    d = machine(A={"Type": "Pass", "Parameters": params, "End": True})
    assert_only(
        d,
        ("INVALID_PATH", "/States/A/Parameters/nested/bad.$"),
        ("SCHEMA_WRONG_TYPE", "/States/A/Parameters/nested/num.$"),
        ("INVALID_INTRINSIC", "/States/A/Parameters/fn.$"),
    )


def test_unknown_intrinsic_function() -> None:
    d = machine(A={"Type": "Pass", "Parameters": {"x.$": "States.NoSuchThing(1)"}, "End": True})
    assert_only(d, ("INVALID_INTRINSIC", "/States/A/Parameters/x.$"))


def test_result_selector_dollar_keys() -> None:
    task = {"Type": "Task", "Resource": ARN, "ResultSelector": {"x.$": 1}, "End": True}
    assert_only(machine(A=task), ("SCHEMA_WRONG_TYPE", "/States/A/ResultSelector/x.$"))


def test_parameters_may_be_any_json_value_in_jsonpath() -> None:
    """AWS accepts any JSON value for Parameters; .$ keys inside arrays are still checked.

    https://github.com/aws/amazon-states-language-service/pull/83
    """
    assert_only(machine(A={"Type": "Pass", "Parameters": [1], "End": True}))
    d = machine(A={"Type": "Pass", "Parameters": [{"x.$": 1}], "End": True})
    assert_only(d, ("SCHEMA_WRONG_TYPE", "/States/A/Parameters/0/x.$"))


def test_bad_jsonata_anywhere_in_output() -> None:
    d = machine(
        A={"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"a": [1, "{% ( %}"]}, "End": True}
    )
    assert_only(d, ("INVALID_JSONATA", "/States/A/Output/a/1"))


def test_jsonata_condition() -> None:
    d = choice_machine({"Condition": "{% $x = %}", "Next": "T"}, QueryLanguage="JSONata")
    assert_only(d, ("INVALID_JSONATA", "/States/C/Choices/0/Condition"))
    d = choice_machine({"Condition": 3, "Next": "T"}, QueryLanguage="JSONata")
    assert_only(d, ("SCHEMA_WRONG_TYPE", "/States/C/Choices/0/Condition"))


def test_choice_variable_must_be_a_path() -> None:
    assert_only(
        choice_machine({"Variable": "a", "IsNull": True, "Next": "T"}),
        ("INVALID_PATH", "/States/C/Choices/0/Variable"),
    )


def test_choice_path_operand_must_be_a_path() -> None:
    assert_only(
        choice_machine({"Variable": "$.a", "StringEqualsPath": "b", "Next": "T"}),
        ("INVALID_PATH", "/States/C/Choices/0/StringEqualsPath"),
    )


def test_jsonata_text_in_jsonpath_state_warns() -> None:
    diags = validate(machine(A={"Type": "Pass", "Parameters": {"x": "{% 1 %}"}, "End": True}))
    assert [(d.code, d.location, d.severity) for d in diags] == [
        ("JSONATA_IN_JSONPATH_STATE", "/States/A/Parameters/x", "warning")
    ]


def test_path_without_dollar_suffix_warns() -> None:
    diags = validate(machine(A={"Type": "Pass", "Parameters": {"x": "$.a"}, "End": True}))
    assert [(d.code, d.location, d.severity) for d in diags] == [
        ("PATH_WITHOUT_DOLLAR_SUFFIX", "/States/A/Parameters/x", "warning")
    ]


# --- Assign ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["1abc", "a-b", "a b", "", "x" * 81, "a.b"])
def test_invalid_variable_names(name: str) -> None:
    d = machine(A={"Type": "Pass", "Assign": {name: 1}, "End": True})
    assert ("INVALID_VARIABLE_NAME", f"/States/A/Assign/{name}") in found(d)


def test_reserved_variable_name() -> None:
    d = machine(A={"Type": "Pass", "Assign": {"states": 1}, "End": True})
    assert_only(d, ("RESERVED_VARIABLE_NAME", "/States/A/Assign/states"))


def test_assign_dollar_key_in_jsonpath() -> None:
    assign = {"good.$": "$.a", "bad.$": "nope", "ünïcode_1": 1}
    d = machine(A={"Type": "Pass", "Assign": assign, "End": True})
    assert_only(d, ("INVALID_PATH", "/States/A/Assign/bad.$"))


def test_assign_dollar_suffix_is_part_of_name_in_jsonata() -> None:
    d = machine(A={"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"x.$": 1}, "End": True})
    assert_only(d, ("INVALID_VARIABLE_NAME", "/States/A/Assign/x.$"))


def test_assign_jsonata_values_compile() -> None:
    d = machine(
        A={"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"x": "{% [ %}"}, "End": True}
    )
    assert_only(d, ("INVALID_JSONATA", "/States/A/Assign/x"))


def test_assign_not_allowed_on_succeed() -> None:
    assert_only(
        machine(A={"Type": "Succeed", "Assign": {}}), ("SCHEMA_UNKNOWN_FIELD", "/States/A/Assign")
    )


# --- robustness ---------------------------------------------------------------------


def test_deeply_nested_garbage() -> None:
    deep: Any = "x"
    for _ in range(5000):
        deep = {"a.$": deep, "l": [deep]} if _ % 1000 == 0 else {"k": deep}
    d = machine(A={"Type": "Pass", "Parameters": deep, "Result": deep, "End": True})
    validate(d)  # must not raise


def test_deeply_nested_maps() -> None:
    inner: Any = {"StartAt": "L", "States": {"L": {"Type": "Succeed"}}}
    for level in range(200):
        inner = {"StartAt": f"M{level}", "States": {f"M{level}": map_state(ItemProcessor=inner)}}
    codes = {d.code for d in validate(inner)}
    assert codes == {"NESTING_TOO_DEEP"}


def test_self_referencing_value() -> None:
    loop: dict[str, Any] = {}
    loop["me"] = loop
    d = machine(A={"Type": "Pass", "Result": loop, "End": True})
    assert validate(d) == []


def test_self_referencing_template() -> None:
    loop: dict[str, Any] = {"x.$": "$.a"}
    loop["me"] = loop
    d = machine(A={"Type": "Pass", "Parameters": loop, "End": True})
    assert validate(d) == []


def test_yaml_alias_cycle() -> None:
    """A document that contains itself has no JSON form: refused where the cycle starts."""
    text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n    Parameters: &p {x: *p}\n"
    (diagnostic,) = validate_text(text)
    assert diagnostic.code == "SYNTAX_ERROR"
    assert "contains itself" in diagnostic.message
    assert (diagnostic.line, diagnostic.column) == (6, 17)


def test_yaml_alias_bomb_is_refused_before_it_expands() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        name, prev = chr(ord("a") + i), chr(ord("a") + i - 1)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    (diagnostic,) = validate_text("\n".join([*lines, "StartAt: A"]))
    assert diagnostic.code == "SYNTAX_ERROR"
    assert "expands to more than 2097152 bytes" in diagnostic.message
    assert diagnostic.line == 6  # the first node whose expansion is too large


def test_yaml_with_too_many_aliases_is_refused() -> None:
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * 101) + "]\nStartAt: A\n"
    (diagnostic,) = validate_text(text)
    assert "more than 100 aliases" in diagnostic.message
    assert diagnostic.line == 2


def test_json_nesting_past_the_limit_is_a_syntax_error() -> None:
    text = '{"StartAt": "A", "Comment": ' + "[" * 120 + "]" * 120 + "}"
    (diagnostic,) = validate_text(text)
    assert diagnostic.code == "SYNTAX_ERROR"
    assert "deeper than 100 levels" in diagnostic.message


def test_map_items_must_be_array_or_expression() -> None:
    state = map_state(QueryLanguage="JSONata", Items={"a": 1})
    assert_only(machine(M=state), ("SCHEMA_WRONG_TYPE", "/States/M/Items"))
    state = map_state(QueryLanguage="JSONata", Items=[1, "{% $x %}"])
    assert validate(machine(M=state)) == []


def test_every_code_is_documented() -> None:
    assert all(code.isupper() for code in CODES)
    assert "DANGLING_NEXT" in CODES


# --- text, line and column --------------------------------------------------------------


JSON_TEXT = """{
  "StartAt": "A",
  "States": {
    "A": {"Type": "Pass", "Next": "B",
          "Foo": 1}
  }
}"""


def test_load_definition_json() -> None:
    value, diags = load_definition(JSON_TEXT)
    assert diags == []
    assert value["States"]["A"]["Foo"] == 1


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{\n  "StartAt": "A",\n  "States": {,}\n}', 3, 14),
        ("{", 1, 2),
        ("StartAt: A\nStates: [1, 2\n", 3, 1),
        ("", 1, 1),
        ("a: b: c", 1, 5),
    ],
)
def test_syntax_errors_have_line_and_column(text: str, line: int, column: int) -> None:
    value, diags = load_definition(text)
    assert value is None
    assert [(d.code, d.line, d.column) for d in diags] == [("SYNTAX_ERROR", line, column)]


def test_validate_text_places_json_diagnostics() -> None:
    diags = validate_text(JSON_TEXT)
    placed = {(d.code, d.location, d.line, d.column) for d in diags}
    assert placed == {
        ("DANGLING_NEXT", "/States/A/Next", 4, 27),
        ("SCHEMA_UNKNOWN_FIELD", "/States/A/Foo", 5, 11),
    }


def test_validate_text_missing_field_points_at_parent() -> None:
    diags = validate_text('{"StartAt": "A",\n "States": {"A": {"Type": "Task", "End": true}}}')
    assert [(d.code, d.line, d.column) for d in diags] == [("SCHEMA_MISSING_FIELD", 2, 13)]


YAML_TEXT = """StartAt: A
States:
  A:
    Type: Wait
    Timestamp: 2016-03-14T01:59:00Z
    Next: B
"""


def test_yaml_timestamps_stay_strings() -> None:
    value, diags = load_definition(YAML_TEXT)
    assert diags == []
    assert value["States"]["A"]["Timestamp"] == "2016-03-14T01:59:00Z"


def test_validate_text_places_yaml_diagnostics() -> None:
    diags = validate_text(YAML_TEXT)
    assert [(d.code, d.location, d.line, d.column) for d in diags] == [
        ("DANGLING_NEXT", "/States/A/Next", 6, 5)
    ]


def test_duplicate_keys_are_errors_with_position() -> None:
    diags = validate_text(
        '{"StartAt": "A", "StartAt": "A",\n "States": {"A": {"Type": "Succeed"}}}'
    )
    assert [(d.code, d.location, d.severity, d.line, d.column) for d in diags] == [
        ("DUPLICATE_KEY", "/StartAt", "error", 1, 18)
    ]
    yaml_diags = validate_text("StartAt: A\nStartAt: A\nStates: {A: {Type: Succeed}}\n")
    assert [(d.code, d.line) for d in yaml_diags] == [("DUPLICATE_KEY", 2)]


def test_validate_text_on_non_object_yaml() -> None:
    diags = validate_text("just a string")
    assert [(d.code, d.line, d.column) for d in diags] == [("SCHEMA_WRONG_TYPE", 1, 1)]


def test_json_locator_handles_escapes_and_arrays() -> None:
    text = (
        '{"StartAt": "a\\"b", "States": {"a\\"b": {"Type": "Choice", "Choices": [\n'
        '  {"Next": "x"}]}}}'
    )
    diags = validate_text(text)
    by_location = {d.location: (d.line, d.column) for d in diags}
    assert by_location['/States/a"b/Choices/0'] == (2, 3)


# --- conformance ------------------------------------------------------------------


def conformance_definitions() -> list[tuple[str, Any]]:
    path = CONFORMANCE / "aws-recorded.jsonl"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [(case["id"], case["definition"]) for case in map(json.loads, handle)]


def test_aws_accepted_definitions_have_no_errors() -> None:
    cases = conformance_definitions()
    if not cases:
        pytest.fail(f"conformance corpus absent: {CONFORMANCE / 'aws-recorded.jsonl'}")
    assert len(cases) == 676
    failures = [f"{case_id}: {d}" for case_id, definition in cases for d in errors(definition)]
    assert failures == []


def test_aws_accepted_definitions_round_trip_through_text() -> None:
    cases = conformance_definitions()
    if not cases:
        pytest.fail(f"conformance corpus absent: {CONFORMANCE / 'aws-recorded.jsonl'}")
    for case_id, definition in cases[:100]:
        diags = validate_text(json.dumps(definition, indent=2))
        assert all(d.line is not None for d in diags), case_id
        assert [d for d in diags if d.severity == "error"] == [], case_id


@pytest.mark.parametrize("field", ["Url", "Url.$"])
def test_a_listing_item_reader_with_a_url_is_refused(field: str) -> None:
    state = map_state(
        ItemReader={
            "Resource": "arn:aws:states:::s3:listObjectsV2",
            "Parameters": {field: "https://example.com/items.json" if field == "Url" else "$.u"},
        }
    )
    state["ItemProcessor"]["ProcessorConfig"] = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
    assert_only(
        machine(M=state), ("SCHEMA_INVALID_VALUE", f"/States/M/ItemReader/Parameters/{field}")
    )
    [problem] = errors(machine(M=state))
    assert "s3:getObject" in problem.message
