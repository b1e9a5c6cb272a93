"""Step Functions Local's mock configuration: checked, expanded, and run by the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from engine.mock_config import MockConfigError, mock_config_problems, test_case_script

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "step-functions-local"
CONFIG = json.loads((EXAMPLE / "MockConfigFile.json").read_text())


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", "run", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_example_configuration_is_valid_and_expands_by_invocation() -> None:
    assert mock_config_problems(CONFIG) == []
    script = test_case_script(CONFIG, "LambdaSQSIntegration", "RetryPath")
    lambda_calls = script["LambdaState"]
    assert [("Throw" in r) for r in lambda_calls] == [True, True, True, False]
    assert lambda_calls[1]["Throw"]["Error"] == "Lambda.TimeoutException"
    assert set(test_case_script(CONFIG, "LambdaSQSIntegration", "HybridPath")) == {"LambdaState"}


@pytest.mark.parametrize(
    ("config", "where"),
    [
        ([], "(root)"),
        ({"MockedResponses": {"R": {"1": {"Return": 1}}}}, "/MockedResponses/R:"),
        (
            {"MockedResponses": {"R": {"0-1": {"Return": 1}, "1": {"Return": 2}}}},
            "/MockedResponses/R:",
        ),
        ({"MockedResponses": {"R": {"x": {"Return": 1}}}}, "/MockedResponses/R/x:"),
        ({"MockedResponses": {"R": {"0": {"Return": 1, "Throw": {}}}}}, "/MockedResponses/R/0:"),
        ({"MockedResponses": {"R": {"0-5000": {"Return": 1}}}}, "/MockedResponses/R/0-5000:"),
        (
            {"StateMachines": {"M": {"TestCases": {"T": {"S": "Missing"}}}}, "MockedResponses": {}},
            "/StateMachines/M/TestCases/T/S:",
        ),
        ({"StateMachines": {"M": {}}}, "/StateMachines/M:"),
    ],
)
def test_every_problem_names_where_it_is(config: Any, where: str) -> None:
    problems = mock_config_problems(config)
    assert problems and problems[0].startswith(where), problems


def test_unknown_machines_and_cases_say_what_exists() -> None:
    with pytest.raises(MockConfigError, match="it has: LambdaSQSIntegration"):
        test_case_script(CONFIG, "Other", "HappyPath")
    with pytest.raises(MockConfigError, match="HappyPath, HybridPath, RetryPath"):
        test_case_script(CONFIG, "LambdaSQSIntegration", "Nope")


def test_the_command_line_runs_each_test_case() -> None:
    definition = str(EXAMPLE / "LambdaSQSIntegration.asl.json")
    config = str(EXAMPLE / "MockConfigFile.json")
    happy = run_cli(definition, "--mock-config", config, "--test-case", "HappyPath", "--history")
    assert happy.returncode == 0, happy.stderr
    out = json.loads(happy.stdout)
    assert out["status"] == "SUCCEEDED"
    assert out["output"]["MessageId"] == "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"
    retry = json.loads(
        run_cli(definition, "--mock-config", config, "--test-case", "RetryPath", "--history").stdout
    )
    assert retry["status"] == "SUCCEEDED"
    failures = [e for e in retry["events"] if e["type"] == "TaskFailed"]
    assert len(failures) == 3  # three throws, retried; the fourth invocation returns
    missing = run_cli(definition, "--mock-config", config, "--test-case", "Nope")
    assert missing.returncode == 2 and "has no test case 'Nope'" in missing.stderr
    alone = run_cli(definition, "--test-case", "HappyPath")
    assert alone.returncode == 2 and "go together" in alone.stderr
