"""The JSONPath parser: one recursive-descent pass from path text to selector steps.

Errors are ``ExpressionSyntaxError`` naming the path and the position.
"""

from __future__ import annotations

import re
from typing import Final

from engine.errors import ExpressionSyntaxError
from engine.jsonpath.steps import (
    _RELATIONS,
    _All,
    _Any,
    _Compare,
    _Descent,
    _Exists,
    _Filter,
    _FilterName,
    _Index,
    _IndexUnion,
    _LengthIndex,
    _Literal,
    _Name,
    _NameUnion,
    _Not,
    _Operand,
    _PathOperand,
    _regex_relation,
    _Slice,
    _Step,
    _Test,
    _Wildcard,
)
from engine.regexes import BoundedPattern, PatternError, compile_pattern

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

    def regex(self) -> BoundedPattern:
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
        ignore_case = False
        while self.peek() and self.peek().isalpha():
            ignore_case = ignore_case or self.peek() == "i"
            self.pos += 1
        try:
            return compile_pattern(source, ignore_case=ignore_case)
        except PatternError as exc:
            raise self.error(f"bad regular expression ({exc})") from None
