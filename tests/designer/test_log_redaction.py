"""API tokens in websocket URLs never reach the server's logs."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from designer import log_redaction
from designer.models import Team, Workflow
from designer.services.tokens import token_create
from tests.designer.processes import REPO, child_env, free_port, stop, wait_for

SECRET = "sy_abcd1234_s3cr3t-value"
UVICORN_ARGS = ("--log-level", "info", "--host", "127.0.0.1", "--port")


@pytest.mark.parametrize(
    ("logger", "message", "args"),
    [
        (
            "uvicorn.error",
            '%s - "WebSocket %s" [accepted]',
            ("1.2.3.4:5", f"/ws/x/?token={SECRET}"),
        ),
        (
            "uvicorn.access",
            '%s - "%s %s HTTP/%s" %d',
            ("1.2.3.4:5", "GET", f"/api/?a=1&token={SECRET}&b=2", "1.1", 200),
        ),
        ("django.request", f"Not Found: /ws/?token={SECRET}", ()),
    ],
)
def test_the_filter_masks_token_values(
    logger: str, message: str, args: tuple[Any, ...], caplog: pytest.LogCaptureFixture
) -> None:
    log_redaction.install()
    with caplog.at_level(logging.INFO, logger=logger):
        logging.getLogger(logger).info(message, *args)
    line = caplog.records[-1].getMessage()
    assert SECRET not in line and "s3cr3t" not in line
    assert "token=[redacted]" in line


def test_other_query_parameters_stay() -> None:
    assert log_redaction.redact("/x/?page=2&token=abc&Access_Token=d") == (
        "/x/?page=2&token=[redacted]&Access_Token=[redacted]"
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_uvicorns_log_has_no_token(tmp_path: Path, team: Team, viewer: Any) -> None:
    workflow = Workflow.objects.create(team=team, name="flow", definition={"StartAt": "P"})
    _, plaintext = token_create(viewer, "script")
    port = free_port()
    log = tmp_path / "server.log"
    handle = log.open("ab")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "stateyard.asgi:application", *UVICORN_ARGS, str(port)],
        cwd=REPO,
        env=child_env(),
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(lambda: "Uvicorn running" in log.read_text() or server.poll() is not None)
        assert server.poll() is None, log.read_text()[-2000:]

        async def watch() -> None:
            url = f"ws://127.0.0.1:{port}/ws/workflows/{workflow.pk}/executions/?token={plaintext}"
            origin = {"Origin": f"http://127.0.0.1:{port}"}
            async with websockets.connect(url, additional_headers=origin, open_timeout=10) as ws:
                await ws.send('{"type": "ping"}')

        asyncio.run(watch())
        httpx.get(f"http://127.0.0.1:{port}/api/teams/?token={plaintext}")
        wait_for(lambda: log.read_text().count("token=[redacted]") >= 2)
    finally:
        stop(server)
    text = log.read_text()
    assert "[accepted]" in text  # the websocket was let in (the query token still works)
    assert plaintext not in text and plaintext.split("_", 2)[2] not in text  # nor the secret
