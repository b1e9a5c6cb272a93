"""Variables (Assign): scopes across Map/Parallel, when values apply, assignedVariables."""

from __future__ import annotations

from typing import Any

import pytest

import engine
from engine.diagnostics import Diagnostic
from engine.errors import DefinitionError

LAMBDA = "arn:aws:states:::lambda:invoke"


def run(definition: dict[str, Any], data: Any = None, **kw: Any) -> engine.ExecutionResult:
    return engine.run(engine.parse(definition), data, **kw)


def details(event: dict[str, Any]) -> dict[str, Any]:
    return next((v for k, v in event.items() if k.endswith("EventDetails")), {})


def exited(result: engine.ExecutionResult, name: str) -> list[dict[str, Any]]:
    return [
        details(e)
        for e in result.events
        if e["type"].endswith("StateExited") and details(e)["name"] == name
    ]


def test_assigned_variables_appear_in_state_exited() -> None:
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"x": 1, "y.$": "$.v"}, "Next": "B"},
            "B": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($x, $y)"}, "End": True},
        },
    }
    result = run(definition, {"v": 41})
    assert result.output == {"sum": 42}
    assert exited(result, "A") == [
        {"name": "A", "output": {"v": 41}, "assignedVariables": {"x": 1, "y": 41}}
    ]
    assert "assignedVariables" not in exited(result, "B")[0]


def test_inner_scope_reads_outer_variables() -> None:
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"outer": "o"}, "Next": "M"},
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "I",
                    "States": {
                        "I": {
                            "Type": "Pass",
                            "Parameters": {"o.$": "$outer", "v.$": "$"},
                            "End": True,
                        }
                    },
                },
                "ItemsPath": "$.items",
                "End": True,
            },
        },
    }
    result = run(definition, {"items": [1, 2]})
    assert result.output == [{"o": "o", "v": 1}, {"o": "o", "v": 2}]


def test_parallel_branch_reads_outer_variables() -> None:
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"greeting": "hi"}, "Next": "P"},
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "B",
                        "States": {
                            "B": {"Type": "Pass", "Parameters": {"g.$": "$greeting"}, "End": True}
                        },
                    }
                ],
                "End": True,
            },
        },
    }
    assert run(definition, {}).output == [{"g": "hi"}]


def test_map_iteration_assignments_are_not_visible_after_the_map() -> None:
    """Reading a variable of a Map iteration after the Map is rejected by validation
    (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html), so the
    machine never runs: the problem is reported with a pointer, not found at run time."""
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "I",
                    "States": {
                        "I": {
                            "Type": "Pass",
                            "Assign": {"inner": "{% $states.input %}"},
                            "End": True,
                        }
                    },
                },
                "Next": "After",
            },
            "After": {
                "Type": "Pass",
                "Output": {"exists": "{% $exists($inner) %}"},
                "End": True,
            },
        },
    }
    with pytest.raises(DefinitionError) as caught:
        run(definition, [1, 2])
    found = caught.value.diagnostics
    assert [(d.code, d.location) for d in found if isinstance(d, Diagnostic)] == [
        ("VARIABLE_NOT_IN_SCOPE", "/States/After/Output/exists")
    ]


def test_map_iterations_do_not_see_each_others_variables() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemProcessor": {
                    "StartAt": "Read",
                    "States": {
                        "Read": {
                            "Type": "Pass",
                            "Output": "{% $exists($mine) %}",
                            "Next": "Write",
                        },
                        "Write": {
                            "Type": "Pass",
                            "Assign": {"mine": "{% $states.input %}"},
                            "End": True,
                        },
                    },
                },
                "End": True,
            }
        },
    }
    result = run(definition, [1, 2, 3])
    assert result.output == [False, False, False]


def test_map_state_assign_is_visible_after_the_map() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
                "Assign": {"count": "{% $count($states.result) %}"},
                "Next": "After",
            },
            "After": {"Type": "Pass", "Output": "{% $count %}", "End": True},
        },
    }
    result = run(definition, [1, 2, 3])
    assert result.output == 3
    assert exited(result, "M")[0]["assignedVariables"] == {"count": 3}


def test_assign_and_output_see_variables_as_they_were_on_entry() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
            "B": {
                "Type": "Pass",
                "Assign": {"x": "{% $x + 1 %}", "old": "{% $x %}"},
                "Output": "{% $x %}",
                "Next": "C",
            },
            "C": {"Type": "Pass", "Output": "{% [$x, $old, $states.input] %}", "End": True},
        },
    }
    result = run(definition, {})
    assert result.output == [2, 1, 1]
    assert exited(result, "B")[0]["assignedVariables"] == {"x": 2, "old": 1}


def test_task_assign_with_jsonpath_reads_the_result() -> None:
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": LAMBDA,
                "ResultSelector": {"n.$": "$.value"},
                "Assign": {"picked.$": "$.n"},
                "ResultPath": None,
                "Next": "U",
            },
            "U": {"Type": "Pass", "Parameters": {"p.$": "$picked"}, "End": True},
        },
    }
    result = run(definition, {"in": 1}, mocks={"T": [{"Return": {"value": 5}}]})
    assert result.output == {"p": 5}
    assert exited(result, "T") == [
        {"name": "T", "output": {"in": 1}, "assignedVariables": {"picked": 5}}
    ]


def test_variables_survive_a_wait_and_a_retry() -> None:
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"token": "t-1"}, "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 60, "Next": "T"},
            "T": {
                "Type": "Task",
                "Resource": LAMBDA,
                "Parameters": {"token.$": "$token"},
                "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 1}],
                "End": True,
            },
        },
    }
    mocks = {"T": [{"Throw": {"Error": "E"}}, {"Return": "ok"}]}
    result = run(definition, {}, mocks=mocks)
    assert result.output == "ok"
    params = [details(e)["parameters"] for e in result.events if e["type"] == "TaskScheduled"]
    assert params == [{"token": "t-1"}, {"token": "t-1"}]
