"""The guide's data-flow rules and worked examples, as one table of Task-state runs.

Each row: the page it comes from, the Task state's fields, the state input, what the
task returns, and the state's output. The task is mocked to return ``result``.
"""

from __future__ import annotations

from typing import Any

import pytest

import engine

LAMBDA = "arn:aws:states:::lambda:invoke"
DG = "https://docs.aws.amazon.com/step-functions/latest/dg/"
RESULTPATH = DG + "input-output-resultpath.html"
INPUTPATH = DG + "input-output-inputpath-params.html"
RESULTSELECTOR = DG + "input-output-inputpath-params.html#input-output-resultselector"
OUTPUTPATH = DG + "input-output-example.html"
JSONATA = DG + "transforming-data.html"
VARIABLES = DG + "workflow-variables.html"

GREETING = "Hello, AWS Step Functions!"
TUTORIAL_INPUT = {"comment": "A test.", "details": "Default example", "who": "AWS Step Functions"}

ROWS: list[tuple[str, dict[str, Any], Any, Any, Any]] = [
    # ResultPath absent or "$": the result replaces the input.
    (RESULTPATH, {}, TUTORIAL_INPUT, GREETING, GREETING),
    (RESULTPATH, {"ResultPath": "$"}, TUTORIAL_INPUT, GREETING, GREETING),
    # ResultPath "$.taskresult": the result is added to the input.
    (
        RESULTPATH,
        {"ResultPath": "$.taskresult"},
        TUTORIAL_INPUT,
        GREETING,
        {**TUTORIAL_INPUT, "taskresult": GREETING},
    ),
    # ResultPath into a child node.
    (
        RESULTPATH,
        {"ResultPath": "$.strings.lambdaresult"},
        {"comment": "c", "strings": {"string1": "foo"}},
        GREETING,
        {"comment": "c", "strings": {"string1": "foo", "lambdaresult": GREETING}},
    ),
    # ResultPath over an existing node replaces it.
    (
        RESULTPATH,
        {"ResultPath": "$.comment"},
        TUTORIAL_INPUT,
        GREETING,
        {**TUTORIAL_INPUT, "comment": GREETING},
    ),
    # ResultPath null: the input passes through, the result is discarded.
    (RESULTPATH, {"ResultPath": None}, {"a": 1}, GREETING, {"a": 1}),
    # InputPath selects part of the input; Parameters builds the effective input;
    # the output (ResultPath default) is the result.
    (INPUTPATH, {"InputPath": "$.lambda"}, {"lambda": {"x": 1}}, "r", "r"),
    # OutputPath selects part of the combined output.
    (
        OUTPUTPATH,
        {"ResultPath": "$.r", "OutputPath": "$.r.Payload"},
        {"in": 1},
        {"Payload": {"ok": True}, "StatusCode": 200},
        {"ok": True},
    ),
    # OutputPath null: the output is {}.
    (OUTPUTPATH, {"OutputPath": None}, {"a": 1}, "r", {}),
    # ResultSelector builds a new result from the raw one (paths and static values).
    (
        RESULTSELECTOR,
        {"ResultSelector": {"status.$": "$.StatusCode", "kind": "lambda"}},
        {},
        {"Payload": 1, "StatusCode": 200},
        {"status": 200, "kind": "lambda"},
    ),
    # ResultSelector, then ResultPath places the selected result into the input.
    (
        RESULTSELECTOR,
        {"ResultSelector": {"p.$": "$.Payload"}, "ResultPath": "$.out"},
        {"keep": True},
        {"Payload": 7},
        {"keep": True, "out": {"p": 7}},
    ),
]


def _run(fields: dict[str, Any], data: Any, result: Any) -> engine.ExecutionResult:
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": LAMBDA, "End": True, **fields}},
    }
    if any(k in fields for k in ("Arguments", "Output")):
        definition["QueryLanguage"] = "JSONata"
    return engine.run(engine.parse(definition), data, mocks={"T": [{"Return": result}]})


@pytest.mark.parametrize(("page", "fields", "data", "result", "output"), ROWS)
def test_jsonpath_processing(
    page: str, fields: dict[str, Any], data: Any, result: Any, output: Any
) -> None:
    outcome = _run(fields, data, result)
    assert outcome.status == "SUCCEEDED", (page, outcome.error, outcome.cause)
    assert outcome.output == output, page


def test_parameters_is_what_the_task_receives() -> None:
    # INPUTPATH: Parameters with static values, paths, the context object and an intrinsic.
    seen: list[Any] = []
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": LAMBDA,
                "InputPath": "$.order",
                "Parameters": {
                    "static": "x",
                    "id.$": "$.id",
                    "state.$": "$$.State.Name",
                    "label.$": "States.Format('order {}', $.id)",
                },
                "End": True,
            }
        },
    }

    def record(request: Any) -> Any:
        seen.append(request.input)
        return "ok"

    result = engine.run(engine.parse(definition), {"order": {"id": 42}}, mocks={"T": record})
    assert result.status == "SUCCEEDED"
    assert seen == [{"static": "x", "id": 42, "state": "T", "label": "order 42"}]


def test_missing_input_path_is_states_runtime() -> None:
    # https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
    outcome = _run({"InputPath": "$.nope"}, {"a": 1}, "r")
    assert (outcome.status, outcome.error) == ("FAILED", "States.Runtime")


def test_result_path_into_a_non_object_is_a_reference_path_conflict() -> None:
    # Recorded AWS behaviour: States.ReferencePathConflict (the ASL spec calls it
    # States.ResultPathMatchFailure); the recording wins.
    outcome = _run({"ResultPath": "$.a.b"}, {"a": "text"}, "r")
    assert (outcome.status, outcome.error) == ("FAILED", "States.ReferencePathConflict")


# ---- JSONata: Arguments, Output, Assign (JSONATA, VARIABLES) ---------------------------


def test_jsonata_arguments_output_and_assign() -> None:
    seen: list[Any] = []

    def record(request: Any) -> Any:
        seen.append(request.input)
        return {"Payload": {"n": 2}}

    definition: dict[str, Any] = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": LAMBDA,
                "Arguments": {"x": "{% $states.input.x + 1 %}"},
                "Assign": {"seen": "{% $states.result.Payload.n %}", "before": "{% $v %}"},
                "Output": "{% $states.result.Payload.n * 10 %}",
                "Next": "P",
            },
            "P": {"Type": "Pass", "Output": "{% [$states.input, $seen, $before] %}", "End": True},
        },
    }
    with_init = {
        "QueryLanguage": "JSONata",
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Assign": {"v": "first"}, "Next": "T"},
            **definition["States"],
        },
    }
    outcome = engine.run(engine.parse(with_init), {"x": 1}, mocks={"T": record})
    assert outcome.status == "SUCCEEDED", outcome.cause
    assert seen == [{"x": 2}]
    assert outcome.output == [20, 2, "first"]


def test_assign_sees_variables_as_they_were_on_entry() -> None:
    # VARIABLES: every expression in one Assign reads the values from before the state.
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
            "B": {
                "Type": "Pass",
                "Assign": {"x": "{% $x + 1 %}", "y": "{% $x %}"},
                "Output": "{% $x %}",
                "Next": "C",
            },
            "C": {"Type": "Pass", "Output": "{% [$states.input, $x, $y] %}", "End": True},
        },
    }
    outcome = engine.run(engine.parse(definition), {})
    assert outcome.output == [1, 2, 1]
