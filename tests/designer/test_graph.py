"""The graph derivation: state paths, nested Parallel/Map scopes, edges and markers."""

from __future__ import annotations

from typing import Any

from designer.graph import end_of, graph_of, start_of

PARALLEL_IN_MAP: dict[str, Any] = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemProcessor": {
                "StartAt": "Fan",
                "States": {
                    "Fan": {
                        "Type": "Parallel",
                        "Branches": [
                            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
                            {
                                "StartAt": "B",
                                "States": {
                                    "B": {
                                        "Type": "Choice",
                                        "Choices": [
                                            {
                                                "Variable": "$.x",
                                                "IsPresent": True,
                                                "Next": "Yes",
                                            }
                                        ],
                                        "Default": "No",
                                    },
                                    "Yes": {"Type": "Succeed"},
                                    "No": {"Type": "Fail", "Error": "Nope"},
                                },
                            },
                        ],
                        "End": True,
                    }
                },
            },
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
            "Next": "Done",
        },
        "Recover": {"Type": "Pass", "End": True},
        "Done": {"Type": "Succeed"},
    },
}


def _edges(graph: Any) -> set[tuple[str, str, str]]:
    return {(e.source, e.target, e.kind) for e in graph.edges}


def test_states_are_addressed_by_json_pointer_in_nested_scopes() -> None:
    graph = graph_of(PARALLEL_IN_MAP)
    states = {n.path: n for n in graph.nodes if n.kind == "state"}
    fan = "/States/Each/ItemProcessor/States/Fan"
    assert set(states) == {
        "/States/Each",
        fan,
        f"{fan}/Branches/0/States/A",
        f"{fan}/Branches/1/States/B",
        f"{fan}/Branches/1/States/Yes",
        f"{fan}/Branches/1/States/No",
        "/States/Recover",
        "/States/Done",
    }
    assert states[fan].scope == "/States/Each/ItemProcessor"
    assert states[f"{fan}/Branches/1/States/B"].scope == f"{fan}/Branches/1"
    assert states["/States/Each"].type == "Map"


def test_parallel_in_map_makes_nested_scopes() -> None:
    graph = graph_of(PARALLEL_IN_MAP)
    fan = "/States/Each/ItemProcessor/States/Fan"
    assert [(s.path, s.kind, s.owner) for s in graph.scopes] == [
        ("", "machine", None),
        ("/States/Each/ItemProcessor", "processor", "/States/Each"),
        (f"{fan}/Branches/0", "branch", fan),
        (f"{fan}/Branches/1", "branch", fan),
    ]
    assert [s.label for s in graph.inner_scopes(fan)] == ["Branch 1", "Branch 2"]


def test_edges_for_next_choice_default_catch_and_markers() -> None:
    graph = graph_of(PARALLEL_IN_MAP)
    branch = "/States/Each/ItemProcessor/States/Fan/Branches/1"
    edges = _edges(graph)
    assert (start_of(""), "/States/Each", "start") in edges
    assert ("/States/Each", "/States/Done", "next") in edges
    assert ("/States/Each", "/States/Recover", "catch") in edges
    assert ("/States/Done", end_of(""), "end") in edges
    assert ("/States/Recover", end_of(""), "end") in edges
    assert (start_of(branch), f"{branch}/States/B", "start") in edges
    assert (f"{branch}/States/B", f"{branch}/States/Yes", "choice") in edges
    assert (f"{branch}/States/B", f"{branch}/States/No", "default") in edges
    assert (f"{branch}/States/No", end_of(branch), "end") in edges
    labels = {e.kind: e.label for e in graph.edges}
    assert labels["catch"] == "Catch States.ALL"
    assert labels["default"] == "Default"
    assert labels["choice"] == "Rule 1"


def test_every_scope_has_start_and_end_markers() -> None:
    graph = graph_of(PARALLEL_IN_MAP)
    for scope in graph.scopes:
        assert graph.node(start_of(scope.path)) is not None
        assert graph.node(end_of(scope.path)) is not None


def test_legacy_iterator_and_names_needing_escapes() -> None:
    definition = {
        "StartAt": "a/b",
        "States": {
            "a/b": {
                "Type": "Map",
                "Iterator": {"StartAt": "x~y", "States": {"x~y": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
    }
    graph = graph_of(definition)
    assert graph.node("/States/a~1b/Iterator/States/x~0y") is not None


def test_broken_drafts_never_raise() -> None:
    broken: Any
    for broken in (
        None,
        [],
        "text",
        {},
        {"StartAt": "Missing", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}},
        {"States": {"A": "not an object", "P": {"Type": "Parallel", "Branches": "no"}}},
        {"States": {"M": {"Type": "Map", "ItemProcessor": {"States": []}}}},
    ):
        graph = graph_of(broken)
        assert graph.node("#start") is not None
        assert all(graph.node(e.target) is not None for e in graph.edges)


def test_to_dict_is_json_ready() -> None:
    data = graph_of(PARALLEL_IN_MAP).to_dict()
    assert {"nodes", "edges", "scopes"} == set(data)
    assert data["nodes"][0] == {
        "path": "#start",
        "kind": "start",
        "label": "Start",
        "scope": "",
        "type": "",
    }
