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

Renames are a heuristic, as any diff's moves are (``engine.diff_graph``): a
removed and an added state of the same ``Type`` pair up when their content and
their neighbours are similar enough.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.diagnostics import pointer
from engine.diff_graph import NESTED, START, edges, match_renames, similarity, states_of

Parts = tuple[str | int, ...]
JSON = Any


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
    old_states, new_states = states_of(old_m), states_of(new_m)
    renames = match_renames(old_m, new_m)
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
            if key in ("Next", "End", "Default") or key in NESTED:
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
            entry["similarity"] = round(similarity(old, new), 2)
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


def _transitions(
    out: _Diff, old: Mapping[str, Any], new: Mapping[str, Any], renames: dict[str, str], at: Parts
) -> None:
    def renamed(name: str | None) -> str | None:
        return renames.get(name, name) if name is not None else None

    old_edges = {(renamed(a), via, renamed(b)) for a, via, b in edges(old)}
    new_edges: set[tuple[str | None, str, str | None]] = set(edges(new))
    scope = pointer(*at, "States")
    for kind, changed in (("removed", old_edges - new_edges), ("added", new_edges - old_edges)):
        for source, via, target in edges(old) if kind == "removed" else edges(new):
            key = (
                (renamed(source), via, renamed(target))
                if kind == "removed"
                else (source, via, target)
            )
            if key in changed:
                out.transitions.append(
                    {
                        "change": kind,
                        "scope": scope,
                        "from": None if key[0] == START else key[0],
                        "via": via,
                        "to": key[2],
                    }
                )
