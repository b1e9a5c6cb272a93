"""Real clients against the live server: the AWS CLI (v1) in a subprocess, and the ``sync-``
host prefix of StartSyncExecution and TestState.

boto3 and the CLI send those two operations to ``sync-<host>``. Pointed at
``127.0.0.1``/``localhost`` they need host-prefix injection off
(``Config(inject_host_prefix=False)`` or ``AWS_DISABLE_HOST_PREFIX_INJECTION=true``);
pointed at a host name whose ``sync-`` name resolves too (``*.localhost`` on
systemd-resolved, or wildcard DNS), they work unchanged and the server accepts
``sync-<host>``. This machine's resolver has no ``*.localhost``, so the tests
map it to loopback inside the client process (a ``sitecustomize`` for the CLI).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config

from designer.models import Team
from tests.designer.aws.conftest import KeyFor, client
from tests.designer.aws.test_executions import FIVE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RESOLVER = """
import socket
_getaddrinfo = socket.getaddrinfo
def _loopback(host, *args, **kwargs):
    if isinstance(host, str) and host.endswith(".localhost"):
        host = "127.0.0.1"
    return _getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = _loopback
"""


@pytest.fixture
def localhost_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """``*.localhost`` resolves to 127.0.0.1 in this process, as systemd-resolved does."""
    real = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and host.endswith(".localhost"):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def by_name(url: str) -> str:
    return url.replace("127.0.0.1", "stateyard.localhost")


def test_boto3_with_host_prefix_injection_at_a_host_name(
    aws_url: str, key_for: KeyFor, editor: Any, team: Team, localhost_names: None
) -> None:
    sfn = client(by_name(aws_url), key_for(editor, team), Config(retries={"max_attempts": 1}))
    hosts: list[str] = []
    sfn.meta.events.register("before-send.sfn", lambda request, **_: hosts.append(request.url))
    arn = sfn.create_state_machine(
        name="quick",
        definition=json.dumps(FIVE),
        roleArn="arn:aws:iam::123456789012:role/r",
        type="EXPRESS",
    )["stateMachineArn"]
    done = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
    assert done["status"] == "SUCCEEDED"
    tested = sfn.test_state(definition=json.dumps({"Type": "Pass", "Result": 1, "End": True}))
    assert json.loads(tested["output"]) == 1
    assert hosts[0].startswith("http://stateyard.localhost:")
    assert hosts[1].startswith("http://sync-stateyard.localhost:")  # the prefix was sent
    assert hosts[2].startswith("http://sync-stateyard.localhost:")


def test_boto3_at_localhost_without_injection(
    aws_url: str, key_for: KeyFor, editor: Any, team: Team
) -> None:
    url = aws_url.replace("127.0.0.1", "localhost")
    sfn = client(url, key_for(editor, team), Config(inject_host_prefix=False))
    arn = sfn.create_state_machine(
        name="quick",
        definition=json.dumps(FIVE),
        roleArn="arn:aws:iam::123456789012:role/r",
        type="EXPRESS",
    )["stateMachineArn"]
    assert sfn.start_sync_execution(stateMachineArn=arn)["status"] == "SUCCEEDED"


@pytest.fixture
def aws_cli(
    aws_url: str, key_for: KeyFor, editor: Any, team: Team, tmp_path: Path
) -> Iterator[Any]:
    key_id, secret = key_for(editor, team)
    (tmp_path / "sitecustomize.py").write_text(RESOLVER)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "PYTHONPATH"}
    env.update(
        AWS_ACCESS_KEY_ID=key_id,
        AWS_SECRET_ACCESS_KEY=secret,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(tmp_path / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
        PYTHONPATH=str(tmp_path),
    )

    def run(*args: str, url: str = aws_url, **extra: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "awscli", "--endpoint-url", url, "stepfunctions", *args],
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else {}

    yield run


def test_the_aws_cli(aws_cli: Any, aws_url: str, team: Team, tmp_path: Path) -> None:
    definition = tmp_path / "five.json"
    definition.write_text(json.dumps(FIVE))
    made = aws_cli(
        "create-state-machine",
        "--name",
        "cli",
        "--definition",
        f"file://{definition}",
        "--role-arn",
        "arn:aws:iam::123456789012:role/r",
        "--type",
        "EXPRESS",
    )
    arn = made["stateMachineArn"]
    assert arn == f"arn:aws:states:us-east-1:{team.pk:012d}:stateMachine:cli"
    listed = aws_cli("list-state-machines")
    assert [m["name"] for m in listed["stateMachines"]] == ["cli"]
    described = aws_cli("describe-state-machine", "--state-machine-arn", arn)
    assert json.loads(described["definition"]) == FIVE
    # StartSyncExecution at 127.0.0.1: with host-prefix injection off
    done = aws_cli(
        "start-sync-execution",
        "--state-machine-arn",
        arn,
        "--input",
        '{"x": 1}',
        AWS_DISABLE_HOST_PREFIX_INJECTION="true",
    )
    assert done["status"] == "SUCCEEDED" and json.loads(done["output"])["e"] == 5
    # ...and at a host name whose sync- name resolves: unchanged
    named = aws_cli("start-sync-execution", "--state-machine-arn", arn, url=by_name(aws_url))
    assert named["status"] == "SUCCEEDED"
    aws_cli("delete-state-machine", "--state-machine-arn", arn)
    assert aws_cli("list-state-machines") == {"stateMachines": []}
