"""engine.jsonpath: compiling, finding, references, ResultPath and AWS's wording."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine.errors import ExpressionSyntaxError, StatesError
from engine.jsonpath import (
    REFERENCE_PATH_CONFLICT,
    PathNotFound,
    bracket_notation,
    compile_path,
    compile_reference,
    compile_result_path,
    set_at,
)
from engine.scope import Scope

STORE: dict[str, Any] = {
    "store": {
        "book": [
            {"category": "reference", "author": "Nigel Rees", "price": 8.95},
            {"category": "fiction", "author": "Evelyn Waugh", "price": 12.99},
            {"category": "fiction", "author": "Herman Melville", "isbn": "0-553", "price": 8.99},
            {"category": "fiction", "author": "J. R. R. Tolkien", "isbn": "0-395", "price": 22.99},
        ],
        "bicycle": {"color": "red", "price": 19.95},
    }
}
BOOKS = STORE["store"]["book"]


def find(text: str, document: Any = STORE) -> Any:
    return compile_path(text).find(document)


def miss(text: str, document: Any) -> PathNotFound:
    with pytest.raises(PathNotFound) as caught:
        find(text, document)
    return caught.value


# ------------------------------------------------------------------ definite paths


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$", STORE),
        ("$.store.bicycle.color", "red"),
        ("$['store']['bicycle']['color']", "red"),
        ('$["store"]["bicycle"].price', 19.95),
        ("$.store.book[0].author", "Nigel Rees"),
        ("$.store.book[3].isbn", "0-395"),
        ("$.store.book[(@.length-1)].author", "J. R. R. Tolkien"),
        ("$.store.book[(@.length - 2)].author", "Herman Melville"),
    ],
)
def test_definite_paths_return_the_value_itself(text: str, expected: Any) -> None:
    path = compile_path(text)
    assert path.is_definite
    assert path.find(STORE) == expected


def test_the_found_value_is_the_document_node_not_a_copy() -> None:
    assert find("$.store.book") is BOOKS


def test_names_with_spaces_dots_quotes_and_unicode() -> None:
    document = {"a b": {"c.d": {"it's": 1}}, "ключ": {"中文": [None, "ok"]}, "": 5}
    assert find("$['a b']['c.d'][\"it's\"]", document) == 1
    assert find("$['a b']['c.d']['it\\'s']", document) == 1
    assert find("$.ключ.中文[1]", document) == "ok"
    assert find("$['']", document) == 5
    assert find("$.abc.['def ghi']", {"abc": {"def ghi": 3}}) == 3  # AWS's own example


def test_dashes_in_dot_names_work_as_on_aws() -> None:
    # Recorded: "from_input_constant.$": "$.delivery-partner" gave "UQS".
    assert find("$.delivery-partner", {"delivery-partner": "UQS"}) == "UQS"


def test_null_is_a_value_and_missing_is_not() -> None:
    assert find("$.a", {"a": None}) is None
    assert miss("$.a", {"b": None}).reason == "No results for path: $['a']"


def test_deep_nesting() -> None:
    document: Any = "leaf"
    for _ in range(200):
        document = {"n": [document]}
    assert find("$" + ".n[0]" * 200, document) == "leaf"


def test_out_of_range_index_matches_nothing() -> None:
    assert miss("$.items[3]", {"items": [1, 2]}).reason == "No results for path: $['items'][3]"
    assert miss("$.items[0]", {"items": []}).reason == "No results for path: $['items'][0]"


def test_a_single_negative_index_matches_nothing_as_on_aws() -> None:
    # AWS fails "$.array[-1].name" with "could not be found"; [(@.length-1)] and [-1:] work.
    document = {"array": [{"name": "hoge"}]}
    assert miss("$.array[-1].name", document).path == "$.array[-1].name"
    assert find("$.array[(@.length-1)].name", document) == "hoge"
    assert find("$.array[-1:]", document) == [{"name": "hoge"}]


# ------------------------------------------------------------------- miss reasons


def test_missing_leaf_uses_awss_recorded_wording() -> None:
    error = miss("$.NoSuchInputPath", {"int-literal": 0})
    assert error.path == "$.NoSuchInputPath"
    assert error.reason == "No results for path: $['NoSuchInputPath']"


def test_missing_intermediate_property() -> None:
    assert miss("$.a.b.c", {"a": {}}).reason == "Missing property in path $['a']['b']"


def test_property_of_a_non_object() -> None:
    reason = miss("$.a.b", {"a": "text"}).reason
    assert reason.startswith("Expected to find an object with property ['b'] in path $['a']")


def test_index_into_non_array_and_null() -> None:
    assert miss("$.a[0]", {"a": {"x": 1}}).reason.startswith("Filter: [0] can only be applied")
    assert miss("$.a[0]", {"a": None}).reason == "The path $['a'] is null"


def test_function_like_suffixes_find_nothing_as_on_aws() -> None:
    # AWS: "The JSONPath '$.Jobs.sum()' ... could not be found in the input"
    assert compile_path("$.Jobs.sum()").is_definite
    miss("$.Jobs.sum()", {"Jobs": [1, 2]})


# --------------------------------------------------------------- indefinite paths


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$.store.book[*].author", [b["author"] for b in BOOKS]),
        ("$..author", [b["author"] for b in BOOKS]),
        ("$.store.*", [BOOKS, STORE["store"]["bicycle"]]),
        ("$.store..price", [8.95, 12.99, 8.99, 22.99, 19.95]),
        ("$..book[2].author", ["Herman Melville"]),
        ("$..book[-1:]", [BOOKS[3]]),
        ("$..book[0,1]", BOOKS[:2]),
        ("$..book[:2]", BOOKS[:2]),
        ("$.store.book[1:3]", BOOKS[1:3]),
        ("$.store.book[::2]", BOOKS[::2]),
        ("$.store.book[::-1].price", [22.99, 8.99, 12.99, 8.95]),
        ("$.store.book[-2:10]", BOOKS[-2:]),
        ("$..book[?(@.isbn)].author", ["Herman Melville", "J. R. R. Tolkien"]),
        ("$..book[?(@.price<10)].price", [8.95, 8.99]),
        ("$.store.book[?(@.price >= 12.99)].price", [12.99, 22.99]),
        ("$.store.book[?(@.category == 'reference')].author", ["Nigel Rees"]),
        ('$.store.book[?(@.category != "fiction")].author', ["Nigel Rees"]),
        ("$.store.book[?(@.price > 10 && @.isbn)].author", ["J. R. R. Tolkien"]),
        ("$.store.book[?(@.price < 9 || @.price > 20)].price", [8.95, 8.99, 22.99]),
        ("$.store.book[?(!@.isbn)].price", [8.95, 12.99]),
        ("$.store.book[?(!(@.price < 10) && (@.isbn))].price", [22.99]),
        ("$.store.book[?(@.author =~ /.*REES/i)].price", [8.95]),
        ("$.store.book[?(@.price > $.store.bicycle.price)].price", [22.99]),
        ("$.store.book[?(@.missing == null)]", []),
    ],
)
def test_indefinite_paths_return_a_list_of_matches(text: str, expected: Any) -> None:
    path = compile_path(text)
    assert not path.is_definite
    assert path.find(STORE) == expected


def test_awss_documented_filter_example() -> None:
    document = {"jar": [{"a": 1}, {"a": 5}, {"a": 2}, {"a": 7}, {"a": 3}]}
    assert find("$.jar[?(@.a >= 5)]", document) == [{"a": 5}, {"a": 7}]


def test_filter_matches_objects_only_never_scalars() -> None:
    assert find("$.bar[?(@ == 'a')]", {"bar": ["a", "b", {"x": 1}]}) == []


def test_filter_on_an_object_tests_the_object_itself() -> None:
    assert find("$.store[?(@.bicycle)]") == [STORE["store"]]


def test_filter_number_comparisons_ignore_booleans_and_type_mismatches() -> None:
    document = {"xs": [{"v": 1}, {"v": True}, {"v": "1"}, {"v": 1.0}]}
    assert find("$.xs[?(@.v == 1)]", document) == [{"v": 1}, {"v": 1.0}]
    assert find("$.xs[?(@.v == true)]", document) == [{"v": True}]
    assert find("$.xs[?(@.v < '2')]", document) == [{"v": "1"}]


def test_filter_length_of_arrays_and_strings() -> None:
    document = {"xs": [{"tags": [1, 2, 3]}, {"tags": []}, {"tags": "ab"}]}
    assert find("$.xs[?(@.tags.length > 2)]", document) == [{"tags": [1, 2, 3]}]
    assert find("$.xs[?(@.tags.length == 2)]", document) == [{"tags": "ab"}]


def test_existence_counts_null_values_as_present() -> None:
    document = {"xs": [{"a": None}, {"b": 1}]}
    assert find("$.xs[?(@.a)]", document) == [{"a": None}]


def test_flattening_arrays_of_arrays_as_aws_documents() -> None:
    assert find("$[*][*]", [[1, 2], [3], []]) == [1, 2, 3]


@pytest.mark.parametrize(
    "text",
    [
        "$[*]",
        "$.items[*]",
        "$.items[:1]",
        "$.item.items[1:]",
        "$.item.items[1:5]",
        "$.items[*].itemValue",
        "$.items[1:].itemValue",
        "$.item.items[1:5].itemValue",
    ],
)
def test_indefinite_paths_on_empty_input_give_an_empty_list(text: str) -> None:
    # Recorded: base/test_base.py::test_json_path_array_wildcard_or_slice_with_no_input
    assert find(text, {}) == []


def test_descent_visits_the_root_too_and_keeps_document_order() -> None:
    document = {"a": 1, "b": {"a": 2, "c": [{"a": 3}]}}
    assert find("$..a", document) == [1, 2, 3]
    assert find("$..*", {"x": {"y": 1}}) == [{"y": 1}, 1]
    assert find("$..[0]", {"l": [[5], 6]}) == [[5], 5]


def test_wildcard_on_scalars_and_empty_containers() -> None:
    assert find("$.a[*]", {"a": 3}) == []
    assert find("$.a.*", {"a": {}}) == []
    assert find("$[*]", {"k": None}) == [None]


# --------------------------------------------------------- multi-property leaves


def test_multi_property_leaf_merges_into_an_object() -> None:
    # Recorded on AWS: InputPath "$['a', 'b']" gave {"a": {...}, "b": {...}}.
    document = {"a": {"v": 1}, "b": {"v": 2}, "c": {"v": 3}}
    path = compile_path("$['a', 'b']")
    assert path.is_definite
    assert path.find(document) == {"a": {"v": 1}, "b": {"v": 2}}
    assert find("$['a','zz']", document) == {"a": {"v": 1}}


def test_multi_property_elsewhere_fails_with_awss_message() -> None:
    error = miss("$['a', 'b'].v", {"a": {"v": 1}})
    assert error.reason == "Multi properties can only be used as path leafs: $['a', 'b']"


# ------------------------------------------------------------------ syntax errors


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a.b",
        "$.",
        "$..",
        "$.a.",
        "$[",
        "$['a",
        "$['a'",
        "$[abc]",
        "$[1:2:0]",
        "$.a b",
        "$[?(@.a <)]",
        "$[?(@.a == 1]",
        "$[?(@.a =~ 'x')]",
        "$[(@.size-1)]",
        "$[0,]",
        "$x",
    ],
)
def test_syntax_errors(text: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        compile_path(text)
    assert repr(text) in caught.value.message or "must start with '$'" in caught.value.message


def test_syntax_error_names_the_position() -> None:
    with pytest.raises(ExpressionSyntaxError, match="position 3"):
        compile_path("$.a b")


def test_non_string_paths_are_syntax_errors() -> None:
    with pytest.raises(ExpressionSyntaxError):
        compile_path(5)  # type: ignore[arg-type]
    with pytest.raises(ExpressionSyntaxError):
        compile_reference(["$"])  # type: ignore[arg-type]


def test_compiling_twice_gives_the_same_frozen_object() -> None:
    path = compile_path("$.a.b")
    assert compile_path("$.a.b") is path
    with pytest.raises(AttributeError):
        path.text = "$.c"  # type: ignore[misc]


# ------------------------------------------------------------------- references


SCOPE = Scope(
    input={"a": {"b": [10, 20]}},
    context={"Execution": {"Id": "arn:exec", "Input": {"k": 1}}, "Map": {"Item": {"Index": 2}}},
    variables={"order": {"items": [{"sku": "x"}]}, "theAnswer": 42, "nothing": None},
)


@pytest.mark.parametrize(
    ("text", "root", "expected"),
    [
        ("$", "input", SCOPE.input),
        ("$.a.b[1]", "input", 20),
        ("$$", "context", SCOPE.context),
        ("$$.Execution.Id", "context", "arn:exec"),
        ("$$.Map.Item.Index", "context", 2),
        ("$$['Execution']['Input'].k", "context", 1),
        ("$theAnswer", "variable", 42),
        ("$order.items[0].sku", "variable", "x"),
        ("$order['items'][*].sku", "variable", ["x"]),
        ("$nothing", "variable", None),
    ],
)
def test_references_read_input_context_or_variables(text: str, root: str, expected: Any) -> None:
    reference = compile_reference(text)
    assert reference.root == root
    assert reference.evaluate(SCOPE) == expected


def test_reference_variable_name_and_definiteness() -> None:
    reference = compile_reference("$order.items[*]")
    assert reference.variable == "order"
    assert not reference.is_definite
    assert compile_reference("$.a").variable is None


def test_reference_misses_carry_the_full_reference_text() -> None:
    with pytest.raises(PathNotFound) as caught:
        compile_reference("$$.Execution.Nope").evaluate(SCOPE)
    assert caught.value.path == "$$.Execution.Nope"
    assert caught.value.reason == "No results for path: $['Execution']['Nope']"
    with pytest.raises(PathNotFound) as caught:
        compile_reference("$undefinedVar.x").evaluate(SCOPE)
    assert caught.value.path == "$undefinedVar.x"


@pytest.mark.parametrize("text", ["$$.a b", "$var.", "$var-x", "$$[", "x"])
def test_reference_syntax_errors(text: str) -> None:
    with pytest.raises(ExpressionSyntaxError):
        compile_reference(text)


# -------------------------------------------------------------- bracket notation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$.NoSuchInputPath", "$['NoSuchInputPath']"),
        ("$", "$"),
        ("$.a[0]['b c']", "$['a'][0]['b c']"),
        ("$.a[*]..b", "$['a'][*]..['b']"),
        ("$.a[1:2]", "$['a'][1:2]"),
        ("$.a[?(@.x)]", "$['a'][?]"),
        ("$$.Execution.Id", "$$['Execution']['Id']"),
        ("$var.x", "$var['x']"),
    ],
)
def test_bracket_notation(text: str, expected: str) -> None:
    assert bracket_notation(text) == expected


# ---------------------------------------------------------------------- set_at


def test_set_at_root_replaces_everything() -> None:
    assert set_at({"a": 1}, "$", "result") == "result"


def test_set_at_adds_and_replaces_fields_without_mutating() -> None:
    document: dict[str, Any] = {"a": {"b": 1, "keep": [1, 2]}, "other": {"x": 1}}
    before = copy.deepcopy(document)
    output = set_at(document, "$.a.c", {"new": True})
    assert output == {"a": {"b": 1, "keep": [1, 2], "c": {"new": True}}, "other": {"x": 1}}
    assert document == before
    assert output["other"] is document["other"]  # untouched branches are shared
    assert output["a"]["keep"] is document["a"]["keep"]
    assert set_at(document, "$.a.b", None)["a"]["b"] is None


def test_set_at_creates_missing_objects() -> None:
    assert set_at({}, "$.x.y.z", 1) == {"x": {"y": {"z": 1}}}
    assert set_at({"x": None}, "$['x']", [1]) == {"x": [1]}


def test_set_at_replaces_an_existing_array_element() -> None:
    document = {"a": [{"v": 1}, {"v": 2}]}
    assert set_at(document, "$.a[1].v", 9) == {"a": [{"v": 1}, {"v": 9}]}
    assert document == {"a": [{"v": 1}, {"v": 2}]}


@pytest.mark.parametrize(
    ("document", "path", "cause"),
    [
        (
            "input1",
            "$.someTaskResult",
            'Unable to apply ReferencePath $.someTaskResult to input "input1"',
        ),
        ({"a": 1}, "$.a.b", 'Unable to apply ReferencePath $.a.b to input {"a":1}'),
        ({"a": []}, "$.a[0]", 'Unable to apply ReferencePath $.a[0] to input {"a":[]}'),
        ({"a": {}}, "$.a[0]", 'Unable to apply ReferencePath $.a[0] to input {"a":{}}'),
        (None, "$.a", "Unable to apply ReferencePath $.a to input null"),
    ],
)
def test_set_at_conflicts_use_awss_error(document: Any, path: str, cause: str) -> None:
    # Recorded on AWS: States.ReferencePathConflict,
    # 'Unable to apply ReferencePath $.someTaskResult to input "input1"'.
    with pytest.raises(StatesError) as caught:
        set_at(document, path, 1)
    assert caught.value.error == REFERENCE_PATH_CONFLICT == "States.ReferencePathConflict"
    assert caught.value.cause == cause


@pytest.mark.parametrize("text", ["$.a[*]", "$..a", "$.a[-1]", "$.a[?(@.x)]", "$['a','b']"])
def test_result_paths_must_be_reference_paths(text: str) -> None:
    with pytest.raises(ExpressionSyntaxError):
        compile_result_path(text)
    with pytest.raises(ExpressionSyntaxError):
        set_at({}, text, 1)


def test_exists() -> None:
    assert compile_path("$.a").exists({"a": None})
    assert not compile_path("$.a").exists({})
    assert compile_path("$.a[*]").exists({})
