"""Walk a whole definition: the top level, then every scope nested in it.

``validate`` checks the top-level object, then each scope (the top level,
each Parallel branch, each Map ``ItemProcessor``/``Iterator``) and each
state in it, collecting state names machine-wide; graph checks run last,
when every name is known, so a dangling ``Next`` can say where the name
does exist, and the variable scope rules (``variables.py``) after them.
It never raises: an unexpected failure becomes one ``INTERNAL_ERROR``
diagnostic next to what was found before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from engine.diagnostics import Diagnostic
from engine.validation import schema as s
from engine.validation.fields import check_object, wrong_type
from engine.validation.report import Path, Report
from engine.validation.schema import JSONATA, JSONPATH, Field, Lang
from engine.validation.states import check_state
from engine.validation.structure import check_graph, check_names
from engine.validation.variables import check_variables

MAX_SCOPE_DEPTH: Final = 40


@dataclass
class _Walk:
    report: Report
    top: Lang
    names: dict[str, Path] = field(default_factory=dict)
    scopes: list[tuple[Path, dict[Any, Any]]] = field(default_factory=list)


def validate(definition: Any) -> list[Diagnostic]:
    """Every problem of a state machine definition (a parsed JSON value), at once."""
    report = Report()
    try:
        _validate(report, definition)
    except Exception as exc:  # the promise is to never raise; say so loudly instead
        report.error(
            "INTERNAL_ERROR",
            (),
            f"The validator failed ({type(exc).__name__}: {exc}); the list may be incomplete.",
        )
    return report.items


def _validate(report: Report, definition: Any) -> None:
    if not isinstance(definition, dict):
        wrong_type(report, (), "A state machine definition", definition, "a JSON object")
        return
    own = definition.get("QueryLanguage")
    walk = _Walk(report, JSONATA if own == JSONATA else JSONPATH)
    _scope(walk, (), definition, s.TOP_LEVEL, "The state machine", 0)
    for where, scope in walk.scopes:
        check_graph(report, where, scope, walk.names)
    check_variables(report, definition, walk.top)


def _scope(
    walk: _Walk, where: Path, scope: Any, table: dict[str, Field], what: str, depth: int
) -> None:
    report = walk.report
    if not isinstance(scope, dict):
        wrong_type(report, where, what, scope, "an object with StartAt and States")
        return
    if depth > MAX_SCOPE_DEPTH:
        report.error("NESTING_TOO_DEEP", where, f"{what} is nested too deeply to check.")
        return
    check_object(report, where, scope, table, walk.top, s.SCOPE_REQUIRED, what)
    states = scope.get("States")
    if not isinstance(states, dict):
        return
    if not states:
        report.error("EMPTY_STATES", (*where, "States"), f"{what} has no states in States.")
    walk.scopes.append((where, scope))
    check_names(report, (*where, "States"), states, walk.names)
    for name, state in states.items():
        if not isinstance(name, str):
            report.error(
                "SCHEMA_WRONG_TYPE",
                (*where, "States", str(name)),
                f"State name {name!r} is not a string.",
            )
        else:
            at = (*where, "States", name)
            kind = check_state(report, at, name, state, walk.top)
            _children(walk, at, name, kind, state, depth)


def _children(walk: _Walk, at: Path, name: str, kind: str | None, state: Any, depth: int) -> None:
    if kind == "Parallel" and state.get("Branches") == []:
        report = walk.report
        report.error(
            "SCHEMA_INVALID_VALUE", (*at, "Branches"), f"Parallel state {name!r} has no branches."
        )
    if kind == "Parallel" and isinstance(state.get("Branches"), list):
        for index, branch in enumerate(state["Branches"]):
            label = f"Branch {index} of Parallel state {name!r}"
            _scope(walk, (*at, "Branches", index), branch, s.BRANCH, label, depth + 1)
    if kind == "Map":
        for field_name in ("ItemProcessor", "Iterator"):
            if field_name in state:
                label = f"{field_name} of Map state {name!r}"
                processor = state[field_name]
                _scope(walk, (*at, field_name), processor, s.PROCESSOR, label, depth + 1)
