"""Distributed Maps end to end: PostgreSQL, Redis, real Celery workers, S3 storage.

* one execution reads JSON, JSON Lines, CSV and a listing from the S3-compatible
  test server (``tests.designer.s3_server``), tolerates a failed child, and
  writes its results back (manifest and result files);
* a worker is SIGKILLed while a Map Run's children are running: a new worker
  finishes the run, no item is lost and no child ran twice to completion;
* stopping the parent aborts the run and its children; a redrive runs only the
  children that failed, and the parent succeeds.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from designer.models import Execution, ExecutionEvent, MapRun, Team, Workflow
from designer.services.connections import connection_create
from designer.services.execution_redrive import execution_redrive
from designer.services.executions import execution_start, execution_stop
from tests.designer.processes import flush_broker, kill_hard, start_worker, stop, wait_for
from tests.designer.s3_server import connection_auth, new_bucket, s3_client, s3_endpoint

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

FUNCTIONS = "stateyard_functions.timing"
SLEEP = "arn:aws:lambda:us-east-1:000000000000:function:sleep-ms"
WORKER_ENV: dict[str, Any] = {
    "STATEYARD_FUNCTION_MODULES": FUNCTIONS,
    "STATEYARD_SWEEP_SECONDS": "1",
    "STATEYARD_SWEEP_GRACE_SECONDS": "1",
    "STATEYARD_CALL_LEASE_SECONDS": "6",
    "STATEYARD_CALL_RENEW_SECONDS": "1",
    "STATEYARD_CALL_START_GRACE_SECONDS": "3",
}


@pytest.fixture(autouse=True)
def _clean_broker() -> None:
    flush_broker()


@pytest.fixture
def calls(tmp_path: Path) -> Iterator[None]:
    """``make worker``'s call worker (Python functions run on its threads)."""
    process = start_worker(
        tmp_path / "calls.log",
        concurrency=8,
        beat=False,
        queues="calls",
        pool="threads",
        **WORKER_ENV,
    )
    yield
    stop(process)


def advancer(log: Path) -> subprocess.Popen[bytes]:
    """``make worker``'s advancing worker: executions and Map Runs, with the sweeper's beat."""
    return start_worker(log, concurrency=2, queues="celery", **WORKER_ENV)


def fan(name: str, extra: dict[str, Any], states: dict[str, Any], kind: str = "EXPRESS") -> Any:
    return {
        "Type": "Map",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": kind},
            "StartAt": next(iter(states)),
            "States": states,
        },
        "ResultPath": f"$.{name}",
        **extra,
    }


def get(bucket: str, key: str, **config: Any) -> dict[str, Any]:
    return {
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": bucket, "Key": key},
        "ReaderConfig": config,
    }


def echo(name: str) -> dict[str, Any]:
    return {f"Echo{name}": {"Type": "Pass", "End": True}}


NOT_TWO = {
    "Check": {
        "Type": "Choice",
        "Choices": [{"Variable": "$.n", "StringEquals": "2", "Next": "Boom"}],
        "Default": "Ok",
    },
    "Boom": {"Type": "Fail", "Error": "Two", "Cause": "no twos"},
    "Ok": {"Type": "Pass", "End": True},
}


def make_workflow(team: Team, name: str, states: dict[str, Any], start_at: str) -> Workflow:
    return Workflow.objects.create(
        team=team, name=name, definition={"StartAt": start_at, "States": states}
    )


def test_readers_tolerance_and_writer_on_workers(tmp_path: Path, owner: Any, team: Team) -> None:
    endpoint = s3_endpoint()
    bucket = new_bucket(endpoint)
    connection_create(
        actor=owner, team_slug=team.slug, name="s3", auth_type="S3", auth=connection_auth(endpoint)
    )
    client = s3_client(endpoint)
    client.put_object(Bucket=bucket, Key="a.json", Body=json.dumps(list(range(30))).encode())
    lines = "".join(json.dumps({"n": i}) + "\n" for i in range(20))
    client.put_object(Bucket=bucket, Key="b.jsonl", Body=lines.encode())
    rows = "n,word\n" + "".join(f"{i},w{i}\n" for i in range(12))
    client.put_object(Bucket=bucket, Key="c.csv", Body=rows.encode())
    for i in range(5):
        client.put_object(Bucket=bucket, Key=f"list/{i}.txt", Body=b"x" * i)
    writer = {
        "Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": bucket, "Prefix": "results"},
    }
    states = {
        "Json": {
            **fan(
                "json",
                {"ItemReader": get(bucket, "a.json", InputType="JSON"), "MaxConcurrency": 7},
                echo("Json"),
            ),
            "Next": "Lines",
        },
        "Lines": {
            **fan(
                "lines",
                {"ItemReader": get(bucket, "b.jsonl", InputType="JSONL")},
                echo("Lines"),
                "STANDARD",
            ),
            "Next": "Csv",
        },
        "Csv": {
            **fan(
                "csv",
                {
                    "ItemReader": get(
                        bucket, "c.csv", InputType="CSV", CSVHeaderLocation="FIRST_ROW"
                    ),
                    "ToleratedFailureCount": 1,
                    "ResultWriter": writer,
                },
                NOT_TWO,
            ),
            "Next": "Listing",
        },
        "Listing": {
            **fan(
                "listing",
                {
                    "ItemReader": {
                        "Resource": "arn:aws:states:::s3:listObjectsV2",
                        "Parameters": {"Bucket": bucket, "Prefix": "list/"},
                    },
                    "ItemSelector": {"key.$": "$$.Map.Item.Value.Key"},
                },
                echo("Listing"),
            ),
            "End": True,
        },
    }
    workflow = make_workflow(team, "readers", states, "Json")
    with_worker = start_worker(tmp_path / "worker.log", concurrency=2, **WORKER_ENV)
    try:
        execution, _ = execution_start(owner, workflow.pk, {})
        wait_for(lambda: _done(execution.pk), timeout=180, every=0.5)
    finally:
        stop(with_worker)
    parent = Execution.objects.get(pk=execution.pk)
    assert parent.status == "SUCCEEDED", (parent.error, parent.cause)
    output = parent.output
    assert output["json"] == list(range(30))
    assert output["lines"] == [{"n": i} for i in range(20)]
    assert output["listing"] == [{"key": f"list/{i}.txt"} for i in range(5)]
    manifest_key = output["csv"]["ResultWriterDetails"]["Key"]
    manifest = json.loads(client.get_object(Bucket=bucket, Key=manifest_key)["Body"].read())
    succeeded = manifest["ResultFiles"]["SUCCEEDED"]
    failed = manifest["ResultFiles"]["FAILED"]
    written = json.loads(client.get_object(Bucket=bucket, Key=succeeded[0]["Key"])["Body"].read())
    assert sorted(json.loads(e["Output"])["n"] for e in written) == sorted(
        str(i) for i in range(12) if i != 2
    )
    wrong = json.loads(client.get_object(Bucket=bucket, Key=failed[0]["Key"])["Body"].read())
    assert [(e["Error"], json.loads(e["Input"])) for e in wrong] == [
        ("Two", {"n": "2", "word": "w2"})
    ]
    # the parent's history holds the Map Runs, not the children's events
    assert parent.event_count == 2 + 4 * 6
    assert MapRun.objects.filter(execution=parent, status="SUCCEEDED").count() == 4


def _done(execution_id: Any) -> bool:
    return Execution.objects.get(pk=execution_id).status != "RUNNING"


SLOW_CHILD = {
    "Work": {
        "Type": "Task",
        "Resource": SLEEP,
        "Parameters": {"ms": 150, "n.$": "$.n"},
        "End": True,
    }
}


def test_a_worker_killed_mid_run_loses_nothing(
    tmp_path: Path, owner: Any, team: Team, calls: None
) -> None:
    items = [{"n": i} for i in range(60)]
    states = {
        "Fan": {
            **fan("out", {"ItemsPath": "$.items", "MaxConcurrency": 8}, SLOW_CHILD, "STANDARD"),
            "End": True,
        }
    }
    workflow = make_workflow(team, "killed", states, "Fan")
    first = advancer(tmp_path / "first.log")
    execution, _ = execution_start(owner, workflow.pk, {"items": items})
    try:
        wait_for(
            lambda: (
                Execution.objects.filter(
                    map_run__execution_id=execution.pk, status="SUCCEEDED"
                ).count()
                >= 12
            ),
            timeout=120,
            every=0.05,
        )
        assert Execution.objects.filter(
            map_run__execution_id=execution.pk, status="RUNNING"
        ).exists()
    finally:
        kill_hard(first)
    second = advancer(tmp_path / "second.log")
    try:
        wait_for(lambda: _done(execution.pk), timeout=240, every=0.5)
    finally:
        stop(second)
    parent = Execution.objects.get(pk=execution.pk)
    assert parent.status == "SUCCEEDED", (parent.error, parent.cause)
    assert parent.output["out"] == [{"n": i} for i in range(60)]
    children = Execution.objects.filter(map_run__execution=parent)
    per_index = Counter(children.values_list("map_index", flat=True))
    assert sorted(i for i in per_index if i is not None) == list(range(60))
    assert set(per_index.values()) == {1}
    ends = Counter(
        ExecutionEvent.objects.filter(
            execution__in=children, type="ExecutionSucceeded"
        ).values_list("execution_id", flat=True)
    )
    assert len(ends) == 60 and set(ends.values()) == {1}  # no child completed twice


def test_a_killed_call_worker_reruns_its_express_chunk_only(
    tmp_path: Path, owner: Any, team: Team
) -> None:
    items = [{"n": i} for i in range(80)]
    extra = {"ItemsPath": "$.items", "MaxConcurrency": 50}
    states = {"Fan": {**fan("out", extra, SLOW_CHILD), "End": True}}
    workflow = make_workflow(team, "express-killed", states, "Fan")
    env = {
        **WORKER_ENV,
        "STATEYARD_MAP_RUN_CHUNK": "5",
        "STATEYARD_MAP_RUN_CHUNK_LEASE_SECONDS": "4",
    }
    advance = start_worker(tmp_path / "advance.log", concurrency=1, queues="celery", **env)

    def callers(log: str) -> subprocess.Popen[bytes]:
        return start_worker(
            tmp_path / log, concurrency=4, beat=False, queues="calls", pool="threads", **env
        )

    first = callers("calls-1.log")
    execution, _ = execution_start(owner, workflow.pk, {"items": items})
    try:
        wait_for(
            lambda: Execution.objects.filter(map_run__execution_id=execution.pk).count() >= 15,
            timeout=120,
            every=0.05,
        )
        kill_hard(first)  # chunks in flight die uncommitted
        second = callers("calls-2.log")
        try:
            wait_for(lambda: _done(execution.pk), timeout=240, every=0.5)
        finally:
            stop(second)
    finally:
        stop(advance)
    parent = Execution.objects.get(pk=execution.pk)
    assert parent.status == "SUCCEEDED", (parent.error, parent.cause)
    assert parent.output["out"] == [{"n": i} for i in range(80)]
    indexes = Counter(
        Execution.objects.filter(map_run__execution=parent).values_list("map_index", flat=True)
    )
    assert sorted(i for i in indexes if i is not None) == list(range(80))
    assert set(indexes.values()) == {1}  # each item recorded once


NAP = {"Nap": {"Type": "Wait", "Seconds": 3600, "End": True}}
ONCE = {  # item 1 fails before any redrive, the others pass
    "Check": {
        "Type": "Choice",
        "Choices": [
            {"Variable": "$$.Execution.RedriveCount", "NumericGreaterThan": 0, "Next": "Ok"},
            {"Not": {"Variable": "$.n", "NumericEquals": 1}, "Next": "Ok"},
        ],
    },
    "Ok": {"Type": "Pass", "End": True},
}


def test_stop_and_redrive_on_workers(tmp_path: Path, owner: Any, team: Team) -> None:
    napping = make_workflow(
        team,
        "napping",
        {
            "Fan": {
                **fan("out", {"ItemsPath": "$.items", "MaxConcurrency": 3}, NAP, "STANDARD"),
                "End": True,
            }
        },
        "Fan",
    )
    flaky = make_workflow(
        team,
        "flaky",
        {"Fan": {**fan("out", {"ItemsPath": "$.items"}, ONCE, "STANDARD"), "End": True}},
        "Fan",
    )
    process = start_worker(tmp_path / "worker.log", concurrency=2, **WORKER_ENV)
    try:
        sleeping, _ = execution_start(owner, napping.pk, {"items": [{"n": i} for i in range(6)]})
        wait_for(
            lambda: (
                Execution.objects.filter(
                    map_run__execution_id=sleeping.pk, status="RUNNING"
                ).count()
                == 3
            ),
            timeout=60,
        )
        execution_stop(owner, Execution.objects.get(pk=sleeping.pk))
        wait_for(
            lambda: MapRun.objects.filter(execution_id=sleeping.pk, status="ABORTED").exists(),
            timeout=60,
        )
        wait_for(
            lambda: (
                not Execution.objects.filter(
                    map_run__execution_id=sleeping.pk, status="RUNNING"
                ).exists()
            ),
            timeout=60,
        )
        assert Execution.objects.get(pk=sleeping.pk).status == "ABORTED"
        assert Execution.objects.filter(map_run__execution_id=sleeping.pk).count() == 3

        failing, _ = execution_start(owner, flaky.pk, {"items": [{"n": i} for i in range(4)]})
        wait_for(lambda: _done(failing.pk), timeout=60)
        assert Execution.objects.get(pk=failing.pk).error == "States.NoChoiceMatched"
        before = dict(
            Execution.objects.filter(
                map_run__execution_id=failing.pk, status="SUCCEEDED"
            ).values_list("pk", "stop_date")
        )
        execution_redrive(owner, failing.pk)
        wait_for(lambda: _done(failing.pk), timeout=60)
    finally:
        stop(process)
    parent = Execution.objects.get(pk=failing.pk)
    assert parent.status == "SUCCEEDED", (parent.error, parent.cause)
    assert parent.output["out"] == [{"n": i} for i in range(4)]
    for pk, stop_date in before.items():  # the children that had succeeded did not run again
        assert Execution.objects.get(pk=pk).stop_date == stop_date
    assert Execution.objects.get(map_run__execution=parent, map_index=1).redrive_count == 1


def _files(client: Any, bucket: str, manifest_key: str) -> dict[str, list[Any]]:
    """Every entry of the result files a manifest lists, by status."""
    manifest = json.loads(client.get_object(Bucket=bucket, Key=manifest_key)["Body"].read())
    out: dict[str, list[Any]] = {}
    for status, files in manifest["ResultFiles"].items():
        out[status] = []
        for one in files:
            assert one["Key"].startswith(manifest_key.rsplit("/", 1)[0] + f"/{status}_")
            body = client.get_object(Bucket=bucket, Key=one["Key"])["Body"].read()
            assert one["Size"] == len(body)
            out[status].extend(json.loads(line) for line in body.splitlines() if line.strip())
    return out


def test_over_tolerance_pending_files_then_redrive_of_the_failed_on_workers(
    tmp_path: Path, owner: Any, team: Team
) -> None:
    """S3 in and out: the run fails past its tolerance, the writer lays out SUCCEEDED,
    FAILED and PENDING files (JSON Lines) under the manifest; a redrive runs only the
    children that did not succeed and writes every result as SUCCEEDED."""
    endpoint = s3_endpoint()
    bucket = new_bucket(endpoint)
    connection_create(
        actor=owner, team_slug=team.slug, name="s3", auth_type="S3", auth=connection_auth(endpoint)
    )
    client = s3_client(endpoint)
    lines = "".join(json.dumps({"n": i}) + "\n" for i in range(12))
    client.put_object(Bucket=bucket, Key="in/items.jsonl", Body=lines.encode())
    extra = {
        "ItemReader": get(bucket, "in/items.jsonl", InputType="JSONL"),
        "MaxConcurrency": 3,
        "ToleratedFailureCount": 0,
        "ResultWriter": {
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": bucket, "Prefix": "out"},
            "WriterConfig": {"OutputType": "JSONL"},
        },
    }
    workflow = make_workflow(
        team, "tolerance", {"Fan": {**fan("out", extra, ONCE, "STANDARD"), "End": True}}, "Fan"
    )
    process = start_worker(tmp_path / "worker.log", concurrency=2, **WORKER_ENV)
    try:
        execution, _ = execution_start(owner, workflow.pk, {})
        wait_for(lambda: _done(execution.pk), timeout=90, every=0.25)
        parent = Execution.objects.get(pk=execution.pk)
        assert (parent.status, parent.error) == (
            "FAILED",
            "States.ExceedToleratedFailureThreshold",
        )
        run = MapRun.objects.get(execution=parent)
        assert run.status == "FAILED"
        first = _files(client, bucket, f"out/{run.pk}/manifest.json")
        assert [json.loads(e["Input"]) for e in first["FAILED"]] == [{"n": 1}]
        assert first["PENDING"], first  # items not run yet when the run failed
        assert len(first["SUCCEEDED"]) + len(first["FAILED"]) + len(first["PENDING"]) == 12
        before = dict(
            Execution.objects.filter(map_run=run, status="SUCCEEDED").values_list("pk", "stop_date")
        )
        execution_redrive(owner, execution.pk)
        wait_for(lambda: _done(execution.pk), timeout=90, every=0.25)
    finally:
        stop(process)
    parent = Execution.objects.get(pk=execution.pk)
    assert parent.status == "SUCCEEDED", (parent.error, parent.cause)
    details = parent.output["out"]["ResultWriterDetails"]
    assert details == {"Bucket": bucket, "Key": f"out/{run.pk}/manifest.json"}
    again = _files(client, bucket, details["Key"])
    assert sorted(json.loads(e["Output"])["n"] for e in again["SUCCEEDED"]) == list(range(12))
    assert again["FAILED"] == [] and again["PENDING"] == []
    for pk, stop_date in before.items():  # children that had succeeded did not run again
        assert Execution.objects.get(pk=pk).stop_date == stop_date
    ends = Counter(
        ExecutionEvent.objects.filter(
            execution__map_run=run, type="ExecutionSucceeded"
        ).values_list("execution_id", flat=True)
    )
    assert set(ends.values()) == {1} and len(ends) == 12  # each item completed once
    assert MapRun.objects.get(pk=run.pk).redrive_count == 1
