"""Property tests of engine.validation: it never raises, and every location resolves.

Two sources of input: arbitrary JSON-like values (including non-string keys),
and mutations (drop, rename, retype, replace) of definitions AWS accepted
(the conformance corpus when present, a few built-in machines otherwise).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.diagnostics import Diagnostic
from engine.validation import CODES, validate, validate_text

CORPUS = next(
    (
        parent / "shared" / "conformance" / "aws-recorded.jsonl"
        for parent in Path(__file__).resolve().parents
        if (parent / "shared" / "conformance" / "aws-recorded.jsonl").exists()
    ),
    Path(__file__).resolve().parents[2] / ".." / "shared" / "conformance" / "aws-recorded.jsonl",
)

BUILT_IN: list[Any] = [
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"x": 1}, "End": True}}},
    {
        "QueryLanguage": "JSONata",
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $states.input.x > 1 %}", "Next": "M"}],
                "Default": "F",
            },
            "M": {
                "Type": "Map",
                "Items": "{% [1, 2] %}",
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}},
                "Next": "W",
            },
            "W": {"Type": "Wait", "Seconds": 1, "End": True},
            "F": {"Type": "Fail", "Error": "E"},
        },
    },
    {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"a.$": "$.a", "b.$": "States.Format('{}', $.b)"},
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "P"}],
                "Next": "P",
            },
            "P": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}],
                "End": True,
            },
        },
    },
]


def _seeds() -> list[Any]:
    if not CORPUS.exists():
        return BUILT_IN
    with CORPUS.open(encoding="utf-8") as handle:
        corpus = [json.loads(line)["definition"] for line in handle]
    return BUILT_IN + corpus[::7]


SEEDS = _seeds()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["$", "$.a", "$$.x", "{% 1 %}", "{% ( %}", "States.ALL", "Pass", "A", ""]),
    st.text(max_size=8),
)
keys = st.one_of(
    st.sampled_from(["Type", "Next", "End", "States", "StartAt", "Choices", "x.$", "Assign"]),
    st.text(max_size=6),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=25,
)
odd_keys = st.one_of(keys, st.integers(), st.booleans(), st.none())
odd_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(odd_keys, inner, max_size=3)
    ),
    max_leaves=15,
)


def resolve(document: Any, location: str) -> bool:
    """True when the JSON Pointer ``location`` names a value inside ``document``."""
    node = document
    for raw in location.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def check_diagnostics(document: Any, diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        assert d.code in CODES and d.code != "INTERNAL_ERROR", d
        assert d.message and d.severity in ("error", "warning")
        parent = d.location.rsplit("/", 1)[0] if d.location else ""
        assert resolve(document, d.location) or resolve(document, parent), d


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(json_values)
def test_any_json_value(value: Any) -> None:
    check_diagnostics(value, validate(value))


@FAST
@given(odd_values)
def test_values_with_non_string_keys(value: Any) -> None:
    check_diagnostics(value, validate(value))


@FAST
@given(st.dictionaries(keys, json_values, max_size=5), json_values)
def test_machines_with_garbage_states(top: dict[str, Any], states: Any) -> None:
    definition = {**top, "StartAt": "A", "States": {"A": states}}
    check_diagnostics(definition, validate(definition))


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _containers(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _containers(item, (*path, index))
    return [p for p in found if isinstance(_get(value, p[len(path) :]), (dict, list))]


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def _mutate(container: Any, data: st.DataObject) -> None:
    if isinstance(container, dict) and container:
        key = data.draw(st.sampled_from(sorted(container, key=str)))
        op = data.draw(st.sampled_from(["drop", "rename", "replace", "retype"]))
        if op == "drop":
            del container[key]
        elif op == "rename":
            container[data.draw(keys)] = container.pop(key)
        elif op == "replace":
            container[key] = data.draw(json_values)
        else:
            container[key] = data.draw(st.sampled_from([[], {}, 0, -1, 1.5, "x", None, True]))
    elif isinstance(container, list) and container:
        index = data.draw(st.integers(0, len(container) - 1))
        if data.draw(st.booleans()):
            del container[index]
        else:
            container[index] = data.draw(json_values)
    elif isinstance(container, dict):
        container[data.draw(keys)] = data.draw(json_values)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.data())
def test_mutated_valid_definitions(seed: Any, data: st.DataObject) -> None:
    definition = copy.deepcopy(seed)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _containers(definition)
        _mutate(_get(definition, data.draw(st.sampled_from(paths))), data)
    check_diagnostics(definition, validate(definition))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SEEDS), st.data())
def test_mutated_definitions_as_text_are_placed(seed: Any, data: st.DataObject) -> None:
    definition = copy.deepcopy(seed)
    _mutate(_get(definition, data.draw(st.sampled_from(_containers(definition)))), data)
    for d in validate_text(json.dumps(definition, indent=1)):
        assert d.line is not None and d.line >= 1 and d.column is not None and d.column >= 1, d


@FAST
@given(st.text(max_size=60))
def test_any_text(text: str) -> None:
    for d in validate_text(text):
        assert d.code in CODES and d.code != "INTERNAL_ERROR", d
