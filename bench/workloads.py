"""Benchmark workloads: ASL definitions as Python data, with their expected results.

Each workload family is built for a size and a query language (``JSONPath`` or
``JSONata``) and carries everything needed to check a run was not broken:

- ``definition``: the state machine, as the dict ``engine.parse`` and moto take;
- ``input``: the execution input;
- ``expected_output``: the execution output of a successful run;
- ``expected_transitions``: the number of states entered (``*StateEntered``
  history events), which is the unit the benchmark reports ("transitions").

Families:

``choice_loop``
    A Pass state that adds one to a counter (``States.MathAdd`` in JSONPath, an
    ``Assign`` of ``$i + 1`` in JSONata) and a Choice state that loops back until
    the counter reaches ``size``: about two transitions per step.
``map_items``
    An inline Map over ``size`` items, each item going through one Pass state
    that transforms it.
``parallel_rounds``
    A Parallel state of three branches of three Pass states each, followed by a
    counter Pass and a Choice, looped ``size`` times (12 transitions per round).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

JSONPATH = "JSONPath"
JSONATA = "JSONata"
QUERY_LANGUAGES = (JSONPATH, JSONATA)

BRANCHES = 3
"""Number of branches of the Parallel state in ``parallel_rounds``."""


@dataclass(frozen=True)
class Workload:
    """One benchmark case: a definition, its input and what a correct run yields."""

    family: str
    query_language: str
    size: int
    definition: dict[str, Any]
    input: Any
    expected_output: Any
    expected_transitions: int

    @property
    def name(self) -> str:
        """Stable identifier such as ``choice_loop_jsonpath``."""
        return f"{self.family}_{self.query_language.lower()}"


def _lang(query_language: str) -> str:
    if query_language not in QUERY_LANGUAGES:
        raise ValueError(f"unknown query language {query_language!r}")
    return query_language


# --------------------------------------------------------------------------- choice loop


def choice_loop(size: int, query_language: str = JSONPATH) -> Workload:
    """A Pass/Choice loop that counts from 0 to ``size``."""
    if size < 1:
        raise ValueError("choice_loop needs size >= 1")
    if _lang(query_language) == JSONPATH:
        definition: dict[str, Any] = {
            "Comment": f"Count to {size} with a Pass/Choice loop (JSONPath)",
            "StartAt": "Increment",
            "States": {
                "Increment": {
                    "Type": "Pass",
                    "Parameters": {"i.$": "States.MathAdd($.i, 1)", "n.$": "$.n"},
                    "Next": "Check",
                },
                "Check": {
                    "Type": "Choice",
                    "Choices": [
                        {"Variable": "$.i", "NumericLessThanPath": "$.n", "Next": "Increment"}
                    ],
                    "Default": "Done",
                },
                "Done": {"Type": "Succeed"},
            },
        }
        return Workload(
            family="choice_loop",
            query_language=JSONPATH,
            size=size,
            definition=definition,
            input={"i": 0, "n": size},
            expected_output={"i": size, "n": size},
            # size x (Increment + Check) + Done
            expected_transitions=2 * size + 1,
        )
    definition = {
        "Comment": f"Count to {size} with a Pass/Choice loop (JSONata)",
        "QueryLanguage": JSONATA,
        "StartAt": "Init",
        "States": {
            "Init": {
                "Type": "Pass",
                "Assign": {"i": 0, "n": "{% $states.input.n %}"},
                "Next": "Increment",
            },
            "Increment": {
                "Type": "Pass",
                "Assign": {"i": "{% $i + 1 %}"},
                "Next": "Check",
            },
            "Check": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $i < $n %}", "Next": "Increment"}],
                "Default": "Done",
            },
            "Done": {
                "Type": "Succeed",
                "Output": {"i": "{% $i %}", "n": "{% $n %}"},
            },
        },
    }
    return Workload(
        family="choice_loop",
        query_language=JSONATA,
        size=size,
        definition=definition,
        input={"n": size},
        expected_output={"i": size, "n": size},
        # Init + size x (Increment + Check) + Done
        expected_transitions=2 * size + 2,
    )


# --------------------------------------------------------------------------- map


def map_items(size: int, query_language: str = JSONPATH) -> Workload:
    """An inline Map over ``size`` items, each transformed by one Pass state."""
    if size < 1:
        raise ValueError("map_items needs size >= 1")
    items = [{"id": k} for k in range(size)]
    expected = [{"id": k, "next": k + 1, "kind": "item"} for k in range(size)]
    if _lang(query_language) == JSONPATH:
        definition: dict[str, Any] = {
            "Comment": f"Inline Map over {size} items (JSONPath)",
            "StartAt": "EachItem",
            "States": {
                "EachItem": {
                    "Type": "Map",
                    "ItemsPath": "$.items",
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "INLINE"},
                        "StartAt": "Transform",
                        "States": {
                            "Transform": {
                                "Type": "Pass",
                                "Parameters": {
                                    "id.$": "$.id",
                                    "next.$": "States.MathAdd($.id, 1)",
                                    "kind": "item",
                                },
                                "End": True,
                            }
                        },
                    },
                    "End": True,
                }
            },
        }
    else:
        definition = {
            "Comment": f"Inline Map over {size} items (JSONata)",
            "QueryLanguage": JSONATA,
            "StartAt": "EachItem",
            "States": {
                "EachItem": {
                    "Type": "Map",
                    "Items": "{% $states.input.items %}",
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "INLINE"},
                        "StartAt": "Transform",
                        "States": {
                            "Transform": {
                                "Type": "Pass",
                                "Output": {
                                    "id": "{% $states.input.id %}",
                                    "next": "{% $states.input.id + 1 %}",
                                    "kind": "item",
                                },
                                "End": True,
                            }
                        },
                    },
                    "End": True,
                }
            },
        }
    return Workload(
        family="map_items",
        query_language=query_language,
        size=size,
        definition=definition,
        input={"items": items},
        expected_output=expected,
        # the Map state + one Pass per item
        expected_transitions=size + 1,
    )


# --------------------------------------------------------------------------- parallel


def _jsonpath_branch(k: int) -> dict[str, Any]:
    return {
        "StartAt": f"B{k}First",
        "States": {
            f"B{k}First": {
                "Type": "Pass",
                "Parameters": {"branch": k, "i.$": "$.i"},
                "Next": f"B{k}Second",
            },
            f"B{k}Second": {
                "Type": "Pass",
                "Parameters": {"branch.$": "$.branch", "i.$": "$.i", "step": 2},
                "Next": f"B{k}Third",
            },
            f"B{k}Third": {
                "Type": "Pass",
                "Parameters": {"branch.$": "$.branch", "sum.$": "States.MathAdd($.i, $.branch)"},
                "End": True,
            },
        },
    }


def _jsonata_branch(k: int) -> dict[str, Any]:
    return {
        "StartAt": f"B{k}First",
        "States": {
            f"B{k}First": {
                "Type": "Pass",
                "Output": {"branch": k, "i": "{% $states.input.i %}"},
                "Next": f"B{k}Second",
            },
            f"B{k}Second": {
                "Type": "Pass",
                "Output": {
                    "branch": "{% $states.input.branch %}",
                    "i": "{% $states.input.i %}",
                    "step": 2,
                },
                "Next": f"B{k}Third",
            },
            f"B{k}Third": {
                "Type": "Pass",
                "Output": {
                    "branch": "{% $states.input.branch %}",
                    "sum": "{% $states.input.i + $states.input.branch %}",
                },
                "End": True,
            },
        },
    }


def parallel_rounds(size: int, query_language: str = JSONPATH) -> Workload:
    """A Parallel of three three-Pass branches, run ``size`` times in a loop."""
    if size < 1:
        raise ValueError("parallel_rounds needs size >= 1")
    branch_range = range(1, BRANCHES + 1)
    # In the last round the counter entering the branches is size - 1.
    last = [{"branch": k, "sum": size - 1 + k} for k in branch_range]
    if _lang(query_language) == JSONPATH:
        definition: dict[str, Any] = {
            "Comment": f"{size} rounds of a three-branch Parallel (JSONPath)",
            "StartAt": "Round",
            "States": {
                "Round": {
                    "Type": "Parallel",
                    "Branches": [_jsonpath_branch(k) for k in branch_range],
                    "ResultPath": "$.last",
                    "Next": "Count",
                },
                "Count": {
                    "Type": "Pass",
                    "Parameters": {
                        "i.$": "States.MathAdd($.i, 1)",
                        "n.$": "$.n",
                        "last.$": "$.last",
                    },
                    "Next": "Check",
                },
                "Check": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.n", "Next": "Round"}],
                    "Default": "Done",
                },
                "Done": {"Type": "Succeed"},
            },
        }
        return Workload(
            family="parallel_rounds",
            query_language=JSONPATH,
            size=size,
            definition=definition,
            input={"i": 0, "n": size},
            expected_output={"i": size, "n": size, "last": last},
            # size x (Parallel + 3 x 3 Pass + Count + Check) + Done
            expected_transitions=size * (3 + 3 * BRANCHES) + 1,
        )
    definition = {
        "Comment": f"{size} rounds of a three-branch Parallel (JSONata)",
        "QueryLanguage": JSONATA,
        "StartAt": "Init",
        "States": {
            "Init": {
                "Type": "Pass",
                "Assign": {"i": 0, "n": "{% $states.input.n %}"},
                "Next": "Round",
            },
            "Round": {
                "Type": "Parallel",
                "Arguments": {"i": "{% $i %}"},
                "Branches": [_jsonata_branch(k) for k in branch_range],
                "Next": "Count",
            },
            "Count": {
                "Type": "Pass",
                "Assign": {"i": "{% $i + 1 %}"},
                "Next": "Check",
            },
            "Check": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $i < $n %}", "Next": "Round"}],
                "Default": "Done",
            },
            "Done": {
                "Type": "Succeed",
                "Output": {"i": "{% $i %}", "n": "{% $n %}", "last": "{% $states.input %}"},
            },
        },
    }
    return Workload(
        family="parallel_rounds",
        query_language=JSONATA,
        size=size,
        definition=definition,
        input={"n": size},
        expected_output={"i": size, "n": size, "last": last},
        # Init + size x (Parallel + 3 x 3 Pass + Count + Check) + Done
        expected_transitions=size * (3 + 3 * BRANCHES) + 2,
    )


# --------------------------------------------------------------------------- catalogue

FAMILIES: dict[str, Callable[[int, str], Workload]] = {
    "choice_loop": choice_loop,
    "map_items": map_items,
    "parallel_rounds": parallel_rounds,
}
"""Workload builders by family name, each called as ``builder(size, query_language)``."""

FULL_SIZES: dict[str, int] = {"choice_loop": 1000, "map_items": 1000, "parallel_rounds": 200}
"""Sizes of the real benchmark (1,000 loop steps, 1,000 Map items, 200 Parallel rounds)."""

QUICK_SIZES: dict[str, int] = {"choice_loop": 20, "map_items": 20, "parallel_rounds": 5}
"""Tiny sizes for ``--quick`` smoke runs and for the tests."""


def build(family: str, size: int, query_language: str) -> Workload:
    """Build one workload of ``family`` for ``size`` and ``query_language``."""
    return FAMILIES[family](size, query_language)


def all_workloads(sizes: dict[str, int]) -> list[Workload]:
    """Every family in JSONPath then JSONata, at the given sizes."""
    return [
        build(family, sizes[family], language)
        for language in QUERY_LANGUAGES
        for family in FAMILIES
    ]
