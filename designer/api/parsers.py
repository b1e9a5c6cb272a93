"""The API's JSON body parser: bounded in size and nesting, and only text that can be stored.

DRF's parser reads any size, lets ``RecursionError`` from a deeply nested body
escape as a 500, and accepts strings holding a lone UTF-16 surrogate
(``"\\ud800"``) that no database column can store. This one reads at most
``REQUEST_MAX_BYTES`` (413 past it), and answers 400 with the JSON Pointer of
the problem for a body nested deeper than ``JSON_MAX_DEPTH`` or holding such a
string.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

from designer.errors import RequestTooLarge, ValidationFailed
from designer.limits import limit
from engine.jsonvalue import json_problem


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
            raise ValidationFailed(
                "The request body nests too deeply to read.",
                {"limit": limit("JSON_MAX_DEPTH")},
            ) from None
        problem = json_problem(data, limit("JSON_MAX_DEPTH"))
        if problem is not None:
            where, why = problem
            raise ValidationFailed(
                f"The request body cannot be accepted: at {where or '/'}, {why}.",
                {"pointer": where},
            )
        return data
