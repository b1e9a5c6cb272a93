"""A Map Run's results: the Map state's output, or files written by the ResultWriter.

Without a ResultWriter the Map's output is the children's outputs in item order
(a tolerated failure's place holds ``{"Error", "Cause"}``), as an in-process Map
gives. ``WriterConfig`` alone reshapes that array (``Transformation``: ``NONE``
gives each child's description, ``COMPACT`` its output, ``FLATTEN`` flattens
outputs that are arrays; failed children always keep their description).

With ``Resource`` ``s3:putObject`` and ``Bucket``/``Prefix`` the children are
exported as AWS lays them out under ``<Prefix>/<map run id>/``:
``SUCCEEDED_<n>.json``, ``FAILED_<n>.json`` (failed, timed out, aborted: a child
still running when a failed run is written is being stopped, and is written ABORTED)
and ``PENDING_<n>.json`` (the items never started, ``"Status": "PENDING"``; JSON arrays,
or JSON Lines with ``OutputType`` ``JSONL``) and ``manifest.json`` listing them
(``DestinationBucket``, ``MapRunArn``, ``ResultFiles``); the Map's output is
``{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}``. Children are read
from the database in pages, and a file is cut once it reaches
``STATEYARD["RESULT_FILE_BYTES"]``, so memory stays bounded (AWS cuts at 5 GB).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings

from designer.models import Execution, ExecutionStatus, MapRun, MapRunItem
from designer.services.s3_storage import Storage, StorageFailed
from engine.jsonvalue import payload_size

MAX_PAYLOAD = 256 * 1024
_FAILED = (ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED)


class WriteFailed(Exception):
    """The ResultWriter could not write; ``str()`` is the cause (States.ResultWriterFailed)."""


class TooLarge(Exception):
    """The results exceed the 256 KiB payload quota (States.DataLimitExceeded)."""


def _text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _iso(moment: Any) -> str | None:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z") if moment else None


def child_description(run: MapRun, child: Execution) -> dict[str, Any]:
    """A child as the result files (and ``Transformation: NONE``) describe it."""
    region_account = run.arn.split(":")[3:5]
    machine = run.arn.split(":mapRun:", 1)[1].split(":", 1)[0]  # <machine>/<label>
    prefix = f"arn:aws:states:{region_account[0]}:{region_account[1]}"
    data: dict[str, Any] = {
        "ExecutionArn": f"{prefix}:execution:{machine}:{child.name}",
        "Input": _text(child.input),
        "InputDetails": {"Included": True},
        "Name": child.name,
        "RedriveCount": child.redrive_count,
        "StartDate": _iso(child.start_date),
        "StateMachineArn": f"{prefix}:stateMachine:{machine}",
        "Status": child.status,
        "StopDate": _iso(child.stop_date),
    }
    if child.status == ExecutionStatus.SUCCEEDED:
        data["Output"] = _text(child.output)
        data["OutputDetails"] = {"Included": True}
    if child.error is not None:
        data["Error"] = child.error
    if child.cause is not None:
        data["Cause"] = child.cause
    return data


def _children(run: MapRun) -> Iterator[Execution]:
    """The children in item order, less those whose item is staged again (a redrive not
    yet started: that item is written once, as PENDING)."""
    staged = MapRunItem.objects.filter(map_run=run).values("index")
    return (
        Execution.objects.filter(map_run=run, map_index__isnull=False)
        .exclude(map_index__in=staged)
        .only(
            "id",
            "name",
            "input",
            "output",
            "status",
            "error",
            "cause",
            "start_date",
            "stop_date",
            "redrive_count",
            "map_index",
        )
        .order_by("map_index")
        .iterator(chunk_size=1000)
    )


def _entry(run: MapRun, child: Execution, transformation: str) -> list[Any]:
    if child.status != ExecutionStatus.SUCCEEDED:
        if transformation == "NONE":
            return [child_description(run, child)]
        return [{k: v for k, v in (("Error", child.error), ("Cause", child.cause)) if v}]
    if transformation == "NONE":
        return [child_description(run, child)]
    if transformation == "FLATTEN" and isinstance(child.output, list):
        return list(child.output)
    return [child.output]


def results(run: MapRun) -> Any:
    """The Map state's output (the run succeeded); raises TooLarge or WriteFailed."""
    writer = run.spec.get("writer")
    config = (writer or {}).get("config") or {}
    if writer and writer.get("resource"):
        return export(run)
    transformation = config.get("Transformation", "COMPACT")
    out: list[Any] = []
    size = 2
    for child in _children(run):
        for entry in _entry(run, child, transformation):
            size += payload_size(entry) + 1
            if size > MAX_PAYLOAD:
                raise TooLarge(
                    f"The state/task '{run.state_name}' returned a result with a size "
                    "exceeding the maximum number of bytes service limit."
                )
            out.append(entry)
    return out


class _Files:
    """Result files of one status: cut at the size limit, put as they fill."""

    def __init__(self, storage: Storage, base: str, status: str, lines: bool) -> None:
        self.storage, self.base, self.status, self.lines = storage, base, status, lines
        self.limit = int(settings.STATEYARD["RESULT_FILE_BYTES"])
        self.parts: list[bytes] = []
        self.size = 0
        self.written: list[dict[str, Any]] = []
        self.count = 0

    def add(self, entry: Any) -> None:
        data = _text(entry).encode()
        if self.parts and self.size + len(data) + 2 > self.limit:
            self.flush()
        self.parts.append(data)
        self.size += len(data) + 1
        self.count += 1

    def flush(self) -> None:
        if not self.parts:
            return
        if self.lines:
            body = b"\n".join(self.parts) + b"\n"
        else:
            body = b"[" + b",".join(self.parts) + b"]"
        suffix = "jsonl" if self.lines else "json"
        key = f"{self.base}/{self.status}_{len(self.written)}.{suffix}"
        self.storage.put(key, body)
        self.written.append({"Key": key, "Size": len(body)})
        self.parts, self.size = [], 0


def export(run: MapRun) -> dict[str, Any]:
    """Write the result files and the manifest; the Map's output names the manifest."""
    writer = run.spec.get("writer") or {}
    parameters = writer.get("parameters") or {}
    config = writer.get("config") or {}
    transformation = config.get("Transformation", "NONE")
    lines = config.get("OutputType") == "JSONL"
    try:
        storage = Storage(run.team_id, str(parameters.get("Bucket") or ""))
        prefix = str(parameters.get("Prefix") or "").strip("/")
        base = f"{prefix}/{run.pk}" if prefix else str(run.pk)
        files = {s: _Files(storage, base, s, lines) for s in ("SUCCEEDED", "FAILED", "PENDING")}
        for child in _children(run):
            if child.status == ExecutionStatus.RUNNING:
                child.status = ExecutionStatus.ABORTED  # the run ended: it is being stopped
            status = "SUCCEEDED" if child.status == ExecutionStatus.SUCCEEDED else "FAILED"
            for entry in _entry(run, child, transformation):
                files[status].add(entry)
        for item in MapRunItem.objects.filter(map_run=run).order_by("index").iterator(1000):
            files["PENDING"].add({"Input": _text(item.input), "Status": "PENDING"})
        for group in files.values():
            group.flush()
        manifest = {
            "DestinationBucket": storage.bucket,
            "MapRunArn": run.arn,
            "ResultFiles": {s: group.written for s, group in files.items()},
        }
        key = f"{base}/manifest.json"
        storage.put(key, _text(manifest).encode())
    except StorageFailed as err:
        raise WriteFailed(str(err)) from None
    except (BotoCoreError, ClientError, OSError, UnicodeError) as err:
        where = f"s3://{parameters.get('Bucket') or ''}/{parameters.get('Prefix') or ''}"
        raise WriteFailed(f"Could not write to {where}: {type(err).__name__}: {err}") from None
    run.results_written = sum(g.count for g in files.values())
    return {"MapRunArn": run.arn, "ResultWriterDetails": {"Bucket": storage.bucket, "Key": key}}
