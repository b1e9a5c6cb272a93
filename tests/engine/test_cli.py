"""The ``python -m engine`` command line, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "order-pipeline.asl.json"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_run_prints_the_result_as_json() -> None:
    done = cli("run", str(EXAMPLE), "--input", f"@{REPO / 'examples/order-pipeline.input.json'}")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["status"] == "SUCCEEDED"
    assert result["output"]["message"] == "Order A-1001 accepted"
    assert [line["total"] for line in result["output"]["lines"]] == [26, 10]


def test_run_with_history_renders_aws_events() -> None:
    done = cli("run", str(EXAMPLE), "--input", '{"orderId": "x", "lines": []}', "--history")
    result = json.loads(done.stdout)
    assert done.returncode == 1
    assert result == {
        "status": "FAILED",
        "error": "OrderRejected",
        "cause": "The order failed validation or checks.",
        "events": result["events"],
    }
    first, entered = result["events"][0], result["events"][1]
    assert first["type"] == "ExecutionStarted"
    assert json.loads(first["executionStartedEventDetails"]["input"]) == {
        "orderId": "x",
        "lines": [],
    }
    assert entered["type"] == "ChoiceStateEntered"
    assert entered["stateEnteredEventDetails"]["name"] == "Validate"
    assert entered["timestamp"].endswith("Z")
    assert result["events"][-1]["type"] == "ExecutionFailed"


def test_run_with_mocked_task(tmp_path: Path) -> None:
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::http:invoke",
                "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 5}],
                "End": True,
            }
        },
    }
    mocks = {"Call": [{"Throw": {"Error": "Boom", "Cause": "first"}}, {"Return": {"ok": 1}}]}
    (tmp_path / "d.json").write_text(json.dumps(definition))
    (tmp_path / "m.json").write_text(json.dumps(mocks))
    done = cli("run", str(tmp_path / "d.json"), "--mocks", str(tmp_path / "m.json"))
    assert json.loads(done.stdout) == {"status": "SUCCEEDED", "output": {"ok": 1}}


def test_validate_reports_pointer_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Nowhere\n")
    done = cli("validate", str(path))
    assert done.returncode == 1
    diagnostics = json.loads(done.stdout)
    dangling = [d for d in diagnostics if d["code"] == "DANGLING_NEXT"]
    assert dangling and dangling[0]["location"] == "/States/A/Next"
    assert dangling[0]["line"] == 5


def test_validate_clean_definition_exits_zero() -> None:
    done = cli("validate", str(EXAMPLE))
    assert done.returncode == 0
    assert json.loads(done.stdout) == []


def test_invalid_definition_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"StartAt": "Missing", "States": {}}))
    done = cli("run", str(path))
    assert done.returncode == 1
    out = json.loads(done.stdout)
    assert out["status"] == "INVALID"
    assert {d["code"] for d in out["diagnostics"]} >= {"EMPTY_STATES"}
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("run", "no/such/file.json"), "cannot read no/such/file.json"),
        (("run", str(EXAMPLE), "--input", "{nope"), "--input is not JSON"),
        (("conformance", "no/such/cases.jsonl"), "cannot read no/such/cases.jsonl"),
    ],
)
def test_bad_usage_is_one_clear_line(args: tuple[str, ...], message: str) -> None:
    done = cli(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_json_file_gets_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"StartAt": "A",\n  "States": {,}}')
    done = cli("run", str(path))
    assert done.returncode == 2
    assert f"{path}:2:" in done.stderr


def test_conformance_counts_and_fails_on_a_wrong_case(tmp_path: Path) -> None:
    good = {
        "id": "good",
        "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
        "input": {"a": 1},
        "expected": {"status": "SUCCEEDED", "output": {"a": 1.0}},
    }
    bad = {**good, "id": "bad", "expected": {"status": "SUCCEEDED", "output": {"a": 2}}}
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    done = cli("conformance", str(path))
    assert done.returncode == 1
    lines = done.stdout.strip().splitlines()
    assert lines[-1] == "1 passed, 1 failed"
    assert lines[0].startswith("FAIL bad: output")
