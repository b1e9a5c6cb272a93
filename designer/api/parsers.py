"""The API's JSON body parser: bounded in size and nesting, and only text that can be stored.

DRF's parser reads any size, lets ``RecursionError`` from a deeply nested body
escape as a 500, and accepts strings holding a lone UTF-16 surrogate
(``"\\ud800"``) that no database column can store. This one reads at most
``REQUEST_MAX_BYTES`` (413 past it), and answers 400 with the JSON Pointer of
the problem for a body nested deeper than ``JSON_MAX_DEPTH`` or holding such a
string. A body too deep for Python's parser itself is scanned token by token
for the pointer of its first node past the limit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

from designer.errors import RequestTooLarge, ValidationFailed
from designer.limits import limit
from engine.diagnostics import pointer
from engine.jsonvalue import escaped, json_problem

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]')


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        most = limit("REQUEST_MAX_BYTES")
        raw = stream.read(most + 1) if stream is not None else b""
        if len(raw) > most:
            raise RequestTooLarge(f"The request body is larger than {most} bytes.", {"limit": most})
        encoding = parsers.get_encoding(dict(parser_context or {}))  # type: ignore[attr-defined]
        parse_constant = json.strict_constant if self.strict else None
        try:
            data = json.loads(raw.decode(encoding), parse_constant=parse_constant)
        except ValueError as exc:  # UnicodeDecodeError is a ValueError too
            raise ParseError(f"JSON parse error - {exc}") from None
        except RecursionError:
            most = limit("JSON_MAX_DEPTH")
            where = too_deep_in_text(raw.decode(encoding, "replace"), most)
            raise ValidationFailed(
                f"The request body nests too deeply to read: at {where or '/'}, "
                f"the value nests deeper than {most} levels.",
                {"pointer": where, "limit": most},
            ) from None
        problem = json_problem(data, limit("JSON_MAX_DEPTH"))
        if problem is not None:
            where, why = problem
            raise ValidationFailed(
                f"The request body cannot be accepted: at {where or '/'}, {why}.",
                {"pointer": where},
            )
        return data


def too_deep_in_text(text: str, max_depth: int) -> str:
    """The JSON Pointer of the first object or array of the JSON ``text`` nested deeper than
    ``max_depth`` (as ``engine.jsonvalue.json_problem`` would name it), read without
    building the value; "" when none is (the text is then malformed elsewhere)."""
    path: list[str | int] = []
    kinds: list[str] = []
    last = '""'
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0] == '"':
            last = token
        elif token in "[{":
            if len(kinds) >= max_depth:
                return escaped(pointer(*path))
            kinds.append(token)
            path.append(0 if token == "[" else "")
        elif token in "]}":
            if kinds:
                kinds.pop()
                path.pop()
        elif token == ":" and kinds and kinds[-1] == "{":
            try:
                path[-1] = str(json.loads(last))
            except ValueError:
                path[-1] = last[1:-1]
        elif token == "," and kinds and kinds[-1] == "[":
            path[-1] = int(path[-1]) + 1
    return ""
