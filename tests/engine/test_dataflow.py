"""engine.dataflow: InputPath, Parameters, ResultSelector, ResultPath, OutputPath.

The Pass-state cases below are copied from the AWS-recorded conformance corpus
(ids in ``RECORDED``). When the corpus is present at ``../shared/conformance``
the literals are checked against it, so they cannot drift from the recordings.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from engine.dataflow import (
    DEFAULT_PATH,
    DEFAULT_RESULT_PATH,
    input_path,
    output_path,
    parameters,
    result_path,
    result_selector,
)
from engine.errors import StatesError
from engine.jsonpath import Reference, compile_reference, compile_result_path
from engine.payload import compile_payload
from engine.scope import Scope

CORPUS = Path(__file__).resolve().parents[2].parent / "shared/conformance/aws-recorded.jsonl"
PREFIX = "An error occurred while executing the state '{name}' (entered at the event id #2). "


def _path(state: dict[str, Any], key: str) -> Reference | None:
    if key not in state:
        return DEFAULT_PATH
    text = state[key]
    return None if text is None else compile_reference(text)


def run_pass(
    state: dict[str, Any], raw: Any, context: Any = None, variables: Any = None
) -> tuple[Any, dict[str, Any]]:
    """A Pass state's JSONPath data flow; returns its output and the variables after Assign."""
    scope = Scope(input=raw, context=context or {}, variables=dict(variables or {}))
    effective = input_path(scope, _path(state, "InputPath"))
    template = state.get("Parameters")
    payload = None if template is None else compile_payload(template, "Parameters")
    effective = parameters(scope.with_input(effective), payload)
    result = state.get("Result", effective)
    assigned = dict(scope.variables)
    if "Assign" in state:
        assign = compile_payload(state["Assign"], "Assign")
        assigned.update(assign.evaluate(scope.with_input(result)))
    text = state.get("ResultPath", "$")
    placed = result_path(raw, None if text is None else compile_result_path(text), result)
    return output_path(scope.with_input(placed), _path(state, "OutputPath")), assigned


def run_machine(definition: dict[str, Any], raw: Any) -> Any:
    """Pass states only, followed by Next: enough for the recorded data-flow cases."""
    states, name, data = definition["States"], definition["StartAt"], raw
    variables: dict[str, Any] = {}
    context = {"Execution": {"Input": raw}}
    while True:
        state = states[name]
        data, variables = run_pass(state, data, context, variables)
        if state.get("End"):
            return data
        name = state["Next"]


RECORDED: dict[str, tuple[dict[str, Any], Any, dict[str, Any]]] = {
    "base/test_base.py::TestSnfBase::test_state_pass_result_null_input_output_paths"
    "#get_execution_history": (
        {
            "StartAt": "State0",
            "States": {
                "State0": {
                    "Type": "Pass",
                    "Parameters": {"Arg1": "argument1", "FromInput.$": "$"},
                    "Next": "State1",
                },
                "State1": {
                    "Type": "Pass",
                    "InputPath": None,
                    "Parameters": {"Arg2": "argument2", "FromInput.$": "$"},
                    "Next": "State2",
                },
                "State2": {"Type": "Pass", "OutputPath": None, "End": True},
            },
        },
        {"InputValue": 0},
        {"status": "SUCCEEDED", "output": {}},
    ),
    "context_object/test_context_object.py::TestSnfBase::test_input_path[$$.Execution.Input]"
    "#get_execution_history": (
        {
            "StartAt": "TestState",
            "States": {
                "TestState": {"Type": "Pass", "InputPath": "$$.Execution.Input", "End": True}
            },
        },
        {"input-value": 0},
        {"status": "SUCCEEDED", "output": {"input-value": 0}},
    ),
    "context_object/test_context_object.py::TestSnfBase::test_output_path[$$.Execution.Input]"
    "#get_execution_history": (
        {
            "StartAt": "TestState",
            "States": {
                "TestState": {"Type": "Pass", "OutputPath": "$$.Execution.Input", "End": True}
            },
        },
        {"input-value": 0},
        {"status": "SUCCEEDED", "output": {"input-value": 0}},
    ),
    "assign/test_assign_reference_variables.py::TestAssignReferenceVariables::"
    "test_reference_assign[BASE_REFERENCE_IN_INPUTPATH]#get_execution_history": (
        {
            "StartAt": "State0",
            "States": {
                "State0": {"Type": "Pass", "Assign": {"theAnswer": 42}, "Next": "State1"},
                "State1": {"Type": "Pass", "InputPath": "$theAnswer", "End": True},
            },
        },
        {},
        {"status": "SUCCEEDED", "output": 42},
    ),
    "assign/test_assign_reference_variables.py::TestAssignReferenceVariables::"
    "test_reference_assign[BASE_REFERENCE_IN_OUTPUTPATH]#get_execution_history": (
        {
            "StartAt": "State0",
            "States": {
                "State0": {
                    "Type": "Pass",
                    "Result": {"answer": 42},
                    "Assign": {"theAnswer.$": "$.answer"},
                    "Next": "State1",
                },
                "State1": {"Type": "Pass", "OutputPath": "$theAnswer", "End": True},
            },
        },
        {},
        {"status": "SUCCEEDED", "output": 42},
    ),
    "assign/test_assign_reference_variables.py::TestAssignReferenceVariables::"
    "test_reference_assign[BASE_REFERENCE_IN_PARAMETERS]#get_execution_history": (
        {
            "StartAt": "State0",
            "States": {
                "State0": {
                    "Type": "Pass",
                    "Parameters": {"result": "$result"},
                    "Assign": {"result": "foobar"},
                    "Next": "State1",
                },
                "State1": {
                    "Type": "Pass",
                    "ResultPath": "$.result",
                    "Parameters": {"result.$": "$result"},
                    "End": True,
                },
            },
        },
        {},
        {"status": "SUCCEEDED", "output": {"result": {"result": "foobar"}}},
    ),
    "scenarios/test_base_scenarios.py::TestBaseScenarios::"
    "test_invalid_jsonpath[ST.INVALID_JSONPATH_IN_INPUTPATH]#get_execution_history": (
        {
            "StartAt": "pass",
            "States": {"pass": {"Type": "Pass", "InputPath": "$.NoSuchInputPath", "End": True}},
        },
        {"int-literal": 0},
        {
            "status": "FAILED",
            "error": "States.Runtime",
            "cause": PREFIX.format(name="pass")
            + "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']",
        },
    ),
    "scenarios/test_base_scenarios.py::TestBaseScenarios::"
    "test_invalid_jsonpath[ST.INVALID_JSONPATH_IN_OUTPUTPATH]#get_execution_history": (
        {
            "StartAt": "pass",
            "States": {"pass": {"Type": "Pass", "OutputPath": "$.NoSuchOutputPath", "End": True}},
        },
        {"int-literal": 0},
        {
            "status": "FAILED",
            "error": "States.Runtime",
            "cause": PREFIX.format(name="pass")
            + "Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']",
        },
    ),
}


@pytest.mark.parametrize("case_id", sorted(RECORDED))
def test_recorded_cases(case_id: str) -> None:
    definition, raw, expected = RECORDED[case_id]
    if expected["status"] == "SUCCEEDED":
        assert run_machine(definition, raw) == expected["output"]
        return
    with pytest.raises(StatesError) as caught:
        run_machine(definition, raw)
    name = definition["StartAt"]
    assert caught.value.error == expected["error"]
    assert PREFIX.format(name=name) + str(caught.value.cause) == expected["cause"]


def test_recorded_literals_match_the_corpus() -> None:
    assert CORPUS.exists(), f"the conformance corpus is missing: {CORPUS}"
    wanted = set(RECORDED)
    with CORPUS.open(encoding="utf-8") as lines:
        for line in lines:
            case = json.loads(line)
            if case["id"] not in wanted:
                continue
            wanted.discard(case["id"])
            definition, raw, expected = RECORDED[case["id"]]
            assert case["definition"]["States"] == definition["States"]
            assert case["input"] == raw
            for key, value in expected.items():
                assert case["expected"][key] == value
    assert not wanted, f"not in the corpus: {sorted(wanted)}"


# ------------------------------------------------------------------ each step


def test_input_path_null_gives_an_empty_object() -> None:
    assert input_path(Scope(input={"a": 1}), None) == {}


def test_input_path_default_passes_the_input_through_unchanged() -> None:
    document = {"a": 1}
    assert input_path(Scope(input=document), DEFAULT_PATH) is document
    assert input_path(Scope(input=None), DEFAULT_PATH) is None


def test_input_path_selects_and_can_be_indefinite() -> None:
    scope = Scope(input={"a": [{"b": 1}, {"b": 2}, {}]})
    assert input_path(scope, compile_reference("$.a[1]")) == {"b": 2}
    assert input_path(scope, compile_reference("$.a[*].b")) == [1, 2]


@pytest.mark.parametrize(
    ("path", "document", "detail"),
    [
        ("$.a.b", {"a": {}}, "Invalid path '$.a.b' : No results for path: $['a']['b']"),
        ("$.a.b.c", {"a": {}}, "Invalid path '$.a.b.c' : Missing property in path $['a']['b']"),
        (
            "$.list[5]",
            {"list": [1]},
            "Invalid path '$.list[5]' : No results for path: $['list'][5]",
        ),
        ("$$.Nope", {}, "Invalid path '$$.Nope' : No results for path: $['Nope']"),
    ],
)
def test_input_and_output_path_misses(path: str, document: Any, detail: str) -> None:
    for step in (input_path, output_path):
        with pytest.raises(StatesError) as caught:
            step(Scope(input=document), compile_reference(path))
        assert (caught.value.error, caught.value.cause) == ("States.Runtime", detail)


def test_parameters_and_result_selector_without_a_template_pass_through() -> None:
    document = {"a": 1}
    assert parameters(Scope(input=document), None) is document
    assert result_selector(Scope(input=document), None) is document


def test_result_selector_reads_the_result() -> None:
    selector = compile_payload({"body.$": "$.Payload.body", "fixed": 1}, "ResultSelector")
    result = {"Payload": {"body": "hi"}, "StatusCode": 200}
    assert result_selector(Scope(input=result), selector) == {"body": "hi", "fixed": 1}


def test_result_path_variants() -> None:
    raw = {"comment": "This is a test", "details": "Default example"}
    assert result_path(raw, DEFAULT_RESULT_PATH, "Hello") == "Hello"
    assert result_path(raw, None, "Hello") is raw
    merged = result_path(raw, compile_result_path("$.taskresult"), "Hello")
    assert merged == {**raw, "taskresult": "Hello"}
    assert "taskresult" not in raw


def test_result_path_conflict() -> None:
    with pytest.raises(StatesError) as caught:
        result_path("input1", compile_result_path("$.someTaskResult"), {"x": 1})
    assert caught.value.error == "States.ReferencePathConflict"
    assert caught.value.cause == 'Unable to apply ReferencePath $.someTaskResult to input "input1"'


def test_output_path_null_gives_an_empty_object() -> None:
    assert output_path(Scope(input={"a": 1}), None) == {}


def test_the_whole_flow_does_not_mutate_the_raw_input() -> None:
    raw = {"a": {"b": [1, 2]}, "keep": {"x": 1}}
    before = copy.deepcopy(raw)
    state = {
        "InputPath": "$.a",
        "Parameters": {"sum.$": "$.b", "k": "v"},
        "ResultPath": "$.a.out",
        "OutputPath": "$.a",
    }
    output, _ = run_pass(state, raw)
    assert output == {"b": [1, 2], "out": {"sum": [1, 2], "k": "v"}}
    assert raw == before
