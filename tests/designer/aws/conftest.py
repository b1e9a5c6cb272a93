"""A live Stateyard for the AWS API tests: uvicorn and a Celery worker on the test database.

* ``aws_url``: ``http://127.0.0.1:<port>/aws`` of a server started once per module
  (``STATEYARD_AWS_POLL_SECONDS=3``: GetActivityTask waits 3 seconds, not 60);
* ``key_for(user, team)``: a fresh access key ``(id, secret)`` made by the service;
* ``sfn_for(user, team)``: a boto3 Step Functions client signed with such a key;
* ``raw(...)``: the raw HTTP answer of a request signed (or not) by hand, for the
  protocol tests that compare bodies with botocore's shapes.

Data is committed (``transactional_db``) so the server and the worker see it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from designer.models import Team
from designer.services.access_keys import access_key_create
from tests.designer.aws.shapes import assert_error, assert_shape
from tests.designer.processes import asgi_server, flush_broker, free_port, worker

REGION = "us-east-1"
NO_PREFIX = Config(inject_host_prefix=False, retries={"max_attempts": 1}, read_timeout=70)


@pytest.fixture(scope="module")
def aws_url(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    logs: Path = tmp_path_factory.mktemp("aws-live")
    with django_db_blocker.unblock():
        flush_broker()
        port = free_port()
        env = {"STATEYARD_AWS_POLL_SECONDS": "3"}
        with asgi_server(logs / "server.log", port, **env), worker(logs / "worker.log"):
            yield f"http://127.0.0.1:{port}/aws"


KeyFor = Callable[[Any, Team], tuple[str, str]]
SfnFor = Callable[..., Any]


@pytest.fixture
def key_for(transactional_db: None) -> KeyFor:
    def make(user: Any, team: Team) -> tuple[str, str]:
        made = access_key_create(user, team.slug, "tests")
        return made.key.key_id, made.secret

    return make


def _check_answer(http_response: Any, model: Any, **_: Any) -> None:
    """Every answer a test's client gets, compared with botocore's shapes as it arrives."""
    body = json.loads(http_response.content or b"{}")
    if http_response.status_code == 200:
        assert_shape(model.name, body)
    else:
        assert set(body) >= {"__type", "message"}, body
        assert_error(model.name, body["__type"])
    CHECKED.append(model.name)


CHECKED: list[str] = []  # every operation whose answer was compared with its shape


def client(url: str, key: tuple[str, str], config: Config = NO_PREFIX) -> Any:
    made = boto3.client(
        "stepfunctions",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=key[0],
        aws_secret_access_key=key[1],
        config=config,
    )
    made.meta.events.register("after-call.sfn", _check_answer)
    return made


@pytest.fixture
def sfn_for(aws_url: str, key_for: KeyFor) -> SfnFor:
    def make(user: Any, team: Team, config: Config = NO_PREFIX) -> Any:
        return client(aws_url, key_for(user, team), config)

    return make


def signed_headers(
    url: str, operation: str, body: bytes, key: tuple[str, str] | None, **extra: str
) -> dict[str, str]:
    headers = {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": f"AWSStepFunctions.{operation}",
        **extra,
    }
    if key is None:
        return headers
    request = AWSRequest(method="POST", url=url, data=body, headers=headers)
    SigV4Auth(Credentials(*key), "states", REGION).add_auth(request)
    return dict(request.headers.items())


def raw(
    url: str, operation: str, params: dict[str, Any], key: tuple[str, str] | None
) -> httpx.Response:
    """POST ``params`` as ``operation``, signed with ``key`` (unsigned when None)."""
    body = json.dumps(params).encode()
    return httpx.post(url, content=body, headers=signed_headers(url, operation, body, key))
