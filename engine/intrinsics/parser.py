"""Parse the text of an intrinsic call into the frozen call tree of ``nodes``.

Grammar (whitespace is allowed around arguments)::

    call      := NAME "(" [argument ("," argument)*] ")"       NAME is States.<Letters>
    argument  := call | string | number | "true" | "false" | "null" | path
    string    := "'" (character | "\\'" | "\\{" | "\\}" | "\\\\")* "'"
    number    := ["-"] digits ["." digits] [("e"|"E") ["+"|"-"] digits]
    path      := "$" ...   up to the next "," or ")" outside brackets

Paths are compiled by ``engine.jsonpath.compile_reference``. Unknown function
names, a wrong number of arguments and a ``States.Format`` literal template
whose placeholders do not match its arguments are all reported here, once, as
``ExpressionSyntaxError``. A string with another backslash sequence (``\\n``)
compiles, but fails when evaluated: AWS documents an open escape as a runtime error.
"""

from __future__ import annotations

import re
from typing import Final

from engine.errors import ExpressionSyntaxError
from engine.intrinsics.functions import FUNCTIONS, FormatTemplate
from engine.intrinsics.nodes import (
    Call,
    Constant,
    InvalidEscape,
    Node,
    PathArgument,
    StringLiteral,
    TemplateLiteral,
)
from engine.jsonpath import compile_reference

MAX_NESTING: Final = 64
ESCAPABLE: Final = frozenset("'{}\\")
KEYWORDS: Final = {"true": True, "false": False, "null": None}
_WORD: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(?P<fraction>\.[0-9]+)?(?P<exp>[eE][+-]?[0-9]+)?")


def parse_call(text: str) -> Call:
    """The call tree of ``text``, which must be exactly one intrinsic call."""
    return _Parser(text).parse()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    # ------------------------------------------------------------ structure

    def parse(self) -> Call:
        self._skip_spaces()
        call = self._call(depth=1)
        self._skip_spaces()
        if self.pos != len(self.text):
            raise self._error("unexpected text after the end of the call")
        return call

    def _call(self, depth: int) -> Call:
        if depth > MAX_NESTING:
            raise self._error(f"intrinsic calls are nested more than {MAX_NESTING} deep")
        start = self.pos
        name = self._word()
        spec = FUNCTIONS.get(name)
        if spec is None:
            raise self._error(f"unknown intrinsic function {name!r}", start)
        self._skip_spaces()
        self._expect("(")
        args = self._arguments(depth)
        source = self.text[start : self.pos]
        if not spec.accepts(len(args)):
            raise self._error(
                f"{name} takes {spec.describe_arity()} argument(s) but {len(args)} were given",
                start,
            )
        if name == "States.Format":
            args = _with_template(args, source)
        return Call(name, source, tuple(args), spec.function)

    def _arguments(self, depth: int) -> list[Node]:
        args: list[Node] = []
        self._skip_spaces()
        if self._peek() == ")":
            self.pos += 1
            return args
        while True:
            self._skip_spaces()
            args.append(self._argument(depth))
            self._skip_spaces()
            if self._peek() == ")":
                self.pos += 1
                return args
            self._expect(",")

    def _argument(self, depth: int) -> Node:
        char = self._peek()
        if char == "'":
            return self._string()
        if char == "$":
            return self._path()
        if char == "-" or char.isdigit():
            return self._number()
        if char and (char.isalpha() or char == "_"):
            return self._keyword_or_call(depth)
        raise self._error("expected an argument" if char else "unexpected end of text")

    def _keyword_or_call(self, depth: int) -> Node:
        start = self.pos
        word = self._word()
        if word in KEYWORDS:
            return Constant(KEYWORDS[word])
        if word.startswith("States."):
            self.pos = start
            return self._call(depth + 1)
        raise self._error(f"unexpected {word!r}; strings must be in single quotes", start)

    # ------------------------------------------------------------ terminals

    def _string(self) -> Node:
        start = self.pos
        self.pos += 1
        chars: list[tuple[str, bool]] = []  # (character, was escaped)
        bad_escape: str | None = None
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if char == "'":
                if bad_escape is not None:
                    return InvalidEscape(self.text[start : self.pos], bad_escape)
                return _string_literal(chars)
            if char != "\\":
                chars.append((char, False))
                continue
            escaped = self._peek()
            if escaped not in ESCAPABLE or not escaped:
                bad_escape = bad_escape or "\\" + escaped
            chars.append((escaped, True))
            self.pos += 1
        raise self._error("unterminated string", start)

    def _number(self) -> Constant:
        match = _NUMBER.match(self.text, self.pos)
        if match is None:
            raise self._error("expected a number")
        self.pos = match.end()
        if match.group("fraction") or match.group("exp"):
            return Constant(float(match.group()))
        return Constant(int(match.group()))

    def _path(self) -> PathArgument:
        start = self.pos
        depth = 0
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if depth and char in "'\"":
                self._skip_quoted(char)
                continue
            if char in "[(":
                depth += 1
            elif char in "])" and depth:
                depth -= 1
            elif char in ",)]" and not depth:
                break
            self.pos += 1
        text = self.text[start : self.pos].rstrip()
        try:
            reference = compile_reference(text)
        except ExpressionSyntaxError as exc:
            raise self._error(f"invalid path {text!r}: {exc.message}", start) from None
        return PathArgument(text, reference)

    def _skip_quoted(self, quote: str) -> None:
        self.pos += 1
        while self.pos < len(self.text) and self.text[self.pos] != quote:
            self.pos += 2 if self.text[self.pos] == "\\" else 1
        self.pos += 1

    def _word(self) -> str:
        match = _WORD.match(self.text, self.pos)
        if match is None:
            raise self._error("expected an intrinsic function name such as States.Format")
        self.pos = match.end()
        return match.group()

    # ------------------------------------------------------------ helpers

    def _peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _skip_spaces(self) -> None:
        while self._peek().isspace():
            self.pos += 1

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            found = repr(self._peek()) if self._peek() else "the end of the text"
            raise self._error(f"expected {char!r} but found {found}")
        self.pos += 1

    def _error(self, message: str, pos: int | None = None) -> ExpressionSyntaxError:
        where = self.pos if pos is None else pos
        return ExpressionSyntaxError(
            f"Invalid intrinsic function call {self.text!r}: {message} (at character {where + 1})"
        )


def _string_literal(chars: list[tuple[str, bool]]) -> StringLiteral:
    """The literal made of ``(character, was escaped)`` pairs, split around unescaped ``{}``."""
    pieces: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(chars):
        char, escaped = chars[index]
        if char == "{" and not escaped and chars[index + 1 : index + 2] == [("}", False)]:
            pieces.append("".join(current))
            current = []
            index += 2
            continue
        current.append(char)
        index += 1
    pieces.append("".join(current))
    return StringLiteral("".join(char for char, _ in chars), tuple(pieces))


def _with_template(args: list[Node], source: str) -> list[Node]:
    """``States.Format`` with a literal template: split it now and check the placeholders."""
    template = args[0]
    if isinstance(template, StringLiteral):
        placeholders = len(template.pieces) - 1
        if placeholders != len(args) - 1:
            raise ExpressionSyntaxError(
                f"Invalid intrinsic function call {source!r}: the template has {placeholders} "
                f"placeholder(s) '{{}}' but {len(args) - 1} value(s) were given"
            )
        return [TemplateLiteral(FormatTemplate(template.pieces)), *args[1:]]
    if isinstance(template, Constant):
        raise ExpressionSyntaxError(
            f"Invalid intrinsic function call {source!r}: the template must be a string"
        )
    return args
