"""JSONPath for Step Functions' JSONPath query language, compiled once.

``compile_path("$.a[0]['b c']")`` parses the text into a frozen ``JsonPath``
whose ``find(document)`` is cheap: a path made only of names and indexes runs a
tight loop over a tuple of keys, anything else walks a list of selector steps.

What a path can say (what AWS's JSONPath accepts):

* ``$``, ``.name`` (any character but ``. [ ] ' "`` and whitespace; ``\\`` escapes
  one character), ``['name']`` / ``["name"]`` (``$.abc.['def ghi']`` too),
  ``[0]``, ``[*]`` and ``.*``, slices ``[a:b:c]``, unions ``[0,1]`` and
  ``['a','b']``, recursive descent ``..name`` / ``..*`` / ``..[0]``,
  filters ``[?(@.price < 10 && @.tag == 'x' || !@.isbn)]`` with ``== != < <= > >= =~``
  and existence tests, and ``[(@.length-1)]``.

AWS's engine behaves like an early Jayway JsonPath, and so does this one:

* A *definite* path (names, indexes, ``[(@.length-n)]``, a leaf ``['a','b']``)
  yields one value or raises ``PathNotFound``; any other path yields a list of
  matches, possibly empty (``$.items[*]`` on ``{}`` is ``[]``).
* A single negative index (``$.a[-1]``) selects nothing, as recorded on AWS;
  slices count from the end (``$.a[-1:]``) and ``$.a[(@.length-1)]`` is the last item.
* ``['a','b']`` as the last step merges into one object ``{"a": ..., "b": ...}``;
  anywhere else it fails with "Multi properties can only be used as path leafs".
* ``@`` in a filter only matches objects (AWS documents it), never scalars.
* ``PathNotFound.reason`` words a miss like AWS: ``No results for path: $['x']``.

``compile_reference`` adds the roots ``$$`` (context object) and ``$name``
(a workflow variable). ``set_at`` implements ResultPath, copying only the
objects along the path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final, Literal

from engine import errors
from engine.errors import EngineError, ExpressionSyntaxError, StatesError
from engine.jsonvalue import MISSING, to_json, type_name
from engine.scope import Scope

__all__ = [
    "REFERENCE_PATH_CONFLICT",
    "JsonPath",
    "PathNotFound",
    "Reference",
    "bracket_notation",
    "compile_path",
    "compile_reference",
    "compile_result_path",
    "set_at",
]

# What AWS raises when a ResultPath cannot be applied (recorded as
# "Unable to apply ReferencePath $.x to input \"text\""); the ASL spec's name for
# the same situation is States.ResultPathMatchFailure.
REFERENCE_PATH_CONFLICT: Final = errors.REFERENCE_PATH_CONFLICT

_NOTHING: Final = object()


class PathNotFound(EngineError):
    """A definite path matched nothing; ``path`` is its text, ``reason`` AWS's wording."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


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


def _regex_relation(pattern: re.Pattern[str]) -> Callable[[Any, Any], bool]:
    def relation(left: Any, right: Any) -> bool:
        return isinstance(left, str) and pattern.fullmatch(left) is not None

    return relation


# ----------------------------------------------------------------------- parser

_NAME_STOPS: Final = frozenset(".[]'\"") | frozenset(" \t\r\n")
_FILTER_NAME_STOPS: Final = _NAME_STOPS | frozenset("()=!<>&|,")
_NUMBER: Final = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_INTEGER: Final = re.compile(r"[+-]?\d+")
_ESCAPES: Final = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


class _Parser:
    """A recursive-descent reader over one path text; ``pos`` is the next character."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    # -- helpers
    def error(self, what: str) -> ExpressionSyntaxError:
        return ExpressionSyntaxError(
            f"Invalid JSONPath {self.text!r}: {what} at position {self.pos}"
        )

    def peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def expect(self, token: str) -> None:
        self.skip_spaces()
        if not self.text.startswith(token, self.pos):
            found = repr(self.peek()) if not self.at_end() else "the end"
            raise self.error(f"expected {token!r} but found {found}")
        self.pos += len(token)

    # -- paths
    def path(self) -> list[_Step]:
        if self.peek() != "$":
            raise self.error("a path must start with '$'")
        self.pos += 1
        steps = self.segments(in_filter=False)
        if not self.at_end():
            raise self.error(f"unexpected {self.peek()!r}")
        return steps

    def segments(self, in_filter: bool) -> list[_Step]:
        steps: list[_Step] = []
        while not self.at_end():
            char = self.peek()
            if self.peek(2) == "..":
                self.pos += 2
                steps.append(_Descent(self.after_dot(in_filter, descent=True)))
            elif char == ".":
                self.pos += 1
                steps.append(self.after_dot(in_filter, descent=False))
            elif char == "[":
                steps.append(self.bracket())
            else:
                break
        return steps

    def after_dot(self, in_filter: bool, descent: bool) -> _Step:
        char = self.peek()
        if char == "[":
            return self.bracket()
        if char == "*":
            self.pos += 1
            return _Wildcard()
        if char == "." and not descent:
            raise self.error("unexpected '.'")
        name = self.dot_name(_FILTER_NAME_STOPS if in_filter else _NAME_STOPS)
        if not name:
            raise self.error("expected a name after '.'" if not descent else "expected a name")
        return _FilterName(name) if in_filter else _Name(name)

    def dot_name(self, stops: frozenset[str]) -> str:
        chars: list[str] = []
        text = self.text
        while self.pos < len(text) and text[self.pos] not in stops:
            if text[self.pos] == "\\" and self.pos + 1 < len(text):
                self.pos += 1
            chars.append(text[self.pos])
            self.pos += 1
        return "".join(chars)

    def bracket(self) -> _Step:
        self.pos += 1
        self.skip_spaces()
        char = self.peek()
        if not char:
            raise self.error("unterminated '['")
        if char == "*":
            self.pos += 1
            step: _Step = _Wildcard()
        elif char == "?":
            step = self.filter_step()
        elif char == "(":
            step = self.length_index()
        elif char in ("'", '"'):
            step = self.names()
        elif char in ("-", "+", ":") or char.isdigit():
            step = self.numeric()
        else:
            raise self.error("expected a name, an index, '*', a slice or a filter inside '[ ]'")
        self.expect("]")
        return step

    def names(self) -> _Step:
        names = [self.quoted()]
        self.skip_spaces()
        while self.peek() == ",":
            self.pos += 1
            self.skip_spaces()
            if self.peek() not in ("'", '"'):
                raise self.error("expected a quoted name after ','")
            names.append(self.quoted())
            self.skip_spaces()
        return _Name(names[0]) if len(names) == 1 else _NameUnion(tuple(names))

    def quoted(self) -> str:
        quote = self.text[self.pos]
        self.pos += 1
        chars: list[str] = []
        while True:
            if self.at_end():
                raise self.error(f"unterminated string (missing {quote})")
            char = self.text[self.pos]
            if char == quote:
                self.pos += 1
                return "".join(chars)
            if char == "\\":
                chars.append(self.escape())
                continue
            chars.append(char)
            self.pos += 1

    def escape(self) -> str:
        self.pos += 1
        if self.at_end():
            raise self.error("unterminated escape")
        char = self.text[self.pos]
        self.pos += 1
        if char == "u":
            digits = self.text[self.pos : self.pos + 4]
            if len(digits) != 4 or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise self.error("expected four hex digits after '\\u'")
            self.pos += 4
            return chr(int(digits, 16))
        return _ESCAPES.get(char, char)

    def integer(self) -> int | None:
        self.skip_spaces()
        match = _INTEGER.match(self.text, self.pos)
        if match is None:
            return None
        self.pos = match.end()
        self.skip_spaces()
        return int(match.group())

    def numeric(self) -> _Step:
        first = self.integer()
        if self.peek() == ":":
            return self.slice(first)
        if first is None:
            raise self.error("expected an index")
        indexes = [first]
        while self.peek() == ",":
            self.pos += 1
            index = self.integer()
            if index is None:
                raise self.error("expected an index after ','")
            indexes.append(index)
        return _Index(first) if len(indexes) == 1 else _IndexUnion(tuple(indexes))

    def slice(self, start: int | None) -> _Step:
        self.pos += 1
        stop = self.integer()
        step = None
        if self.peek() == ":":
            self.pos += 1
            step = self.integer()
            if step == 0:
                raise self.error("a slice step cannot be 0")
        return _Slice(start, stop, step)

    def length_index(self) -> _Step:
        self.pos += 1
        self.expect("@.length")
        self.skip_spaces()
        offset = 0
        if self.peek() in ("-", "+"):
            sign = -1 if self.peek() == "-" else 1
            self.pos += 1
            value = self.integer()
            if value is None or value < 0:
                raise self.error("expected a number after the sign in '(@.length ...)'")
            offset = sign * value
        self.expect(")")
        return _LengthIndex(offset)

    # -- filters
    def filter_step(self) -> _Step:
        start = self.pos
        self.pos += 1
        self.expect("(")
        expression = self.disjunction()
        self.expect(")")
        return _Filter(expression, self.text[start : self.pos])

    def disjunction(self) -> _Test:
        parts = [self.conjunction()]
        while self.consume("||"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else _Any(parts)

    def conjunction(self) -> _Test:
        parts = [self.unary()]
        while self.consume("&&"):
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else _All(parts)

    def consume(self, token: str) -> bool:
        self.skip_spaces()
        if self.text.startswith(token, self.pos):
            self.pos += len(token)
            return True
        return False

    def unary(self) -> _Test:
        self.skip_spaces()
        if self.peek() == "!" and self.peek(2) != "!=":
            self.pos += 1
            return _Not(self.unary())
        if self.peek() == "(":
            self.pos += 1
            inner = self.disjunction()
            self.expect(")")
            return inner
        return self.comparison()

    def comparison(self) -> _Test:
        left = self.operand()
        self.skip_spaces()
        if self.peek(2) == "=~":
            self.pos += 2
            return _Compare(left, _regex_relation(self.regex()), _Literal(None))
        for token, relation in _RELATIONS.items():
            if self.text.startswith(token, self.pos):
                self.pos += len(token)
                return _Compare(left, relation, self.operand())
        return _Exists(left)

    def operand(self) -> _Operand:
        self.skip_spaces()
        char = self.peek()
        if char in ("@", "$"):
            self.pos += 1
            return _PathOperand(tuple(self.segments(in_filter=True)), from_root=char == "$")
        if char in ("'", '"'):
            return _Literal(self.quoted())
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return _Literal(value)
        match = _NUMBER.match(self.text, self.pos)
        if match is None:
            raise self.error("expected '@', '$', a string, a number, true, false or null")
        self.pos = match.end()
        number = match.group()
        is_float = any(c in number for c in ".eE")
        return _Literal(float(number) if is_float else int(number))

    def regex(self) -> re.Pattern[str]:
        self.skip_spaces()
        if self.peek() != "/":
            raise self.error("expected a /regular expression/ after '=~'")
        end = self.pos + 1
        while end < len(self.text) and self.text[end] != "/":
            end += 2 if self.text[end] == "\\" else 1
        if end >= len(self.text):
            raise self.error("unterminated regular expression")
        source = self.text[self.pos + 1 : end]
        self.pos = end + 1
        flags = 0
        while self.peek() and self.peek().isalpha():
            flags |= re.IGNORECASE if self.peek() == "i" else 0
            self.pos += 1
        try:
            return re.compile(source, flags)
        except re.error as exc:
            raise self.error(f"bad regular expression ({exc})") from None


# ------------------------------------------------------------------- evaluation


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


def _render(steps: Sequence[_Step], prefix: str = "$") -> str:
    return prefix + "".join(step.render() for step in steps)


@dataclass(frozen=True, slots=True)
class JsonPath:
    """A compiled path over one document; see the module docstring for the syntax."""

    text: str
    steps: tuple[_Step, ...] = field(repr=False, compare=False)
    is_definite: bool = field(compare=False)
    is_reference_path: bool = field(compare=False)
    _keys: tuple[str | int, ...] | None = field(repr=False, compare=False)
    _names: tuple[str, ...] | None = field(repr=False, compare=False)
    _failure: str | None = field(repr=False, compare=False)

    def find(self, document: Any) -> Any:
        """The value (definite path, else ``PathNotFound``) or the list of matches."""
        names = self._names
        if names is not None:
            # Only object members: plain subscripting fails with KeyError on a
            # missing name and TypeError on anything that is not an object.
            node = document
            try:
                for name in names:
                    node = node[name]
            except (KeyError, TypeError):
                raise PathNotFound(self.text, self._explain_miss(document)) from None
            return node
        keys = self._keys
        if keys is None:
            return self._find_general(document)
        node = document
        try:
            for key in keys:  # indexes here are never negative
                if key.__class__ is int and not isinstance(node, list):
                    raise TypeError
                node = node[key]
        except (KeyError, TypeError, IndexError):
            raise PathNotFound(self.text, self._explain_miss(document)) from None
        return node

    def exists(self, document: Any) -> bool:
        """True when a definite path finds a value; an indefinite one always "exists"."""
        try:
            self.find(document)
        except PathNotFound:
            return False
        return True

    def bracket_notation(self) -> str:
        """The path as AWS prints it in messages: ``$['a'][0]``."""
        return _render(self.steps)

    def _find_general(self, document: Any) -> Any:
        if self._failure is not None:
            raise PathNotFound(self.text, self._failure)
        found = _run_steps(self.steps, document, document)
        if not self.is_definite:
            return found
        if found:
            return found[0]
        raise PathNotFound(self.text, self._explain_miss(document))

    def _explain_miss(self, document: Any) -> str:
        node, done = document, "$"
        last = len(self.steps) - 1
        for position, step in enumerate(self.steps):
            found: list[Any] = []
            step.select(node, document, found)
            if not found:
                return _miss_reason(step, node, done, position == last, self.bracket_notation())
            node, done = found[0], done + step.render()
        return f"No results for path: {self.bracket_notation()}"


def _miss_reason(step: _Step, node: Any, done: str, is_leaf: bool, full: str) -> str:
    """Jayway's words for a definite path that stops at ``step`` (reached via ``done``)."""
    if isinstance(step, (_Name, _NameUnion)):
        if not isinstance(node, dict):
            return (
                f"Expected to find an object with property {step.render()} in path {done} "
                f"but found '{type_name(node)}'. This is not a json object."
            )
        if not is_leaf:
            return f"Missing property in path {done}{step.render()}"
    elif node is None:
        return f"The path {done} is null"
    elif not isinstance(node, list):
        return f"Filter: {step.render()} can only be applied to arrays. Current context is: " + (
            to_json(node)
        )
    return f"No results for path: {full}"


def _build(text: str, steps: list[_Step]) -> JsonPath:
    keys = _plain_keys(steps)
    negative = keys is not None and any(isinstance(k, int) and k < 0 for k in keys)
    names = None
    if keys is not None and all(isinstance(k, str) for k in keys):
        names = tuple(str(k) for k in keys)
    return JsonPath(
        text,
        tuple(steps),
        is_definite=all(step.definite for step in steps),
        is_reference_path=keys is not None and not negative,
        _keys=None if negative else keys,
        _names=names,
        _failure=_non_leaf_union(steps),
    )


def _plain_keys(steps: list[_Step]) -> tuple[str | int, ...] | None:
    """The names and indexes of a path made of nothing else (the fast case), else None."""
    keys: list[str | int] = []
    for step in steps:
        if type(step) is _Name:
            keys.append(step.name)
        elif type(step) is _Index:
            keys.append(step.index)
        else:
            return None
    return tuple(keys)


def _non_leaf_union(steps: list[_Step]) -> str | None:
    """Jayway's runtime failure for ``['a','b']`` anywhere but at the end of a path."""
    for position, step in enumerate(steps[:-1]):
        if isinstance(step, _NameUnion):
            return "Multi properties can only be used as path leafs: " + _render(
                steps[: position + 1]
            )
    return None


def compile_path(text: str) -> JsonPath:
    """Parse ``text`` (which must start with ``$``) once; ``ExpressionSyntaxError`` if invalid."""
    if not isinstance(text, str):
        raise ExpressionSyntaxError(f"A path must be a string, not {type_name(text)}")
    return _compile_path(text)


@lru_cache(maxsize=4096)
def _compile_path(text: str) -> JsonPath:
    return _build(text, _Parser(text).path())


def compile_result_path(text: str) -> JsonPath:
    """A ResultPath: a reference path into ``$`` made only of names and indexes."""
    path = compile_path(text)
    if not path.is_reference_path:
        raise ExpressionSyntaxError(
            f"Invalid ResultPath {text!r}: a reference path may only use names and "
            "non-negative indexes (no '*', '..', slices, unions or filters)"
        )
    return path


def bracket_notation(text: str) -> str:
    """``$.NoSuchInputPath`` -> ``$['NoSuchInputPath']``, as AWS shows paths in messages.

    ``$$.a`` renders as ``$$['a']`` and ``$var.a`` as ``$var['a']``.
    """
    reference = compile_reference(text)
    prefix = {"input": "$", "context": "$$"}.get(reference.root, f"${reference.variable}")
    return _render(reference.path.steps, prefix)


# -------------------------------------------------------------------- references

Root = Literal["input", "context", "variable"]


@dataclass(frozen=True, slots=True)
class Reference:
    """A path from ``$`` (input), ``$$`` (context object) or ``$name`` (a variable)."""

    text: str
    root: Root
    variable: str | None
    path: JsonPath = field(repr=False)

    @property
    def is_definite(self) -> bool:
        return self.path.is_definite

    def document(self, scope: Scope) -> Any:
        """The document this reference reads: the input, the context or the variable."""
        if self.root == "input":
            return scope.input
        if self.root == "context":
            return scope.context
        value = scope.variables.get(self.variable or "", _NOTHING)
        if value is _NOTHING:
            raise PathNotFound(self.text, f"The variable '${self.variable}' is not defined")
        return value

    def evaluate(self, scope: Scope) -> Any:
        """The selected value (or list of matches); ``PathNotFound`` when nothing matches."""
        if self.root == "input":
            return self.path.find(scope.input)
        try:
            return self.path.find(self.document(scope))
        except PathNotFound as miss:
            if miss.path == self.text:
                raise
            raise PathNotFound(self.text, miss.reason) from None


def _variable_name(text: str) -> str:
    end = 1
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return text[1:end]


def compile_reference(text: str) -> Reference:
    """Compile a path rooted at ``$``, ``$$`` or ``$name``; ``ExpressionSyntaxError`` if invalid."""
    if not isinstance(text, str) or not text.startswith("$"):
        shown = text if isinstance(text, str) else type_name(text)
        raise ExpressionSyntaxError(f"Invalid path {shown!r}: a path must start with '$'")
    return _compile_reference(text)


@lru_cache(maxsize=4096)
def _compile_reference(text: str) -> Reference:
    if text.startswith("$$"):
        return Reference(text, "context", None, _relative(text, text[2:], 2))
    name = _variable_name(text)
    if name:
        return Reference(
            text, "variable", name, _relative(text, text[1 + len(name) :], 1 + len(name))
        )
    return Reference(text, "input", None, compile_path(text))


def _relative(text: str, rest: str, offset: int) -> JsonPath:
    """Compile ``$`` + ``rest`` (the path after ``$$`` or ``$name``); errors name ``text``."""
    parser = _Parser(text)
    parser.pos = offset
    steps = parser.segments(in_filter=False)
    if not parser.at_end():
        raise parser.error(f"unexpected {parser.peek()!r}")
    return _build("$" + rest, steps)


# ---------------------------------------------------------------------- ResultPath


def set_at(document: Any, path: JsonPath | str, value: Any) -> Any:
    """ResultPath: ``document`` with ``value`` placed at ``path`` (a copy; never mutated).

    ``$`` returns ``value``; missing objects along the path are created; a step
    that meets a value it cannot descend into raises
    ``StatesError("States.ReferencePathConflict", "Unable to apply ReferencePath ...")``.
    """
    compiled = compile_result_path(path) if isinstance(path, str) else path
    if not compiled.is_reference_path:
        raise ExpressionSyntaxError(f"Invalid ResultPath {compiled.text!r}: not a reference path")
    keys = compiled._keys or ()
    if not keys:
        return value
    return _placed(document, keys, 0, value, compiled.text, document)


def _placed(
    node: Any, keys: tuple[str | int, ...], at: int, value: Any, text: str, whole: Any
) -> Any:
    key = keys[at]
    last = at == len(keys) - 1
    if isinstance(key, str) and isinstance(node, dict):
        copy = dict(node)
        child = node.get(key, _NOTHING)
        if child is _NOTHING and not last:
            child = {}
        copy[key] = value if last else _placed(child, keys, at + 1, value, text, whole)
        return copy
    if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
        items = list(node)
        items[key] = value if last else _placed(node[key], keys, at + 1, value, text, whole)
        return items
    raise StatesError(
        REFERENCE_PATH_CONFLICT, f"Unable to apply ReferencePath {text} to input {to_json(whole)}"
    )
