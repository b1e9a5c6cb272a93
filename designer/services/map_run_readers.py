"""Where a Map Run's items come from: the Map's input, or an ItemReader on S3 storage.

``items_from(team_id, spec, position)`` yields ``(item, position)`` pairs: each
item and the position just after it, a small JSON value from which reading
resumes (after a crash or a redrive) without reading again what came before:

* the Map's own items (``ItemsPath``/``Items``): an index;
* ``s3:getObject`` with ``InputType`` ``JSONL`` or ``CSV``: a byte offset (a
  ranged GET resumes there) and a line number; the CSV header is kept in it;
* ``JSON``: the byte offset, line and column after the last element and its
  index (``json_array_stream``: the array is streamed too, an element at a time);
* ``MANIFEST`` (an S3 inventory ``manifest.json``): the data file and row;
* ``s3:listObjectsV2``: the last key (``StartAfter`` resumes after it).

``items_from_text(text, reader)`` reads the same formats from text given
whole (TestState's ``mapItemReaderData``), with the same code.

Items are what AWS gives the Map: a CSV row is an object of strings keyed by
the header, a listed object is ``{Etag, Key, LastModified, Size, StorageClass}``,
an inventory row is an object keyed by the inventory's ``fileSchema``. A bad
row, a missing object or refused credentials raise ``ReadFailed`` with a cause
that names the object, the line and the column.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from designer.services.https_source import HttpsSource
from designer.services.item_files import UPLOADS_BUCKET, Uploads
from designer.services.json_array_stream import JsonArrayError, array_elements, json_value
from designer.services.s3_storage import Lines, Storage, StorageFailed

DELIMITERS = {"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"}
MAX_HEADER_BYTES = 10 * 1024  # AWS reads CSV headers of up to 10 KiB

Position = Any
Items = Iterator[tuple[Any, Position]]


class ReadFailed(Exception):
    """The ItemReader could not read its items; ``str()`` is the cause (States.ItemReaderFailed)."""


def items_from(team_id: int, spec: dict[str, Any], position: Position) -> Items:
    reader = spec.get("reader")
    if reader is None:
        start = int(position or 0)
        for index, item in enumerate(spec.get("items") or (), start=0):
            if index >= start:
                yield item, index + 1
        return
    try:
        yield from _from_storage(team_id, reader, position)
    except StorageFailed as err:
        raise ReadFailed(str(err)) from None
    except (BotoCoreError, ClientError, OSError, UnicodeError) as err:
        raise ReadFailed(f"Could not read {_named(reader)}: {type(err).__name__}: {err}") from None


def _named(reader: dict[str, Any]) -> str:
    """The source an ItemReader names, for a cause (``s3://bucket/key``, the URL)."""
    parameters = reader.get("parameters")
    if not isinstance(parameters, dict):
        return "the items"
    if "Url" in parameters:
        return str(parameters["Url"])
    where = parameters.get("Key") or parameters.get("Prefix") or ""
    return f"s3://{parameters.get('Bucket') or ''}/{where}"


def _from_storage(team_id: int, reader: dict[str, Any], position: Position) -> Items:
    parameters = reader.get("parameters")
    if not isinstance(parameters, dict):
        raise ReadFailed("The ItemReader needs Parameters (or Arguments) with a Bucket.")
    storage = _source(team_id, parameters)
    resource = str(reader.get("resource") or "")
    config = reader.get("config") or {}
    if resource.endswith("listObjectsV2"):
        if isinstance(storage, HttpsSource):
            raise ReadFailed(
                f"The URL {parameters.get('Url')} cannot be listed: s3:listObjectsV2 lists a "
                "Bucket (with a Prefix); read a URL with s3:getObject."
            )
        return _listing(storage, str(parameters.get("Prefix") or ""), position)
    key = parameters.get("Url") if isinstance(storage, HttpsSource) else parameters.get("Key")
    if not isinstance(key, str) or not key:
        raise ReadFailed("The ItemReader's s3:getObject needs a Key (a non-empty string).")
    kind = config.get("InputType", "JSON")
    if kind == "JSONL":
        return _json_lines(storage, key, position)
    if kind == "CSV":
        return _csv(storage, key, config, position)
    if kind == "MANIFEST":
        return _manifest(storage, key, position)
    if kind == "JSON":
        return _json_array(storage, key, position)
    raise ReadFailed(f"InputType {kind} is not supported by this ItemReader.")


class _Given(Lines):
    """An object's content given as text (TestState's ``mapItemReaderData``)."""

    bucket = "mapItemReaderData"

    def __init__(self, data: bytes) -> None:
        self.data = data

    def open(self, key: str, start: int = 0) -> Any:
        return io.BytesIO(self.data[start:])

    def where(self, key: str) -> str:
        return "mapItemReaderData"


def items_from_text(text: str, reader: dict[str, Any]) -> list[Any]:
    """The items an ItemReader (``{"resource", "config"}``) reads from ``text``: a JSON
    array, JSON Lines or CSV as ReaderConfig's InputType says (a listObjectsV2 reader's
    data is the JSON array of listed objects); ``ReadFailed`` names what is wrong."""
    storage = _Given(text.encode())
    config = reader.get("config") or {}
    kind = "JSON" if str(reader.get("resource") or "").endswith("listObjectsV2") else None
    kind = kind or str(config.get("InputType", "JSON"))
    if kind == "JSONL":
        found = _json_lines(storage, "data", None)
    elif kind == "CSV":
        found = _csv(storage, "data", config, None)
    elif kind == "JSON":
        found = _json_array(storage, "data", None)
    else:
        raise ReadFailed(f"mapItemReaderData cannot stand for InputType {kind} here.")
    return [item for item, _ in found]


def _source(team_id: int, parameters: dict[str, Any]) -> Lines:
    """Where the items are: a URL, the team's uploaded files, or an S3 bucket."""
    if "Url" in parameters:
        return HttpsSource()
    bucket = str(parameters.get("Bucket") or "")
    if bucket == UPLOADS_BUCKET:
        return Uploads(team_id)
    return Storage(team_id, bucket)


def _where(storage: Lines, key: str) -> str:
    return storage.where(key)


def _json_array(storage: Lines, key: str, position: Position) -> Items:
    """The array's elements, streamed: a ranged read resumes after the last one staged."""
    skip = position if isinstance(position, int) else 0  # a run staged by an older version
    start = position if isinstance(position, dict) else None
    body = storage.open(key, int(start["offset"]) if start else 0)
    try:
        for item, after in array_elements(body.read, start):
            if after["index"] > skip:
                yield item, after
    except JsonArrayError as err:
        raise ReadFailed(
            f"{_where(storage, key)} line {err.line}, column {err.column}: {err.message} "
            "(the object must hold a JSON array of items)."
        ) from None
    except storage.read_errors as err:
        raise storage.failed_read(err, key) from None
    finally:
        body.close()


def _json_lines(storage: Lines, key: str, position: Position) -> Items:
    offset, line = (position or {}).get("offset", 0), (position or {}).get("line", 0)
    for raw, after in storage.object_lines(key, offset):
        line += 1
        text = raw.strip()
        if not text:
            continue
        try:
            item = json_value(text)
        except JsonArrayError as err:
            raise ReadFailed(
                f"{_where(storage, key)} line {line}, column {err.column}: {err.message}."
            ) from None
        except ValueError as err:
            raise ReadFailed(
                f"{_where(storage, key)} line {line}, column {getattr(err, 'colno', 1)}: "
                f"not a JSON value ({getattr(err, 'msg', err)})."
            ) from None
        yield item, {"offset": after, "line": line}


class _LineFeed:
    """Decoded lines for ``csv.reader``, keeping the byte offset and line number read."""

    def __init__(self, lines: Iterator[tuple[bytes, int]], offset: int, line: int) -> None:
        self.lines = lines
        self.offset = offset
        self.line = line
        self.where = ""

    def __iter__(self) -> Iterator[str]:
        for raw, after in self.lines:
            self.line += 1
            self.offset = after
            try:
                yield raw.decode("utf-8-sig" if self.line == 1 else "utf-8")
            except UnicodeDecodeError as err:
                raise ReadFailed(
                    f"{self.where} line {self.line}, byte {err.start + 1}: not UTF-8 text."
                ) from None


def _csv(storage: Lines, key: str, config: dict[str, Any], position: Position) -> Items:
    delimiter = DELIMITERS.get(str(config.get("CSVDelimiter", "COMMA")), ",")
    where = _where(storage, key)
    state = dict(position or {})
    headers: list[str] | None = state.get("headers")
    if headers is None and config.get("CSVHeaderLocation") == "GIVEN":
        headers = list(config.get("CSVHeaders") or [])
    feed = _LineFeed(storage.object_lines(key, state.get("offset", 0)), state.get("offset", 0), 0)
    feed.line = state.get("line", 0)
    feed.where = where
    rows = csv.reader(feed, delimiter=delimiter, strict=True)
    try:
        for row in rows:
            if headers is None:
                if feed.offset > MAX_HEADER_BYTES:
                    raise ReadFailed(f"{where}: the CSV header is longer than 10 KiB.")
                headers = row
                continue
            if not row:
                continue
            if len(row) != len(headers):
                raise ReadFailed(
                    f"{where} line {feed.line}, column {min(len(row), len(headers)) + 1}: "
                    f"the row has {len(row)} fields but the header has {len(headers)}."
                )
            yield (
                dict(zip(headers, row, strict=True)),
                {"offset": feed.offset, "line": feed.line, "headers": headers},
            )
    except csv.Error as err:
        raise ReadFailed(f"{where} line {feed.line}: malformed CSV ({err}).") from None


def _listing(storage: Lines, prefix: str, position: Position) -> Items:
    for entry in storage.list_objects(prefix, str(position or "")):
        modified: Any = entry.get("LastModified")
        item = {
            "Etag": entry.get("ETag"),
            "Key": entry.get("Key"),
            "LastModified": modified.timestamp() if modified is not None else None,
            "Size": entry.get("Size"),
            "StorageClass": entry.get("StorageClass", "STANDARD"),
        }
        yield item, entry.get("Key")


def _manifest(storage: Lines, key: str, position: Position) -> Items:
    where = _where(storage, key)
    try:
        manifest = json.loads(storage.read_all(key))
        files = [f["key"] for f in manifest["files"]]
        schema = [s.strip() for s in str(manifest["fileSchema"]).split(",")]
        file_format = str(manifest.get("fileFormat", "CSV")).upper()
    except (ValueError, KeyError, TypeError):
        raise ReadFailed(
            f"{where} is not an S3 inventory manifest (files, fileSchema, fileFormat)."
        ) from None
    if file_format != "CSV":
        raise ReadFailed(f"{where}: inventory files in {file_format} are not supported (CSV).")
    first_file, first_row = (position or {}).get("file", 0), (position or {}).get("row", 0)
    for number in range(first_file, len(files)):
        body = storage.open(files[number])
        try:
            text = io.TextIOWrapper(gzip.GzipFile(fileobj=body), encoding="utf-8")
            for row_number, row in enumerate(csv.reader(text), start=1):
                if number == first_file and row_number <= first_row:
                    continue
                if len(row) != len(schema):
                    raise ReadFailed(
                        f"{storage.where(files[number])} row {row_number}: "
                        f"{len(row)} fields, the inventory schema has {len(schema)}."
                    )
                yield dict(zip(schema, row, strict=True)), {"file": number, "row": row_number}
        except (OSError, EOFError, csv.Error) as err:
            raise ReadFailed(f"{storage.where(files[number])}: {err}") from None
        finally:
            body.close()
