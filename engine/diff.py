"""A semantic diff of two state machine definitions (a pure function of two JSON objects).

``definition_diff(old, new)`` compares scope by scope (the top level, each
Parallel branch by index, each Map's ``ItemProcessor``/``Iterator``) and reports:

* ``fields``: changes outside any state (``Comment``, ``TimeoutSeconds``,
  ``QueryLanguage``, a processor's ``ProcessorConfig``...), and whole Parallel
  branches added or removed;
* ``states``: each state ``added``, ``removed``, ``renamed`` (the same or
  similar content under a new name) or ``changed``, with its field changes;
* ``transitions``: edges (``StartAt``, ``Next``, ``Default``, a Choice rule's
  or Catcher's ``Next``, ``End``) added or removed, after renames are applied,
  so renaming a state does not show as every transition into it changing.

Transition fields are reported only under ``transitions``; every other field
change carries JSON Pointers into both definitions and the old and new values.
A state's ``path`` is its pointer's parts without ``States`` (``["Fan",
"Branches", "0", "Work"]``), readable and unambiguous.

Renames are a heuristic, as any diff's moves are: a removed and an added state
of the same ``Type`` pair up when their content (every leaf outside the
transitions) and their transitions (targets and predecessors) are similar
enough (``rename_score``: half identical leaves, a fifth the same fields, the
rest the same neighbours, ``StartAt`` included), best pairs first. A state
keeping less than ``MIN_CONTENT`` of its leaves is a replacement, not a rename.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.diagnostics import pointer

Parts = tuple[str | int, ...]
JSON = Any

RENAME_THRESHOLD = 0.6
MIN_CONTENT = 0.3
_NESTED = ("Branches", "ItemProcessor", "Iterator")
_START = "(start)"


@dataclass
class _Diff:
    fields: list[dict[str, JSON]] = field(default_factory=list)
    states: list[dict[str, JSON]] = field(default_factory=list)
    transitions: list[dict[str, JSON]] = field(default_factory=list)


def definition_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, JSON]:
    """What changed from ``old`` to ``new`` (JSON-ready; see the module docstring)."""
    out = _Diff()
    _scope(out, old, new, (), ())
    counts = {
        kind: sum(1 for s in out.states if s["change"] == kind)
        for kind in ("added", "removed", "renamed", "changed")
    }
    return {
        "identical": not (out.fields or out.states or out.transitions),
        "summary": {**counts, "transitions": len(out.transitions), "fields": len(out.fields)},
        "fields": out.fields,
        "states": out.states,
        "transitions": out.transitions,
    }


# ---- one scope -----------------------------------------------------------------------


def _states_of(machine: Any) -> dict[str, Any]:
    states = machine.get("States") if isinstance(machine, Mapping) else None
    return dict(states) if isinstance(states, Mapping) else {}


def _scope(out: _Diff, old: Any, new: Any, old_at: Parts, new_at: Parts) -> None:
    """Compare two machines (top level, branch or processor) located at the given parts."""
    old_m = old if isinstance(old, Mapping) else {}
    new_m = new if isinstance(new, Mapping) else {}
    for key in _ordered_keys(old_m, new_m):
        if key in ("States", "StartAt"):
            continue
        _values(
            out.fields,
            old_m.get(key, _MISSING),
            new_m.get(key, _MISSING),
            (*old_at, key),
            (*new_at, key),
        )
    old_states, new_states = _states_of(old_m), _states_of(new_m)
    renames = _match_renames(old_m, new_m)
    for name in _ordered_keys(old_states, new_states):
        if name in old_states and name in new_states:
            _state(out, name, name, old_states[name], new_states[name], old_at, new_at, "changed")
        elif name in old_states and name not in renames:
            out.states.append(_entry("removed", name, None, old_states[name], old_at, None))
        elif name in new_states and name not in renames.values():
            out.states.append(_entry("added", None, name, new_states[name], None, new_at))
    for old_name, new_name in renames.items():
        _state(
            out,
            old_name,
            new_name,
            old_states[old_name],
            new_states[new_name],
            old_at,
            new_at,
            "renamed",
        )
    _transitions(out, old_m, new_m, renames, new_at or old_at)


def _entry(
    change: str,
    old_name: str | None,
    new_name: str | None,
    state: Any,
    old_at: Parts | None,
    new_at: Parts | None,
) -> dict[str, JSON]:
    name = new_name if new_name is not None else old_name
    at = new_at if new_at is not None else old_at
    assert name is not None and at is not None
    return {
        "change": change,
        "name": name,
        "old_name": old_name,
        "type": state.get("Type") if isinstance(state, Mapping) else None,
        "path": _path((*at, "States", name)),
        "pointer": pointer(*new_at, "States", name) if new_at is not None else None,
        "old_pointer": pointer(*old_at, "States", old_name)
        if old_at is not None and old_name is not None
        else None,
        "fields": [],
    }


def _state(
    out: _Diff,
    old_name: str,
    new_name: str,
    old: Any,
    new: Any,
    old_at: Parts,
    new_at: Parts,
    change: str,
) -> None:
    old_parts, new_parts = (*old_at, "States", old_name), (*new_at, "States", new_name)
    entry = _entry(change, old_name, new_name, new, old_at, new_at)
    if not (isinstance(old, Mapping) and isinstance(new, Mapping)):
        _values(entry["fields"], old, new, old_parts, new_parts)
    else:
        for key in _ordered_keys(old, new):
            if key in ("Next", "End", "Default") or key in _NESTED:
                continue
            if key in ("Choices", "Catch"):
                _rules(
                    entry["fields"],
                    old.get(key),
                    new.get(key),
                    (*old_parts, key),
                    (*new_parts, key),
                )
                continue
            _values(
                entry["fields"],
                old.get(key, _MISSING),
                new.get(key, _MISSING),
                (*old_parts, key),
                (*new_parts, key),
            )
        _nested(out, old, new, old_parts, new_parts)
    if change == "renamed" or entry["fields"]:
        if change == "renamed":
            entry["similarity"] = round(_similarity(old, new), 2)
        out.states.append(entry)


def _nested(
    out: _Diff, old: Mapping[str, Any], new: Mapping[str, Any], old_parts: Parts, new_parts: Parts
) -> None:
    """Recurse into Parallel branches (by index) and Map processors."""
    old_b, new_b = old.get("Branches"), new.get("Branches")
    if isinstance(old_b, list) or isinstance(new_b, list):
        old_list = old_b if isinstance(old_b, list) else []
        new_list = new_b if isinstance(new_b, list) else []
        for index in range(max(len(old_list), len(new_list))):
            o_at, n_at = (*old_parts, "Branches", index), (*new_parts, "Branches", index)
            if index < len(old_list) and index < len(new_list):
                _scope(out, old_list[index], new_list[index], o_at, n_at)
            else:
                _values(
                    out.fields,
                    old_list[index] if index < len(old_list) else _MISSING,
                    new_list[index] if index < len(new_list) else _MISSING,
                    o_at,
                    n_at,
                )
    for key in ("ItemProcessor", "Iterator"):
        if key in old or key in new:
            _scope(out, old.get(key), new.get(key), (*old_parts, key), (*new_parts, key))


def _rules(
    changes: list[dict[str, JSON]], old: Any, new: Any, old_at: Parts, new_at: Parts
) -> None:
    """Choice rules and Catchers, compared without their ``Next`` (a transition)."""
    if not (isinstance(old, list) and isinstance(new, list)):
        _values(changes, _strip_next(old), _strip_next(new), old_at, new_at)
        return
    for index in range(max(len(old), len(new))):
        _values(
            changes,
            _strip_next(old[index]) if index < len(old) else _MISSING,
            _strip_next(new[index]) if index < len(new) else _MISSING,
            (*old_at, index),
            (*new_at, index),
        )


def _strip_next(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: v for k, v in value.items() if k != "Next"}
    if isinstance(value, list):
        return [_strip_next(v) for v in value]
    return value


# ---- values --------------------------------------------------------------------------


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


def _values(
    changes: list[dict[str, JSON]], old: Any, new: Any, old_at: Parts, new_at: Parts
) -> None:
    """Leaf-level changes between two JSON values (objects by key, lists by index)."""
    if old is _MISSING and new is _MISSING:
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in _ordered_keys(old, new):
            _values(
                changes,
                old.get(key, _MISSING),
                new.get(key, _MISSING),
                (*old_at, key),
                (*new_at, key),
            )
        return
    if isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            _values(
                changes,
                old[index] if index < len(old) else _MISSING,
                new[index] if index < len(new) else _MISSING,
                (*old_at, index),
                (*new_at, index),
            )
        return
    if old is not _MISSING and new is not _MISSING and _same(old, new):
        return
    kind = "added" if old is _MISSING else "removed" if new is _MISSING else "changed"
    changes.append(
        {
            "change": kind,
            "pointer": pointer(*new_at) if new is not _MISSING else None,
            "old_pointer": pointer(*old_at) if old is not _MISSING else None,
            "old": None if old is _MISSING else old,
            "new": None if new is _MISSING else new,
        }
    )


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON (1 and 1.0 alike; True and 1 not)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return (bool(a == b) and type(a) is type(b)) or (
        isinstance(a, int | float) and isinstance(b, int | float) and a == b
    )


def _ordered_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return list(old) + [k for k in new if k not in old]


def _path(parts: Parts) -> list[str]:
    return [str(p) for p in parts if p != "States"]


# ---- transitions ---------------------------------------------------------------------


def _edges(machine: Mapping[str, Any]) -> Iterator[tuple[str, str, str | None]]:
    """(from, via, to) of every transition of one scope; ``to`` is None for ``End``."""
    start = machine.get("StartAt")
    if isinstance(start, str):
        yield _START, "StartAt", start
    for name, state in _states_of(machine).items():
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


def _transitions(
    out: _Diff, old: Mapping[str, Any], new: Mapping[str, Any], renames: dict[str, str], at: Parts
) -> None:
    def renamed(name: str | None) -> str | None:
        return renames.get(name, name) if name is not None else None

    old_edges = {(renamed(a), via, renamed(b)) for a, via, b in _edges(old)}
    new_edges: set[tuple[str | None, str, str | None]] = set(_edges(new))
    scope = pointer(*at, "States")
    for kind, edges in (("removed", old_edges - new_edges), ("added", new_edges - old_edges)):
        for source, via, target in _edges(old) if kind == "removed" else _edges(new):
            key = (
                (renamed(source), via, renamed(target))
                if kind == "removed"
                else (source, via, target)
            )
            if key in edges:
                out.transitions.append(
                    {
                        "change": kind,
                        "scope": scope,
                        "from": None if key[0] == _START else key[0],
                        "via": via,
                        "to": key[2],
                    }
                )


# ---- renames -------------------------------------------------------------------------


def _leaves(value: Any, at: Parts = ()) -> set[str]:
    """Every leaf of a state outside its transitions and nested scopes, as text."""
    if isinstance(value, Mapping):
        found: set[str] = set()
        for key, item in value.items():
            if not at and (key in ("Next", "End", "Default") or key in _NESTED):
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
    return json.dumps({k: state.get(k) for k in _NESTED}, sort_keys=True)


def _similarity(old: Any, new: Any) -> float:
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
    content = _similarity(old, new)
    return 0.5 * content + 0.2 * _shape(old, new) + 0.3 * links, content


def _match_renames(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, str]:
    """Removed state name -> added state name, for pairs similar enough (best first).

    A pair needs the same ``Type``, a score of at least ``RENAME_THRESHOLD`` and
    at least ``MIN_CONTENT`` of its content unchanged (so a state replaced by a
    different one in the same place is a removal and an addition).
    """
    old_states, new_states = _states_of(old), _states_of(new)
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
    for source, _via, target in _edges(machine):
        found.setdefault(source, set()).add(target or "(end)")
    return found


def _sources(machine: Mapping[str, Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for source, _via, target in _edges(machine):
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
