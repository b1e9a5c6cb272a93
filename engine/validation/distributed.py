"""Distributed Map blocks: ``ItemReader``, ``ItemBatcher`` and ``ResultWriter``.

Rules from the developer guide:

- ItemReader (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html):
  ``Resource`` is an S3 integration (``arn:aws:states:::s3:getObject`` or
  ``s3:listObjectsV2``); ``ReaderConfig`` holds ``InputType`` (CSV, JSON,
  JSONL, MANIFEST, PARQUET), ``CSVHeaderLocation`` (FIRST_ROW or GIVEN, and
  GIVEN needs ``CSVHeaders``), ``CSVDelimiter``, and at most one of
  ``MaxItems`` (up to 100,000,000) and ``MaxItemsPath``.
- ItemBatcher (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html):
  at least one of ``MaxItemsPerBatch(Path)`` and ``MaxInputBytesPerBatch(Path)``
  (bytes up to 256 KiB), never a value and its Path together; ``BatchInput``.
- ResultWriter (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html):
  never empty; ``WriterConfig`` alone, or ``Resource`` (``s3:putObject``)
  with ``Parameters``/``Arguments`` (``Bucket`` and ``Prefix``), or all three;
  ``WriterConfig`` has ``OutputType`` (JSON, JSONL) and ``Transformation``
  (NONE, COMPACT, FLATTEN).

The three blocks exist only on a Distributed Map (``ProcessorConfig.Mode``
DISTRIBUTED); on an inline Map they are errors.
"""

from __future__ import annotations

import re
from typing import Any, Final

from engine.validation.fields import check_object
from engine.validation.report import Path, Report, describe
from engine.validation.resources import is_placeholder
from engine.validation.schema import JSONATA, JSONPATH, Field, Lang

_P, _J = JSONPATH, JSONATA
MAX_ITEMS_LIMIT: Final = 100_000_000
MAX_BATCH_BYTES: Final = 256 * 1024
BLOCKS: Final = ("ItemReader", "ItemBatcher", "ResultWriter")

_S3: Final = r"^arn:aws(?:-[a-z]+)*:states:::s3:{}$"
_READER_RESOURCE: Final = re.compile(_S3.format("(?:getObject|listObjectsV2)"))
_WRITER_RESOURCE: Final = re.compile(_S3.format("putObject"))

ITEM_READER: Final = {
    "Resource": Field("string"),
    "Parameters": Field("payload", _P),
    "Arguments": Field("jsonata", _J),
    "ReaderConfig": Field("object"),
}
READER_CONFIG: Final = {
    "InputType": Field("enum:CSV|JSON|JSONL|MANIFEST|PARQUET"),
    "CSVHeaderLocation": Field("enum:FIRST_ROW|GIVEN"),
    "CSVHeaders": Field("string_list"),
    "CSVDelimiter": Field("enum:COMMA|PIPE|SEMICOLON|SPACE|TAB"),
    "ManifestType": Field("enum:ATHENA_DATA|S3_INVENTORY"),
    "ItemsPointer": Field("string"),
    "MaxItems": Field("nonneg_int", expr=True),
    "MaxItemsPath": Field("ref_path_strict", _P),
}
ITEM_BATCHER: Final = {
    "MaxItemsPerBatch": Field("pos_int", expr=True),
    "MaxItemsPerBatchPath": Field("ref_path_strict", _P),
    "MaxInputBytesPerBatch": Field("pos_int", expr=True),
    "MaxInputBytesPerBatchPath": Field("ref_path_strict", _P),
    "BatchInput": Field("payload"),
}
RESULT_WRITER: Final = {
    "Resource": Field("string"),
    "Parameters": Field("payload", _P),
    "Arguments": Field("jsonata", _J),
    "WriterConfig": Field("object"),
}
WRITER_CONFIG: Final = {
    "OutputType": Field("enum:JSON|JSONL"),
    "Transformation": Field("enum:NONE|COMPACT|FLATTEN"),
}
_CSV_ONLY: Final = ("CSVHeaderLocation", "CSVHeaders", "CSVDelimiter")
_BATCH_LIMITS: Final = (
    ("MaxItemsPerBatch", "MaxItemsPerBatchPath"),
    ("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"),
)


def check_blocks(report: Report, where: Path, state: dict[Any, Any], lang: Lang, what: str) -> None:
    """The ItemReader, ItemBatcher and ResultWriter of a Map state, where present."""
    for name, check in (
        ("ItemReader", _item_reader),
        ("ItemBatcher", _item_batcher),
        ("ResultWriter", _result_writer),
    ):
        value = state.get(name)
        if isinstance(value, dict):
            check(report, (*where, name), value, lang, f"{name} of {what}")


def _item_reader(report: Report, at: Path, block: dict[Any, Any], lang: Lang, what: str) -> None:
    check_object(report, at, block, ITEM_READER, lang, ("Resource",), what)
    _resource(
        report, at, block, _READER_RESOURCE, "arn:aws:states:::s3:getObject or s3:listObjectsV2"
    )
    config = block.get("ReaderConfig")
    if isinstance(config, dict):
        _reader_config(report, (*at, "ReaderConfig"), config, lang)
    _listing_url(report, at, block, lang)


def _listing_url(report: Report, at: Path, block: dict[Any, Any], lang: Lang) -> None:
    """A URL names one object: only ``s3:getObject`` reads it, a listing needs a Bucket."""
    resource = block.get("Resource")
    if not isinstance(resource, str) or not resource.endswith(":s3:listObjectsV2"):
        return
    target = "Arguments" if lang == JSONATA else "Parameters"
    arguments = block.get(target)
    if not isinstance(arguments, dict):
        return
    for name in ("Url", "Url.$"):
        if name in arguments:
            report.error(
                "SCHEMA_INVALID_VALUE",
                (*at, target, name),
                "s3:listObjectsV2 lists a Bucket (with a Prefix); a Url names one object, "
                "read it with arn:aws:states:::s3:getObject.",
            )


def _reader_config(report: Report, at: Path, config: dict[Any, Any], lang: Lang) -> None:
    what = "ReaderConfig"
    check_object(report, at, config, READER_CONFIG, lang, (), what)
    _exclusive(report, at, config, ("MaxItems", "MaxItemsPath"), what)
    items = config.get("MaxItems")
    if isinstance(items, int) and not isinstance(items, bool) and items > MAX_ITEMS_LIMIT:
        report.error(
            "SCHEMA_INVALID_VALUE",
            (*at, "MaxItems"),
            f"MaxItems is {items}; the most a Distributed Map reads is {MAX_ITEMS_LIMIT:,}.",
        )
    given = config.get("CSVHeaderLocation") == "GIVEN"
    if given and "CSVHeaders" not in config:
        report.error(
            "SCHEMA_MISSING_FIELD", at, "CSVHeaderLocation GIVEN needs the CSVHeaders array."
        )
    if "CSVHeaders" in config and not given:
        report.error(
            "SCHEMA_INVALID_VALUE",
            (*at, "CSVHeaders"),
            'CSVHeaders is only used with "CSVHeaderLocation": "GIVEN".',
        )
    if config.get("CSVHeaders") == []:
        report.error("SCHEMA_INVALID_VALUE", (*at, "CSVHeaders"), "CSVHeaders is empty.")
    kind = config.get("InputType")
    for field in _CSV_ONLY:
        if field in config and isinstance(kind, str) and kind != "CSV":
            report.error(
                "SCHEMA_INVALID_VALUE",
                (*at, field),
                f"{field} only applies to InputType CSV, not {describe(kind)}.",
            )


def _item_batcher(report: Report, at: Path, block: dict[Any, Any], lang: Lang, what: str) -> None:
    check_object(report, at, block, ITEM_BATCHER, lang, (), what)
    for group in _BATCH_LIMITS:
        _exclusive(report, at, block, group, what)
    if not any(field in block for group in _BATCH_LIMITS for field in group):
        report.error(
            "MISSING_ONE_OF",
            at,
            f"{what} needs at least one of MaxItemsPerBatch, MaxItemsPerBatchPath, "
            "MaxInputBytesPerBatch and MaxInputBytesPerBatchPath.",
        )
    size = block.get("MaxInputBytesPerBatch")
    if isinstance(size, int) and not isinstance(size, bool) and size > MAX_BATCH_BYTES:
        report.error(
            "SCHEMA_INVALID_VALUE",
            (*at, "MaxInputBytesPerBatch"),
            f"MaxInputBytesPerBatch is {size}; a batch holds at most {MAX_BATCH_BYTES} bytes.",
        )


def _result_writer(report: Report, at: Path, block: dict[Any, Any], lang: Lang, what: str) -> None:
    check_object(report, at, block, RESULT_WRITER, lang, (), what)
    target = "Arguments" if lang == JSONATA else "Parameters"
    if not block:
        report.error(
            "MISSING_ONE_OF",
            at,
            f"{what} is empty: give WriterConfig, or Resource with {target}, or all three.",
        )
    if "Resource" in block and target not in block:
        report.error(
            "SCHEMA_MISSING_FIELD", at, f"{what} has a Resource but no {target} (Bucket, Prefix)."
        )
    if target in block and "Resource" not in block:
        report.error(
            "SCHEMA_MISSING_FIELD", at, f"{what} has {target} but no Resource to write with."
        )
    _resource(report, at, block, _WRITER_RESOURCE, "arn:aws:states:::s3:putObject")
    _bucket(report, (*at, target), block.get(target), lang)
    config = block.get("WriterConfig")
    if isinstance(config, dict):
        check_object(report, (*at, "WriterConfig"), config, WRITER_CONFIG, lang, (), "WriterConfig")


def _bucket(report: Report, at: Path, target: Any, lang: Lang) -> None:
    """ResultWriter Parameters/Arguments: Bucket and Prefix (or their .$ forms in JSONPath)."""
    if not isinstance(target, dict):
        return
    for name in ("Bucket", "Prefix"):
        if name not in target and (lang == JSONATA or f"{name}.$" not in target):
            report.error(
                "SCHEMA_MISSING_FIELD", at, f"The S3 location of the results needs {name}."
            )


def _resource(
    report: Report, at: Path, block: dict[Any, Any], pattern: re.Pattern[str], expected: str
) -> None:
    value = block.get("Resource")
    if isinstance(value, str) and not is_placeholder(value) and not pattern.match(value):
        report.error(
            "INVALID_RESOURCE_ARN",
            (*at, "Resource"),
            f"Resource must be {expected}, but it is {describe(value)}.",
        )


def _exclusive(
    report: Report, at: Path, block: dict[Any, Any], group: tuple[str, ...], what: str
) -> None:
    present = [field for field in group if field in block]
    if len(present) > 1:
        report.error(
            "EXCLUSIVE_FIELDS",
            (*at, present[1]),
            f"{what} has {' and '.join(present)}; use only one.",
        )


def check_placement(
    report: Report, where: Path, state: dict[Any, Any], distributed: bool, what: str
) -> None:
    """ItemReader, ItemBatcher and ResultWriter on an inline Map are errors."""
    if distributed:
        return
    for name in BLOCKS:
        if name in state:
            report.error(
                "DISTRIBUTED_ONLY_FIELD",
                (*where, name),
                f"{what} is an inline Map, which does not accept {name}; it needs "
                '"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": ...}.',
            )
