"""Hypothesis strategies for state machine definitions and inputs, both query languages.

The definitions are mostly valid (so that they run) but carry values AWS only
checks at run time: paths that miss, numbers out of range or of the wrong type,
JSONata expressions that fail, intrinsic functions with odd arguments,
timestamps in every shape.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

LAMBDA = "arn:aws:states:::lambda:invoke"

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**4), max_value=10**4),
    st.sampled_from([0, -1, 1, 1.5, -2.5, 2**31, 2**63, 10**20, 1e300, 0.1]),
    st.text(max_size=6),
    st.sampled_from(["2016-03-14T01:59:00Z", "1", "a,b", "{}", "[1]", "true"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from("abxyz"), inner, max_size=4)
    ),
    max_leaves=8,
)

PATHS = ["$", "$.a", "$.b", "$.a[0]", "$.a[1].b", "$.x.y", "$$.Execution.Input", "$$.State.Name"]
PATHS += ["$$.Map.Item.Index", "$$.Map.Item.Value", "$.a[*]", "$..a", "$.a[?(@.b > 1)]", "$.s"]
PATHS += ["$$.State.RetryCount", "$.n", "$.ts", "$.a[-1:]"]
REFERENCE_PATHS = ["$", "$.a", "$.b", "$.a.b", "$.x[0]", "$.r"]
INTRINSICS = [
    "States.MathAdd($.n, 1)",
    "States.MathAdd(1.5, 2)",
    "States.MathAdd($.a, $.n)",
    "States.ArrayRange(1, $.n, 2)",
    "States.ArrayRange(1, 3.5, 1.2)",
    "States.ArrayGetItem($.a, $.n)",
    "States.ArrayGetItem($.a, 0.5)",
    "States.ArrayPartition($.a, $.n)",
    "States.ArrayLength($.a)",
    "States.ArrayContains($.a, $.n)",
    "States.ArrayUnique($.a)",
    "States.Array($.a, $.n)",
    "States.MathRandom($.n, 10)",
    "States.MathRandom(1.5, 3.9)",
    "States.StringSplit($.s, ',')",
    "States.StringToJson($.s)",
    "States.JsonToString($)",
    "States.JsonMerge($.a, $.b, false)",
    "States.Format('x{}y{}', $.n, $.a)",
    "States.Format($.s, 1)",
    "States.Base64Encode($.s)",
    "States.Base64Decode($.s)",
    "States.Hash($.s, 'SHA-256')",
    "States.Hash($.s, $.s)",
    "States.UUID()",
]
JSONATA = [
    "$states.input",
    "$states.input.a",
    "$states.input.n",
    "$states.input.n + 1",
    "$states.context.State.Name",
    "$states.context.Map.Item.Value",
    "$x",
    "$undefinedvar",
    "1/0",
    "-5",
    "1.5",
    "0",
    "99999999999",
    "'text'",
    "null",
    "[1, 2, 3]",
    "{'k': 1}",
    "$number('x')",
    "$states.input.ts",
    "'2016-03-14T01:59:00Z'",
    "$string($states.input)",
    "$count($states.input.a)",
    "$error('boom')",
    "$states.input.a[0].b",
    "$partition([1,2,3], 2)",
    "$random()",
    "$sum($states.input.a)",
    "$states.input.a ~> $map(function($v){$v})",
]
TIMESTAMPS = [
    "2016-03-14T01:59:00Z",
    "2016-03-14T01:59:00.123Z",
    "2016-03-14T01:59:00.123456789+05:30",
    "2016-03-14T01:59:00-08:00",
    "2016-03-14T01:59:00",
    "2016-03-14",
    "2016-13-14T01:59:00Z",
    "2016-03-14t01:59:00z",
    "1999-12-31T23:59:60Z",
    "not a time",
    "",
]

jsonata_strings = st.sampled_from(JSONATA).map(lambda text: "{% " + text + " %}")


def payload(depth: int = 0) -> st.SearchStrategy[Any]:
    """A JSONPath payload template: plain values, ``.$`` paths and intrinsic calls."""
    leaf = st.one_of(
        st.tuples(st.sampled_from("abc"), json_values),
        st.tuples(st.sampled_from(["a.$", "b.$", "c.$"]), st.sampled_from(PATHS + INTRINSICS)),
    )
    if depth < 1:
        leaf = st.one_of(leaf, st.tuples(st.just("nested"), st.deferred(lambda: payload(1))))
    return st.lists(leaf, max_size=3).map(dict)


def jsonata_template() -> st.SearchStrategy[Any]:
    return st.one_of(
        jsonata_strings,
        json_values,
        st.dictionaries(
            st.sampled_from("abc"), st.one_of(jsonata_strings, json_values), max_size=3
        ),
    )


def number_field(
    jsonata: bool, name: str, with_path: bool = True, minimum: int = 0
) -> st.SearchStrategy[dict[str, Any]]:
    """``{Name: n}``, ``{NamePath: path}`` or ``{Name: "{% ... %}"}``."""
    literal = st.integers(min_value=minimum, max_value=5).map(lambda n: {name: n})
    if jsonata:
        return st.one_of(literal, jsonata_strings.map(lambda e: {name: e}))
    if not with_path:
        return literal
    return st.one_of(literal, st.sampled_from(PATHS).map(lambda p: {name + "Path": p}))


def _jsonpath_io(draw: Any, state_type: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if draw(st.booleans()):
        fields["InputPath"] = draw(st.sampled_from(PATHS))
    if draw(st.booleans()):
        fields["OutputPath"] = draw(st.sampled_from(PATHS))
    if state_type in ("Pass", "Task", "Parallel", "Map") and draw(st.booleans()):
        fields["ResultPath"] = draw(st.sampled_from(REFERENCE_PATHS))
    if state_type in ("Task", "Parallel", "Map") and draw(st.booleans()):
        fields["ResultSelector"] = draw(payload())
    if state_type in ("Pass", "Task", "Parallel") and draw(st.booleans()):
        fields["Parameters"] = draw(payload())
    if draw(st.booleans()):
        fields["Assign"] = {"x": draw(st.sampled_from([*PATHS, *INTRINSICS, 1]))}
    return fields


def _jsonata_io(draw: Any, state_type: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if draw(st.booleans()):
        fields["Output"] = draw(jsonata_template())
    if state_type in ("Task", "Parallel") and draw(st.booleans()):
        fields["Arguments"] = draw(jsonata_template())
    if draw(st.booleans()):
        fields["Assign"] = {"x": draw(jsonata_template())}
    return fields


@st.composite
def wait_state(draw: Any, jsonata: bool) -> dict[str, Any]:
    kind = draw(st.sampled_from(["Seconds", "Timestamp"]))
    if kind == "Seconds":
        seconds: dict[str, Any] = draw(number_field(jsonata, "Seconds"))
        return seconds
    if jsonata:
        return {"Timestamp": draw(st.one_of(st.sampled_from(TIMESTAMPS[:4]), jsonata_strings))}
    timestamp: dict[str, Any] = draw(
        st.one_of(
            st.sampled_from(TIMESTAMPS[:4]).map(lambda t: {"Timestamp": t}),
            st.sampled_from(["$.ts", "$.n", "$.missing"]).map(lambda p: {"TimestampPath": p}),
        )
    )
    return timestamp


@st.composite
def map_fields(draw: Any, jsonata: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if jsonata:
        if draw(st.booleans()):
            fields["Items"] = draw(st.one_of(jsonata_strings, st.just("{% $states.input.a %}")))
        if draw(st.booleans()):
            fields["ItemSelector"] = draw(jsonata_template())
    else:
        if draw(st.booleans()):
            fields["ItemsPath"] = draw(st.sampled_from(["$.a", "$.b", "$", "$.n"]))
        if draw(st.booleans()):
            fields["ItemSelector"] = draw(payload())
    for name in ("MaxConcurrency", "ToleratedFailureCount", "ToleratedFailurePercentage"):
        if draw(st.booleans()):
            fields.update(draw(number_field(jsonata, name)))
    if draw(st.booleans()):
        batcher = draw(number_field(jsonata, "MaxItemsPerBatch"))
        if draw(st.booleans()):
            batcher["BatchInput"] = draw(jsonata_template() if jsonata else payload())
        fields["ItemBatcher"] = batcher
        config = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
        fields["ItemProcessor"] = {"ProcessorConfig": config}
    return fields


@st.composite
def states(draw: Any, jsonata: bool, depth: int = 0, prefix: str = "S") -> dict[str, Any]:
    """A chain of 1-3 states S0 -> S1 -> ... ending in the last one (names unique)."""
    count = draw(st.integers(min_value=1, max_value=3))
    kinds = ["Pass", "Task", "Wait", "Fail", "Succeed", "Choice"]
    if depth == 0:
        kinds += ["Map", "Parallel"]
    out: dict[str, Any] = {}
    for index in range(count):
        state_type = draw(st.sampled_from(kinds))
        last = index == count - 1
        name = f"{prefix}{index}"
        state = _state(draw, state_type, jsonata, depth, name)
        if state_type == "Choice":
            state["Default"] = f"{prefix}{index + 1}" if not last else f"{prefix}End"
            state["Choices"][0]["Next"] = f"{prefix}End"
            out.setdefault(f"{prefix}End", {"Type": "Succeed"})
        elif state_type not in ("Fail", "Succeed"):
            ending: dict[str, Any] = {"End": True} if last else {"Next": f"{prefix}{index + 1}"}
            state.update(ending)
        out[name] = state
        if state_type in ("Fail", "Succeed"):
            break
    return out


def _state(draw: Any, state_type: str, jsonata: bool, depth: int, name: str) -> dict[str, Any]:
    state: dict[str, Any] = {"Type": state_type}
    if state_type == "Fail":
        if jsonata:
            state.update({"Error": draw(st.one_of(st.just("E"), jsonata_strings))})
        else:
            state.update(draw(st.sampled_from([{"Error": "E"}, {"ErrorPath": "$.s"}, {}])))
        return state
    if state_type == "Succeed":
        return state
    state.update(_jsonata_io(draw, state_type) if jsonata else _jsonpath_io(draw, state_type))
    if state_type == "Pass" and not jsonata and draw(st.booleans()):
        state.pop("Parameters", None)
        state["Result"] = draw(json_values)
    if state_type == "Task":
        state["Resource"] = LAMBDA
        field = draw(st.sampled_from(["", "TimeoutSeconds", "HeartbeatSeconds"]))
        if field:
            state.update(draw(number_field(jsonata, field, minimum=1)))
        if draw(st.booleans()):
            state["Retry"] = [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}]
        if depth == 0 and draw(st.booleans()):
            state["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]
    if state_type == "Wait":
        state.update(draw(wait_state(jsonata)))
    if state_type == "Choice":
        condition: dict[str, Any] = (
            {"Condition": draw(jsonata_strings)}
            if jsonata
            else {"Variable": draw(st.sampled_from(PATHS)), "NumericGreaterThan": 1}
        )
        state["Choices"] = [{**condition, "Next": ""}]
    if state_type == "Parallel":
        branch = draw(states(jsonata, depth + 1, f"{name}b"))
        state["Branches"] = [{"StartAt": f"{name}b0", "States": branch}]
    if state_type == "Map":
        extra = draw(map_fields(jsonata))
        body = draw(states(jsonata, depth + 1, f"{name}m"))
        processor: dict[str, Any] = {"StartAt": f"{name}m0", "States": body}
        processor.update(extra.pop("ItemProcessor", {}))
        state.update(extra)
        state["ItemProcessor"] = processor
    return state


@st.composite
def definitions(draw: Any) -> dict[str, Any]:
    jsonata = draw(st.booleans())
    body = draw(states(jsonata))
    if any("Catch" in state for state in body.values()):
        body["Caught"] = {"Type": "Pass", "End": True}
    definition: dict[str, Any] = {"StartAt": "S0", "States": body}
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    return definition


inputs = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "a": st.one_of(st.lists(json_values, max_size=4), json_values),
            "n": st.one_of(st.integers(min_value=-3, max_value=5), scalars),
            "s": st.one_of(st.sampled_from(["a,b", '{"k": 1}', "aGk=", "x"]), scalars),
            "ts": st.sampled_from(TIMESTAMPS),
        },
        optional={"b": json_values},
    ),
)

task_results = st.one_of(
    json_values.map(lambda v: {"Return": v}),
    st.sampled_from(["E", "States.Timeout", "States.TaskFailed"]).map(
        lambda e: {"Throw": {"Error": e, "Cause": "c"}}
    ),
)
