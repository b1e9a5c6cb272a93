"""AWS's JavaScript SDK v3 (``@aws-sdk/client-sfn``, installed by ``make test`` in tests/js)
against the live server, signed with a real access key.

``tests/js/sfn_client.mjs`` creates a Standard and an Express state machine, starts and
describes an execution, runs StartSyncExecution and TestState (the operations with
the ``sync-`` host prefix) and provokes two errors. It runs twice:

* at ``localhost`` with ``disableHostPrefix: true`` (the setting docs/aws-api.md
  names): every request goes to the endpoint's own host;
* at the host name ``stateyard.localhost`` with the SDK's defaults: StartSyncExecution
  and TestState go to ``sync-stateyard.localhost`` and the server accepts it.

What the SDK parsed is compared with what the server holds: the workflow and the
execution the SDK made are the studio's objects.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from designer.models import Execution, Team, Workflow
from tests.designer.aws.conftest import KeyFor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

JS = Path(__file__).resolve().parents[2] / "js"


def run_js(url: str, key: tuple[str, str], mode: str, name: str) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "node is needed (make test installs the front end's toolchain)"
    assert (JS / "node_modules" / "@aws-sdk" / "client-sfn").is_dir(), "run make test (npm)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        STATEYARD_AWS_URL=url,
        AWS_ACCESS_KEY_ID=key[0],
        AWS_SECRET_ACCESS_KEY=key[1],
        SFN_MODE=mode,
        SFN_NAME=name,
    )
    done = subprocess.run(
        [node, str(JS / "sfn_client.mjs")],
        cwd=JS,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def check_answers(out: dict[str, Any], team: Team, name: str) -> None:
    account = f"{team.pk:012d}"
    assert out["created"]["standard"] == f"arn:aws:states:us-east-1:{account}:stateMachine:{name}"
    assert out["createdAt"] is True and out["started"]["startDate"] is True
    assert out["started"]["executionArn"] == (
        f"arn:aws:states:us-east-1:{account}:execution:{name}:js-run"
    )
    assert out["described"] == {
        "status": "SUCCEEDED",
        "output": {"x": 0, "a": 1, "b": 2, "c": 3, "d": 4, "e": 5},
        "name": "js-run",
    }
    assert out["sync"]["status"] == "SUCCEEDED"
    assert out["sync"]["output"] == {"y": 1, "a": 1, "b": 2, "c": 3, "d": 4, "e": 5}
    assert out["sync"]["executionArn"].startswith(
        f"arn:aws:states:us-east-1:{account}:express:{name}-express:"
    )
    assert out["sync"]["billedMemory"] == 64
    assert out["tested"] == {
        "status": "SUCCEEDED",
        "output": {"total": 42},
        "nextState": "Ship",
        "afterParameters": {"FunctionName": "f", "Payload": {"id": 7}},
    }
    missing, again = out["errors"]["missing"], out["errors"]["again"]
    assert (missing["name"], missing["status"]) == ("StateMachineDoesNotExist", 400)
    assert "Does Not Exist" in missing["message"]
    assert (again["name"], again["status"]) == ("ExecutionAlreadyExists", 400)
    # the SDK's objects are the studio's
    workflow = Workflow.objects.get(team=team, name=name)
    assert workflow.type == "STANDARD" and workflow.definition["StartAt"] == "A"
    run = Execution.objects.get(workflow=workflow, name="js-run")
    assert run.status == "SUCCEEDED" and run.output["e"] == 5
    assert Execution.objects.filter(workflow__name=f"{name}-express", status="SUCCEEDED").exists()


COMMANDS = (
    "CreateStateMachineCommand",
    "StartExecutionCommand",
    "DescribeExecutionCommand",
    "StartSyncExecutionCommand",
    "TestStateCommand",
    "DescribeStateMachineCommand",
)


def hosts_by_command(out: dict[str, Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for command, host in out["hosts"]:
        found.setdefault(command, set()).add(host)
    return found


def test_the_js_sdk_with_host_prefix_disabled(
    aws_url: str, key_for: KeyFor, editor: Any, team: Team
) -> None:
    url = aws_url.replace("127.0.0.1", "localhost")
    out = run_js(url, key_for(editor, team), "no-prefix", "js-plain")
    check_answers(out, team, "js-plain")
    hosts = hosts_by_command(out)
    assert set(hosts) == set(COMMANDS)
    assert all(found == {"localhost"} for found in hosts.values())  # no sync- prefix at all


def test_the_js_sdk_at_a_host_name_with_its_defaults(
    aws_url: str, key_for: KeyFor, editor: Any, team: Team
) -> None:
    url = aws_url.replace("127.0.0.1", "stateyard.localhost")
    out = run_js(url, key_for(editor, team), "host-name", "js-named")
    check_answers(out, team, "js-named")
    hosts = hosts_by_command(out)
    assert set(hosts) == set(COMMANDS)
    for command, found in hosts.items():
        prefixed = command in ("StartSyncExecutionCommand", "TestStateCommand")
        assert found == {"sync-stateyard.localhost" if prefixed else "stateyard.localhost"}
