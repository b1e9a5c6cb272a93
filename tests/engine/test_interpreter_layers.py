"""The interpreter's modules import each other in one direction only.

The step loop (``engine.interpreter``) is on top, the state kinds and recovery
below it, the shared types at the bottom; lower modules reach upward only
through callables registered on ``Step.hooks``. Every import counts, including
those inside functions.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import engine.interpreter
import engine.jsonpath

PACKAGE = "engine.interpreter"


def _module_name(path: Path, package: str = PACKAGE) -> str:
    return package if path.stem == "__init__" else f"{package}.{path.stem}"


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Interpreter modules that ``path`` imports (``from pkg import mod`` counts as ``mod``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & modules
            found.update(submodules)
            if node.module in modules and not submodules:
                found.add(node.module)
    return found


def import_graph(package: str = PACKAGE) -> dict[str, set[str]]:
    root = Path(str(importlib.import_module(package).__file__)).parent
    paths = sorted(root.glob("*.py"))
    modules = {_module_name(p, package) for p in paths}
    return {
        _module_name(p, package): _imports(p, modules) - {_module_name(p, package)} for p in paths
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


@pytest.mark.parametrize("package", [PACKAGE, "engine.jsonpath"])
def test_the_import_graph_has_no_cycle(package: str) -> None:
    graph = import_graph(package)
    assert len(graph) > 3
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_jsonpath_keeps_its_public_names() -> None:
    from engine.jsonpath import (  # noqa: F401  (callers import these names from here)
        REFERENCE_PATH_CONFLICT,
        JsonPath,
        PathNotFound,
        Reference,
        bracket_notation,
        compile_path,
        compile_reference,
        compile_result_path,
        set_at,
    )

    assert len(engine.jsonpath.__all__) == 9


def test_the_step_loop_imports_no_state_kind() -> None:
    graph = import_graph()
    kinds = {f"{PACKAGE}.{name}" for name in ("flow", "task", "containers", "recovery", "items")}
    assert not graph[f"{PACKAGE}.core"] & kinds
    assert not graph[f"{PACKAGE}.data"] and not graph[f"{PACKAGE}.effects"]


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
