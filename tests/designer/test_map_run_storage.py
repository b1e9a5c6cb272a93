"""Distributed Maps on S3-compatible storage (the moto server ``make test`` starts):
ItemReader (JSON, JSON Lines, CSV, a listing, an S3 inventory manifest, ReaderConfig)
and ResultWriter (manifest.json and SUCCEEDED/FAILED files, WriterConfig), with the
errors AWS names. The runtime's units of work are called in-process
(``test_map_runs.drive``); ``test_distributed_map_e2e`` does the same on workers.
"""

from __future__ import annotations

import gzip
import json
import os
from typing import Any

import pytest

from designer.models import Execution, MapRun, Team
from designer.services.connections import connection_create
from tests.designer.s3_server import connection_auth, new_bucket, s3_client, s3_endpoint
from tests.designer.test_map_runs import drive, start

pytestmark = [pytest.mark.django_db]


@pytest.fixture(scope="session")
def endpoint() -> str:
    return s3_endpoint()


@pytest.fixture
def bucket(endpoint: str, owner: Any, team: Team) -> str:
    name = new_bucket(endpoint)
    connection_create(
        actor=owner,
        team_slug=team.slug,
        name="storage",
        auth_type="S3",
        auth=connection_auth(endpoint),
    )
    return name


def put(endpoint: str, bucket: str, key: str, body: bytes) -> None:
    s3_client(endpoint).put_object(Bucket=bucket, Key=key, Body=body)


def read_json(endpoint: str, bucket: str, key: str) -> Any:
    return json.loads(s3_client(endpoint).get_object(Bucket=bucket, Key=key)["Body"].read())


def reader_map(
    reader: dict[str, Any], processor: dict[str, Any] | None = None, **extra: Any
) -> Any:
    states = processor or {"Echo": {"Type": "Pass", "End": True}}
    return {
        "StartAt": "Fan",
        "States": {
            "Fan": {
                "Type": "Map",
                "ItemReader": reader,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": next(iter(states)),
                    "States": states,
                },
                "End": True,
                **extra,
            }
        },
    }


def get_object(bucket: str, key: str, **config: Any) -> dict[str, Any]:
    block: dict[str, Any] = {
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": bucket, "Key": key},
    }
    if config:
        block["ReaderConfig"] = config
    return block


def run(owner: Any, team: Team, definition: Any, data: Any = None) -> Execution:
    return drive(start(owner, team, definition, data or {}).pk)


def test_json_array(endpoint: str, bucket: str, owner: Any, team: Team) -> None:
    put(endpoint, bucket, "in/items.json", json.dumps([{"n": i} for i in range(7)]).encode())
    parent = run(owner, team, reader_map(get_object(bucket, "in/items.json", InputType="JSON")))
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output == [{"n": i} for i in range(7)]
    # Express children keep no history when they succeed, as on AWS
    assert not Execution.objects.filter(map_run__execution=parent, event_count__gt=0).exists()


def test_json_lines_with_max_items(endpoint: str, bucket: str, owner: Any, team: Team) -> None:
    lines = "\n".join(json.dumps({"n": i}) for i in range(10)) + "\n\n"
    put(endpoint, bucket, "in/items.jsonl", lines.encode())
    reader = get_object(bucket, "in/items.jsonl", InputType="JSONL", MaxItems=4)
    parent = run(owner, team, reader_map(reader))
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output == [{"n": i} for i in range(4)]


def test_csv_first_row_header_and_delimiter(
    endpoint: str, bucket: str, owner: Any, team: Team
) -> None:
    text = 'name;city\nada;"Lon;don"\r\nbob;Paris\n'
    put(endpoint, bucket, "in/people.csv", text.encode())
    reader = get_object(
        bucket,
        "in/people.csv",
        InputType="CSV",
        CSVHeaderLocation="FIRST_ROW",
        CSVDelimiter="SEMICOLON",
    )
    parent = run(owner, team, reader_map(reader))
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output == [{"name": "ada", "city": "Lon;don"}, {"name": "bob", "city": "Paris"}]


def test_csv_given_headers(endpoint: str, bucket: str, owner: Any, team: Team) -> None:
    put(endpoint, bucket, "in/rows.csv", b"1,2\n3,4\n")
    reader = get_object(
        bucket, "in/rows.csv", InputType="CSV", CSVHeaderLocation="GIVEN", CSVHeaders=["a", "b"]
    )
    parent = run(owner, team, reader_map(reader))
    assert parent.output == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]


def test_a_malformed_csv_row_names_the_object_line_and_column(
    endpoint: str, bucket: str, owner: Any, team: Team
) -> None:
    put(endpoint, bucket, "in/bad.csv", b"a,b\n1,2\n3,4,5\n")
    reader = get_object(bucket, "in/bad.csv", InputType="CSV", CSVHeaderLocation="FIRST_ROW")
    parent = run(owner, team, reader_map(reader))
    assert (parent.status, parent.error) == ("FAILED", "States.ItemReaderFailed")
    assert parent.cause == (
        f"s3://{bucket}/in/bad.csv line 3, column 3: the row has 3 fields but the header has 2."
    )


def test_a_missing_object_fails_with_item_reader_failed(
    endpoint: str, bucket: str, owner: Any, team: Team
) -> None:
    parent = run(owner, team, reader_map(get_object(bucket, "nope.json", InputType="JSON")))
    assert (parent.status, parent.error) == ("FAILED", "States.ItemReaderFailed")
    cause = str(parent.cause)
    assert f"s3://{bucket}/nope.json" in cause and "does not exist" in cause


def test_bad_credentials_fail_with_a_clear_cause(
    endpoint: str, owner: Any, team: Team, monkeypatch: Any
) -> None:
    allowed = os.environ.get("STATEYARD_HTTP_ALLOW_HOSTS", "")
    monkeypatch.setenv("STATEYARD_HTTP_ALLOW_HOSTS", f"{allowed},127.0.0.1:9")  # nothing listens
    connection_create(
        actor=owner,
        team_slug=team.slug,
        name="wrong",
        auth_type="S3",
        auth=connection_auth("http://127.0.0.1:9", buckets="unreachable"),
    )
    reader = get_object("unreachable", "x.json", InputType="JSON")
    parent = run(owner, team, reader_map(reader))
    assert (parent.status, parent.error) == ("FAILED", "States.ItemReaderFailed")
    assert str(parent.cause).startswith("Could not read s3://unreachable/x.json:")


def test_listing_with_a_prefix(endpoint: str, bucket: str, owner: Any, team: Team) -> None:
    for key in ("photos/a.jpg", "photos/b.jpg", "other/c.jpg"):
        put(endpoint, bucket, key, b"xyz")
    reader = {
        "Resource": "arn:aws:states:::s3:listObjectsV2",
        "Parameters": {"Bucket": bucket, "Prefix": "photos/"},
    }
    processor = {
        "Key": {"Type": "Pass", "Parameters": {"k.$": "$.Key", "s.$": "$.Size"}, "End": True}
    }
    parent = run(owner, team, reader_map(reader, processor))
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output == [{"k": "photos/a.jpg", "s": 3}, {"k": "photos/b.jpg", "s": 3}]


def test_s3_inventory_manifest(endpoint: str, bucket: str, owner: Any, team: Team) -> None:
    put(
        endpoint,
        bucket,
        "inv/data/1.csv.gz",
        gzip.compress(b'"src","a.txt","10"\n"src","b.txt","20"\n'),
    )
    put(endpoint, bucket, "inv/data/2.csv.gz", gzip.compress(b'"src","c.txt","30"\n'))
    manifest = {
        "sourceBucket": "src",
        "destinationBucket": f"arn:aws:s3:::{bucket}",
        "fileFormat": "CSV",
        "fileSchema": "Bucket, Key, Size",
        "files": [{"key": "inv/data/1.csv.gz"}, {"key": "inv/data/2.csv.gz"}],
    }
    put(endpoint, bucket, "inv/manifest.json", json.dumps(manifest).encode())
    parent = run(
        owner, team, reader_map(get_object(bucket, "inv/manifest.json", InputType="MANIFEST"))
    )
    assert parent.status == "SUCCEEDED", parent.cause
    assert [item["Key"] for item in parent.output] == ["a.txt", "b.txt", "c.txt"]
    assert parent.output[2] == {"Bucket": "src", "Key": "c.txt", "Size": "30"}


FAIL_ON_B = {
    "Check": {
        "Type": "Choice",
        "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Boom"}],
        "Default": "Ok",
    },
    "Boom": {"Type": "Fail", "Error": "Bad", "Cause": "one"},
    "Ok": {"Type": "Pass", "End": True},
}


def test_result_writer_writes_the_manifest_and_files_as_aws(
    endpoint: str, bucket: str, owner: Any, team: Team
) -> None:
    put(endpoint, bucket, "in/items.json", json.dumps([{"n": i} for i in range(4)]).encode())
    definition = reader_map(
        get_object(bucket, "in/items.json", InputType="JSON"),
        FAIL_ON_B,
        ToleratedFailureCount=1,
        ResultWriter={
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": bucket, "Prefix": "out"},
        },
    )
    parent = run(owner, team, definition)
    assert parent.status == "SUCCEEDED", parent.cause
    map_run = MapRun.objects.get(execution=parent)
    run_id = str(map_run.pk)
    assert parent.output == {
        "MapRunArn": map_run.arn,
        "ResultWriterDetails": {"Bucket": bucket, "Key": f"out/{run_id}/manifest.json"},
    }
    manifest = read_json(endpoint, bucket, f"out/{run_id}/manifest.json")
    assert manifest["DestinationBucket"] == bucket and manifest["MapRunArn"] == map_run.arn
    files = manifest["ResultFiles"]
    assert [f["Key"] for f in files["SUCCEEDED"]] == [f"out/{run_id}/SUCCEEDED_0.json"]
    assert [f["Key"] for f in files["FAILED"]] == [f"out/{run_id}/FAILED_0.json"]
    assert files["PENDING"] == []
    succeeded = read_json(endpoint, bucket, files["SUCCEEDED"][0]["Key"])
    assert [json.loads(e["Output"]) for e in succeeded] == [{"n": 0}, {"n": 2}, {"n": 3}]
    assert {e["Status"] for e in succeeded} == {"SUCCEEDED"}
    assert set(succeeded[0]) >= {"ExecutionArn", "Input", "Name", "StartDate", "StopDate"}
    failed = read_json(endpoint, bucket, files["FAILED"][0]["Key"])
    assert [(e["Status"], e["Error"], e["Cause"], e["Input"]) for e in failed] == [
        ("FAILED", "Bad", "one", '{"n":1}')
    ]
    assert map_run.results_written == 4


def test_writer_config_alone_reshapes_the_output(owner: Any, team: Team) -> None:
    definition = {
        "StartAt": "Fan",
        "States": {
            "Fan": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "Pair",
                    "States": {
                        "Pair": {
                            "Type": "Pass",
                            "Parameters": {"p.$": "States.Array($, $)"},
                            "OutputPath": "$.p",
                            "End": True,
                        }
                    },
                },
                "ResultWriter": {
                    "WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}
                },
                "End": True,
            }
        },
    }
    parent = run(owner, team, definition, {"items": [1, 2]})
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output == [1, 1, 2, 2]


def test_a_writer_that_cannot_write_fails_with_result_writer_failed(
    endpoint: str, bucket: str, owner: Any, team: Team
) -> None:
    definition = reader_map(
        get_object(bucket, "in.json", InputType="JSON"),
        ResultWriter={
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "no-such-bucket-here", "Prefix": "out"},
        },
    )
    put(endpoint, bucket, "in.json", b"[1]")
    connection_create(
        actor=owner,
        team_slug=team.slug,
        name="second",
        auth_type="S3",
        auth=connection_auth(endpoint, buckets="no-such-bucket-here"),
    )
    parent = run(owner, team, definition)
    assert (parent.status, parent.error) == ("FAILED", "States.ResultWriterFailed")
    assert "no-such-bucket-here" in str(parent.cause)


FIRST_FAILS_OTHERS_WAIT = {
    "Check": {
        "Type": "Choice",
        "Choices": [{"Variable": "$.x", "NumericEquals": 0, "Next": "Boom"}],
        "Default": "Later",
    },
    "Boom": {"Type": "Fail", "Error": "Bad", "Cause": "zero"},
    "Later": {"Type": "Wait", "Seconds": 3600, "End": True},
}


def test_a_failed_runs_counts_and_result_files_agree(
    endpoint: str, bucket: str, owner: Any, team: Team, api_client_for: Any
) -> None:
    from tests.designer.map_run_definitions import distributed

    definition = distributed(
        FIRST_FAILS_OTHERS_WAIT,
        MaxConcurrency=3,
        ResultWriter={
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": bucket, "Prefix": "out"},
        },
    )
    parent = run(owner, team, definition, {"items": [{"x": i} for i in range(6)]})
    assert (parent.status, parent.error) == ("FAILED", "Bad")
    map_run = MapRun.objects.get(execution=parent)
    manifest = read_json(endpoint, bucket, f"out/{map_run.pk}/manifest.json")
    files = {
        status: [e for f in written for e in read_json(endpoint, bucket, f["Key"])]
        for status, written in manifest["ResultFiles"].items()
    }
    assert [e["Status"] for e in files["FAILED"]] == ["FAILED", "ABORTED", "ABORTED"]
    assert [e["Status"] for e in files["PENDING"]] == ["PENDING"] * 3
    assert files["SUCCEEDED"] == []
    counts = api_client_for(owner).get(f"/api/map-runs/{map_run.pk}/").json()["execution_counts"]
    assert (counts["failed"], counts["aborted"], counts["running"], counts["pending"]) == (
        1,
        2,
        0,
        3,
    )
    assert counts["total"] == counts["resultsWritten"] == 6
