"""What an Express workflow cannot run, found statically (AWS refuses such definitions too).

Express executions run at most five minutes and cannot wait on outside work,
so AWS rejects, for a state machine of type EXPRESS:

* the *Run a Job* integration pattern (``.sync`` and ``.sync:2`` resources);
* the *Wait for a Callback* pattern (``.waitForTaskToken`` resources);
* activities (``arn:aws:states:<region>:<account>:activity:<name>``).

``express_problems(definition)`` walks every scope (the top level, Parallel
branches, Map processors) and returns one ``Diagnostic`` per offending Task,
located by a JSON Pointer at its ``Resource``. It never raises on a malformed
definition: what it cannot read it skips (``engine.validate`` reports that).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from engine.diagnostics import Diagnostic, pointer

_PATTERN = re.compile(r"\.(sync(?::2)?|waitForTaskToken)$")
_ACTIVITY = re.compile(r"^arn:[^:]+:states:[^:]*:[^:]*:activity:")

_WHY = {
    "sync": "the Run a Job pattern (.sync) waits for the job to finish",
    "sync:2": "the Run a Job pattern (.sync:2) waits for the job to finish",
    "waitForTaskToken": "the Wait for a Callback pattern (.waitForTaskToken) waits for a token",
}


def scopes(
    definition: Any, where: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Mapping[str, Any]]]:
    """(pointer parts of the ``States`` object, its states) of every scope, outermost first."""
    if not isinstance(definition, Mapping):
        return
    states = definition.get("States")
    if not isinstance(states, Mapping):
        return
    yield (*where, "States"), states
    for name, state in states.items():
        if not isinstance(state, Mapping):
            continue
        at = (*where, "States", name)
        branches = state.get("Branches")
        if isinstance(branches, list):
            for index, branch in enumerate(branches):
                yield from scopes(branch, (*at, "Branches", index))
        for field in ("ItemProcessor", "Iterator"):
            yield from scopes(state.get(field), (*at, field))


def express_problems(definition: Any) -> list[Diagnostic]:
    """Every Task an Express workflow cannot run, with the reason and a JSON Pointer."""
    found: list[Diagnostic] = []
    for where, states in scopes(definition):
        for name, state in states.items():
            if not isinstance(state, Mapping) or state.get("Type") != "Task":
                continue
            resource = state.get("Resource")
            if not isinstance(resource, str):
                continue
            at = pointer(*where, name, "Resource")
            match = _PATTERN.search(resource)
            if match is not None:
                found.append(
                    Diagnostic(
                        "EXPRESS_UNSUPPORTED_INTEGRATION",
                        f"State {name!r} uses {resource}: {_WHY[match.group(1)]}, which "
                        "Express workflows do not support. Use the Request Response "
                        "pattern or make the workflow Standard.",
                        at,
                    )
                )
            elif _ACTIVITY.match(resource):
                found.append(
                    Diagnostic(
                        "EXPRESS_UNSUPPORTED_ACTIVITY",
                        f"State {name!r} runs the activity {resource}; Express workflows do "
                        "not support activities. Make the workflow Standard.",
                        at,
                    )
                )
    return found
