"""Property tests of engine.validation over generated state machines.

``machines()`` builds definitions that are valid by construction (every rule
of the guide pages in test_validation_guide.py respected: a terminal state on
every path's end, well-formed Resource ARNs, distributed blocks only on
Distributed Maps, variable names unique across nested scopes, ``$states``
fields only where they exist). Properties: a generated machine has no error;
a mutated one never makes ``validate`` raise, and every diagnostic has a
known code and a pointer that resolves in the definition (or its parent, for
a missing key); a key repeated in the text is reported at its pointer.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.validation import validate, validate_text
from tests.engine.test_validation_fuzz import _containers, _get, _mutate, check_diagnostics

RESOURCES = [
    "arn:aws:states:::lambda:invoke",
    "arn:aws:states:::http:invoke",
    "arn:aws:states:::states:startExecution.sync:2",
    "arn:aws:states:::aws-sdk:dynamodb:getItem",
    "arn:aws:states:us-east-1:123456789012:activity:work",
    "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST",
]


class _Names:
    """Fresh state and variable names, unique in the whole machine."""

    def __init__(self) -> None:
        self.count = 0

    def fresh(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"


def _assign(draw: st.DrawFn, names: _Names, jsonata: bool, result: bool) -> dict[str, Any]:
    value = "{% $states.result %}" if jsonata and result else "{% $states.input %}"
    if not jsonata:
        value = "$"
    key = names.fresh("v")
    return {key: value} if jsonata else {key + ".$": value}


def _state(
    draw: st.DrawFn, names: _Names, jsonata: bool, nxt: str | None, later: list[str], depth: int
) -> dict[str, Any]:
    kinds = ["Pass", "Wait", "Task", "Succeed", "Fail"]
    if later:
        kinds.append("Choice")
    if depth < 2:
        kinds += ["Parallel", "Map"]
    kind = draw(st.sampled_from(kinds))
    if kind in ("Succeed", "Fail"):
        return {"Type": kind}
    if kind == "Choice":
        target = draw(st.sampled_from(later))
        rule: dict[str, Any] = (
            {"Condition": "{% $states.input.x > 1 %}", "Next": target}
            if jsonata
            else {"Variable": "$.x", "NumericGreaterThan": 1, "Next": target}
        )
        return {"Type": "Choice", "Choices": [rule], "Default": draw(st.sampled_from(later))}
    state: dict[str, Any] = {"Type": kind}
    if nxt:
        state["Next"] = nxt
    else:
        state["End"] = True
    if kind == "Wait":
        state["Seconds"] = draw(st.integers(0, 5))
    if kind == "Task":
        state["Resource"] = draw(st.sampled_from(RESOURCES))
        catches: bool = draw(st.booleans())
        if later and catches:
            state["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": draw(st.sampled_from(later))}]
    if kind == "Parallel":
        count = draw(st.integers(1, 2))
        state["Branches"] = [draw(_scope(names, jsonata, depth + 1)) for _ in range(count)]
    if kind == "Map":
        state["ItemProcessor"] = draw(_scope(names, jsonata, depth + 1))
        if draw(st.booleans()):
            state["ItemProcessor"]["ProcessorConfig"] = {
                "Mode": "DISTRIBUTED",
                "ExecutionType": "STANDARD",
            }
            state["ItemBatcher"] = {"MaxItemsPerBatch": draw(st.integers(1, 10))}
            state["ResultWriter"] = {"WriterConfig": {"OutputType": "JSON"}}
    if draw(st.booleans()):
        state["Assign"] = _assign(draw, names, jsonata, kind in ("Task", "Parallel", "Map"))
    return state


@st.composite
def _scope(draw: st.DrawFn, names: _Names, jsonata: bool, depth: int) -> dict[str, Any]:
    order = [names.fresh("S") for _ in range(draw(st.integers(1, 4)))]
    states: dict[str, Any] = {}
    for index, name in enumerate(order):
        later = order[index + 1 :]
        nxt = later[0] if later else None
        states[name] = _state(draw, names, jsonata, nxt, later, depth)
    _reach_everything(order, states)
    return {"StartAt": order[0], "States": states}


def _reach_everything(order: list[str], states: dict[str, Any]) -> None:
    """Keep only the states reachable from the first (a terminal cut the chain short)."""
    reached, queue = {order[0]}, [order[0]]
    while queue:
        state = states[queue.pop()]
        targets = [state.get("Next"), state.get("Default")]
        targets += [r["Next"] for r in state.get("Choices", []) + state.get("Catch", [])]
        for target in targets:
            if isinstance(target, str) and target not in reached:
                reached.add(target)
                queue.append(target)
    for name in order:
        if name not in reached:
            del states[name]


@st.composite
def machines(draw: st.DrawFn) -> dict[str, Any]:
    jsonata = draw(st.booleans())
    definition = draw(_scope(_Names(), jsonata, 0))
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    return definition


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(machines())
def test_generated_machines_are_valid(definition: dict[str, Any]) -> None:
    problems = [str(d) for d in validate(definition) if d.severity == "error"]
    assert problems == [], json.dumps(definition)


@SETTINGS
@given(machines(), st.data())
def test_mutated_machines_never_raise_and_point_inside(
    definition: dict[str, Any], data: st.DataObject
) -> None:
    mutated = copy.deepcopy(definition)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _containers(mutated)
        _mutate(_get(mutated, data.draw(st.sampled_from(paths))), data)
    check_diagnostics(mutated, validate(mutated))


@SETTINGS
@given(machines(), st.data())
def test_a_repeated_key_is_reported_at_its_pointer(
    definition: dict[str, Any], data: st.DataObject
) -> None:
    objects = [p for p in _containers(definition) if isinstance(_get(definition, p), dict)]
    path = data.draw(st.sampled_from([p for p in objects if _get(definition, p)]))
    key = data.draw(st.sampled_from(sorted(_get(definition, path))))
    marker = "__repeat_here__"
    _get(definition, path)[marker] = None
    text = json.dumps(definition).replace(
        json.dumps(marker) + ": null",
        json.dumps(key) + ": " + json.dumps(_get(definition, path)[key]),
    )
    location = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in (*path, key))
    found = [(d.code, d.location) for d in validate_text(text)]
    assert ("DUPLICATE_KEY", location) in found
