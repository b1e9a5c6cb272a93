"""Graph checks of one scope (the top level, a Parallel branch, a Map processor).

Each scope is its own graph: ``StartAt`` and every transition (``Next``,
``Default``, a Choice rule's ``Next``, a Catcher's ``Next``) must name a
state of the same scope, and every state must be reachable from
``StartAt``. From ``StartAt`` some terminal state (Succeed, Fail, or
``"End": true``) must be reachable, or the machine could never finish. State
names must be unique across the whole machine and at most 80 characters
long.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from typing import Any

from engine.diagnostics import pointer
from engine.validation.report import Path, Report, describe
from engine.validation.schema import MAX_STATE_NAME_LENGTH, STATE_TYPES, TERMINAL_TYPES

_TYPES = frozenset(STATE_TYPES)


def transitions(state: Any) -> Iterator[tuple[Path, str]]:
    """(location relative to the state, target name) of every transition a state declares."""
    if not isinstance(state, dict):
        return
    for field in ("Next", "Default"):
        if isinstance(state.get(field), str):
            yield (field,), state[field]
    for field in ("Choices", "Catch"):
        items = state.get(field)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("Next"), str):
                yield (field, index, "Next"), item["Next"]


def check_names(
    report: Report, where: Path, states: Mapping[Any, Any], seen: dict[str, Path]
) -> None:
    """Name length, and names already used elsewhere in the machine (``seen`` is updated)."""
    for name in states:
        if not isinstance(name, str):
            continue
        at = (*where, name)
        if len(name) > MAX_STATE_NAME_LENGTH:
            report.error(
                "STATE_NAME_TOO_LONG",
                at,
                f"The state name {describe(name)} has {len(name)} characters; "
                f"the limit is {MAX_STATE_NAME_LENGTH}.",
            )
        first = seen.setdefault(name, at)
        if first != at:
            report.error(
                "DUPLICATE_STATE_NAME",
                at,
                f"The state name {name!r} is already used at {_render(first)}; "
                "state names must be unique in the whole state machine, branches and "
                "Map processors included.",
            )


def check_graph(
    report: Report, where: Path, scope: Mapping[Any, Any], elsewhere: Mapping[str, Path]
) -> None:
    """StartAt, dangling transitions and unreachable states of one scope."""
    states = scope.get("States")
    if not isinstance(states, dict) or not states:
        return
    start = scope.get("StartAt")
    start_ok = isinstance(start, str) and start in states
    if isinstance(start, str) and not start_ok:
        report.error(
            "START_AT_NOT_FOUND",
            (*where, "StartAt"),
            f"StartAt names {start!r}, but there is no such state here{_hint(start, elsewhere)}.",
        )
    for name, state in states.items():
        for rel, target in transitions(state):
            if target not in states:
                report.error(
                    "DANGLING_NEXT",
                    (*where, "States", str(name), *rel),
                    f"State {name!r} goes to {target!r}, but there is no such state in "
                    f"this scope{_hint(target, elsewhere)}.",
                )
    if start_ok:
        reached = _reached(states, str(start))
        _unreachable(report, where, states, str(start), reached)
        if not any(_may_end(states[name], states) for name in reached):
            report.error(
                "NO_TERMINAL_STATE",
                (*where, "StartAt"),
                f"No state reachable from StartAt {start!r} ends the execution: add a "
                'Succeed or Fail state, or "End": true, on a path out of the loop.',
            )


def _reached(states: Mapping[Any, Any], start: str) -> set[str]:
    reached = {start}
    queue = deque([start])
    while queue:
        for _rel, target in transitions(states[queue.popleft()]):
            if target in states and target not in reached:
                reached.add(target)
                queue.append(target)
    return reached


def _may_end(state: Any, states: Mapping[Any, Any]) -> bool:
    """A terminal state, or one too broken to tell (its own diagnostics say why)."""
    kind = state.get("Type") if isinstance(state, dict) else None
    if not isinstance(kind, str) or kind not in _TYPES:
        return True
    if kind in TERMINAL_TYPES or state.get("End") is True:
        return True
    if any(target not in states for _rel, target in transitions(state)):
        return True  # DANGLING_NEXT
    return kind != "Choice" and not isinstance(state.get("Next"), str)


def _unreachable(
    report: Report, where: Path, states: Mapping[Any, Any], start: str, reached: set[str]
) -> None:
    for name in states:
        if name not in reached:
            report.error(
                "UNREACHABLE_STATE",
                (*where, "States", str(name)),
                f"State {name!r} cannot be reached: no transition from StartAt "
                f"{start!r} leads to it.",
            )


def _hint(name: str, elsewhere: Mapping[str, Path]) -> str:
    if name in elsewhere:
        return (
            f" (a state {name!r} exists at {_render(elsewhere[name])}, but a transition "
            "cannot leave its branch or Map processor)"
        )
    return ""


def _render(path: Path) -> str:
    return pointer(*path)
