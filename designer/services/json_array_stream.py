"""A JSON array read element by element from a byte stream, never whole.

``array_elements(read, position)`` yields ``(element, position)``: each element
of the top-level array and the position just after it, ``{"offset", "line",
"column", "index"}`` (the byte offset from which a ranged read resumes, the
line and column there for error messages, and how many elements came before).
Only the element being parsed and one read's worth of bytes are held, so a
1 GB array costs no more memory than its largest element (elements are items
of a Map, bounded by the 256 KiB payload; a stretch longer than
``MAX_ELEMENT_CHARS`` that does not parse is an error, not a reason to read on).

Each element is parsed by the standard library's decoder (``raw_decode``), so
values are exactly what ``json.loads`` gives. A syntax error raises
``JsonArrayError`` with the 1-based line and column of the offending character.
An element nested deeper than ``JSON_MAX_DEPTH`` is an error too (at the bracket
that goes one level too deep), never a ``RecursionError`` from the decoder.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from engine.limits import JSON_MAX_DEPTH

MAX_ELEMENT_CHARS = 4 << 20
READ_BYTES = 1 << 16
WHITESPACE = " \t\n\r"
NUMBER_CHARS = "0123456789.eE+-"

Position = dict[str, int]


class JsonArrayError(ValueError):
    """Not a JSON array (or not valid JSON) at ``line``, ``column``."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.message, self.line, self.column = message, line, column


class _Cursor:
    """A window of decoded text over the stream; ``mark`` is a point in it whose byte
    offset, line and column are known (moved forward as the reading goes)."""

    def __init__(self, read: Callable[[int], bytes], start: Position | None) -> None:
        self.read = read
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        self.at = 0  # index into text of the next unread character
        self.eof = False
        begin = start or {}
        self.mark = 0
        self.offset = int(begin.get("offset", 0))  # byte offset of text[mark]
        self.line = int(begin.get("line", 1))  # line and column of text[mark]
        self.column = int(begin.get("column", 1))
        self.first = start is None

    def more(self) -> bool:
        """Read on (dropping what was consumed); False at the end of the stream."""
        if self.eof:
            return False
        self._move_mark()
        self.text, self.at, self.mark = self.text[self.at :], 0, 0
        chunk = self.read(READ_BYTES)
        self.eof = not chunk
        try:
            self.text += self.decoder.decode(chunk, final=self.eof)
        except UnicodeDecodeError as err:
            self.text += chunk[: max(err.start, 0)].decode("utf-8", "replace")
            raise self.error("not UTF-8 text", len(self.text)) from None
        if self.first and self.text:  # a byte order mark is not part of the document
            if self.text.startswith("\ufeff"):
                self.text, self.offset = self.text[1:], self.offset + 3
            self.first = False
        return not self.eof

    def _move_mark(self) -> None:
        done = self.text[self.mark : self.at]
        self.offset += len(done) if done.isascii() else len(done.encode())
        self.line, self.column = _advance(self.line, self.column, done)
        self.mark = self.at

    def next_char(self) -> str:
        """The next character that is not whitespace ('' at the end), not consumed."""
        while True:
            while self.at < len(self.text) and self.text[self.at] in WHITESPACE:
                self.at += 1
            if self.at < len(self.text):
                return self.text[self.at]
            if not self.more():
                return ""

    def position(self, index: int) -> Position:
        self._move_mark()
        return {"offset": self.offset, "line": self.line, "column": self.column, "index": index}

    def error(self, message: str, at: int | None = None) -> JsonArrayError:
        where = self.at if at is None else at
        line, column = _advance(self.line, self.column, self.text[self.mark : where])
        return JsonArrayError(message, line, column)


def _advance(line: int, column: int, text: str) -> tuple[int, int]:
    breaks = text.count("\n")
    if not breaks:
        return line, column + len(text)
    return line + breaks, len(text) - text.rfind("\n")


_DECODER = json.JSONDecoder()
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')
TOO_DEEP = f"the item nests deeper than {JSON_MAX_DEPTH} levels (the limit on JSON depth)"


def too_deep_at(text: str, start: int = 0, end: int | None = None) -> int | None:
    """Index in ``text`` of the bracket that opens level ``JSON_MAX_DEPTH + 1``, or None.

    Brackets inside strings do not count. A count of the brackets (at C speed)
    settles the usual, shallow value without scanning it.
    """
    stop = len(text) if end is None else end
    if text.count("[", start, stop) + text.count("{", start, stop) <= JSON_MAX_DEPTH:
        return None
    depth = 0
    for match in _TOKENS.finditer(text, start, stop):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > JSON_MAX_DEPTH:
                return match.start()
        elif char in "]}":
            depth -= 1
    return None


def json_value(data: bytes | str) -> Any:
    """``json.loads(data)``, refusing nesting deeper than ``JSON_MAX_DEPTH``: raises
    ``JsonArrayError`` (line 1, the column of the bracket too deep) or ``ValueError``."""
    if isinstance(data, bytes):
        if data.count(b"[") + data.count(b"{") <= JSON_MAX_DEPTH:
            return json.loads(data)
        text = data.decode("utf-8", "replace")
    else:
        text = data
    deep = too_deep_at(text)
    if deep is not None:
        raise JsonArrayError(TOO_DEEP, 1, deep + 1)
    return json.loads(data)


def _element(cursor: _Cursor) -> Any:
    """Parse the value at the cursor, reading on while it may be cut by the read's end."""
    while True:
        try:
            value, end = _DECODER.raw_decode(cursor.text, cursor.at)
        except RecursionError:
            deep = too_deep_at(cursor.text, cursor.at)
            raise cursor.error(TOO_DEEP, cursor.at if deep is None else deep) from None
        except json.JSONDecodeError as err:
            if len(cursor.text) - cursor.at < MAX_ELEMENT_CHARS and not cursor.eof:
                cursor.more()  # it may be cut by the read's end: try again with more
                continue
            raise cursor.error(err.msg, err.pos) from None
        if _maybe_cut(value, cursor, end):
            cursor.more()  # a number may go on in the next read
            continue
        deep = too_deep_at(cursor.text, cursor.at, end)
        if deep is not None:
            raise cursor.error(TOO_DEEP, deep)
        cursor.at = end
        return value


def _maybe_cut(value: Any, cursor: _Cursor, end: int) -> bool:
    """Whether a number ends where the text read so far ends (``12|3``, ``2.|5``)."""
    if cursor.eof or not isinstance(value, int | float) or isinstance(value, bool):
        return False
    tail = cursor.text[end : end + 1]
    return not tail or (tail in NUMBER_CHARS and len(cursor.text) - end < 64)


def array_elements(read: Callable[[int], bytes], position: Position | None) -> Iterator[Any]:
    """(element, position after it) for each element of the array in the stream."""
    cursor = _Cursor(read, position)
    index = int((position or {}).get("index", 0))
    expect_comma = position is not None
    if position is None:
        if cursor.next_char() != "[":
            raise cursor.error("the document is not a JSON array of items")
        cursor.at += 1
        if cursor.next_char() == "]":
            cursor.at += 1
            _expect_end(cursor)
            return
    while True:
        if expect_comma:
            char = cursor.next_char()
            if char == "]":
                cursor.at += 1
                _expect_end(cursor)
                return
            if char != ",":
                found = "the end of the data" if not char else repr(char)
                raise cursor.error(f"expected ',' or ']' after an item, found {found}")
            cursor.at += 1
        if cursor.next_char() == "":
            raise cursor.error("the array is not closed (the data ends)")
        value = _element(cursor)
        index += 1
        expect_comma = True
        yield value, cursor.position(index)


def _expect_end(cursor: _Cursor) -> None:
    char = cursor.next_char()
    if char:
        raise cursor.error(f"unexpected {char!r} after the array")
