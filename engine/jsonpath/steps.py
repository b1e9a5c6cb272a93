"""The selector steps of a compiled JSONPath and the filter expressions they test.

Each step adds the nodes it selects from one node to a list; a ``JsonPath`` runs
its steps left to right (see ``engine.jsonpath.paths``). Filters (``[?(...)]``)
compare operands with Jayway's rules: numbers with numbers, strings with strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final

from engine.errors import RUNTIME, StatesError
from engine.interrupts import LimitExceeded
from engine.jsonvalue import MISSING, type_name
from engine.regexes import BoundedPattern

_NOTHING: Final = object()


# --------------------------------------------------------------------------- steps


class _Step:
    """One selector of a path: appends what it selects from ``node`` to ``out``."""

    __slots__ = ()
    definite: bool = False

    def select(self, node: Any, root: Any, out: list[Any]) -> None:
        raise NotImplementedError

    def render(self) -> str:
        raise NotImplementedError


class _Name(_Step):
    __slots__ = ("name",)
    definite = True

    def __init__(self, name: str) -> None:
        self.name = name

    def select(self, node: Any, root: Any, out: list[Any]) -> None:
        if isinstance(node, dict):
            value = node.get(self.name, _NOTHING)
            if value is not _NOTHING:
                out.append(value)

    def render(self) -> str:
        return f"['{self.name}']"


class _FilterName(_Name):
    """A name inside a filter operand: ``length`` of an array or a string is its size."""

    __slots__ = ()

    def select(self, node: Any, root: Any, out: list[Any]) -> None:
        if self.name == "length" and isinstance(node, (list, str)):
            out.append(len(node))
        else:
            _Name.select(self, node, root, out)


class _Index(_Step):
    __slots__ = ("index",)
    definite = True

    def __init__(self, index: int) -> None:
        self.index = index

    def select(self, node: Any, root: Any, out: list[Any]) -> None:
        if isinstance(node, list) and 0 <= self.index < len(node):
            out.append(node[self.index])

    def render(self) -> str:
        return f"[{self.index}]"


class _LengthIndex(_Step):
    """``[(@.length-1)]``: an index counted from the array's length."""

    __slots__ = ("offset",)
    definite = True

    def __init__(self, offset: int) -> None:
        self.offset = offset

    def select(self, node: Any, root: Any, out: list[Any]) -> None:
        if isinstance(node, list):
            index = len(node) + self.offset
            if 0 <= index < len(node):
                out.append(node[index])

    def render(self) -> str:
        if self.offset == 0:
            return "[(@.length)]"
        sign = "+" if self.offset > 0 else "-"
        return f"[(@.length{sign}{abs(self.offset)})]"


class _Wildcard(_Step):
    __slots__ = ()

    def select(self, node: Any, root: Any, out: list[Any]) -> None:
        if isinstance(node, dict):
            out.extend(node.values())
        elif isinstance(node, list):
            out.extend(node)

    def render(self) -> str:
        return "[*]"


class _Slice(_Step):
    __slots__ = ("start", "step", "stop")

    def __init__(self, start: int | None, stop: int | None, step: int | None) -> None:
        self.start, self.stop, self.step = start, stop, step

    def select(self, node: Any, root: Any, out: list[Any]) -> None:
        if isinstance(node, list):
            out.extend(node[self.start : self.stop : self.step])

    def render(self) -> str:
        text = f"{_opt(self.start)}:{_opt(self.stop)}"
        return f"[{text}:{self.step}]" if self.step is not None else f"[{text}]"


class _IndexUnion(_Step):
    __slots__ = ("indexes",)

    def __init__(self, indexes: tuple[int, ...]) -> None:
        self.indexes = indexes

    def select(self, node: Any, root: Any, out: list[Any]) -> None:
        if isinstance(node, list):
            size = len(node)
            out.extend(node[i] for i in self.indexes if 0 <= i < size)

    def render(self) -> str:
        return "[" + ",".join(str(i) for i in self.indexes) + "]"


class _NameUnion(_Step):
    """``['a','b']``: merged into one object when it is the last step (Jayway's rule)."""

    __slots__ = ("names",)
    definite = True

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names

    def select(self, node: Any, root: Any, out: list[Any]) -> None:
        if isinstance(node, dict):
            out.append({name: node[name] for name in self.names if name in node})

    def render(self) -> str:
        return "[" + ", ".join(f"'{name}'" for name in self.names) + "]"


class _Filter(_Step):
    __slots__ = ("expression", "text")

    def __init__(self, expression: _Test, text: str) -> None:
        self.expression = expression
        self.text = text

    def select(self, node: Any, root: Any, out: list[Any]) -> None:
        test = self.expression.test
        if isinstance(node, list):
            out.extend(item for item in node if isinstance(item, dict) and test(item, root))
        elif isinstance(node, dict) and test(node, root):
            out.append(node)

    def render(self) -> str:
        return "[?]"


class _Descent(_Step):
    """``..x``: ``x`` applied to the node and to every node below it, in document order."""

    __slots__ = ("inner",)

    def __init__(self, inner: _Step) -> None:
        self.inner = inner

    def select(self, node: Any, root: Any, out: list[Any]) -> None:
        inner = self.inner
        for each in _walk(node):
            inner.select(each, root, out)

    def render(self) -> str:
        return ".." + self.inner.render()


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _opt(value: int | None) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------------- filters


class _Operand:
    __slots__ = ()

    def value(self, current: Any, root: Any) -> Any:
        raise NotImplementedError


class _Literal(_Operand):
    __slots__ = ("literal",)

    def __init__(self, literal: Any) -> None:
        self.literal = literal

    def value(self, current: Any, root: Any) -> Any:
        return self.literal


class _PathOperand(_Operand):
    """``@.a.b`` (from the filtered item) or ``$.a`` (from the document root)."""

    __slots__ = ("definite", "from_root", "steps")

    def __init__(self, steps: tuple[_Step, ...], from_root: bool) -> None:
        self.steps = steps
        self.from_root = from_root
        self.definite = all(step.definite for step in steps)

    def value(self, current: Any, root: Any) -> Any:
        nodes = _run_steps(self.steps, root if self.from_root else current, root)
        if self.definite:
            return nodes[0] if nodes else MISSING
        return nodes


class _Test:
    __slots__ = ()

    def test(self, current: Any, root: Any) -> bool:
        raise NotImplementedError


class _Exists(_Test):
    __slots__ = ("operand",)

    def __init__(self, operand: _Operand) -> None:
        self.operand = operand

    def test(self, current: Any, root: Any) -> bool:
        operand = self.operand
        value = operand.value(current, root)
        if isinstance(operand, _PathOperand):
            return value is not MISSING if operand.definite else bool(value)
        return value is True


class _Compare(_Test):
    __slots__ = ("left", "relation", "right")

    def __init__(
        self, left: _Operand, relation: Callable[[Any, Any], bool], right: _Operand
    ) -> None:
        self.left, self.relation, self.right = left, relation, right

    def test(self, current: Any, root: Any) -> bool:
        return self.relation(self.left.value(current, root), self.right.value(current, root))


class _Not(_Test):
    __slots__ = ("inner",)

    def __init__(self, inner: _Test) -> None:
        self.inner = inner

    def test(self, current: Any, root: Any) -> bool:
        return not self.inner.test(current, root)


class _All(_Test):
    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[_Test]) -> None:
        self.parts = tuple(parts)

    def test(self, current: Any, root: Any) -> bool:
        return all(part.test(current, root) for part in self.parts)


class _Any(_Test):
    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[_Test]) -> None:
        self.parts = tuple(parts)

    def test(self, current: Any, root: Any) -> bool:
        return any(part.test(current, root) for part in self.parts)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _equal(left: Any, right: Any) -> bool:
    if left is MISSING or right is MISSING:
        return False
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    return type_name(left) == type_name(right) and bool(left == right)


def _ordered(check: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def relation(left: Any, right: Any) -> bool:
        if _is_number(left) and _is_number(right):
            return check(left, right)
        if isinstance(left, str) and isinstance(right, str):
            return check(left, right)
        return False

    return relation


_RELATIONS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": _equal,
    "!=": lambda left, right: not _equal(left, right),
    "<=": _ordered(lambda a, b: bool(a <= b)),
    ">=": _ordered(lambda a, b: bool(a >= b)),
    "<": _ordered(lambda a, b: bool(a < b)),
    ">": _ordered(lambda a, b: bool(a > b)),
}


def _regex_relation(pattern: BoundedPattern) -> Callable[[Any, Any], bool]:
    """``=~``: the whole string matches; a search past its time bound fails the state."""

    def relation(left: Any, right: Any) -> bool:
        if not isinstance(left, str):
            return False
        try:
            return pattern.fullmatch(left) is not None
        except LimitExceeded as refused:
            raise StatesError(RUNTIME, refused.cause) from None

    return relation


def _run_steps(steps: Sequence[_Step], start: Any, root: Any) -> list[Any]:
    nodes = [start]
    for step in steps:
        found: list[Any] = []
        select = step.select
        for node in nodes:
            select(node, root, found)
        if not found:
            return found
        nodes = found
    return nodes
