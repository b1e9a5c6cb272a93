"""Issue #11: ItemReader sources are streamed. Reading an 8 MiB object from the
S3-compatible test server (JSON array, JSON Lines, CSV, and an S3 inventory of
gzipped CSV files) allocates a small fraction of it at any time (``tracemalloc``'s
peak while every item is read), and a JSON array resumes from its position with a
ranged read."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from designer.models import Team
from designer.services.map_run_readers import ReadFailed, items_from
from designer.services.s3_storage import Storage
from tests.designer.s3_server import s3_client
from tests.designer.test_map_run_storage import bucket, endpoint, get_object, put

pytestmark = [pytest.mark.django_db]
__all__ = ["bucket", "endpoint"]  # fixtures

SIZE = 8 * 2**20
BOUND = 3 * 2**19  # 1.5 MiB: far below the object's size (about 0.7 MiB is seen)
PAD = "x" * 200


def json_rows() -> Iterator[str]:
    yield "["
    n = 0
    while True:
        yield ("," if n else "") + json.dumps({"n": n, "pad": PAD})
        n += 1


def jsonl_rows() -> Iterator[str]:
    n = 0
    while True:
        yield json.dumps({"n": n, "pad": PAD}) + "\n"
        n += 1


def csv_rows() -> Iterator[str]:
    yield "n,pad\n"
    n = 0
    while True:
        yield f"{n},{PAD}\n"
        n += 1


def upload(endpoint: str, bucket: str, key: str, rows: Iterator[str], tmp: Path, end: str) -> int:
    """Write rows to a file until it passes SIZE, then upload it (multipart, in pieces)."""
    path = tmp / key
    count, size = 0, 0
    with path.open("w") as out:
        for row in rows:
            out.write(row)
            size += len(row)
            count += 1
            if size >= SIZE:
                break
        out.write(end)
    s3_client(endpoint).upload_file(str(path), bucket, key)
    path.unlink()
    return count


def upload_inventory(endpoint: str, bucket: str, tmp: Path) -> int:
    """An S3 inventory: manifest.json naming two gzipped CSV files of SIZE / 2 each."""
    files, count = [], 0
    for part in range(2):
        path = tmp / f"inv-{part}.csv.gz"
        size = 0
        with gzip.open(path, "wt") as out:
            while size < SIZE // 2:
                row = f'"src","k/{count}","{count}","{PAD}"\n'
                out.write(row)
                size += len(row)
                count += 1
        s3_client(endpoint).upload_file(str(path), bucket, f"inv/data/{part}.csv.gz")
        files.append({"key": f"inv/data/{part}.csv.gz"})
    manifest = {"fileFormat": "CSV", "fileSchema": "Bucket, Key, n, pad", "files": files}
    put(endpoint, bucket, "inv/manifest.json", json.dumps(manifest).encode())
    return count


def peak_while(read: Callable[[], int]) -> tuple[int, int]:
    tracemalloc.start()
    try:
        count = read()
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def spec_for(reader: dict[str, Any]) -> dict[str, Any]:
    return {
        "reader": {
            "resource": reader["Resource"],
            "parameters": reader["Parameters"],
            "config": reader.get("ReaderConfig") or {},
        }
    }


@pytest.mark.parametrize(
    ("kind", "rows", "end", "header"),
    [("JSON", json_rows, "]", 1), ("JSONL", jsonl_rows, "", 0), ("CSV", csv_rows, "", 1)],
)
def test_a_large_object_is_read_in_bounded_memory(
    endpoint: str,
    bucket: str,
    team: Team,
    tmp_path: Path,
    kind: str,
    rows: Callable[[], Iterator[str]],
    end: str,
    header: int,
) -> None:
    key = f"big.{kind.lower()}"
    written = upload(endpoint, bucket, key, rows(), tmp_path, end) - header
    config: dict[str, Any] = {"InputType": kind}
    if kind == "CSV":
        config["CSVHeaderLocation"] = "FIRST_ROW"
    spec = spec_for(get_object(bucket, key, **config))
    Storage(team.id, bucket)  # botocore's data loads once per process, not per read

    def read() -> int:
        count = 0
        for item, _ in items_from(team.id, spec, None):
            assert int(item["n"]) == count
            count += 1
        return count

    count, peak = peak_while(read)
    assert count == written
    assert peak < BOUND, f"{kind}: {peak / 2**20:.1f} MiB at the peak for an 8 MiB object"


def test_an_inventory_is_read_in_bounded_memory(
    endpoint: str, bucket: str, team: Team, tmp_path: Path
) -> None:
    written = upload_inventory(endpoint, bucket, tmp_path)
    spec = spec_for(get_object(bucket, "inv/manifest.json", InputType="MANIFEST"))
    Storage(team.id, bucket)

    def read() -> int:
        count = 0
        for item, _ in items_from(team.id, spec, None):
            assert int(item["n"]) == count
            count += 1
        return count

    count, peak = peak_while(read)
    assert count == written
    assert peak < BOUND, f"MANIFEST: {peak / 2**20:.1f} MiB at the peak for 8 MiB of rows"


def test_a_json_array_resumes_from_its_position(endpoint: str, bucket: str, team: Team) -> None:
    body = json.dumps([{"n": n} for n in range(50)], indent=1).encode()
    put(endpoint, bucket, "arr.json", body)
    spec = spec_for(get_object(bucket, "arr.json", InputType="JSON"))
    first = list(items_from(team.id, spec, None))
    position = first[19][1]
    rest = [item for item, _ in items_from(team.id, spec, position)]
    assert rest == [{"n": n} for n in range(20, 50)]
    assert 0 < position["offset"] < len(body)


def test_a_malformed_json_array_names_the_object_line_and_column(
    endpoint: str, bucket: str, team: Team
) -> None:
    put(endpoint, bucket, "bad.json", b'[\n  {"n": 1},\n  {"n": 2,}\n]')
    spec = spec_for(get_object(bucket, "bad.json", InputType="JSON"))
    read: list[Any] = []
    with pytest.raises(ReadFailed) as failed:
        read.extend(item for item, _ in items_from(team.id, spec, None))
    assert read == [{"n": 1}]  # what came before the error was read
    assert str(failed.value) == (
        f"s3://{bucket}/bad.json line 3, column 11: Expecting property name enclosed in double "
        "quotes (the object must hold a JSON array of items)."
    )
