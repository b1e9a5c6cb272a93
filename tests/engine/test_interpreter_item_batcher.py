"""ItemBatcher: batch limits, BatchInput evaluation, ItemSelector before batching.

Rules from https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html
and the processing order in
https://docs.aws.amazon.com/step-functions/latest/dg/input-output-fields-dist-map.html
(ItemsPath/Items -> ItemSelector -> ItemBatcher).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.interpreter.items import _group
from engine.jsonvalue import to_json

ITEMBATCHER_URL = (
    "https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html"
)


def _map(batcher: dict[str, Any], jsonata: bool = False, **fields: Any) -> dict[str, Any]:
    state: dict[str, Any] = {
        "Type": "Map",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "End": True}},
        },
        "ItemBatcher": batcher,
        "End": True,
        **fields,
    }
    definition: dict[str, Any] = {"StartAt": "M", "States": {"M": state}}
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    return definition


def _run(definition: dict[str, Any], data: Any) -> engine.ExecutionResult:
    return engine.run(engine.parse(definition), data)


# Each row: ItemBatcher, input, expected output. (page: ITEMBATCHER_URL)
JSONPATH_CASES: list[tuple[dict[str, Any], Any, Any]] = [
    # MaxItemsPerBatch groups items, the last batch holds the rest.
    ({"MaxItemsPerBatch": 2}, [1, 2, 3], [{"Items": [1, 2]}, {"Items": [3]}]),
    # MaxItemsPerBatchPath reads the limit from the state input.
    (
        {"MaxItemsPerBatchPath": "$.n"},
        {"n": 3, "xs": [1, 2, 3, 4]},
        [{"Items": [1, 2, 3]}, {"Items": [4]}],
    ),
    # BatchInput with a path field: evaluated like Parameters, once, added to every batch.
    (
        {"MaxItemsPerBatch": 1, "BatchInput": {"factor.$": "$.f", "fixed": 1}},
        {"f": 10, "xs": [1, 2]},
        [
            {"Items": [1], "BatchInput": {"factor": 10, "fixed": 1}},
            {"Items": [2], "BatchInput": {"factor": 10, "fixed": 1}},
        ],
    ),
    # BatchInput may read the context object and call intrinsic functions.
    (
        {
            "MaxItemsPerBatch": 5,
            "BatchInput": {"s.$": "$$.State.Name", "n.$": "States.MathAdd(1, 2)"},
        },
        {"xs": [1]},
        [{"Items": [1], "BatchInput": {"s": "M", "n": 3}}],
    ),
    # MaxInputBytesPerBatch: a batch's JSON never grows past the limit (at least one item each).
    (
        {"MaxInputBytesPerBatch": 7},
        ["aa", "bb", "cc"],
        [{"Items": ["aa"]}, {"Items": ["bb"]}, {"Items": ["cc"]}],
    ),
]


@pytest.mark.parametrize(("batcher", "data", "expected"), JSONPATH_CASES)
def test_jsonpath_batches(batcher: dict[str, Any], data: Any, expected: Any) -> None:
    items_path: dict[str, Any] = {"ItemsPath": "$.xs"} if isinstance(data, dict) else {}
    result = _run(_map(batcher, **items_path), data)
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    assert result.output == expected


def test_item_selector_runs_on_each_item_before_batching() -> None:
    # page: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-fields-dist-map.html
    definition = _map(
        {"MaxItemsPerBatch": 2},
        ItemSelector={"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
    )
    result = _run(definition, ["a", "b", "c"])
    assert result.output == [
        {"Items": [{"v": "a", "i": 0}, {"v": "b", "i": 1}]},
        {"Items": [{"v": "c", "i": 2}]},
    ]


JSONATA_CASES: list[tuple[dict[str, Any], Any, Any]] = [
    # A JSONata expression in MaxItemsPerBatch is evaluated (it used to crash the CLI).
    (
        {"MaxItemsPerBatch": "{% $states.input.n %}"},
        {"n": 2, "xs": [1, 2, 3]},
        [{"Items": [1, 2]}, {"Items": [3]}],
    ),
    (
        {"MaxInputBytesPerBatch": "{% 7 %}"},
        {"xs": ["aa", "bb"]},
        [{"Items": ["aa"]}, {"Items": ["bb"]}],
    ),
    # BatchInput is a JSONata template.
    (
        {"MaxItemsPerBatch": 5, "BatchInput": {"k": "{% $states.input.n * 2 %}", "c": 1}},
        {"n": 4, "xs": [1]},
        [{"Items": [1], "BatchInput": {"k": 8, "c": 1}}],
    ),
]


@pytest.mark.parametrize(("batcher", "data", "expected"), JSONATA_CASES)
def test_jsonata_batches(batcher: dict[str, Any], data: Any, expected: Any) -> None:
    result = _run(_map(batcher, jsonata=True, Items="{% $states.input.xs %}"), data)
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    assert result.output == expected


# Invalid limits end the Map with an ASL error (JSONPath: States.Runtime; JSONata:
# States.QueryEvaluationError, per
# https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html error list).
BAD_LIMITS: list[tuple[dict[str, Any], bool, Any, str]] = [
    ({"MaxItemsPerBatchPath": "$.n"}, False, {"n": 0, "xs": [1]}, "States.Runtime"),
    ({"MaxItemsPerBatchPath": "$.n"}, False, {"n": "x", "xs": [1]}, "States.Runtime"),
    ({"MaxItemsPerBatchPath": "$.missing"}, False, {"xs": [1]}, "States.Runtime"),
    ({"MaxInputBytesPerBatchPath": "$.n"}, False, {"n": 300_000, "xs": [1]}, "States.Runtime"),
    ({"MaxItemsPerBatch": "{% 0 %}"}, True, {"xs": [1]}, "States.QueryEvaluationError"),
    ({"MaxItemsPerBatch": "{% 'two' %}"}, True, {"xs": [1]}, "States.QueryEvaluationError"),
    ({"MaxItemsPerBatch": "{% 1.5 %}"}, True, {"xs": [1]}, "States.QueryEvaluationError"),
    ({"MaxInputBytesPerBatch": "{% -1 %}"}, True, {"xs": [1]}, "States.QueryEvaluationError"),
]


@pytest.mark.parametrize(("batcher", "jsonata", "data", "error"), BAD_LIMITS)
def test_invalid_batch_limits_fail_with_an_asl_error(
    batcher: dict[str, Any], jsonata: bool, data: Any, error: str
) -> None:
    fields: dict[str, Any] = (
        {"Items": "{% $states.input.xs %}"} if jsonata else {"ItemsPath": "$.xs"}
    )
    result = _run(_map(batcher, jsonata=jsonata, **fields), data)
    assert (result.status, result.error) == ("FAILED", error), result.cause
    assert result.cause
    if jsonata:  # located like 'Output/a': the field inside ItemBatcher
        failed = next(e for e in result.events if e["type"] == "EvaluationFailed")
        location = failed["evaluationFailedEventDetails"]["location"]
        assert location == "ItemBatcher/" + next(iter(batcher))


def test_cli_runs_a_jsonata_batch_limit(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from engine.cli import main

    path = tmp_path / "m.json"
    path.write_text(
        json.dumps(_map({"MaxItemsPerBatch": "{% 2 %}"}, jsonata=True, Items="{% [1,2,3] %}"))
    )
    code = main(["run", str(path), "--input", "{}"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert '"Items"' in out


@settings(max_examples=60, deadline=None)
@given(
    items=st.lists(st.one_of(st.integers(), st.text(max_size=8)), max_size=12),
    size=st.one_of(st.none(), st.integers(min_value=1, max_value=4)),
    max_bytes=st.one_of(st.none(), st.integers(min_value=1, max_value=40)),
)
def test_batches_keep_order_and_respect_both_limits(
    items: list[Any], size: int | None, max_bytes: int | None
) -> None:
    # ITEMBATCHER_URL: with both limits set, a batch stops at whichever is reached first.
    batches = _group(items, size, max_bytes)
    assert [item for batch in batches for item in batch] == items
    for batch in batches:
        assert batch
        assert size is None or len(batch) <= size
        assert max_bytes is None or len(batch) == 1 or len(to_json(batch).encode()) <= max_bytes
