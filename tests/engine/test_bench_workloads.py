"""The benchmark workloads (bench/workloads.py) run correctly at small sizes.

``bench/engine.py`` times these definitions; these tests make sure each one
runs to the expected output with the expected number of states entered on our
engine, so the benchmark can never silently measure a broken run. The JSONPath
workloads are also checked against moto's interpreter (when its ANTLR runtime
is installed), which keeps the expectations honest independently of our engine.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bench import workloads
from bench.workloads import Workload

SMALL = [
    workloads.build(family, size, language)
    for language in workloads.QUERY_LANGUAGES
    for family in workloads.FAMILIES
    for size in sorted({1, workloads.QUICK_SIZES[family]})
]


def _id(workload: Workload) -> str:
    return f"{workload.name}-{workload.size}"


def _transitions(events: list[dict[str, Any]]) -> int:
    return sum(1 for event in events if str(event["type"]).endswith("StateEntered"))


def _engine() -> Any:
    import engine

    if not (hasattr(engine, "parse") and hasattr(engine, "run")):
        pytest.skip("engine.parse / engine.run are not written yet")
    return engine


def test_catalogue_is_consistent() -> None:
    names = [w.name for w in workloads.all_workloads(workloads.FULL_SIZES)]
    assert len(names) == len(set(names)) == 2 * len(workloads.FAMILIES)
    for workload in workloads.all_workloads(workloads.FULL_SIZES):
        json.dumps(workload.definition)  # plain JSON data
        assert workload.expected_transitions > workload.size
        if workload.query_language == workloads.JSONATA:
            assert workload.definition["QueryLanguage"] == "JSONata"
        else:
            assert "QueryLanguage" not in workload.definition


def test_full_sizes_match_the_brief() -> None:
    assert workloads.FULL_SIZES["choice_loop"] == 1000
    assert workloads.FULL_SIZES["map_items"] == 1000
    assert workloads.choice_loop(1000).expected_transitions == 2001
    assert workloads.map_items(1000).expected_transitions == 1001


@pytest.mark.parametrize("workload", SMALL, ids=_id)
def test_workload_runs_correctly_on_our_engine(workload: Workload) -> None:
    engine = _engine()
    machine = engine.parse(workload.definition)
    result = engine.run(machine, workload.input)
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    assert result.output == workload.expected_output
    assert _transitions(result.events) == workload.expected_transitions


@pytest.mark.parametrize(
    "workload", [w for w in SMALL if w.query_language == workloads.JSONPATH], ids=_id
)
def test_jsonpath_workload_expectations_hold_on_moto(
    workload: Workload, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("antlr4", reason="moto's Step Functions interpreter needs antlr4")
    import boto3
    from moto import mock_aws

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        client = boto3.client("stepfunctions", region_name="us-east-1")
        arn = client.create_state_machine(
            name="bench",
            definition=json.dumps(workload.definition),
            roleArn="arn:aws:iam::123456789012:role/x",
        )["stateMachineArn"]
        execution = client.start_execution(
            stateMachineArn=arn, name="run", input=json.dumps(workload.input)
        )["executionArn"]
        description = client.describe_execution(executionArn=execution)
        deadline = time.monotonic() + 60
        while description["status"] == "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.005)  # moto runs the execution in a thread
            description = client.describe_execution(executionArn=execution)
        assert description["status"] == "SUCCEEDED", description.get("cause")
        assert json.loads(description["output"]) == workload.expected_output
        events = client.get_execution_history(executionArn=execution)["events"]
        assert _transitions(events) == workload.expected_transitions
