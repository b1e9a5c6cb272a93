"""A runaway Express run in embedded mode (``make run``: uvicorn, SQLite, the in-process pool).

The tester's report: an Express workflow whose JSONata never returns (a
tail-recursive function), started with StartSyncExecution and then stopped.
The stop answered 202, then every write failed with ``database is locked``
(the stop dispatched a durable advance of the Express execution, which ran the
whole workflow again inside a write transaction), reads followed, and SIGTERM
did not stop the server. Now the stop ends the run (ABORTED), the database
stays writable, and the server shuts down; a runaway evaluation nobody stops
ends at the JSONata time limit and does not hold the shutdown either.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.designer.processes import (
    asgi_server,
    embedded_env,
    embedded_workflow,
    free_port,
    kill_hard,
)

pytestmark = pytest.mark.slow

RUNAWAY = {
    "QueryLanguage": "JSONata",
    "StartAt": "S",
    "States": {
        "S": {
            "Type": "Pass",
            "Output": "{% ($f := function($n){ $f($n+1) }; $f(0)) %}",
            "End": True,
        }
    },
}


def eventually(check: Callable[[], Any], what: str, tries: int = 300) -> Any:
    """Poll ``check`` (about every 0.1 s) until it returns something truthy."""
    for _ in range(tries):
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"never: {what}")


def prepare(
    tmp: Path, definition: dict[str, Any], **limits: str
) -> tuple[dict[str, str], str, str]:
    """A ``make run`` SQLite database with an Express workflow: (env, workflow id, token)."""
    env = embedded_env(
        tmp / "runaway.sqlite3",
        **{f"STATEYARD_LIMIT_{name}": value for name, value in limits.items()},
    )
    workflow_id, token = embedded_workflow(env, "runaway", definition, "EXPRESS")
    return env, workflow_id, token


@contextmanager
def embedded(tmp: Path, **limits: str) -> Iterator[tuple[str, dict[str, str], str, Any]]:
    """A ``make run`` server on SQLite with an Express workflow ``runaway``: (url, headers,
    workflow id, the server process)."""
    env, workflow_id, token = prepare(tmp, RUNAWAY, **limits)
    port = free_port()
    with asgi_server(tmp / "server.log", port, **env) as process:
        yield (
            f"http://127.0.0.1:{port}",
            {"Authorization": f"Bearer {token}"},
            workflow_id,
            process,
        )


def start_sync_in_background(
    base: str, headers: dict[str, str], workflow_id: str, value: Any = None
) -> None:
    def call() -> None:
        with suppress(httpx.HTTPError):  # the client gives up; the run goes on in the server
            httpx.post(
                f"{base}/api/workflows/{workflow_id}/executions/sync/",
                json={"input": value or {}},
                headers=headers,
                timeout=3,
            )

    threading.Thread(target=call, daemon=True).start()


def running_execution(base: str, headers: dict[str, str], workflow_id: str) -> str:
    def found() -> str | None:
        listed = httpx.get(
            f"{base}/api/workflows/{workflow_id}/executions/", headers=headers, timeout=10
        ).json()["results"]
        return next((e["id"] for e in listed if e["status"] == "RUNNING"), None)

    return str(eventually(found, "the Express execution is running"))


def shuts_down(process: Any) -> bool:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        return False
    return True


def test_stopping_a_runaway_express_run_aborts_it_and_keeps_the_database_writable(
    tmp_path: Path,
) -> None:
    with embedded(tmp_path, JSONATA_MAX_SECONDS="600") as (base, headers, workflow_id, process):
        start_sync_in_background(base, headers, workflow_id)
        execution_id = running_execution(base, headers, workflow_id)
        stopped = httpx.post(
            f"{base}/api/executions/{execution_id}/stop/",
            json={"error": "Halt", "cause": "runaway"},
            headers=headers,
            timeout=60,
        )
        assert stopped.status_code == 202, stopped.text

        def ended() -> dict[str, Any] | None:
            response = httpx.get(
                f"{base}/api/executions/{execution_id}/", headers=headers, timeout=60
            )
            assert response.status_code == 200, response.text  # was: database is locked
            body = response.json()
            return body if body["status"] != "RUNNING" else None

        body = eventually(ended, "the stopped execution ends")
        assert (body["status"], body["error"], body["cause"]) == ("ABORTED", "Halt", "runaway")
        history = httpx.get(
            f"{base}/api/executions/{execution_id}/history/", headers=headers, timeout=60
        ).json()["events"]
        assert [e["type"] for e in history] == [
            "ExecutionStarted",
            "PassStateEntered",
            "ExecutionAborted",
        ]
        created = httpx.post(
            f"{base}/api/teams/solo/workflows/",
            json={
                "name": "still-writable",
                "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            },
            headers=headers,
            timeout=60,
        )
        assert created.status_code == 201, created.text
        assert shuts_down(process), "SIGTERM did not stop the server"


def test_a_runaway_evaluation_ends_at_its_limit_and_does_not_hold_the_shutdown(
    tmp_path: Path,
) -> None:
    with embedded(tmp_path, JSONATA_MAX_SECONDS="3") as (base, headers, workflow_id, process):
        response = httpx.post(
            f"{base}/api/workflows/{workflow_id}/executions/sync/",
            json={"input": {}},
            headers=headers,
            timeout=120,
        )
        assert response.status_code == 200, response.text
        body = response.json()["execution"]
        assert (body["status"], body["error"]) == ("FAILED", "States.QueryEvaluationError")
        assert "JSONATA_MAX_SECONDS" in body["cause"]
        start_sync_in_background(base, headers, workflow_id)
        running_execution(base, headers, workflow_id)
        assert shuts_down(process), "SIGTERM did not stop the server"


NAPS = {
    "StartAt": "Nap",
    "States": {
        "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Again"},
        "Again": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.go", "BooleanEquals": True, "Next": "Nap"}],
            "Default": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}


def test_an_express_run_lost_in_a_restart_ends_timed_out(tmp_path: Path) -> None:
    """A synchronous Wait loop in flight when the server dies ends TIMED_OUT after the restart."""
    env, workflow_id, token = prepare(tmp_path, NAPS, EXPRESS_MAX_SECONDS="3")
    headers = {"Authorization": f"Bearer {token}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with asgi_server(tmp_path / "first.log", port, **env) as process:
        start_sync_in_background(base, headers, workflow_id, {"go": True})
        execution_id = running_execution(base, headers, workflow_id)
        kill_hard(process)  # a crash: the run goes with the process
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with asgi_server(tmp_path / "second.log", port, **env):

        def ended() -> dict[str, Any] | None:
            body = httpx.get(f"{base}/api/executions/{execution_id}/", headers=headers).json()
            return body if body["status"] != "RUNNING" else None

        body = eventually(ended, "the lost run is ended by the sweeper", tries=600)
        history = httpx.get(
            f"{base}/api/executions/{execution_id}/history/", headers=headers
        ).json()["events"]
    assert (body["status"], body["error"]) == ("TIMED_OUT", "States.Timeout")
    assert [e["type"] for e in history] == ["ExecutionStarted", "ExecutionTimedOut"]
