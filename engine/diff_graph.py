"""The graph side of a definition diff: a scope's transitions, and which states were renamed.

``edges(machine)`` lists a scope's transitions as (from, via, to). ``match_renames``
pairs removed and added states of one scope that are the same state under a new
name: same ``Type``, and a ``rename_score`` (half identical leaves, a fifth the
same fields, the rest the same neighbours, ``StartAt`` included) of at least
``RENAME_THRESHOLD`` with at least ``MIN_CONTENT`` of the leaves unchanged, so
a state replaced by a different one in the same place is a removal and an
addition. Best pairs first. Used by ``engine.diff``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from engine.diagnostics import pointer

Parts = tuple[str | int, ...]

RENAME_THRESHOLD = 0.6
MIN_CONTENT = 0.3
NESTED = ("Branches", "ItemProcessor", "Iterator")
START = "(start)"


def states_of(machine: Any) -> dict[str, Any]:
    """The ``States`` of a machine, branch or processor (empty when it has none)."""
    states = machine.get("States") if isinstance(machine, Mapping) else None
    return dict(states) if isinstance(states, Mapping) else {}


def edges(machine: Mapping[str, Any]) -> Iterator[tuple[str, str, str | None]]:
    """(from, via, to) of every transition of one scope; ``to`` is None for ``End``."""
    start = machine.get("StartAt")
    if isinstance(start, str):
        yield START, "StartAt", start
    for name, state in states_of(machine).items():
        if not isinstance(state, Mapping):
            continue
        for key in ("Next", "Default"):
            if isinstance(state.get(key), str):
                yield name, key, state[key]
        for key in ("Choices", "Catch"):
            rules = state.get(key)
            if isinstance(rules, list):
                for index, rule in enumerate(rules):
                    if isinstance(rule, Mapping) and isinstance(rule.get("Next"), str):
                        yield name, f"{key}/{index}", rule["Next"]
        if state.get("End") is True or state.get("Type") in ("Succeed", "Fail"):
            yield name, "End", None


def _leaves(value: Any, at: Parts = ()) -> set[str]:
    """Every leaf of a state outside its transitions and nested scopes, as text."""
    if isinstance(value, Mapping):
        found: set[str] = set()
        for key, item in value.items():
            if not at and (key in ("Next", "End", "Default") or key in NESTED):
                continue
            if key == "Next" and len(at) == 2 and at[0] in ("Choices", "Catch"):
                continue
            found |= _leaves(item, (*at, key))
        return found or {pointer(*at) + "={}"}
    if isinstance(value, list):
        found = set()
        for index, item in enumerate(value):
            found |= _leaves(item, (*at, index))
        return found or {pointer(*at) + "=[]"}
    return {pointer(*at) + "=" + json.dumps(value, sort_keys=True)}


def _nested_text(state: Mapping[str, Any]) -> str:
    return json.dumps({k: state.get(k) for k in NESTED}, sort_keys=True)


def similarity(old: Any, new: Any) -> float:
    """How much of two states' content is the same (0-1): identical leaves, then shape."""
    if not (isinstance(old, Mapping) and isinstance(new, Mapping)):
        return 0.0
    a, b = _leaves(old), _leaves(new)
    content = len(a & b) / len(a | b) if a | b else 1.0
    if _nested_text(old) != _nested_text(new):
        content *= 0.8
    return content


def _shape(old: Mapping[str, Any], new: Mapping[str, Any]) -> float:
    """How alike the set of fields is, whatever their values (0-1)."""
    a = {leaf.split("=", 1)[0] for leaf in _leaves(old)}
    b = {leaf.split("=", 1)[0] for leaf in _leaves(new)}
    return len(a & b) / len(a | b) if a | b else 1.0


def rename_score(
    old: Mapping[str, Any], new: Mapping[str, Any], links: float
) -> tuple[float, float]:
    """(score, content) of a candidate rename; ``links`` is how alike the neighbours are."""
    content = similarity(old, new)
    return 0.5 * content + 0.2 * _shape(old, new) + 0.3 * links, content


def match_renames(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, str]:
    """Removed state name -> added state name, for pairs similar enough (best first).

    A pair needs the same ``Type``, a score of at least ``RENAME_THRESHOLD`` and
    at least ``MIN_CONTENT`` of its content unchanged (so a state replaced by a
    different one in the same place is a removal and an addition).
    """
    old_states, new_states = states_of(old), states_of(new)
    gone = [n for n in old_states if n not in new_states]
    born = [n for n in new_states if n not in old_states]
    if not gone or not born:
        return {}
    old_out, new_out = _targets(old), _targets(new)
    old_in, new_in = _sources(old), _sources(new)
    scored: list[tuple[float, int, str, str]] = []
    for i, o in enumerate(gone):
        for n in born:
            before, after = old_states[o], new_states[n]
            if not isinstance(before, Mapping) or not isinstance(after, Mapping):
                continue
            if before.get("Type") != after.get("Type"):
                continue
            links = _overlap(
                old_out.get(o, set()),
                new_out.get(n, set()),
                old_in.get(o, set()),
                new_in.get(n, set()),
            )
            score, content = rename_score(before, after, links)
            if content >= MIN_CONTENT and score >= RENAME_THRESHOLD:
                scored.append((score, -i, o, n))
    scored.sort(reverse=True)
    pairs: dict[str, str] = {}
    for _, _, o, n in scored:
        if o not in pairs and n not in pairs.values():
            pairs[o] = n
    return pairs


def _targets(machine: Mapping[str, Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for source, _via, target in edges(machine):
        found.setdefault(source, set()).add(target or "(end)")
    return found


def _sources(machine: Mapping[str, Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for source, _via, target in edges(machine):
        if target is not None:
            found.setdefault(target, set()).add(source)
    return found


def _overlap(out_a: set[str], out_b: set[str], in_a: set[str], in_b: set[str]) -> float:
    """How alike two states' neighbours are (names that did not change only)."""
    union = (out_a | out_b) | {"in:" + s for s in in_a | in_b}
    if not union:
        return 1.0
    common = (out_a & out_b) | {"in:" + s for s in in_a & in_b}
    return len(common) / len(union)
