"""The graph of a definition: states, transitions and nested scopes, from raw ASL.

This is the Python twin of the editor's graph derivation, used for exports
(DOT, SVG, PNG). Every state is addressed by its JSON Pointer in the
definition (``/States/Fan/Branches/1/States/Audit``), the same address the
validator's diagnostics and the live execution view use. Each scope (the top
level, a Parallel branch, a Map's ``ItemProcessor``/``Iterator``) has a start
marker and an end marker, addressed as the scope's pointer followed by
``#start`` or ``#end`` (the top level's are ``#start`` and ``#end``).

The derivation never raises: drafts may be broken, so a transition to a state
that does not exist, a state that is not an object or a scope without
``States`` simply yields fewer nodes and edges.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from engine.diagnostics import pointer

NodeKind = Literal["state", "start", "end"]
EdgeKind = Literal["start", "next", "default", "choice", "catch", "end"]
ScopeKind = Literal["machine", "branch", "processor"]


@dataclass(frozen=True, slots=True)
class Node:
    path: str  # JSON Pointer of the state, or ``<scope>#start`` / ``<scope>#end``
    kind: NodeKind
    label: str
    scope: str  # the pointer of the scope that holds this node ("" for the top level)
    type: str = ""  # the state's Type ("" for markers or a state without one)


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    kind: EdgeKind
    label: str = ""


@dataclass(frozen=True, slots=True)
class Scope:
    path: str  # "" for the machine, ``/States/P/Branches/0``, ``/States/M/ItemProcessor``
    kind: ScopeKind
    label: str
    owner: str | None  # the Parallel or Map state that holds it (None for the machine)


@dataclass(slots=True)
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    scopes: list[Scope] = field(default_factory=list)

    def node(self, path: str) -> Node | None:
        return next((n for n in self.nodes if n.path == path), None)

    def children(self, scope: str) -> list[Node]:
        """The nodes directly inside ``scope``, in definition order."""
        return [n for n in self.nodes if n.scope == scope]

    def inner_scopes(self, owner: str) -> list[Scope]:
        """The branches of a Parallel, or the processor of a Map, in order."""
        return [s for s in self.scopes if s.owner == owner]

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [
                {"path": n.path, "kind": n.kind, "label": n.label, "scope": n.scope, "type": n.type}
                for n in self.nodes
            ],
            "edges": [
                {"source": e.source, "target": e.target, "kind": e.kind, "label": e.label}
                for e in self.edges
            ],
            "scopes": [
                {"path": s.path, "kind": s.kind, "label": s.label, "owner": s.owner}
                for s in self.scopes
            ],
        }


def start_of(scope: str) -> str:
    return f"{scope}#start"


def end_of(scope: str) -> str:
    return f"{scope}#end"


def graph_of(definition: Any) -> Graph:
    """The graph of a definition (any JSON value; only objects yield nodes)."""
    graph = Graph()
    _scope(graph, definition, (), "machine", "State machine", None, depth=0)
    return graph


_MAX_DEPTH = 64  # deeper nesting than any real machine; stops runaway recursion


def _scope(
    graph: Graph,
    body: Any,
    where: tuple[str | int, ...],
    kind: ScopeKind,
    label: str,
    owner: str | None,
    depth: int,
) -> None:
    here = pointer(*where)
    graph.scopes.append(Scope(here, kind, label, owner))
    graph.nodes.append(Node(start_of(here), "start", "Start", here))
    states = body.get("States") if isinstance(body, dict) else None
    states = states if isinstance(states, dict) else {}
    start_at = body.get("StartAt") if isinstance(body, dict) else None
    if isinstance(start_at, str) and start_at in states:
        graph.edges.append(Edge(start_of(here), pointer(*where, "States", start_at), "start"))
    for name, state in states.items():
        at = (*where, "States", name)
        path = pointer(*at)
        state_type = state.get("Type") if isinstance(state, dict) else None
        state_type = state_type if isinstance(state_type, str) else ""
        graph.nodes.append(Node(path, "state", str(name), here, state_type))
        for target, edge_kind, edge_label in _transitions(state):
            if target in states:
                graph.edges.append(
                    Edge(path, pointer(*where, "States", target), edge_kind, edge_label)
                )
        if _is_terminal(state, state_type):
            graph.edges.append(Edge(path, end_of(here), "end"))
        if depth < _MAX_DEPTH and isinstance(state, dict):
            _inner(graph, state, state_type, at, path, depth)
    # every scope gets an end marker, reached or not, so pictures stay comparable
    graph.nodes.append(Node(end_of(here), "end", "End", here))


def _inner(
    graph: Graph,
    state: dict[str, Any],
    state_type: str,
    at: tuple[str | int, ...],
    path: str,
    depth: int,
) -> None:
    if state_type == "Parallel" and isinstance(state.get("Branches"), list):
        for index, branch in enumerate(state["Branches"]):
            where = (*at, "Branches", index)
            _scope(graph, branch, where, "branch", f"Branch {index + 1}", path, depth + 1)
    elif state_type == "Map":
        for name in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(name), dict):
                where = (*at, name)
                _scope(graph, state[name], where, "processor", "Item processor", path, depth + 1)
                break


def _is_terminal(state: Any, state_type: str) -> bool:
    if state_type in ("Succeed", "Fail"):
        return True
    return isinstance(state, dict) and state.get("End") is True


def _transitions(state: Any) -> Iterator[tuple[str, EdgeKind, str]]:
    """(target name, kind, label) of every transition the state declares, in order."""
    if not isinstance(state, dict):
        return
    if isinstance(state.get("Next"), str):
        yield state["Next"], "next", ""
    choices = state.get("Choices")
    if isinstance(choices, list):
        for index, rule in enumerate(choices):
            if isinstance(rule, dict) and isinstance(rule.get("Next"), str):
                yield rule["Next"], "choice", _rule_label(rule, index)
    if isinstance(state.get("Default"), str):
        yield state["Default"], "default", "Default"
    catchers = state.get("Catch")
    if isinstance(catchers, list):
        for catcher in catchers:
            if isinstance(catcher, dict) and isinstance(catcher.get("Next"), str):
                yield catcher["Next"], "catch", _catch_label(catcher)


def _rule_label(rule: dict[str, Any], index: int) -> str:
    comment = rule.get("Comment")
    if isinstance(comment, str) and comment.strip():
        return _shorten(comment.strip())
    condition = rule.get("Condition")
    if isinstance(condition, str):
        return _shorten(condition)
    return f"Rule {index + 1}"


def _catch_label(catcher: dict[str, Any]) -> str:
    errors = catcher.get("ErrorEquals")
    if isinstance(errors, list) and errors:
        return "Catch " + ", ".join(str(e) for e in errors)
    return "Catch"


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
