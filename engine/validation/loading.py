"""Definition text (JSON or YAML) to a value, and JSON Pointers to line/column.

``load_definition`` parses the text: JSON when it starts with ``{`` or ``[``,
YAML otherwise (YAML timestamps stay strings, as in JSON). A syntax error
becomes one ``SYNTAX_ERROR`` diagnostic with a 1-based line and column.
``locate`` maps every JSON Pointer of the document to the position of its key
(object members) or its value (array elements), so ``validate_text`` can
place each diagnostic in the source.

A key repeated in one object is an error (``DUPLICATE_KEY``, located at the
repeated key): JSON text is parsed with an ``object_pairs_hook`` that sees
every pair before the dict keeps only the last, and YAML mappings are checked
on the composed node tree. AWS rejects such definitions, and a parsed dict
cannot show them, so only text validation can report them.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Final

import yaml

from engine.diagnostics import Diagnostic, pointer
from engine.jsonvalue import too_deep_pointer
from engine.limits import JSON_MAX_DEPTH
from engine.validation.machine import validate
from engine.yaml_bounded import BoundedLoader, load_bounded

Position = tuple[int, int]  # 1-based line, column
Positions = dict[str, Position]
Frame = tuple[tuple[str | int, ...], list[Any]]  # path, [next index / key]

_TIMESTAMP_TAG: Final = "tag:yaml.org,2002:timestamp"
_TOKEN: Final = re.compile(r'\s*(?:([{}\[\]:,])|("(?:[^"\\]|\\.)*")|([^\s{}\[\]:,"]+))', re.DOTALL)


class _Loader(BoundedLoader):
    """PyYAML's safe loader (aliases bounded), keeping timestamps as plain strings like JSON."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_definition(text: str) -> tuple[Any, list[Diagnostic]]:
    """The parsed definition and the diagnostics of parsing (syntax errors, duplicate keys)."""
    value, diagnostics, _positions = _parse(text)
    return value, diagnostics


def validate_text(text: str) -> list[Diagnostic]:
    """Parse and validate definition text; every diagnostic carries a line and column."""
    value, diagnostics, positions = _parse(text)
    if any(d.code == "SYNTAX_ERROR" for d in diagnostics):
        return diagnostics
    return diagnostics + [_place(d, positions) for d in validate(value)]


def _parse(text: str) -> tuple[Any, list[Diagnostic], Positions]:
    if not isinstance(text, str):
        return None, [_syntax("The definition must be text.", 1, 1)], {}
    if not text.strip():
        return None, [_syntax("The definition is empty.", 1, 1)], {}
    if text.lstrip()[0] in "{[":
        return _parse_json(text)
    return _parse_yaml(text)


def _syntax(message: str, line: int, column: int) -> Diagnostic:
    return Diagnostic("SYNTAX_ERROR", message, "", "error", line, column)


class _PairsHook:
    """``object_pairs_hook`` that builds each object and remembers the keys it repeats."""

    def __init__(self) -> None:
        self.repeated: list[tuple[dict[str, Any], list[str]]] = []

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        again: list[str] = []
        for key, item in pairs:
            if key in obj:
                again.append(key)
            obj[key] = item
        if again:
            self.repeated.append((obj, again))
        return obj


class _NotJson(ValueError):
    """A token Python's reader takes but JSON has not: NaN, Infinity, a number past a double."""


def _no_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON value")


def _finite(number: str) -> float:
    value = float(number)
    if not math.isfinite(value):
        raise _NotJson(f"the number {number[:40]} is out of range")
    return value


def _parse_json(text: str) -> tuple[Any, list[Diagnostic], Positions]:
    hook = _PairsHook()
    try:
        value = json.loads(
            text, object_pairs_hook=hook, parse_constant=_no_constant, parse_float=_finite
        )
    except json.JSONDecodeError as exc:
        return None, [_syntax(f"Invalid JSON: {exc.msg}.", exc.lineno, exc.colno)], {}
    except _NotJson as exc:
        return None, [_syntax(f"Invalid JSON: {exc}.", 1, 1)], {}
    except RecursionError:
        return None, [_syntax("The JSON nests too deeply to read.", 1, 1)], {}
    deep = too_deep_pointer(value)
    if deep is not None:
        message = f"The JSON nests deeper than {JSON_MAX_DEPTH} levels (at {deep})."
        return None, [_syntax(message, 1, 1)], {}
    positions = locate_json(text)
    return value, _json_duplicates(value, hook, positions), positions


def _json_duplicates(value: Any, hook: _PairsHook, positions: Positions) -> list[Diagnostic]:
    """One DUPLICATE_KEY per repeated key, at the pointer of the key (its last occurrence)."""
    if not hook.repeated:
        return []
    paths = _object_paths(value)
    found: list[Diagnostic] = []
    for obj, keys in hook.repeated:
        path = paths.get(id(obj))
        for key in keys:
            # an object inside a value that a later duplicate replaced is gone from the
            # document; its repeat is reported on the whole document
            where = pointer(*path, key) if path is not None else ""
            found.append(_duplicate(where, key, positions.get(where, (1, 1))))
    return sorted(found, key=lambda d: (d.line or 0, d.column or 0))


def _object_paths(value: Any) -> dict[int, tuple[str | int, ...]]:
    """id of every object in a parsed JSON value -> its path, iteratively."""
    paths: dict[int, tuple[str | int, ...]] = {}
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, dict):
            paths[id(item)] = path
            stack.extend(((*path, key), child) for key, child in item.items())
        elif isinstance(item, list):
            stack.extend(((*path, index), child) for index, child in enumerate(item))
    return paths


def _parse_yaml(text: str) -> tuple[Any, list[Diagnostic], Positions]:
    try:
        value, node = load_bounded(text, _Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "syntax error"
        return None, [_syntax(f"Invalid YAML: {problem}.", line, column)], {}
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        return None, [_syntax(f"Invalid YAML: {exc}.", 1, 1)], {}
    positions, duplicates = locate_yaml(node) if node is not None else ({}, [])
    return value, duplicates, positions


def _place(diagnostic: Diagnostic, positions: Positions) -> Diagnostic:
    """The diagnostic with the position of its pointer, or of its nearest located parent."""
    location = diagnostic.location
    while location not in positions and location:
        location = location.rsplit("/", 1)[0]
    line, column = positions.get(location, (1, 1))
    return replace(diagnostic, line=line, column=column)


def _duplicate(location: str, key: str, position: Position) -> Diagnostic:
    return Diagnostic(
        "DUPLICATE_KEY",
        f"The key {key!r} appears more than once in this object; AWS rejects a definition "
        "with a repeated key (a JSON or YAML parser would silently keep only the last value).",
        location,
        "error",
        *position,
    )


def _tokens(text: str) -> Iterator[tuple[str, int]]:
    """(token, offset) for JSON text that is known to be valid."""
    offset = 0
    while True:
        match = _TOKEN.match(text, offset)
        if match is None or match.end() == offset:
            return
        start = match.start(match.lastindex or 0)
        yield match.group(match.lastindex or 0), start
        offset = match.end()


def locate_json(text: str) -> Positions:
    """Pointer -> (line, column) for valid JSON text (a repeated key: its last occurrence)."""
    starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def position(offset: int) -> Position:
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    positions: Positions = {}
    stack: list[Frame] = []
    pending: tuple[str | int, ...] | None = ()  # the path of the next value, when one is due
    for token, offset in _tokens(text):
        if token in "]}" and stack:
            stack.pop()
            pending = None
        elif token == ",":
            path, slot = stack[-1]
            if isinstance(slot[0], int):
                slot[0] += 1
                pending = (*path, slot[0])
        elif token == ":":
            path, slot = stack[-1]
            pending = (*path, slot[0])
        elif stack and pending is None and isinstance(stack[-1][1][0], str):
            path, slot = stack[-1]
            slot[0] = json.loads(token)
            positions[pointer(*path, slot[0])] = position(offset)
        elif pending is not None:
            positions.setdefault(pointer(*pending), position(offset))
            if token in "{[":
                stack.append((pending, ["" if token == "{" else 0]))
                pending = None if token == "{" else (*pending, 0)
            else:
                pending = None
    return positions


def locate_yaml(root: yaml.Node) -> tuple[Positions, list[Diagnostic]]:
    """Pointer -> (line, column) from a composed YAML node tree, and its repeated keys."""
    positions: Positions = {"": (root.start_mark.line + 1, root.start_mark.column + 1)}
    duplicates: list[Diagnostic] = []
    stack: list[tuple[tuple[str | int, ...], yaml.Node]] = [((), root)]
    seen: set[int] = set()
    while stack:
        path, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for child_path, mark_node, child in _yaml_children(path, node, duplicates):
            mark = mark_node.start_mark
            positions.setdefault(pointer(*child_path), (mark.line + 1, mark.column + 1))
            stack.append((child_path, child))
    return positions, duplicates


def _yaml_children(
    path: tuple[str | int, ...], node: yaml.Node, duplicates: list[Diagnostic]
) -> Iterator[tuple[tuple[str | int, ...], yaml.Node, yaml.Node]]:
    if isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            yield (*path, index), child, child
    elif isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, child in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = str(key_node.value)
            if key in keys:
                mark = key_node.start_mark
                duplicates.append(
                    _duplicate(pointer(*path, key), key, (mark.line + 1, mark.column + 1))
                )
            keys.add(key)
            yield (*path, key), key_node, child
