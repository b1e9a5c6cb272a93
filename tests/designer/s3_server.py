"""The S3-compatible server the Distributed Map tests read from and write to.

``make test`` starts moto's server mode on ``STATEYARD_TEST_S3_PORT`` (5479) in
``scripts/ensure-services.sh``; when pytest runs alone and nothing answers
there, ``s3_endpoint()`` starts one for the session (a real HTTP server, in a
process of its own) and stops it at exit. Tests make their own buckets (random
names), so parallel test workers never share one.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import boto3
import httpx

from tests.designer.processes import wait_for

PORT = int(os.environ.get("STATEYARD_TEST_S3_PORT", "5479"))
KEYS = {"aws_access_key_id": "stateyard-test", "aws_secret_access_key": "stateyard-secret"}
_started: list[subprocess.Popen[bytes]] = []


def _answers(url: str) -> bool:
    try:
        httpx.get(url, timeout=1.0)
    except httpx.HTTPError:
        return False
    return True


def allow_test_server() -> None:
    """Let S3 connections reach the test server as an administrator would: through the
    address guard's allow-list (``STATEYARD_HTTP_ALLOW_HOSTS``), which workers inherit."""
    entry = f"127.0.0.1:{PORT}"
    listed = [h for h in os.environ.get("STATEYARD_HTTP_ALLOW_HOSTS", "").split(",") if h]
    if entry not in listed:
        os.environ["STATEYARD_HTTP_ALLOW_HOSTS"] = ",".join([*listed, entry])


def s3_endpoint() -> str:
    url = f"http://127.0.0.1:{PORT}"
    allow_test_server()
    if _answers(url):
        return url
    server = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(PORT)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _started.append(process)
    atexit.register(process.terminate)
    wait_for(lambda: _answers(url), timeout=30)
    return url


def s3_client(endpoint: str) -> Any:
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS)


def new_bucket(endpoint: str) -> str:
    name = f"sy-{uuid.uuid4().hex[:20]}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name


def connection_auth(endpoint: str, **extra: str) -> dict[str, str]:
    """The ``auth`` of a team connection of type S3 that reaches the test server."""
    return {
        "endpoint_url": endpoint,
        "region": "us-east-1",
        "access_key_id": KEYS["aws_access_key_id"],
        "secret_access_key": KEYS["aws_secret_access_key"],
        **extra,
    }
