"""Issue #11: a JSON array ItemReader source is read an element at a time
(``designer.services.json_array_stream``): whatever the read sizes, the same values as
``json.loads``, positions a ranged read resumes from, errors with line and column."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from designer.services import json_array_stream
from designer.services.json_array_stream import JsonArrayError, array_elements

VALUES = [1, 2.5, -3e5, 1.5e-7, "héllo\nwörld", {"a": [1, {"b": None}]}, [], True, None, "𝄞"]


def read_all(data: bytes, position: Any = None) -> list[tuple[Any, Any]]:
    stream = io.BytesIO(data)
    stream.seek((position or {}).get("offset", 0))
    return list(array_elements(stream.read, position))


@pytest.mark.parametrize("read_bytes", [1, 2, 3, 7, 1 << 16])
@pytest.mark.parametrize("indent", [None, 2])
def test_values_and_resume_positions_at_any_read_size(
    monkeypatch: pytest.MonkeyPatch, read_bytes: int, indent: int | None
) -> None:
    monkeypatch.setattr(json_array_stream, "READ_BYTES", read_bytes)
    data = ("\ufeff" + json.dumps(VALUES, indent=indent, ensure_ascii=False)).encode()
    out = read_all(data)
    assert [value for value, _ in out] == VALUES
    for index, (_, position) in enumerate(out):
        assert position["index"] == index + 1
        rest = read_all(data, position)  # a ranged read from the position
        assert [value for value, _ in rest] == VALUES[index + 1 :]
        before = data[3 : position["offset"]].decode()
        assert position["line"] == before.count("\n") + 1
        assert position["column"] == len(before) - before.rfind("\n")


@pytest.mark.parametrize(
    ("data", "line", "column", "message"),
    [
        (b'{"a": 1}', 1, 1, "the document is not a JSON array of items"),
        (b"[1, 2, oops]", 1, 8, "Expecting value"),
        (b'[1,\n 2,\n {"a": }]', 3, 8, "Expecting value"),
        (b"[1, 2", 1, 6, "expected ',' or ']' after an item, found the end of the data"),
        (b"[1 2]", 1, 4, "expected ',' or ']' after an item, found '2'"),
        (b"[2.x]", 1, 3, "expected ',' or ']' after an item, found '.'"),
        (b"[1] x", 1, 5, "unexpected 'x' after the array"),
        (b"[", 1, 2, "the array is not closed (the data ends)"),
        (b"[1,]", 1, 4, "Expecting value"),
    ],
)
@pytest.mark.parametrize("read_bytes", [1, 3, 1 << 16])
def test_errors_name_the_line_and_column(
    monkeypatch: pytest.MonkeyPatch,
    read_bytes: int,
    data: bytes,
    line: int,
    column: int,
    message: str,
) -> None:
    monkeypatch.setattr(json_array_stream, "READ_BYTES", read_bytes)
    with pytest.raises(JsonArrayError) as raised:
        read_all(data)
    assert (raised.value.line, raised.value.column, raised.value.message) == (
        line,
        column,
        message,
    )


def test_an_empty_array_has_no_items() -> None:
    assert read_all(b" [ ] ") == []
