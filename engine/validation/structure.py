"""Graph checks of one scope (the top level, a Parallel branch, a Map processor).

Each scope is its own graph: ``StartAt`` and every transition (``Next``,
``Default``, a Choice rule's ``Next``, a Catcher's ``Next``) must name a
state of the same scope, and every state must be reachable from
``StartAt``. State names must be unique across the whole machine and at
most 80 characters long.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from typing import Any

from engine.diagnostics import pointer
from engine.validation.report import Path, Report, describe
from engine.validation.schema import MAX_STATE_NAME_LENGTH


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
        _unreachable(report, where, states, str(start))


def _unreachable(report: Report, where: Path, states: Mapping[Any, Any], start: str) -> None:
    reached = {start}
    queue = deque([start])
    while queue:
        for _rel, target in transitions(states[queue.popleft()]):
            if target in states and target not in reached:
                reached.add(target)
                queue.append(target)
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
