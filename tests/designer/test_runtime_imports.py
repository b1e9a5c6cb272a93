"""The runtime's import graph points one way: runtime -> services, never back.

Read from the source with ``ast`` (imports inside functions count too: a lazy
import is still a dependency). The services hand work to workers through
``designer.services.dispatcher``, which the app wires to
``designer.runtime.dispatch`` when it is ready.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# what runs the services: Celery tasks, the broker dispatch, the embedded pool
RUNNERS = {
    "designer.tasks",
    "designer.runtime.dispatch",
    "designer.runtime.embedded",
    "designer.runtime.start_dispatch",  # batching of starts (behind RuntimeDispatcher.started)
}
THIRD_PARTY_RUNNERS = ("celery", "kombu", "stateyard.celery")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for p in (REPO / "designer" / "services").glob("*.py")}
    found.update({module_name(p): p for p in (REPO / "designer" / "runtime").glob("*.py")})
    found["designer.tasks"] = REPO / "designer" / "tasks.py"
    return found


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every module ``path`` imports, anywhere in it (``from a import b`` names a.b if a module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if f"{node.module}.{alias.name}" in known
            )
    return names


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(path, known) for name, path in found.items()}


def test_services_never_import_what_runs_them() -> None:
    offenders = {
        name: sorted(
            target
            for target in targets
            if target in RUNNERS
            or target.split(".")[0] in THIRD_PARTY_RUNNERS
            or target in THIRD_PARTY_RUNNERS
        )
        for name, targets in graph().items()
        if name.startswith("designer.services")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_runtime_helpers_never_import_what_runs_them() -> None:
    """machines, live, adapters, task_routing...: used by the services, so below them too."""
    helpers = {
        name: sorted(targets & RUNNERS)
        for name, targets in graph().items()
        if name.startswith("designer.runtime") and name not in RUNNERS
    }
    assert {name: found for name, found in helpers.items() if found} == {}


def test_no_import_cycles_between_runtime_and_services() -> None:
    edges = {name: {t for t in targets if t in modules()} for name, targets in graph().items()}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str], seen: set[str]) -> None:
        for target in sorted(edges[node]):
            if target == path[0]:
                cycles.append([*path, target])
            elif target not in seen and target > path[0]:
                seen.add(target)
                visit(target, [*path, target], seen)

    for start in sorted(edges):
        visit(start, [start], {start})
    assert cycles == []


def test_the_app_wires_the_runtime_into_the_services() -> None:
    from designer.runtime.dispatch import RuntimeDispatcher
    from designer.services import dispatcher

    assert isinstance(dispatcher._dispatcher, RuntimeDispatcher)
