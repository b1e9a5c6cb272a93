"""Activities: the CRUD endpoints and roles, GetActivityTask's long poll, answers with the token.

Executions are advanced by calling the runtime directly (as in
test_executions_api.py); the last test runs the real thing: a Celery worker, a
live server and the example worker (``examples/activity_worker.py``) in its
own process.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.urls import include, path
from rest_framework.test import APIClient

from designer.models import (
    Activity,
    Execution,
    InvocationStatus,
    TaskInvocation,
    Team,
    Workflow,
)
from designer.services.activities import activity_claim
from designer.services.execution_runtime import execution_advance
from designer.services.executions import execution_start
from designer.services.tokens import token_create
from tests.designer.processes import REPO, child_env, flush_broker, wait_for, worker

urlpatterns = [
    path("api/", include("designer.api.urls_tasks")),
    path("", include("stateyard.urls")),
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

ARN = "arn:aws:states:us-east-1:000000000000:activity:"


def own_arn(name: str) -> str:
    """The ARN of the acme team's activity: the team's own 12-digit account."""
    team = Team.objects.get(slug="acme")
    return f"arn:aws:states:us-east-1:{team.pk:012d}:activity:{name}"


def activity_task(name: str = "greeter", **extra: Any) -> dict[str, Any]:
    return {
        "StartAt": "Work",
        "States": {
            "Work": {"Type": "Task", "Resource": ARN + name, **extra, "End": True},
        },
    }


@pytest.fixture
def greeter(team: Team) -> Activity:
    return Activity.objects.create(team=team, name="greeter")


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def run(user: Any, team: Team, definition: dict[str, Any], value: Any, name: str = "w") -> Any:
    workflow, _ = Workflow.objects.get_or_create(
        team=team, name=name, defaults={"definition": definition}
    )
    execution, _ = execution_start(user, workflow.pk, value)
    execution_advance(execution.pk)
    return Execution.objects.get(pk=execution.pk)


def poll(user: Any, activity: Activity, wait: float = 0, **body: Any) -> Any:
    return client_for(user).post(
        f"/api/activities/{activity.pk}/poll/", {"wait": wait, **body}, format="json"
    )


def send(user: Any, kind: str, **body: Any) -> Any:
    return client_for(user).post(f"/api/tasks/{kind}/", body, format="json")


# ---- the activity endpoints ---------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "editor"])
def test_editors_and_owners_create_activities(members: dict[str, Any], who: str) -> None:
    response = client_for(members[who]).post(
        "/api/teams/acme/activities/", {"name": "greeter"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "greeter" and body["team"] == "acme"
    assert body["arn"] == own_arn(body["name"])
    assert Activity.objects.filter(pk=body["id"], team__slug="acme").exists()


@pytest.mark.parametrize("who", ["runner", "viewer"])
def test_runners_and_viewers_cannot_create(members: dict[str, Any], who: str) -> None:
    response = client_for(members[who]).post(
        "/api/teams/acme/activities/", {"name": "greeter"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_names_are_checked_and_unique(members: dict[str, Any], greeter: Activity) -> None:
    client = client_for(members["editor"])
    clash = client.post("/api/teams/acme/activities/", {"name": "greeter"}, format="json")
    assert clash.status_code == 409
    bad = client.post("/api/teams/acme/activities/", {"name": "has space"}, format="json")
    assert bad.status_code == 400


def test_viewers_list_and_describe(members: dict[str, Any], greeter: Activity) -> None:
    client = client_for(members["viewer"])
    listed = client.get("/api/teams/acme/activities/").json()
    assert [a["name"] for a in listed] == ["greeter"]
    described = client.get(f"/api/activities/{greeter.pk}/").json()
    assert described["arn"] == own_arn("greeter") and described["id"] == greeter.pk
    by_arn = client.get("/api/activities/", {"arn": own_arn("greeter")}).json()
    assert [a["id"] for a in by_arn] == [greeter.pk]
    assert client.get("/api/activities/", {"arn": own_arn("nope")}).json() == []
    # the team is the ARN's account: another account's ARN names none of its activities
    # (000000000000, the one account of earlier ARNs and LocalStack's, still names them)
    assert [a["id"] for a in client.get("/api/activities/", {"arn": ARN + "greeter"}).json()] == [
        greeter.pk
    ]
    other = ARN.replace("000000000000", "111111111111")
    assert client.get("/api/activities/", {"arn": other + "greeter"}).json() == []


def test_other_teams_get_404_everywhere(outsider: Any, other_team: Team, greeter: Activity) -> None:
    client = client_for(outsider)
    assert client.get("/api/teams/acme/activities/").status_code == 404
    assert client.post("/api/teams/acme/activities/", {"name": "x"}).status_code == 404
    assert client.get(f"/api/activities/{greeter.pk}/").status_code == 404
    assert client.delete(f"/api/activities/{greeter.pk}/").status_code == 404
    assert poll(outsider, greeter).status_code == 404
    assert client.get("/api/activities/").json() == []
    assert Activity.objects.filter(pk=greeter.pk).exists()


def test_delete_needs_editor(members: dict[str, Any], greeter: Activity) -> None:
    denied = client_for(members["runner"]).delete(f"/api/activities/{greeter.pk}/")
    assert denied.status_code == 403
    deleted = client_for(members["editor"]).delete(f"/api/activities/{greeter.pk}/")
    assert deleted.status_code == 204
    assert not Activity.objects.filter(pk=greeter.pk).exists()


def test_deleting_an_activity_fails_its_waiting_tasks(
    members: dict[str, Any], team: Team, greeter: Activity
) -> None:
    execution = run(members["runner"], team, activity_task(), {"n": 1})
    assert execution.status == "RUNNING"
    client_for(members["editor"]).delete(f"/api/activities/{greeter.pk}/")
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "FAILED" and execution.error == "ActivityDoesNotExist"


def test_a_missing_activity_fails_the_task(members: dict[str, Any], team: Team) -> None:
    execution = run(members["runner"], team, activity_task("nobody"), {})
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "FAILED" and execution.error == "ActivityDoesNotExist"


# ---- polling and answering ----------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "editor", "runner"])
def test_runners_and_up_poll(members: dict[str, Any], greeter: Activity, who: str) -> None:
    response = poll(members[who], greeter)
    assert response.status_code == 200
    assert response.json() == {}


def test_viewers_cannot_poll(members: dict[str, Any], greeter: Activity) -> None:
    response = poll(members["viewer"], greeter)
    assert response.status_code == 403


def test_poll_checks_wait(members: dict[str, Any], greeter: Activity) -> None:
    assert poll(members["runner"], greeter, wait=-1).status_code == 400
    started = time.monotonic()
    assert poll(members["runner"], greeter, wait=0.3).json() == {}
    assert 0.25 < time.monotonic() - started < 5


def test_a_worker_gets_the_task_and_answers_it(
    members: dict[str, Any], team: Team, greeter: Activity
) -> None:
    runner = members["runner"]
    definition = activity_task(Parameters={"who.$": "$.name"}, ResultPath="$.result")
    execution = run(runner, team, definition, {"name": "Ada"})
    invocation = TaskInvocation.objects.get(execution=execution)
    assert invocation.kind == "activity" and invocation.status == InvocationStatus.SCHEDULED
    task = poll(runner, greeter, workerName="w-1").json()
    assert task["input"] == {"who": "Ada"}
    invocation.refresh_from_db()
    assert invocation.status == InvocationStatus.STARTED and invocation.worker_name == "w-1"
    assert poll(runner, greeter).json() == {}  # nobody else gets it
    assert send(runner, "heartbeat", taskToken=task["taskToken"]).status_code == 200
    answered = send(runner, "success", taskToken=task["taskToken"], output={"hi": "Ada"})
    assert answered.status_code == 200 and answered.json() == {}
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "SUCCEEDED"
    assert execution.output == {"name": "Ada", "result": {"hi": "Ada"}}
    again = send(runner, "success", taskToken=task["taskToken"], output={})
    assert again.status_code == 409 and again.json()["details"]["awsError"] == "TaskTimedOut"


def test_failure_reaches_catch(members: dict[str, Any], team: Team, greeter: Activity) -> None:
    definition = {
        "StartAt": "Work",
        "States": {
            "Work": {
                "Type": "Task",
                "Resource": ARN + "greeter",
                "Catch": [{"ErrorEquals": ["Nope"], "ResultPath": "$.err", "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }
    execution = run(members["runner"], team, definition, {"a": 1})
    token = poll(members["runner"], greeter).json()["taskToken"]
    response = send(members["editor"], "failure", taskToken=token, error="Nope", cause="no way")
    assert response.status_code == 200
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "SUCCEEDED"
    assert execution.output == {"a": 1, "err": {"Error": "Nope", "Cause": "no way"}}


def test_token_answers_check_the_caller(
    members: dict[str, Any], team: Team, greeter: Activity, outsider: Any, other_team: Team
) -> None:
    run(members["runner"], team, activity_task(), {})
    token = poll(members["runner"], greeter).json()["taskToken"]
    unknown = send(members["runner"], "success", taskToken="f" * 64, output={})
    assert unknown.status_code == 404
    assert unknown.json()["details"]["awsError"] == "InvalidToken"
    hidden = send(outsider, "success", taskToken=token, output={})
    assert hidden.status_code == 404
    assert hidden.json()["details"]["awsError"] == "InvalidToken"
    assert send(outsider, "heartbeat", taskToken=token).status_code == 404
    assert send(members["viewer"], "failure", taskToken=token, error="x").status_code == 403
    assert send(members["runner"], "success", output={}).status_code == 400
    assert APIClient().post("/api/tasks/success/", {"taskToken": token}).status_code in (401, 403)


def test_no_heartbeat_times_the_task_out(
    members: dict[str, Any], team: Team, greeter: Activity
) -> None:
    runner = members["runner"]
    execution = run(runner, team, activity_task(HeartbeatSeconds=1), {})
    token = poll(runner, greeter).json()["taskToken"]
    time.sleep(1.2)
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "FAILED" and execution.error == "States.HeartbeatTimeout"
    assert TaskInvocation.objects.get(execution=execution).status == InvocationStatus.CANCELLED
    late = send(runner, "success", taskToken=token, output={"late": True})
    assert late.status_code == 409 and late.json()["details"]["awsError"] == "TaskTimedOut"
    assert send(runner, "heartbeat", taskToken=token).status_code == 409


def test_heartbeats_keep_the_task_alive(
    members: dict[str, Any], team: Team, greeter: Activity
) -> None:
    runner = members["runner"]
    execution = run(runner, team, activity_task(HeartbeatSeconds=1), {})
    token = poll(runner, greeter).json()["taskToken"]
    for _ in range(3):  # 1.8 s in all: past the first deadline, alive thanks to the beats
        time.sleep(0.6)
        assert send(runner, "heartbeat", taskToken=token).status_code == 200
        execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "RUNNING"
    assert send(runner, "success", taskToken=token, output=7).status_code == 200
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "SUCCEEDED" and execution.output == 7


def test_unclaimed_task_times_out_and_is_withdrawn(
    members: dict[str, Any], team: Team, greeter: Activity
) -> None:
    execution = run(members["runner"], team, activity_task(TimeoutSeconds=1), {})
    time.sleep(1.1)
    execution_advance(execution.pk)
    execution.refresh_from_db()
    assert execution.status == "FAILED" and execution.error == "States.Timeout"
    assert poll(members["runner"], greeter).json() == {}


def test_an_aborted_execution_task_is_never_handed_out(
    members: dict[str, Any], team: Team, greeter: Activity
) -> None:
    execution = run(members["runner"], team, activity_task(), {})
    client_for(members["runner"]).post(f"/api/executions/{execution.pk}/stop/", {})
    execution_advance(execution.pk)
    assert Execution.objects.get(pk=execution.pk).status == "ABORTED"
    assert poll(members["runner"], greeter).json() == {}


# ---- concurrency: committed data, threads with their own connections -----------------


@pytest.fixture
def broker() -> Any:
    flush_broker()
    yield
    flush_broker()


@pytest.mark.django_db(transaction=True)
def test_two_pollers_never_get_the_same_task(
    members: dict[str, Any], team: Team, greeter: Activity, broker: None
) -> None:
    for i in range(6):
        run(members["runner"], team, activity_task(), {"i": i}, name=f"w{i}")
    results: list[Any] = []
    lock = threading.Lock()
    go = threading.Barrier(10)

    def claim() -> None:
        try:
            go.wait()
            got = activity_claim(greeter.pk, "racer")
            with lock:
                results.append(got)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    tokens = [r[0] for r in results if r is not None]
    assert len(results) == 10
    assert len(tokens) == 6 and len(set(tokens)) == 6
    assert sorted(r[1]["i"] for r in results if r is not None) == list(range(6))
    assert TaskInvocation.objects.filter(status=InvocationStatus.STARTED).count() == 6


@pytest.mark.django_db(transaction=True)
def test_long_poll_returns_when_work_arrives(
    members: dict[str, Any], team: Team, greeter: Activity, broker: None
) -> None:
    answer: dict[str, Any] = {}

    def wait_for_work() -> None:
        try:
            began = time.monotonic()
            response = poll(members["runner"], greeter, wait=20)
            answer.update(response.json(), seconds=time.monotonic() - began)
        finally:
            connection.close()

    poller = threading.Thread(target=wait_for_work)
    poller.start()
    time.sleep(0.8)
    assert poller.is_alive()  # still waiting: nothing to do yet
    run(members["runner"], team, activity_task(), {"late": "work"})
    poller.join(20)
    assert answer.get("input") == {"late": "work"}, answer
    assert answer["taskToken"] and 0.7 < answer["seconds"] < 5


# ---- the real thing -----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_example_worker_process_completes_a_task(
    members: dict[str, Any], team: Team, greeter: Activity, live_server: Any, tmp_path: Path
) -> None:
    flush_broker()
    runner = members["runner"]
    _, token = token_create(runner, "worker")
    definition = activity_task(HeartbeatSeconds=3, TimeoutSeconds=60)  # the work takes 5 s
    workflow = Workflow.objects.create(team=team, name="greet", definition=definition)
    log = tmp_path / "worker.log"
    with worker(log):
        execution, _ = execution_start(runner, workflow.pk, {"name": "Ada", "seconds": 5})
        wait_for(
            lambda: TaskInvocation.objects.filter(execution_id=execution.pk).exists(), timeout=60
        )
        process = subprocess.run(
            [
                sys.executable,
                str(REPO / "examples" / "activity_worker.py"),
                "--url",
                live_server.url,
                "--token",
                token,
                "--activity",
                ARN + "greeter",
                "--name",
                "example-1",
                "--wait",
                "10",
                "--heartbeat",
                "0.5",
                "--max-tasks",
                "1",
            ],
            env=child_env(),
            cwd=tmp_path,  # not the repository: the example finds the package itself
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert process.returncode == 0, process.stderr
        wait_for(lambda: Execution.objects.get(pk=execution.pk).status != "RUNNING", timeout=60)
    execution.refresh_from_db()
    assert execution.status == "SUCCEEDED", (execution.error, process.stderr, log.read_text())
    assert execution.output == {"greeting": "Hello, Ada!", "worker": "example-1"}
    invocation = TaskInvocation.objects.get(execution=execution)
    assert invocation.worker_name == "example-1"
    assert invocation.status == InvocationStatus.SUCCEEDED
