"""TestState, Map Runs and tags through boto3 on the live server."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from designer.models import Team, Workflow
from tests.designer.aws.conftest import SfnFor
from tests.designer.aws.test_executions import finished, machine
from tests.designer.aws.test_state_machines import code_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

TASK = "arn:aws:states:::lambda:invoke"


def test_test_state_runs_one_state(sfn_for: SfnFor, runner: Any, team: Team) -> None:
    sfn = sfn_for(runner, team)
    state = {
        "Type": "Task",
        "Resource": TASK,
        "Parameters": {"FunctionName": "f", "Payload.$": "$.order"},
        "ResultSelector": {"total.$": "$.Payload.total"},
        "ResultPath": "$.result",
        "Next": "Ship",
    }
    done = sfn.test_state(
        definition=json.dumps(state),
        input=json.dumps({"order": {"id": 7}}),
        mock={"result": json.dumps({"Payload": {"total": 42}})},
        inspectionLevel="DEBUG",
    )
    assert done["status"] == "SUCCEEDED" and done["nextState"] == "Ship"
    assert json.loads(done["output"]) == {"order": {"id": 7}, "result": {"total": 42}}
    inspection = done["inspectionData"]
    assert json.loads(inspection["afterParameters"]) == {"FunctionName": "f", "Payload": {"id": 7}}
    assert json.loads(inspection["afterResultSelector"]) == {"total": 42}
    info = sfn.test_state(
        definition=json.dumps(state), input="{}", mock={"result": "{}"}, inspectionLevel="INFO"
    )
    assert "inspectionData" not in info


def test_test_state_in_a_whole_definition_with_retries_and_errors(
    sfn_for: SfnFor, runner: Any, team: Team
) -> None:
    sfn = sfn_for(runner, team)
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Charge",
        "States": {
            "Charge": {
                "Type": "Task",
                "Resource": TASK,
                "Arguments": {"FunctionName": "charge", "Payload": "{% $states.input %}"},
                "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refund"}],
                "Next": "Done",
            },
            "Refund": {"Type": "Pass", "End": True},
            "Done": {"Type": "Succeed"},
        },
    }
    failing = {"errorOutput": {"error": "Busy", "cause": "try later"}}
    first = sfn.test_state(
        definition=json.dumps(definition), stateName="Charge", input="{}", mock=failing
    )
    assert first["status"] == "RETRIABLE" and first["error"] == "Busy"
    spent = sfn.test_state(
        definition=json.dumps(definition),
        stateName="Charge",
        input="{}",
        mock=failing,
        stateConfiguration={"retrierRetryCount": 2},
    )
    assert spent["status"] == "CAUGHT_ERROR" and spent["nextState"] == "Refund"
    variables = sfn.test_state(
        definition=json.dumps(
            {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $x * 2 %}", "End": True}
        ),
        variables=json.dumps({"x": 21}),
    )
    assert json.loads(variables["output"]) == 42
    with pytest.raises(ClientError) as caught:
        sfn.test_state(definition=json.dumps({"Type": "Pass", "Next": 5}))
    assert code_of(caught) == "InvalidDefinition"
    with pytest.raises(ClientError) as caught:
        sfn.test_state(definition=json.dumps(definition), stateName="Nope")
    assert code_of(caught) == "ValidationException"


MAP = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "Label": "Items",
            "MaxConcurrency": 2,
            "ToleratedFailureCount": 1,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Double",
                "States": {"Double": {"Type": "Pass", "End": True}},
            },
            "End": True,
        }
    },
}


def test_map_runs_are_described_and_listed(sfn_for: SfnFor, editor: Any, team: Team) -> None:
    sfn = sfn_for(editor, team)
    execution = sfn.start_execution(
        stateMachineArn=machine(sfn, "mapper", MAP), name="m1", input="[1, 2, 3]"
    )["executionArn"]
    assert finished(sfn, execution)["status"] == "SUCCEEDED"
    runs = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    assert len(runs) == 1
    run_arn = runs[0]["mapRunArn"]
    assert run_arn == f"arn:aws:states:us-east-1:{team.pk:012d}:mapRun:mapper/Items:m1"
    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert described["status"] == "SUCCEEDED" and described["executionArn"] == execution
    assert described["itemCounts"]["total"] == 3 == described["itemCounts"]["succeeded"]
    assert described["maxConcurrency"] == 2 and described["toleratedFailureCount"] == 1
    children = sfn.list_executions(mapRunArn=run_arn)["executions"]  # one per item
    assert [c["status"] for c in children] == ["SUCCEEDED"] * 3
    assert {c["mapRunArn"] for c in children} == {run_arn}
    machine_of_run = f"arn:aws:states:us-east-1:{team.pk:012d}:stateMachine:mapper/Items"
    assert {c["stateMachineArn"] for c in children} == {machine_of_run}
    first = sfn.list_executions(mapRunArn=run_arn, maxResults=2)
    assert len(first["executions"]) == 2 and first["nextToken"]
    rest = sfn.list_executions(mapRunArn=run_arn, nextToken=first["nextToken"])["executions"]
    assert [c["name"] for c in first["executions"] + rest] == [c["name"] for c in children]
    with pytest.raises(ClientError) as caught:
        sfn.describe_map_run(mapRunArn=run_arn.replace("Items", "Other"))
    assert code_of(caught) == "ResourceNotFound"


def test_tags_on_state_machines_and_activities(sfn_for: SfnFor, editor: Any, team: Team) -> None:
    sfn = sfn_for(editor, team)
    arn = machine(sfn, "tagged", {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    activity = sfn.create_activity(name="tagged", tags=[{"key": "a", "value": "1"}])["activityArn"]
    for resource in (arn, activity):
        sfn.tag_resource(resourceArn=resource, tags=[{"key": "team", "value": "core"}])
        sfn.untag_resource(resourceArn=resource, tagKeys=["a"])
        assert sfn.list_tags_for_resource(resourceArn=resource)["tags"] == [
            {"key": "team", "value": "core"}
        ]
    too_many = [{"key": f"k{i}", "value": "v"} for i in range(51)]
    with pytest.raises(ClientError) as caught:
        sfn.tag_resource(resourceArn=arn, tags=too_many)
    assert code_of(caught) == "TooManyTags"
    with pytest.raises(ClientError) as caught:
        sfn.list_tags_for_resource(resourceArn=arn.replace("tagged", "missing"))
    assert code_of(caught) == "ResourceNotFound"
    tagged = Workflow.objects.get(team=team, name="tagged")  # the workflow the studio edits
    assert tagged.tags == {"team": "core"}


def test_field_validation_checks_mocks_against_the_api(
    sfn_for: SfnFor, runner: Any, team: Team
) -> None:
    sfn = sfn_for(runner, team)
    start = {
        "Type": "Task",
        "Resource": "arn:aws:states:::aws-sdk:sfn:startExecution",
        "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:x"},
        "End": True,
    }
    partial = json.dumps({"ExecutionArn": "arn:aws:states:us-east-1:1:execution:x:y"})
    with pytest.raises(ClientError) as caught:  # STRICT (the default): StartDate is required
        sfn.test_state(definition=json.dumps(start), mock={"result": partial})
    assert code_of(caught) == "ValidationException"
    assert "result.StartDate: required" in caught.value.response["Error"]["Message"]
    present = sfn.test_state(
        definition=json.dumps(start), mock={"result": partial, "fieldValidationMode": "PRESENT"}
    )
    assert present["status"] == "SUCCEEDED"
    wrong = json.dumps({"ExecutionArn": 5, "Surprise": True})
    with pytest.raises(ClientError) as caught:
        sfn.test_state(
            definition=json.dumps(start), mock={"result": wrong, "fieldValidationMode": "PRESENT"}
        )
    message = caught.value.response["Error"]["Message"]
    assert "result.ExecutionArn: expected string" in message
    assert "result.Surprise: not a member" in message
    anything = sfn.test_state(
        definition=json.dumps(start), mock={"result": wrong, "fieldValidationMode": "NONE"}
    )
    assert json.loads(anything["output"]) == {"ExecutionArn": 5, "Surprise": True}


ORDERS = {
    "QueryLanguage": "JSONPath",
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Map",
            "ItemsPath": "$.orders",
            "ItemSelector": {"order.$": "$$.Map.Item.Value", "at.$": "$$.Map.Item.Index"},
            "MaxConcurrency": 5,
            "ToleratedFailureCount": 1,
            "ItemProcessor": {
                "StartAt": "Charge",
                "States": {"Charge": {"Type": "Task", "Resource": TASK, "End": True}},
            },
            "ResultSelector": {"charged.$": "States.ArrayLength($)"},
            "ResultPath": "$.summary",
            "Retry": [{"ErrorEquals": ["Throttled"], "MaxAttempts": 1}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Alert"}],
            "Next": "Both",
        },
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Ship", "States": {"Ship": {"Type": "Pass", "End": True}}},
                {"StartAt": "Bill", "States": {"Bill": {"Type": "Pass", "End": True}}},
            ],
            "ResultPath": "$.done",
            "End": True,
        },
        "Alert": {"Type": "Fail", "Error": "Alerted"},
    },
}


def test_test_state_of_map_and_parallel_states_with_mocks(
    sfn_for: SfnFor, runner: Any, team: Team
) -> None:
    """AWS's TestState of Map and Parallel: the mock is the whole state's result or error;
    stateConfiguration's failure count meets the tolerance; errorCausedByState is checked."""
    sfn = sfn_for(runner, team)
    definition = json.dumps(ORDERS)
    orders = json.dumps({"orders": ["o1", "o2", "o3"]})
    done = sfn.test_state(
        definition=definition,
        stateName="Fan",
        input=orders,
        mock={"result": json.dumps([{"ok": 1}, {"ok": 2}, {"ok": 3}])},
        inspectionLevel="DEBUG",
    )
    assert done["status"] == "SUCCEEDED" and done["nextState"] == "Both"
    assert json.loads(done["output"])["summary"] == {"charged": 3}
    inspection = done["inspectionData"]
    assert json.loads(inspection["afterItemsPath"]) == ["o1", "o2", "o3"]
    assert json.loads(inspection["afterItemSelector"])[2] == {"order": "o3", "at": 2}
    assert inspection["toleratedFailureCount"] == 1 and inspection["maxConcurrency"] == 5
    assert json.loads(inspection["afterResultSelector"]) == {"charged": 3}
    tolerated = sfn.test_state(
        definition=definition,
        stateName="Fan",
        input=orders,
        mock={"result": json.dumps([{"ok": 1}, {"Error": "E"}, {"ok": 3}])},
        stateConfiguration={"mapIterationFailureCount": 1},
    )
    assert tolerated["status"] == "SUCCEEDED"
    exceeded = sfn.test_state(
        definition=definition,
        stateName="Fan",
        input=orders,
        mock={"result": "[]"},
        stateConfiguration={"mapIterationFailureCount": 2},
    )
    assert exceeded["status"] == "CAUGHT_ERROR" and exceeded["nextState"] == "Alert"
    assert exceeded["error"] == "States.ExceedToleratedFailureThreshold"
    throttled = {"errorOutput": {"error": "Throttled", "cause": "slow down"}}
    retriable = sfn.test_state(
        definition=definition,
        stateName="Fan",
        input=orders,
        mock=throttled,
        stateConfiguration={"errorCausedByState": "Charge"},
    )
    assert retriable["status"] == "RETRIABLE" and retriable["error"] == "Throttled"
    caught_now = sfn.test_state(
        definition=definition,
        stateName="Fan",
        input=orders,
        mock=throttled,
        stateConfiguration={"errorCausedByState": "Charge", "retrierRetryCount": 1},
    )
    assert caught_now["status"] == "CAUGHT_ERROR"
    assert json.loads(caught_now["output"])["error"] == {"Error": "Throttled", "Cause": "slow down"}
    both = sfn.test_state(
        definition=definition,
        stateName="Both",
        input="{}",
        mock={"result": json.dumps([{"shipped": True}, {"billed": True}])},
    )
    assert both["status"] == "SUCCEEDED"
    assert json.loads(both["output"]) == {"done": [{"shipped": True}, {"billed": True}]}
    refusals = [
        ({"stateName": "Both"}, "is tested with a mock"),
        ({"stateName": "Both", "mock": {"result": "[1]"}}, "has 1 elements; it has 2 branches"),
        ({"stateName": "Fan", "mock": {"result": "{}"}}, "is an array"),
        (
            {
                "stateName": "Fan",
                "mock": throttled,
                "stateConfiguration": {"errorCausedByState": "Ship"},
            },
            "not a state in the Map state's ItemProcessor",
        ),
        (
            {
                "stateName": "Fan",
                "mock": {"result": "[]"},
                "stateConfiguration": {"mapIterationFailureCount": 4},
            },
            "more than the Map's 3 iterations",
        ),
        (
            {
                "stateName": "Both",
                "mock": {"result": "[1, 2]"},
                "stateConfiguration": {"mapIterationFailureCount": 1},
            },
            "applies to Map states",
        ),
        (
            {"stateName": "Alert", "mock": {"result": "1"}},
            "State type 'Fail' is not supported when a mock is specified",
        ),
    ]
    for extra, says in refusals:
        with pytest.raises(ClientError) as caught:
            sfn.test_state(definition=definition, input=orders, **extra)
        assert code_of(caught) == "ValidationException", extra
        assert says in caught.value.response["Error"]["Message"], extra
    loose = sfn.test_state(  # fieldValidationMode NONE: the mock is used as sent
        definition=definition,
        stateName="Both",
        input="{}",
        mock={"result": "[1]", "fieldValidationMode": "NONE"},
    )
    assert json.loads(loose["output"]) == {"done": [1]}


def test_test_state_of_a_distributed_map_with_item_reader_data(
    sfn_for: SfnFor, runner: Any, team: Team
) -> None:
    sfn = sfn_for(runner, team)
    state = {
        "Type": "Map",
        "ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
            "Parameters": {"Bucket": "orders", "Key": "orders.csv"},
        },
        "ItemSelector": {"id.$": "$$.Map.Item.Value.id", "n.$": "$$.Map.Item.Index"},
        "ItemBatcher": {"MaxItemsPerBatch": 2},
        "ToleratedFailurePercentage": 50,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "Work",
            "States": {"Work": {"Type": "Pass", "End": True}},
        },
        "End": True,
    }
    done = sfn.test_state(
        definition=json.dumps(state),
        input="{}",
        mock={"result": json.dumps([[1, 2], [3]])},
        stateConfiguration={"mapItemReaderData": "id,total\na,1\nb,2\nc,3\n"},
        inspectionLevel="TRACE",
    )
    assert done["status"] == "SUCCEEDED"
    inspection = done["inspectionData"]
    assert json.loads(inspection["afterItemSelector"]) == [
        {"id": "a", "n": 0},
        {"id": "b", "n": 1},
        {"id": "c", "n": 2},
    ]
    assert json.loads(inspection["afterItemBatcher"]) == [
        {"Items": [{"id": "a", "n": 0}, {"id": "b", "n": 1}]},
        {"Items": [{"id": "c", "n": 2}]},
    ]
    assert inspection["toleratedFailurePercentage"] == 50
    over = sfn.test_state(  # 2 of 2 batches failed: more than 50 %
        definition=json.dumps(state),
        input="{}",
        mock={"result": "[]"},
        stateConfiguration={"mapItemReaderData": "id\na\nb\nc\n", "mapIterationFailureCount": 2},
    )
    assert over["status"] == "FAILED"
    assert over["error"] == "States.ExceedToleratedFailureThreshold"
    with pytest.raises(ClientError) as caught:
        sfn.test_state(
            definition=json.dumps(state),
            input="{}",
            mock={"result": "[]"},
            stateConfiguration={"mapItemReaderData": "id,total\na\n"},
        )
    assert code_of(caught) == "ValidationException"
    assert "line 2" in caught.value.response["Error"]["Message"]


SLOW_MAP = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Map",
            "Label": "Slow",
            "MaxConcurrency": 1,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Nap",
                "States": {"Nap": {"Type": "Wait", "Seconds": 2, "End": True}},
            },
            "End": True,
        }
    },
}


def test_update_map_run_changes_the_running_run(
    sfn_for: SfnFor, editor: Any, viewer: Any, team: Team
) -> None:
    import time

    from botocore.config import Config

    from designer.models import MapRun
    from tests.designer.aws.conftest import NO_PREFIX

    sfn = sfn_for(editor, team)
    execution = sfn.start_execution(
        stateMachineArn=machine(sfn, "slow", SLOW_MAP), name="s1", input="[1, 2, 3, 4, 5, 6]"
    )["executionArn"]
    run_arn = f"arn:aws:states:us-east-1:{team.pk:012d}:mapRun:slow/Slow:s1"
    deadline = time.monotonic() + 20
    while not MapRun.objects.filter(arn=run_arn).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    with pytest.raises(ClientError) as caught:  # viewers may not
        sfn_for(viewer, team).update_map_run(mapRunArn=run_arn, maxConcurrency=6)
    assert code_of(caught) == "AccessDeniedException"
    unchecked = sfn_for(editor, team, NO_PREFIX.merge(Config(parameter_validation=False)))
    for bad, code in (
        ({"maxConcurrency": -1}, "ValidationException"),
        ({"toleratedFailurePercentage": 101.0}, "ValidationException"),
        ({"maxConcurrency": "six"}, "SerializationException"),
        ({}, "ValidationException"),
    ):
        with pytest.raises(ClientError) as caught:
            unchecked.update_map_run(mapRunArn=run_arn, **bad)
        assert code_of(caught) == code, bad
    sfn.update_map_run(mapRunArn=run_arn, maxConcurrency=6, toleratedFailureCount=2)
    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert described["maxConcurrency"] == 6 and described["toleratedFailureCount"] == 2
    most = 0
    while described["status"] == "RUNNING" and time.monotonic() < deadline:
        most = max(most, described["executionCounts"]["running"])
        time.sleep(0.1)
        described = sfn.describe_map_run(mapRunArn=run_arn)
    assert described["status"] == "SUCCEEDED"
    assert most > 1  # the raised limit let the children run together
    assert finished(sfn, execution)["status"] == "SUCCEEDED"
    with pytest.raises(ClientError) as caught:
        sfn.update_map_run(mapRunArn=run_arn, maxConcurrency=1)
    assert code_of(caught) == "ValidationException"
    assert "not RUNNING" in caught.value.response["Error"]["Message"]
