"""Validation rules of the AWS Step Functions Developer Guide, page by page (issue #12).

Each section names the page it turns into tests. Every case says which code
the validator reports and at which JSON Pointer, or that it reports no error
(a definition the page shows as valid).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine.validation import load_definition, validate, validate_text

LAMBDA = "arn:aws:states:::lambda:invoke"


def machine(**states: Any) -> dict[str, Any]:
    return {"StartAt": next(iter(states)), "States": states}


def jsonata(**states: Any) -> dict[str, Any]:
    return {"QueryLanguage": "JSONata", **machine(**states)}


def errors(definition: Any) -> set[tuple[str, str]]:
    return {(d.code, d.location) for d in validate(definition) if d.severity == "error"}


def task(**fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": LAMBDA, "End": True, **fields}


def distributed_map(**fields: Any) -> dict[str, Any]:
    return {
        "Type": "Map",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Work",
            "States": {"Work": {"Type": "Pass", "End": True}},
        },
        "End": True,
        **fields,
    }


def inline_map(**fields: Any) -> dict[str, Any]:
    state = distributed_map(**fields)
    del state["ItemProcessor"]["ProcessorConfig"]
    return state


# --- State machine structure: terminal states ---------------------------------------
# https://states-language.net/spec.html#toplevelfields and
# https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
# A state machine ends in a Succeed, a Fail or a state with "End": true; a graph with
# none reachable from StartAt never finishes.


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        (  # a two-state loop with no exit
            {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}},
            {("NO_TERMINAL_STATE", "/StartAt")},
        ),
        (  # a Choice that only loops back
            {
                "A": {"Type": "Wait", "Seconds": 1, "Next": "C"},
                "C": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "A"}],
                    "Default": "A",
                },
            },
            {("NO_TERMINAL_STATE", "/StartAt")},
        ),
        (  # a loop with a Choice exit to Succeed: a polling loop, which AWS accepts
            {
                "A": {"Type": "Wait", "Seconds": 1, "Next": "C"},
                "C": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.done", "BooleanEquals": True, "Next": "S"}],
                    "Default": "A",
                },
                "S": {"Type": "Succeed"},
            },
            set(),
        ),
        (  # a Catch leading out of the loop is a way out too
            {
                "T": {
                    "Type": "Task",
                    "Resource": LAMBDA,
                    "Next": "T",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}],
                },
                "F": {"Type": "Fail"},
            },
            set(),
        ),
    ],
)
def test_terminal_state_reachable(states: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    assert errors({"StartAt": next(iter(states)), "States": states}) == expected


def test_every_branch_needs_a_terminal_state() -> None:
    """https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html: each
    branch is a state machine of its own."""
    loop = {"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "X"}}}
    d = machine(P={"Type": "Parallel", "Branches": [loop], "End": True})
    assert errors(d) == {("NO_TERMINAL_STATE", "/States/P/Branches/0/StartAt")}


# --- Duplicate keys ----------------------------------------------------------------------
# https://states-language.net/spec.html#structure: a definition is a JSON object; AWS
# rejects an object that names a field twice (only the text shows it).


@pytest.mark.parametrize(
    ("text", "location", "line"),
    [
        ('{"StartAt": "A",\n"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}', "/StartAt", 2),
        (
            '{"StartAt": "A", "States": {\n"A": {"Type": "Succeed",\n "Type": "Fail"}}}',
            "/States/A/Type",
            3,
        ),
        (
            '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true,\n'
            ' "Parameters": {"k": 1, "k": 2}}}}',
            "/States/A/Parameters/k",
            2,
        ),
        ("StartAt: A\nStates:\n  A: {Type: Succeed}\n  A: {Type: Succeed}\n", "/States/A", 4),
    ],
)
def test_duplicate_keys_are_errors_at_the_repeated_key(text: str, location: str, line: int) -> None:
    found = [(d.code, d.location, d.severity, d.line) for d in validate_text(text)]
    assert ("DUPLICATE_KEY", location, "error", line) in found


def test_a_repeat_inside_a_replaced_value_is_reported_on_the_document() -> None:
    """The first "Comment" object is dropped by the second; its own repeat has no pointer."""
    text = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}, "Comment": {"x": 1, "x": 2},\n'
    text += ' "Comment": "c"}'
    found = [(d.code, d.location, d.line) for d in validate_text(text)]
    assert found == [("DUPLICATE_KEY", "", 1), ("DUPLICATE_KEY", "/Comment", 2)]


def test_load_definition_reports_repeats_too() -> None:
    value, diagnostics = load_definition('{"StartAt": "A", "StartAt": "B", "States": {}}')
    assert value["StartAt"] == "B"
    assert [(d.code, d.location, d.severity) for d in diagnostics] == [
        ("DUPLICATE_KEY", "/StartAt", "error")
    ]


# --- Task Resource ARNs ---------------------------------------------------------------
# https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html (task types and
# the Resource syntax arn:partition:service:region:account:task_type:name) and
# https://docs.aws.amazon.com/step-functions/latest/dg/integrate-services.html


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:states:::lambda:invoke",
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync",
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::http:invoke",
        "arn:aws:states:::aws-sdk:s3:listBuckets",
        "arn:aws:states:::aws-sdk:sfn:startExecution.waitForTaskToken",
        "arn:aws:states:::ecs:runTask.sync",
        "arn:aws-cn:states:::sns:publish",
        "arn:aws-us-gov:states:::sqs:sendMessage",
        "arn:aws:states:us-east-1:123456789012:activity:HelloWorld",
        "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction",
        "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction:$LATEST",
        "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction:7",
        "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction:prod-alias",
        "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:w",  # a substitution
        "${FnArn}",
    ],
)
def test_well_formed_resources(resource: str) -> None:
    assert errors(machine(T=task(Resource=resource))) == set()


@pytest.mark.parametrize(
    "resource",
    [
        "r",
        "arn:x",
        "lambda:invoke",
        "arn:aws:states:::lambda",  # no action
        "arn:aws:states:::",  # nothing after the account
        "arn:aws:states:::lambda:invoke.sync:3",
        "arn:aws:states:::lambda:invoke.wait",
        "arn:aws:states:us-east-1::activity:A",  # an activity has its account
        "arn:aws:states:us-east-1:123456789012:lambda:invoke",
        "arn:aws:states:us-east-1:123456789012:activity:",
        "arn:aws:lambda:us-east-1:123456789012:function:name:bad:extra",
        "arn:aws:lambda:us-east-1:123456789012:function:",
        "arn:aws:lambda::123456789012:function:f",
        "arn:aws:lambda:us-east-1::function:f",
        "arn:aws:lambda:us-east-1:1234:function:f",
        "arn:aws:lambda:us-east-1:123456789012:layer:f",
        "arn:aws:lambda:not a region:123456789012:function:f",
        "arn:azure:states:::lambda:invoke",
    ],
)
def test_malformed_resources(resource: str) -> None:
    assert errors(machine(T=task(Resource=resource))) == {
        ("INVALID_RESOURCE_ARN", "/States/T/Resource")
    }


# --- Credentials ------------------------------------------------------------------------
# https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html (Credentials) and
# https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html

ROLE = "arn:aws:iam::111122223333:role/LambdaRole"


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        (machine(T=task(Credentials={"RoleArn": ROLE})), set()),
        (machine(T=task(Credentials={"RoleArn.$": "$.roleArn"})), set()),
        (
            machine(T=task(Credentials={"RoleArn.$": "States.Format('{}', $.r)"})),
            set(),
        ),
        (jsonata(T=task(Credentials={"RoleArn": "{% $states.input.roleArn %}"})), set()),
        (jsonata(T=task(Credentials={"RoleArn": ROLE})), set()),
        (machine(T=task(Credentials={})), {("SCHEMA_MISSING_FIELD", "/States/T/Credentials")}),
        (
            machine(T=task(Credentials={"Role": ROLE})),
            {
                ("SCHEMA_MISSING_FIELD", "/States/T/Credentials"),
                ("SCHEMA_UNKNOWN_FIELD", "/States/T/Credentials/Role"),
            },
        ),
        (
            machine(T=task(Credentials={"RoleArn": ROLE, "RoleArn.$": "$.r"})),
            {("EXCLUSIVE_FIELDS", "/States/T/Credentials/RoleArn.$")},
        ),
        (
            jsonata(T=task(Credentials={"RoleArn.$": "$.r"})),
            {
                ("SCHEMA_MISSING_FIELD", "/States/T/Credentials"),
                ("FIELD_WRONG_QUERY_LANGUAGE", "/States/T/Credentials/RoleArn.$"),
            },
        ),
        (
            machine(T=task(Credentials={"RoleArn": 5})),
            {("SCHEMA_WRONG_TYPE", "/States/T/Credentials/RoleArn")},
        ),
        (
            machine(T=task(Credentials={"RoleArn.$": "nope"})),
            {("INVALID_PATH", "/States/T/Credentials/RoleArn.$")},
        ),
        (machine(T=task(Credentials="x")), {("SCHEMA_WRONG_TYPE", "/States/T/Credentials")}),
    ],
)
def test_credentials(definition: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    assert errors(definition) == expected


# --- ItemReader ---------------------------------------------------------------------------
# https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html

CSV_READER = {
    "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
    "Resource": "arn:aws:states:::s3:getObject",
    "Parameters": {"Bucket": "amzn-s3-demo-bucket", "Key": "csvDataset/ratings.csv"},
}


def reader(**changes: Any) -> dict[str, Any]:
    value = copy.deepcopy(CSV_READER)
    for key, item in changes.items():
        if item is None:
            value.pop(key, None)
        else:
            value[key] = item
    return value


@pytest.mark.parametrize(
    ("item_reader", "expected"),
    [
        (CSV_READER, set()),  # the page's JSONPath example
        (
            {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}},
            set(),
        ),
        (reader(ReaderConfig={"InputType": "JSON"}), set()),
        (reader(ReaderConfig={"InputType": "JSONL", "MaxItems": 10}), set()),
        (reader(ReaderConfig={"InputType": "MANIFEST"}), set()),
        (reader(ReaderConfig={"InputType": "CSV", "CSVDelimiter": "PIPE"}), set()),
        (
            reader(
                ReaderConfig={
                    "InputType": "CSV",
                    "CSVHeaderLocation": "GIVEN",
                    "CSVHeaders": ["a", "b"],
                }
            ),
            set(),
        ),
        (reader(ReaderConfig={"InputType": "JSON", "MaxItemsPath": "$.max"}), set()),
        (reader(Resource=None), {("SCHEMA_MISSING_FIELD", "/States/M/ItemReader")}),
        (
            reader(Resource="arn:aws:states:::s3:putObject"),
            {("INVALID_RESOURCE_ARN", "/States/M/ItemReader/Resource")},
        ),
        (
            reader(ReaderConfig={"InputType": "XML"}),
            {("SCHEMA_INVALID_VALUE", "/States/M/ItemReader/ReaderConfig/InputType")},
        ),
        (
            reader(ReaderConfig={"InputType": "CSV", "CSVHeaderLocation": "GIVEN"}),
            {("SCHEMA_MISSING_FIELD", "/States/M/ItemReader/ReaderConfig")},
        ),
        (
            reader(ReaderConfig={"InputType": "CSV", "CSVHeaders": ["a"]}),
            {("SCHEMA_INVALID_VALUE", "/States/M/ItemReader/ReaderConfig/CSVHeaders")},
        ),
        (
            reader(ReaderConfig={"InputType": "CSV", "CSVHeaderLocation": "LAST_ROW"}),
            {("SCHEMA_INVALID_VALUE", "/States/M/ItemReader/ReaderConfig/CSVHeaderLocation")},
        ),
        (
            reader(ReaderConfig={"InputType": "JSON", "CSVHeaderLocation": "FIRST_ROW"}),
            {("SCHEMA_INVALID_VALUE", "/States/M/ItemReader/ReaderConfig/CSVHeaderLocation")},
        ),
        (
            reader(ReaderConfig={"InputType": "JSON", "MaxItems": 1, "MaxItemsPath": "$.m"}),
            {("EXCLUSIVE_FIELDS", "/States/M/ItemReader/ReaderConfig/MaxItemsPath")},
        ),
        (
            reader(ReaderConfig={"InputType": "JSON", "MaxItems": 100_000_001}),
            {("SCHEMA_INVALID_VALUE", "/States/M/ItemReader/ReaderConfig/MaxItems")},
        ),
        (
            reader(ReaderConfig={"InputType": "JSON", "MaxItems": -1}),
            {("SCHEMA_INVALID_VALUE", "/States/M/ItemReader/ReaderConfig/MaxItems")},
        ),
        (
            reader(ReaderConfig={"InputType": "JSON", "Bogus": 1}),
            {("SCHEMA_UNKNOWN_FIELD", "/States/M/ItemReader/ReaderConfig/Bogus")},
        ),
        (
            reader(Arguments={"Bucket": "b"}),
            {("FIELD_WRONG_QUERY_LANGUAGE", "/States/M/ItemReader/Arguments")},
        ),
    ],
)
def test_item_reader(item_reader: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    assert errors(machine(M=distributed_map(ItemReader=item_reader))) == expected


def test_item_reader_jsonata_uses_arguments() -> None:
    """The page's JSONata example: Parameters is replaced with Arguments."""
    item_reader = reader(Parameters=None, Arguments={"Bucket": "b", "Key": "k"})
    assert errors(jsonata(M=distributed_map(ItemReader=item_reader))) == set()
    item_reader["Parameters"] = {"Bucket": "b"}
    assert errors(jsonata(M=distributed_map(ItemReader=item_reader))) == {
        ("FIELD_WRONG_QUERY_LANGUAGE", "/States/M/ItemReader/Parameters")
    }


# --- ItemBatcher ---------------------------------------------------------------------------
# https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html


@pytest.mark.parametrize(
    ("item_batcher", "expected"),
    [
        ({"MaxItemsPerBatch": 100}, set()),  # the page's example
        ({"MaxInputBytesPerBatch": 1024}, set()),
        ({"MaxItemsPerBatchPath": "$.n", "MaxInputBytesPerBatchPath": "$.b"}, set()),
        ({"MaxItemsPerBatch": 10, "BatchInput": {"factCheck": "CHECKED"}}, set()),
        ({}, {("MISSING_ONE_OF", "/States/M/ItemBatcher")}),
        ({"BatchInput": {"a": 1}}, {("MISSING_ONE_OF", "/States/M/ItemBatcher")}),
        (
            {"MaxItemsPerBatch": 0},
            {("SCHEMA_INVALID_VALUE", "/States/M/ItemBatcher/MaxItemsPerBatch")},
        ),
        (
            {"MaxItemsPerBatch": 1, "MaxItemsPerBatchPath": "$.n"},
            {("EXCLUSIVE_FIELDS", "/States/M/ItemBatcher/MaxItemsPerBatchPath")},
        ),
        (
            {"MaxInputBytesPerBatch": 262_145},
            {("SCHEMA_INVALID_VALUE", "/States/M/ItemBatcher/MaxInputBytesPerBatch")},
        ),
        (
            {"MaxItemsPerBatch": "10"},
            {("SCHEMA_WRONG_TYPE", "/States/M/ItemBatcher/MaxItemsPerBatch")},
        ),
        (
            {"MaxItemsPerBatch": 1, "MaxItems": 2},
            {("SCHEMA_UNKNOWN_FIELD", "/States/M/ItemBatcher/MaxItems")},
        ),
    ],
)
def test_item_batcher(item_batcher: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    assert errors(machine(M=distributed_map(ItemBatcher=item_batcher))) == expected


# --- ResultWriter --------------------------------------------------------------------------
# https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
# ("Required fields combination": WriterConfig; Resource and Parameters; or all three)

PUT = "arn:aws:states:::s3:putObject"
WHERE = {"Bucket": "amzn-s3-demo-destination-bucket", "Prefix": "csvProcessJobs"}


@pytest.mark.parametrize(
    ("result_writer", "expected"),
    [
        ({"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}}, set()),
        ({"Resource": PUT, "Parameters": WHERE}, set()),
        (
            {
                "Resource": PUT,
                "Parameters": WHERE,
                "WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSONL"},
            },
            set(),
        ),
        ({"Resource": PUT, "Parameters": {"Bucket.$": "$.b", "Prefix": "p"}}, set()),
        ({}, {("MISSING_ONE_OF", "/States/M/ResultWriter")}),
        ({"Resource": PUT}, {("SCHEMA_MISSING_FIELD", "/States/M/ResultWriter")}),
        ({"Parameters": WHERE}, {("SCHEMA_MISSING_FIELD", "/States/M/ResultWriter")}),
        (
            {"Resource": "arn:aws:states:::s3:getObject", "Parameters": WHERE},
            {("INVALID_RESOURCE_ARN", "/States/M/ResultWriter/Resource")},
        ),
        (
            {"Resource": PUT, "Parameters": {"Bucket": "b"}},
            {("SCHEMA_MISSING_FIELD", "/States/M/ResultWriter/Parameters")},
        ),
        (
            {"WriterConfig": {"OutputType": "CSV"}},
            {("SCHEMA_INVALID_VALUE", "/States/M/ResultWriter/WriterConfig/OutputType")},
        ),
        (
            {"WriterConfig": {"Transformation": "EXPAND"}},
            {("SCHEMA_INVALID_VALUE", "/States/M/ResultWriter/WriterConfig/Transformation")},
        ),
        (
            {"WriterConfig": {"Format": "JSON"}},
            {("SCHEMA_UNKNOWN_FIELD", "/States/M/ResultWriter/WriterConfig/Format")},
        ),
    ],
)
def test_result_writer(result_writer: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    assert errors(machine(M=distributed_map(ResultWriter=result_writer))) == expected


def test_result_writer_jsonata_uses_arguments() -> None:
    writer = {"Resource": PUT, "Arguments": WHERE}
    assert errors(jsonata(M=distributed_map(ResultWriter=writer))) == set()
    assert errors(jsonata(M=distributed_map(ResultWriter={"Resource": PUT}))) == {
        ("SCHEMA_MISSING_FIELD", "/States/M/ResultWriter")
    }


# --- Map: inline or distributed ---------------------------------------------------------
# https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html and
# https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html: the
# dataset reader, the batcher and the result writer belong to Distributed mode.


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ItemReader", CSV_READER),
        ("ItemBatcher", {"MaxItemsPerBatch": 2}),
        ("ResultWriter", {"Resource": PUT, "Parameters": WHERE}),
    ],
)
def test_distributed_blocks_on_inline_map_are_errors(field: str, value: Any) -> None:
    assert errors(machine(M=inline_map(**{field: value}))) == {
        ("DISTRIBUTED_ONLY_FIELD", f"/States/M/{field}")
    }
    assert errors(machine(M=distributed_map(**{field: value}))) == set()


# --- Fail: ErrorPath and CausePath -------------------------------------------------------
# https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html: a reference path
# or an intrinsic that returns a string (States.Format, States.JsonToString,
# States.ArrayGetItem, States.Base64Encode, States.Base64Decode, States.Hash, States.UUID).


@pytest.mark.parametrize(
    "value",
    [
        "$.error",
        "$$.Execution.Name",
        "States.Format('error: {}.', $.someError)",
        "States.JsonToString($.detail)",
        "States.ArrayGetItem($.errors, 0)",
        "States.Base64Encode($.e)",
        "States.Base64Decode($.e)",
        "States.Hash($.e, 'SHA-1')",
        "States.UUID()",
    ],
)
@pytest.mark.parametrize("field", ["ErrorPath", "CausePath"])
def test_fail_paths_accepted(field: str, value: str) -> None:
    assert errors(machine(F={"Type": "Fail", field: value})) == set()


@pytest.mark.parametrize(
    "value",
    [
        "States.MathAdd($.a, 1)",
        "States.Array($.a)",
        "States.StringToJson($.a)",
        "States.ArrayLength($.a)",
        "States.MathRandom(1, 9)",
        "States.StringSplit($.a, ',')",
        "States.JsonMerge($.a, $.b, false)",
        "States.ArrayContains($.a, 1)",
    ],
)
@pytest.mark.parametrize("field", ["ErrorPath", "CausePath"])
def test_fail_paths_rejecting_non_string_intrinsics(field: str, value: str) -> None:
    assert errors(machine(F={"Type": "Fail", field: value})) == {
        ("INTRINSIC_NOT_A_STRING", f"/States/F/{field}")
    }


# --- Parameters, ResultSelector, Arguments ------------------------------------------------
# AWS accepts any JSON value for Parameters (its console and its ASL schema:
# https://github.com/aws/amazon-states-language-service/pull/83); Arguments of a JSONata
# Task is an object or one JSONata expression
# (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).


@pytest.mark.parametrize("value", ["a string", ["x", {"y.$": "$.y"}], 3, 1.5, True, None, {}])
@pytest.mark.parametrize("kind", ["Pass", "Task", "Parallel"])
def test_parameters_may_be_any_json_value(kind: str, value: Any) -> None:
    state: dict[str, Any] = {"Type": kind, "Parameters": value, "End": True}
    if kind == "Task":
        state["Resource"] = LAMBDA
    if kind == "Parallel":
        state["Branches"] = [machine(B={"Type": "Succeed"})]
    assert errors(machine(S=state)) == set()


def test_parameters_paths_inside_arrays_still_compile() -> None:
    d = machine(S={"Type": "Pass", "Parameters": [{"y.$": "not a path"}], "End": True})
    assert errors(d) == {("INVALID_PATH", "/States/S/Parameters/0/y.$")}


@pytest.mark.parametrize("value", ["{% $states.input %}", {"a": "{% 1 %}"}, [1, 2], "plain"])
def test_arguments_object_or_expression(value: Any) -> None:
    assert errors(jsonata(T=task(Arguments=value))) == set()


def test_result_selector_must_be_an_object() -> None:
    """https://states-language.net/spec.html#filters: ResultSelector is a Payload Template,
    a JSON object."""
    d = machine(T=task(ResultSelector=[1]))
    assert errors(d) == {("SCHEMA_WRONG_TYPE", "/States/T/ResultSelector")}


# --- Variables: scope and names --------------------------------------------------------------
# https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html


def branch(**states: Any) -> dict[str, Any]:
    return machine(**states)


def parallel(*branches: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"Type": "Parallel", "Branches": list(branches), "End": True, **fields}


def test_inner_scope_reads_outer_variables() -> None:
    inner = branch(I={"Type": "Pass", "Output": "{% $x %}", "End": True})
    d = jsonata(A={"Type": "Pass", "Assign": {"x": 1}, "Next": "P"}, P=parallel(inner))
    assert errors(d) == set()


def test_inner_scope_may_not_assign_an_outer_variable() -> None:
    inner = branch(I={"Type": "Pass", "Assign": {"x": 2}, "End": True})
    d = jsonata(A={"Type": "Pass", "Assign": {"x": 1}, "Next": "P"}, P=parallel(inner))
    assert errors(d) == {("VARIABLE_SCOPE_CONFLICT", "/States/P/Branches/0/States/I/Assign/x")}


def test_inner_map_scope_may_not_assign_an_outer_variable_in_jsonpath() -> None:
    inner = branch(I={"Type": "Pass", "Assign": {"total.$": "$"}, "End": True})
    d = machine(
        A={"Type": "Pass", "Assign": {"total": 0}, "Next": "M"},
        M={"Type": "Map", "ItemProcessor": inner, "End": True},
    )
    assert errors(d) == {
        ("VARIABLE_SCOPE_CONFLICT", "/States/M/ItemProcessor/States/I/Assign/total.$")
    }


def test_sibling_branches_may_use_the_same_name() -> None:
    one = branch(I={"Type": "Pass", "Assign": {"x": 1}, "End": True})
    two = branch(J={"Type": "Pass", "Assign": {"x": 2}, "End": True})
    assert errors(jsonata(P=parallel(one, two))) == set()


def test_variables_of_a_branch_are_not_visible_outside() -> None:
    inner = branch(I={"Type": "Pass", "Assign": {"y": 1}, "End": True})
    d = jsonata(
        P={"Type": "Parallel", "Branches": [inner], "Next": "After"},
        After={"Type": "Pass", "Output": "{% $y %}", "End": True},
    )
    assert errors(d) == {("VARIABLE_NOT_IN_SCOPE", "/States/After/Output")}


def test_variables_of_a_map_iteration_are_not_visible_outside_in_jsonpath() -> None:
    inner = branch(I={"Type": "Pass", "Assign": {"y": 1}, "End": True})
    d = machine(
        M={"Type": "Map", "ItemProcessor": inner, "Next": "After"},
        After={"Type": "Pass", "Parameters": {"v.$": "$y", "w": "$y"}, "End": True},
    )
    assert errors(d) == {("VARIABLE_NOT_IN_SCOPE", "/States/After/Parameters/v.$")}


def test_distributed_map_children_do_not_see_outer_variables() -> None:
    state = distributed_map()
    state["ItemProcessor"]["States"]["Work"]["Parameters"] = {"v.$": "$outer"}
    d = machine(A={"Type": "Pass", "Assign": {"outer": 1}, "Next": "M"}, M=state)
    assert errors(d) == {
        ("VARIABLE_NOT_IN_SCOPE", "/States/M/ItemProcessor/States/Work/Parameters/v.$")
    }


def test_jsonata_local_bindings_and_functions_are_not_workflow_variables() -> None:
    inner = branch(I={"Type": "Pass", "Assign": {"y": 1, "count": 2}, "End": True})
    output = "{% ($y := 3; $f := function($count) { $count + $y }; $f($count([1]))) %}"
    d = jsonata(
        P={"Type": "Parallel", "Branches": [inner], "Next": "After"},
        After={"Type": "Pass", "Output": output, "End": True},
    )
    assert errors(d) == set()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("states", "RESERVED_VARIABLE_NAME"),
        ("1abc", "INVALID_VARIABLE_NAME"),
        ("a-b", "INVALID_VARIABLE_NAME"),
        ("a" * 81, "INVALID_VARIABLE_NAME"),
    ],
)
def test_variable_names(name: str, code: str) -> None:
    d = machine(A={"Type": "Pass", "Assign": {name: 1}, "End": True})
    assert errors(d) == {(code, f"/States/A/Assign/{name}")}


@pytest.mark.parametrize("name", ["x", "_x", "productName", "a1", "a" * 80, "café"])
def test_valid_variable_names(name: str) -> None:
    assert errors(machine(A={"Type": "Pass", "Assign": {name: 1}, "End": True})) == set()


# --- Reserved $states -----------------------------------------------------------------------
# https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html#reserved-variable-states
# and https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        (  # the Task page's example: the result in Assign
            jsonata(T=task(Assign={"price": "{% $states.result.Payload.current_price %}"})),
            set(),
        ),
        (jsonata(T=task(Output="{% $states.result %}")), set()),
        (
            jsonata(T=task(Arguments={"x": "{% $states.result %}"})),
            {("INVALID_STATES_REFERENCE", "/States/T/Arguments/x")},
        ),
        (
            jsonata(A={"Type": "Pass", "Output": "{% $states.result %}", "End": True}),
            {("INVALID_STATES_REFERENCE", "/States/A/Output")},
        ),
        (
            jsonata(
                C={
                    "Type": "Choice",
                    "Choices": [{"Condition": "{% $states.result.ok %}", "Next": "S"}],
                    "Default": "S",
                },
                S={"Type": "Succeed"},
            ),
            {("INVALID_STATES_REFERENCE", "/States/C/Choices/0/Condition")},
        ),
        (
            jsonata(
                T=task(
                    Next="S",
                    End=None,
                    Catch=[
                        {
                            "ErrorEquals": ["States.ALL"],
                            "Assign": {"e": "{% $states.errorOutput.Error %}"},
                            "Output": "{% $states.errorOutput %}",
                            "Next": "S",
                        }
                    ],
                ),
                S={"Type": "Succeed"},
            ),
            set(),
        ),
        (
            jsonata(T=task(Output="{% $states.errorOutput %}")),
            {("INVALID_STATES_REFERENCE", "/States/T/Output")},
        ),
        (
            jsonata(
                T=task(
                    Next="S",
                    End=None,
                    Catch=[
                        {
                            "ErrorEquals": ["States.ALL"],
                            "Output": "{% $states.result %}",
                            "Next": "S",
                        }
                    ],
                ),
                S={"Type": "Succeed"},
            ),
            {("INVALID_STATES_REFERENCE", "/States/T/Catch/0/Output")},
        ),
        (
            jsonata(A={"Type": "Pass", "Output": "{% $states.output %}", "End": True}),
            {("INVALID_STATES_REFERENCE", "/States/A/Output")},
        ),
        (
            jsonata(
                A={
                    "Type": "Pass",
                    "Output": "{% [$states.input, $states.context.Execution.Id] %}",
                    "End": True,
                }
            ),
            set(),
        ),
        (  # a string literal mentioning $states.result reads nothing
            jsonata(A={"Type": "Pass", "Output": "{% '$states.result' %}", "End": True}),
            set(),
        ),
        (
            jsonata(M=inline_map(Items="{% $states.result %}")),
            {("INVALID_STATES_REFERENCE", "/States/M/Items")},
        ),
        (
            jsonata(M=inline_map(Output="{% $states.result %}")),
            set(),
        ),
        (
            jsonata(W={"Type": "Wait", "Seconds": "{% $states.result.n %}", "End": True}),
            {("INVALID_STATES_REFERENCE", "/States/W/Seconds")},
        ),
    ],
)
def test_states_fields(definition: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    for state in definition["States"].values():
        if state.get("End") is None:
            state.pop("End", None)
    assert errors(definition) == expected
