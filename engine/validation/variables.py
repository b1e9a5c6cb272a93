"""Variable scopes and the reserved ``$states`` fields, found by validation, not at run time.

From "Passing data between states with variables"
(https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html) and
"Transforming data with JSONata"
(https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html):

- the top level is one scope; each Parallel branch and each Map processor is
  a scope nested in the one holding the state. An inner scope reads the
  variables of the scopes around it, but may not assign a variable that an
  outer scope assigns (``VARIABLE_SCOPE_CONFLICT``); a Distributed Map's
  child workflows see no outer variable at all;
- a variable assigned only in an inner scope is not visible outside it, so
  reading it there is an error (``VARIABLE_NOT_IN_SCOPE``); a name no scope
  assigns is left alone (it may come from somewhere this check cannot see);
- ``$states`` has four fields: ``input`` and ``context`` everywhere,
  ``result`` only in the Output and Assign of a Task, Parallel or Map state,
  ``errorOutput`` only in the Output and Assign of a Catcher
  (``INVALID_STATES_REFERENCE``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from engine.validation import expressions as ex
from engine.validation.fields import walk as walk_value
from engine.validation.references import (
    jsonata_body,
    jsonata_variables,
    path_variables,
    states_fields,
)
from engine.validation.report import Path, Report
from engine.validation.schema import JSONATA, Lang
from engine.validation.states import map_mode, state_language

MAX_DEPTH: Final = 40
STATES_FIELDS: Final = ("input", "result", "errorOutput", "context")
_RESULT_STATES: Final = frozenset({"Task", "Parallel", "Map"})
_NESTED: Final = frozenset({"Branches", "ItemProcessor", "Iterator"})
# Fields whose values are templates: inside them only ``.$`` keys hold paths.
_TEMPLATES: Final = frozenset(
    {"Parameters", "ResultSelector", "ItemSelector", "Assign", "BatchInput", "Result"}
)


@dataclass
class _Scope:
    parent: _Scope | None  # the scope whose variables this one reads (None: none)
    assigned: list[tuple[str, Path]] = field(default_factory=list)
    reads: list[tuple[str, Path]] = field(default_factory=list)

    def names(self) -> set[str]:
        return {name for name, _ in self.assigned}

    def visible(self) -> set[str]:
        scope: _Scope | None = self
        seen: set[str] = set()
        while scope is not None:
            seen |= scope.names()
            scope = scope.parent
        return seen


@dataclass
class _Walk:
    report: Report
    top: Lang
    scopes: list[_Scope] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)  # scopes already walked (shared or cyclic)


def check_variables(report: Report, definition: dict[Any, Any], top: Lang) -> None:
    """Scope and ``$states`` rules of a whole definition (its shape already checked)."""
    walk = _Walk(report, top)
    _scope(walk, (), definition, None, 0)
    everywhere = set().union(*(scope.names() for scope in walk.scopes))
    for scope in walk.scopes:
        _conflicts(report, scope)
        _out_of_scope(report, scope, everywhere)


def _conflicts(report: Report, scope: _Scope) -> None:
    outer = scope.parent.visible() if scope.parent is not None else set()
    for name, where in scope.assigned:
        if name in outer:
            report.error(
                "VARIABLE_SCOPE_CONFLICT",
                where,
                f"The variable {name!r} belongs to an outer scope; a Parallel branch or Map "
                "iteration may read it but not assign it (use another name, or return the "
                "value with Output).",
            )


def _out_of_scope(report: Report, scope: _Scope, everywhere: set[str]) -> None:
    visible = scope.visible()
    for name, where in scope.reads:
        if name in everywhere and name not in visible:
            report.error(
                "VARIABLE_NOT_IN_SCOPE",
                where,
                f"The variable ${name} is assigned only in another scope (a Parallel branch, a "
                "Map iteration, or outside a Distributed Map), so it is not visible here.",
            )


def _scope(walk: _Walk, where: Path, scope: Any, parent: _Scope | None, depth: int) -> None:
    states = scope.get("States") if isinstance(scope, dict) else None
    if not isinstance(states, dict) or depth > MAX_DEPTH or id(scope) in walk.seen:
        return
    walk.seen.add(id(scope))
    current = _Scope(parent)
    walk.scopes.append(current)
    for name, state in states.items():
        if isinstance(name, str) and isinstance(state, dict):
            _state(walk, current, (*where, "States", name), state, depth)


def _state(walk: _Walk, scope: _Scope, at: Path, state: dict[Any, Any], depth: int) -> None:
    lang = state_language(state, walk.top)
    kind = state.get("Type") if isinstance(state.get("Type"), str) else None
    for rel, key in _assignments(state, lang):
        scope.assigned.append((key, (*at, *rel)))
    for rel, text in _strings(state):
        where = (*at, *rel)
        if lang == JSONATA and ex.is_jsonata(text):
            body = jsonata_body(text)
            scope.reads.extend((name, where) for name in sorted(jsonata_variables(body)))
            _states_reference(walk.report, where, rel, body, kind)
        elif _is_path_position(rel) and text.startswith(("$", "States.")):
            scope.reads.extend((name, where) for name in sorted(path_variables(text)))
    _children(walk, scope, at, state, kind, depth)


def _children(
    walk: _Walk, scope: _Scope, at: Path, state: dict[Any, Any], kind: Any, depth: int
) -> None:
    if kind == "Parallel" and isinstance(state.get("Branches"), list):
        for index, branch in enumerate(state["Branches"]):
            _scope(walk, (*at, "Branches", index), branch, scope, depth + 1)
    if kind == "Map":
        parent = None if map_mode(state) == "DISTRIBUTED" else scope
        for name in ("ItemProcessor", "Iterator"):
            if name in state:
                _scope(walk, (*at, name), state[name], parent, depth + 1)


def _assignments(state: dict[Any, Any], lang: Lang) -> Iterator[tuple[Path, str]]:
    """(location relative to the state, variable name) of every Assign key of a state."""
    owners: list[tuple[Path, Any]] = [((), state)]
    for list_field in ("Catch", "Choices"):
        items = state.get(list_field)
        if isinstance(items, list):
            owners.extend(((list_field, index), item) for index, item in enumerate(items))
    for rel, owner in owners:
        assign = owner.get("Assign") if isinstance(owner, dict) else None
        if not isinstance(assign, dict):
            continue
        for key in assign:
            if isinstance(key, str):
                name = key[:-2] if lang != JSONATA and key.endswith(".$") else key
                yield (*rel, "Assign", key), name


def _strings(state: dict[Any, Any]) -> Iterator[tuple[Path, str]]:
    """Every string in a state (with its key's path), nested scopes left out; a value
    reached twice (YAML aliases, a value containing itself) is walked once."""
    for key, value in state.items():
        if key in _NESTED:
            continue
        for rel, _key, item in walk_value(value, (str(key),)):
            if isinstance(item, str):
                yield rel, item


def _is_path_position(rel: Path) -> bool:
    """A JSONPath string that is evaluated: a ``.$`` value, or a ``...Path``/``Variable``
    field outside the templates (Parameters, Assign...)."""
    key = rel[-1]
    if not isinstance(key, str):
        return False
    if key.endswith(".$"):
        return True
    if any(part in _TEMPLATES for part in rel[:-1] if isinstance(part, str)):
        return False
    return key == "Variable" or key.endswith("Path")


def _states_reference(report: Report, where: Path, rel: Path, body: str, kind: Any) -> None:
    for name in states_fields(body):
        problem = _states_problem(name, rel, kind)
        if problem:
            report.error("INVALID_STATES_REFERENCE", where, problem)


def _states_problem(name: str, rel: Path, kind: Any) -> str | None:
    if name not in STATES_FIELDS:
        return f"$states.{name} does not exist; $states has only {', '.join(STATES_FIELDS)}."
    in_catch = rel[0] == "Catch" and len(rel) > 2 and rel[2] in ("Output", "Assign")
    if name == "errorOutput" and not in_catch:
        return "$states.errorOutput exists only in the Output and Assign of a Catch."
    state_level = rel[0] in ("Output", "Assign")
    if name == "result" and not (state_level and kind in _RESULT_STATES):
        return (
            "$states.result exists only in the Output and Assign of a Task, Parallel or "
            f"Map state, not in {_field_name(rel)} of a {kind} state."
        )
    return None


def _field_name(rel: Path) -> str:
    return "/".join(str(part) for part in rel[:3])
