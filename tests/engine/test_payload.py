"""engine.payload: ``.$`` templates for Parameters, ResultSelector, ItemSelector, Assign."""

from __future__ import annotations

import copy
import importlib.util
import sys
import types
from typing import Any

import pytest

from engine.errors import ExpressionSyntaxError, StatesError
from engine.payload import NULL_INPUT_CAUSE, compile_payload
from engine.scope import Scope

HAS_INTRINSICS = importlib.util.find_spec("engine.intrinsics") is not None


def evaluate(template: Any, document: Any, **scope: Any) -> Any:
    return compile_payload(template, "Parameters").evaluate(Scope(input=document, **scope))


def failure(template: Any, document: Any, **scope: Any) -> StatesError:
    with pytest.raises(StatesError) as caught:
        evaluate(template, document, **scope)
    return caught.value


# ------------------------------------------------------------- recorded on AWS


def test_recorded_filter_in_parameters() -> None:
    # base/test_base.py::TestSnfBase::test_state_pass_regex_json_path_base
    template = {"FromInput.$": "$.users[?(@.status == 0)]"}
    document = {"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]}
    assert evaluate(template, document) == {"FromInput": [{"year": 1997, "status": 0}]}


@pytest.mark.parametrize(("path", "index"), [("$.items[0]", 0), ("$.items[10]", 10)])
def test_recorded_array_access(path: str, index: int) -> None:
    # base/test_base.py::TestSnfBase::test_json_path_array_access
    document = {"items": [{"item_key": i} for i in range(11)]}
    assert evaluate({"item.$": path}, document) == {"item": {"item_key": index}}


@pytest.mark.parametrize(
    "path", ["$[*]", "$.items[*]", "$.items[:1]", "$.item.items[1:5].itemValue"]
)
def test_recorded_wildcards_and_slices_on_empty_input(path: str) -> None:
    # base/test_base.py::TestSnfBase::test_json_path_array_wildcard_or_slice_with_no_input
    assert evaluate({"item.$": path}, {}) == {"item": []}


def test_recorded_item_selector_with_context_and_dashes() -> None:
    # scenarios/test_base_scenarios.py::TestBaseScenarios::test_map_state_item_selector_singleton
    template = {
        "original_input.$": "$",
        "iteration_input_value.$": "$$.Map.Item.Value",
        "iteration_index.$": "$$.Map.Item.Index",
        "from_input_constant.$": "$.delivery-partner",
        "constant_value": "HelloWorld",
    }
    document = {"delivery-partner": "UQS", "shipped": ["A", "B", "C"]}
    context = {"Map": {"Item": {"Index": 1, "Value": "B"}}}
    assert evaluate(template, document, context=context) == {
        "constant_value": "HelloWorld",
        "iteration_input_value": "B",
        "from_input_constant": "UQS",
        "iteration_index": 1,
        "original_input": document,
    }


def test_recorded_variable_reference_and_literal_dollar_strings() -> None:
    # assign/...::test_reference_assign[BASE_REFERENCE_IN_PARAMETERS]: a plain key keeps "$result".
    assert evaluate({"result": "$result"}, {}) == {"result": "$result"}
    assert evaluate({"result.$": "$result"}, {}, variables={"result": "foobar"}) == {
        "result": "foobar"
    }


def test_recorded_comment_keys_are_ordinary_fields() -> None:
    # comments/test_comments.py::TestComments::test_comment_in_parameters
    template = {"Comment": "Comment text", "comment": "comment text", "constant": "constant text"}
    assert evaluate(template, {}) == template


def test_missing_path_cause_matches_awss_wording() -> None:
    # Seen on AWS: "The JSONPath '$.application.address' specified for the field
    # 'address.$' could not be found in the input '{\"flagged\":false}'"
    error = failure({"address.$": "$.application.address"}, {"flagged": False})
    assert error.error == "States.Runtime"
    assert error.cause == (
        "The JSONPath '$.application.address' specified for the field 'address.$' "
        "could not be found in the input '{\"flagged\":false}'"
    )


def test_null_input_cause_matches_awss_wording() -> None:
    error = failure({"Input.$": "$"}, None)
    assert (error.error, error.cause) == ("States.Runtime", NULL_INPUT_CAUSE)
    assert NULL_INPUT_CAUSE == "Unable to apply Path transformation to null or empty input."


# ------------------------------------------------------------------- behaviour


def test_constant_templates_are_returned_shared_without_work() -> None:
    template = {"a": [1, {"b": None}], "c": "$.not.a.path", "d": {}}
    payload = compile_payload(template, "Parameters")
    assert payload.is_constant
    assert payload.evaluate(Scope(input={})) is template
    assert compile_payload([], "ItemSelector").evaluate(Scope(input=1)) == []
    assert compile_payload(None, "Parameters").evaluate(Scope(input=1)) is None


def test_constant_subtrees_are_shared_inside_dynamic_templates() -> None:
    fixed = {"deep": [1, 2]}
    result = evaluate({"fixed": fixed, "x.$": "$.x"}, {"x": 1})
    assert result == {"fixed": {"deep": [1, 2]}, "x": 1}
    assert result["fixed"] is fixed


def test_dollar_keys_work_at_any_depth_including_arrays() -> None:
    template = {"outer": {"list": [{"v.$": "$.a"}, "lit", [{"w.$": "$$.Id"}]]}}
    result = evaluate(template, {"a": [1]}, context={"Id": "ctx"})
    assert result == {"outer": {"list": [{"v": [1]}, "lit", [{"w": "ctx"}]]}}


def test_unicode_keys_and_keys_with_dots_and_spaces() -> None:
    template = {"名前.$": "$['a b']", "x.y.$": "$.ключ", "plain.key": 1}
    document = {"a b": "spaced", "ключ": "значение"}
    assert evaluate(template, document) == {"名前": "spaced", "x.y": "значение", "plain.key": 1}


def test_null_values_are_kept_and_missing_ones_fail() -> None:
    assert evaluate({"v.$": "$.a"}, {"a": None}) == {"v": None}
    assert failure({"v.$": "$.a"}, {"b": 1}).error == "States.Runtime"


def test_paths_read_context_and_variables() -> None:
    template = {"id.$": "$$.Execution.Id", "total.$": "$order.total", "all.$": "$order"}
    order = {"total": 12.5}
    result = evaluate(
        template, {}, context={"Execution": {"Id": "arn"}}, variables={"order": order}
    )
    assert result == {"id": "arn", "total": 12.5, "all": order}


def test_missing_context_or_variable_path_is_a_runtime_error() -> None:
    error = failure({"x.$": "$$.Execution.Nope"}, {"a": 1}, context={"Execution": {}})
    assert error.cause == (
        "The JSONPath '$$.Execution.Nope' specified for the field 'x.$' could not be found "
        "in the input '{\"a\":1}'"
    )
    assert failure({"x.$": "$undefined"}, {}).error == "States.Runtime"


def test_context_and_variables_still_work_with_a_null_input() -> None:
    assert evaluate(
        {"id.$": "$$.Id", "v.$": "$v"}, None, context={"Id": 1}, variables={"v": 2}
    ) == {
        "id": 1,
        "v": 2,
    }


def test_evaluation_never_mutates_the_input_or_the_template() -> None:
    document = {"a": {"b": [1, 2]}}
    template = {"x.$": "$.a", "y": {"z.$": "$.a.b"}}
    before_document, before_template = copy.deepcopy(document), copy.deepcopy(template)
    evaluate(template, document)
    assert (document, template) == (before_document, before_template)


def test_the_field_name_is_kept() -> None:
    assert compile_payload({}, "ResultSelector").field == "ResultSelector"


# -------------------------------------------------------------- compile errors


@pytest.mark.parametrize(
    ("template", "fragment"),
    [
        ({"a.$": 5}, "Parameters/a.$"),
        ({"a.$": None}, "not null"),
        ({"a.$": "plain text"}, "neither a path"),
        ({"a.$": "$.a["}, "Parameters/a.$"),
        ({"outer": [{"a.$": "$$.x y"}]}, "Parameters/outer[0]/a.$"),
        ({"a": 1, "a.$": "$.a"}, "given twice"),
    ],
)
def test_bad_templates_raise_syntax_errors_naming_the_field(template: Any, fragment: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        compile_payload(template, "Parameters")
    assert fragment in caught.value.message


# ------------------------------------------------------------------ intrinsics


class _FakeIntrinsic:
    def __init__(self, text: str) -> None:
        self.text = text

    def evaluate(self, scope: Scope) -> Any:
        return f"called {self.text} with {scope.input['name']}"


def _fake_module() -> types.ModuleType:
    module = types.ModuleType("engine.intrinsics")
    module.is_intrinsic = lambda text: isinstance(text, str) and text.startswith("States.")  # type: ignore[attr-defined]
    module.compile_intrinsic = _FakeIntrinsic  # type: ignore[attr-defined]
    return module


def test_intrinsic_calls_are_delegated_to_engine_intrinsics(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "engine.intrinsics", _fake_module())
    result = evaluate({"greeting.$": "States.Format('Hi {}', $.name)"}, {"name": "Ada"})
    assert result == {"greeting": "called States.Format('Hi {}', $.name) with Ada"}


@pytest.mark.skipif(not HAS_INTRINSICS, reason="engine.intrinsics is not written yet")
def test_real_intrinsics_integration() -> None:
    template = {
        "greeting.$": "States.Format('Hello, {}!', $.name)",
        "n.$": "States.ArrayLength($.xs)",
    }
    assert evaluate(template, {"name": "Ada", "xs": [1, 2]}) == {"greeting": "Hello, Ada!", "n": 2}


@pytest.mark.skipif(not HAS_INTRINSICS, reason="engine.intrinsics is not written yet")
def test_real_intrinsic_with_a_missing_path_reports_the_field() -> None:
    error = failure({"g.$": "States.Format('{}', $.nope)"}, {"a": 1})
    assert error.error == "States.Runtime"
    assert "'$.nope' specified for the field 'g.$'" in (error.cause or "")


@pytest.mark.skipif(not HAS_INTRINSICS, reason="engine.intrinsics is not written yet")
def test_real_intrinsic_syntax_errors_name_the_field() -> None:
    with pytest.raises(ExpressionSyntaxError, match=r"Parameters/g\.\$"):
        compile_payload({"g.$": "States.NoSuchFunction(1)"}, "Parameters")
