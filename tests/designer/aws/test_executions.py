"""Executions through boto3 on a live server with a real Celery worker: start (by machine,
version, alias), sync Express, describe, list, history, stop, redrive, task tokens, and an
activity worker written with plain boto3 that runs a workflow to the end."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

from designer.models import Execution, Team
from tests.designer.aws.conftest import SfnFor
from tests.designer.aws.test_state_machines import ROLE, code_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

FIVE = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Result": 1, "ResultPath": "$.a", "Next": "B"},
        "B": {"Type": "Pass", "Result": 2, "ResultPath": "$.b", "Next": "C"},
        "C": {"Type": "Pass", "Result": 3, "ResultPath": "$.c", "Next": "D"},
        "D": {"Type": "Pass", "Result": 4, "ResultPath": "$.d", "Next": "E"},
        "E": {"Type": "Pass", "Result": 5, "ResultPath": "$.e", "End": True},
    },
}
FAILS = {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Bad", "Cause": "no"}}}
WAITS = {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 60, "End": True}}}


def machine(sfn: Any, name: str, definition: Any, kind: str = "STANDARD") -> str:
    made = sfn.create_state_machine(
        name=name, definition=json.dumps(definition), roleArn=ROLE, type=kind
    )
    return str(made["stateMachineArn"])


def finished(sfn: Any, arn: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return dict(described)
        time.sleep(0.2)
    raise AssertionError(f"{arn} still running")


def test_start_describe_list_history(sfn_for: SfnFor, editor: Any, team: Team) -> None:
    sfn = sfn_for(editor, team)
    arn = machine(sfn, "five", FIVE)
    started = sfn.start_execution(stateMachineArn=arn, name="run-1", input='{"x": 0}')
    assert started["executionArn"] == (
        f"arn:aws:states:us-east-1:{team.pk:012d}:execution:five:run-1"
    )
    done = finished(sfn, started["executionArn"])
    assert done["status"] == "SUCCEEDED" and done["name"] == "run-1"
    assert json.loads(done["output"]) == {"x": 0, "a": 1, "b": 2, "c": 3, "d": 4, "e": 5}
    assert done["redriveStatus"] == "NOT_REDRIVABLE"
    # same name, same input, no longer running: ExecutionAlreadyExists
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=arn, name="run-1", input='{"x": 0}')
    assert code_of(caught) == "ExecutionAlreadyExists"
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=arn, input="{broken")
    assert code_of(caught) == "InvalidExecutionInput"
    for depth in (150, 10_000):  # the REST API's JSON_MAX_DEPTH (100), not Python's recursion
        with pytest.raises(ClientError) as caught:
            sfn.start_execution(stateMachineArn=arn, input="[" * depth + "]" * depth)
        assert code_of(caught) == "InvalidExecutionInput"
        assert "deeper than 100 levels" in caught.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=arn + "-gone")
    assert code_of(caught) == "StateMachineDoesNotExist"
    for index in range(3):
        sfn.start_execution(stateMachineArn=arn, name=f"more-{index}")
    listed = sfn.list_executions(stateMachineArn=arn, maxResults=2)
    assert len(listed["executions"]) == 2 and listed["nextToken"]
    every = [
        e["name"]
        for page in sfn.get_paginator("list_executions").paginate(
            stateMachineArn=arn, PaginationConfig={"PageSize": 2}
        )
        for e in page["executions"]
    ]
    assert sorted(every) == ["more-0", "more-1", "more-2", "run-1"]
    succeeded = sfn.list_executions(stateMachineArn=arn, statusFilter="SUCCEEDED")
    assert "run-1" in [e["name"] for e in succeeded["executions"]]
    history = sfn.get_execution_history(executionArn=started["executionArn"])["events"]
    types = [e["type"] for e in history]
    assert types[0] == "ExecutionStarted" and types[-1] == "ExecutionSucceeded"
    assert [e["id"] for e in history] == list(range(1, len(history) + 1))
    newest = sfn.get_execution_history(
        executionArn=started["executionArn"], reverseOrder=True, maxResults=3
    )
    assert [e["id"] for e in newest["events"]] == [len(history), len(history) - 1, len(history) - 2]
    second = sfn.get_execution_history(
        executionArn=started["executionArn"], reverseOrder=True, nextToken=newest["nextToken"]
    )
    assert second["events"][0]["id"] == len(history) - 3
    bare = sfn.get_execution_history(
        executionArn=started["executionArn"], includeExecutionData=False
    )["events"]
    assert "input" not in bare[0]["executionStartedEventDetails"]
    assert json.loads(history[0]["executionStartedEventDetails"]["input"]) == {"x": 0}
    for_execution = sfn.describe_state_machine_for_execution(executionArn=started["executionArn"])
    assert json.loads(for_execution["definition"]) == FIVE


def test_versions_and_aliases_start_what_they_name(
    sfn_for: SfnFor, editor: Any, team: Team
) -> None:
    sfn = sfn_for(editor, team)
    arn = machine(sfn, "five", FIVE)
    version = sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"]
    alias = sfn.create_state_machine_alias(
        name="prod", routingConfiguration=[{"stateMachineVersionArn": version, "weight": 100}]
    )["stateMachineAliasArn"]
    by_version = sfn.start_execution(stateMachineArn=version)["executionArn"]
    by_alias = sfn.start_execution(stateMachineArn=alias)["executionArn"]
    assert finished(sfn, by_version)["stateMachineVersionArn"] == version
    shown = finished(sfn, by_alias)
    assert shown["stateMachineAliasArn"] == alias and shown["stateMachineVersionArn"] == version
    listed = sfn.list_executions(stateMachineArn=alias)["executions"]
    assert [e["executionArn"] for e in listed] == [by_alias]


def test_sync_express(sfn_for: SfnFor, runner: Any, editor: Any, team: Team) -> None:
    arn = machine(sfn_for(editor, team), "quick", FIVE, "EXPRESS")
    sfn = sfn_for(runner, team)
    done = sfn.start_sync_execution(stateMachineArn=arn, input='{"x": 1}')
    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"])["e"] == 5
    assert done["executionArn"].startswith(
        f"arn:aws:states:us-east-1:{team.pk:012d}:express:quick:"
    )
    assert done["billingDetails"]["billedDurationInMilliseconds"] >= 100
    standard = machine(sfn_for(editor, team), "slow", FIVE)
    with pytest.raises(ClientError) as caught:
        sfn.start_sync_execution(stateMachineArn=standard)
    assert code_of(caught) == "StateMachineTypeNotSupported"


def test_express_names_may_be_reused_like_aws(
    sfn_for: SfnFor, runner: Any, editor: Any, team: Team
) -> None:
    """AWS: StartExecution is not idempotent for EXPRESS workflows, and their names are not
    unique; a reused name was ConflictException (sync) or ExecutionAlreadyExists (async)."""
    arn = machine(sfn_for(editor, team), "reused", FIVE, "EXPRESS")
    sfn = sfn_for(runner, team)
    synced = [sfn.start_sync_execution(stateMachineArn=arn, name="same") for _ in range(2)]
    assert [s["status"] for s in synced] == ["SUCCEEDED", "SUCCEEDED"]
    assert synced[0]["executionArn"] != synced[1]["executionArn"]
    started = [
        sfn.start_execution(stateMachineArn=arn, name="same", input=text)["executionArn"]
        for text in ('{"x": 1}', '{"x": 2}', '{"x": 2}')
    ]
    assert len(set(started)) == 3
    assert all(arn.split(":")[-2] == "same" for arn in started)


def test_a_history_token_fits_only_its_execution_and_order(
    sfn_for: SfnFor, editor: Any, team: Team
) -> None:
    """A nextToken from another execution's history, or with reverseOrder flipped, was
    accepted (and paged the wrong history); AWS answers InvalidToken."""
    sfn = sfn_for(editor, team)
    arn = machine(sfn, "paged", FIVE)
    one, two = (
        finished(sfn, sfn.start_execution(stateMachineArn=arn)["executionArn"])["executionArn"]
        for _ in range(2)
    )
    token = sfn.get_execution_history(executionArn=one, maxResults=2)["nextToken"]
    assert sfn.get_execution_history(executionArn=one, maxResults=2, nextToken=token)["events"]
    for wrong in (
        {"executionArn": two, "nextToken": token},
        {"executionArn": one, "nextToken": token, "reverseOrder": True},
    ):
        with pytest.raises(ClientError) as caught:
            sfn.get_execution_history(**wrong)
        assert code_of(caught) == "InvalidToken", wrong


def test_stop_and_redrive(sfn_for: SfnFor, editor: Any, team: Team) -> None:
    sfn = sfn_for(editor, team)
    waiting = sfn.start_execution(stateMachineArn=machine(sfn, "waits", WAITS))["executionArn"]
    time.sleep(0.5)
    assert sfn.stop_execution(executionArn=waiting, error="Halt", cause="test")["stopDate"]
    stopped = finished(sfn, waiting)
    assert stopped["status"] == "ABORTED" and stopped["error"] == "Halt"
    failing = sfn.start_execution(stateMachineArn=machine(sfn, "fails", FAILS))["executionArn"]
    failed = finished(sfn, failing)
    assert failed["status"] == "FAILED" and failed["error"] == "Bad"
    assert failed["redriveStatus"] == "REDRIVABLE"
    assert sfn.redrive_execution(executionArn=failing)["redriveDate"]
    again = finished(sfn, failing)
    assert again["redriveCount"] == 1 and again["status"] == "FAILED"
    done = sfn.start_execution(stateMachineArn=machine(sfn, "fine", FIVE))["executionArn"]
    finished(sfn, done)
    with pytest.raises(ClientError) as caught:
        sfn.redrive_execution(executionArn=done)
    assert code_of(caught) == "ExecutionNotRedrivable"
    with pytest.raises(ClientError) as caught:
        sfn.describe_execution(executionArn=done.replace(":fine:", ":nope:"))
    assert code_of(caught) == "ExecutionDoesNotExist"


def test_an_activity_worker_with_plain_boto3(sfn_for: SfnFor, editor: Any, team: Team) -> None:
    sfn = sfn_for(editor, team)
    activity = sfn.create_activity(name="greeter")["activityArn"]
    assert activity == f"arn:aws:states:us-east-1:{team.pk:012d}:activity:greeter"
    assert sfn.create_activity(name="greeter")["activityArn"] == activity  # idempotent
    assert sfn.describe_activity(activityArn=activity)["name"] == "greeter"
    assert [a["name"] for a in sfn.list_activities()["activities"]] == ["greeter"]
    definition = {
        "StartAt": "Greet",
        "States": {
            "Greet": {"Type": "Task", "Resource": activity, "TimeoutSeconds": 60, "Next": "Done"},
            "Done": {"Type": "Pass", "End": True},
        },
    }
    execution = sfn.start_execution(
        stateMachineArn=machine(sfn, "greets", definition), input='{"who": "Ada"}'
    )["executionArn"]
    worked: list[Any] = []

    def work() -> None:  # what a user's worker process does, with boto3 and nothing else
        task = sfn.get_activity_task(activityArn=activity, workerName="w1")
        payload = json.loads(task["input"])
        worked.append(payload)
        sfn.send_task_heartbeat(taskToken=task["taskToken"])
        sfn.send_task_success(
            taskToken=task["taskToken"], output=json.dumps({"greeting": f"Hi {payload['who']}"})
        )
        worked.append(task["taskToken"])

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert worked and worked[0] == {"who": "Ada"}
    done = finished(sfn, execution)
    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"]) == {"greeting": "Hi Ada"}
    history = [e["type"] for e in sfn.get_execution_history(executionArn=execution)["events"]]
    assert "ActivityScheduled" in history and "ActivitySucceeded" in history
    with pytest.raises(ClientError) as caught:
        sfn.send_task_success(taskToken=worked[1], output="{}")
    assert code_of(caught) == "TaskTimedOut"
    with pytest.raises(ClientError) as caught:
        sfn.send_task_failure(taskToken="not-a-token", error="E")
    assert code_of(caught) == "InvalidToken"
    began = time.monotonic()
    empty = sfn.get_activity_task(activityArn=activity)  # nothing to do: the poll times out
    assert "taskToken" not in empty and "input" not in empty
    assert time.monotonic() - began >= 2.5  # it waited (STATEYARD_AWS_POLL_SECONDS=3)
    sfn.delete_activity(activityArn=activity)
    with pytest.raises(ClientError) as caught:
        sfn.describe_activity(activityArn=activity)
    assert code_of(caught) == "ActivityDoesNotExist"


def test_send_task_failure_fails_the_task(sfn_for: SfnFor, editor: Any, team: Team) -> None:
    sfn = sfn_for(editor, team)
    activity = sfn.create_activity(name="worker")["activityArn"]
    definition = {
        "StartAt": "Work",
        "States": {"Work": {"Type": "Task", "Resource": activity, "End": True}},
    }
    execution = sfn.start_execution(stateMachineArn=machine(sfn, "work", definition))[
        "executionArn"
    ]
    task = sfn.get_activity_task(activityArn=activity)
    sfn.send_task_failure(taskToken=task["taskToken"], error="Worker.Broke", cause="disk full")
    done = finished(sfn, execution)
    assert (done["status"], done["error"], done["cause"]) == ("FAILED", "Worker.Broke", "disk full")


def test_another_teams_key_cannot_answer_or_poll(
    sfn_for: SfnFor, editor: Any, team: Team, outsider: Any, other_team: Team
) -> None:
    sfn = sfn_for(editor, team)
    activity = sfn.create_activity(name="private")["activityArn"]
    definition = {
        "StartAt": "Work",
        "States": {"Work": {"Type": "Task", "Resource": activity, "End": True}},
    }
    execution = sfn.start_execution(stateMachineArn=machine(sfn, "private", definition))[
        "executionArn"
    ]
    task = sfn.get_activity_task(activityArn=activity)
    theirs = sfn_for(outsider, other_team)
    for call in (
        lambda: theirs.send_task_success(taskToken=task["taskToken"], output="{}"),
        lambda: theirs.send_task_heartbeat(taskToken=task["taskToken"]),
    ):
        with pytest.raises(ClientError) as caught:
            call()
        assert code_of(caught) == "InvalidToken"
    with pytest.raises(ClientError) as caught:
        theirs.get_activity_task(activityArn=activity)
    assert code_of(caught) == "ActivityDoesNotExist"
    for call in (
        lambda: theirs.describe_execution(executionArn=execution),
        lambda: theirs.stop_execution(executionArn=execution),
        lambda: theirs.get_execution_history(executionArn=execution),
    ):
        with pytest.raises(ClientError) as caught:
            call()
        assert code_of(caught) == "ExecutionDoesNotExist"
    assert Execution.objects.get(name=execution.rsplit(":", 1)[1]).status == "RUNNING"


def test_a_child_execution_cannot_reach_another_teams_account(
    sfn_for: SfnFor, editor: Any, team: Team, outsider: Any, other_team: Team
) -> None:
    """``states:startExecution.sync`` names its child by ARN: another team's account is
    StateMachineDoesNotExist (even where the caller has a machine of that name); the
    team's own account and Step Functions Local's alias start the team's own machine."""
    sfn, theirs = sfn_for(editor, team), sfn_for(outsider, other_team)
    their_arn = machine(theirs, "child", FAILS)
    our_arn = machine(sfn, "child", FIVE)
    assert their_arn.split(":")[4] == f"{other_team.pk:012d}" != our_arn.split(":")[4]
    local_arn = our_arn.replace(f":{team.pk:012d}:", ":123456789012:")
    outcomes = {}
    for label, target in (("theirs", their_arn), ("ours", our_arn), ("local", local_arn)):
        parent = {
            "StartAt": "Child",
            "States": {
                "Child": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution.sync:2",
                    "Parameters": {"StateMachineArn": target, "Input": {"x": 1}},
                    "End": True,
                }
            },
        }
        parent_arn = machine(sfn, f"parent-{label}", parent)
        started = sfn.start_execution(stateMachineArn=parent_arn)["executionArn"]
        outcomes[label] = finished(sfn, started, timeout=60)
    refused = outcomes["theirs"]
    assert refused["status"] == "FAILED"
    assert refused.get("error") == "StepFunctions.StateMachineDoesNotExistException"
    assert their_arn in refused.get("cause", "")
    assert not Execution.objects.filter(workflow__team=other_team).exists()
    for label in ("ours", "local"):
        assert outcomes[label]["status"] == "SUCCEEDED", outcomes[label]
        child = json.loads(outcomes[label]["output"])
        assert child["StateMachineArn"] == our_arn and child["Output"]["e"] == 5
