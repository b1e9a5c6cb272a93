"""Child executions (``states:startExecution``): plain, ``.sync``, ``.sync:2``, callbacks.

Parents and children are advanced by calling the runtime directly; the last
test runs a parent and its child on a real Celery worker.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import include, path
from rest_framework.test import APIClient

from designer.models import Execution, InvocationStatus, TaskInvocation, Team, Workflow
from designer.runtime import task_routing
from designer.services.child_executions import child_finished, child_start
from designer.services.execution_runtime import execution_advance
from designer.services.executions import execution_start
from tests.designer.processes import flush_broker, wait_for, worker

urlpatterns = [
    path("api/", include("designer.api.urls_tasks")),
    path("", include("stateyard.urls")),
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:"
START = "arn:aws:states:::states:startExecution"
DOUBLE = {
    "StartAt": "Double",
    "States": {
        "Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.x, $.x)"}, "End": True}
    },
}
BOOM = {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Boom", "Cause": "bad"}}}


def parent_definition(resource: str, child: str = "double", **params: Any) -> dict[str, Any]:
    parameters = {"StateMachineArn": MACHINE + child, "Input": {"x.$": "$.x"}, **params}
    return {
        "StartAt": "Child",
        "States": {
            "Child": {"Type": "Task", "Resource": resource, "Parameters": parameters, "End": True}
        },
    }


@pytest.fixture
def children(team: Team) -> None:
    Workflow.objects.create(team=team, name="double", definition=DOUBLE)
    Workflow.objects.create(team=team, name="boom", definition=BOOM)


def start_parent(user: Any, team: Team, definition: dict[str, Any]) -> Execution:
    workflow = Workflow.objects.create(team=team, name="parent", definition=definition)
    execution, _ = execution_start(user, workflow.pk, {"x": 21})
    execution_advance(execution.pk)
    return Execution.objects.get(pk=execution.pk)


def the_child(parent: Execution) -> Execution:
    return Execution.objects.select_related("workflow").get(parent=parent)


def finish(parent: Execution) -> Execution:
    """Run the child to its end, then the parent as far as it goes."""
    execution_advance(the_child(parent).pk)
    execution_advance(parent.pk)
    return Execution.objects.get(pk=parent.pk)


def test_the_app_registers_the_hooks() -> None:
    assert child_start in task_routing.child_starters
    assert child_finished in task_routing.child_finishers


def test_sync_returns_the_child_description_with_json_text(
    members: dict[str, Any], team: Team, children: None
) -> None:
    parent = start_parent(members["runner"], team, parent_definition(START + ".sync"))
    child = the_child(parent)
    assert child.parent_task_id is not None and child.input == {"x": 21}
    assert child.workflow.name == "double" and child.started_by == members["runner"]
    assert Execution.objects.get(pk=parent.pk).status == "RUNNING"  # waiting for the child
    parent = finish(parent)
    assert parent.status == "SUCCEEDED", (parent.error, parent.cause)
    out = parent.output
    assert out["Output"] == '{"v":42}' and json.loads(out["Input"]) == {"x": 21}
    assert out["Status"] == "SUCCEEDED" and out["Name"] == child.name
    account = f"{team.pk:012d}"  # each team is an account of its own
    assert out["ExecutionArn"] == (
        f"arn:aws:states:us-east-1:{account}:execution:double:{child.name}"
    )
    assert out["StateMachineArn"] == f"arn:aws:states:us-east-1:{account}:stateMachine:double"
    assert isinstance(out["StartDate"], int) and out["StopDate"] >= out["StartDate"]
    assert out["InputDetails"] == {"Included": True} == out["OutputDetails"]
    invocation = TaskInvocation.objects.get(execution=parent)
    assert invocation.kind == "child" and invocation.status == InvocationStatus.SUCCEEDED


def test_sync2_returns_json(members: dict[str, Any], team: Team, children: None) -> None:
    definition = parent_definition(START + ".sync:2", Name="named-child")
    parent = finish(start_parent(members["runner"], team, definition))
    assert parent.status == "SUCCEEDED"
    assert parent.output["Output"] == {"v": 42} and parent.output["Input"] == {"x": 21}
    assert parent.output["Name"] == "named-child"


@pytest.mark.parametrize("resource", [START + ".sync", START + ".sync:2"])
def test_a_failed_child_fails_the_task(
    members: dict[str, Any], team: Team, children: None, resource: str
) -> None:
    parent = finish(start_parent(members["runner"], team, parent_definition(resource, "boom")))
    assert parent.status == "FAILED" and parent.error == "States.TaskFailed"
    cause = json.loads(parent.cause or "")
    assert cause["Status"] == "FAILED"
    assert (cause["Error"], cause["Cause"]) == ("Boom", "bad")
    assert "Output" not in cause and cause["ExecutionArn"].endswith(the_child(parent).name)
    assert TaskInvocation.objects.get(execution=parent).status == InvocationStatus.FAILED


def test_a_failed_child_can_be_caught(members: dict[str, Any], team: Team, children: None) -> None:
    definition = parent_definition(START + ".sync:2", "boom")
    definition["States"]["Child"]["Catch"] = [
        {"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.failure", "Next": "Recover"}
    ]
    definition["States"]["Recover"] = {"Type": "Pass", "End": True}
    parent = finish(start_parent(members["runner"], team, definition))
    assert parent.status == "SUCCEEDED"
    assert parent.output["failure"]["Error"] == "States.TaskFailed"


def test_plain_start_answers_at_once(
    members: dict[str, Any],
    team: Team,
    children: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        parent = start_parent(members["runner"], team, parent_definition(START))
    child = the_child(parent)
    assert child.status == "RUNNING"  # not waited for
    execution_advance(parent.pk)
    parent.refresh_from_db()
    assert parent.status == "SUCCEEDED"
    assert set(parent.output) == {"ExecutionArn", "StartDate"}
    assert parent.output["ExecutionArn"].endswith(f":double:{child.name}")
    execution_advance(child.pk)
    assert Execution.objects.get(pk=child.pk).status == "SUCCEEDED"


def test_wait_for_task_token_child_answers_with_the_token(
    members: dict[str, Any], team: Team, children: None
) -> None:
    definition = parent_definition(
        START + ".waitForTaskToken", Input={"x.$": "$.x", "token.$": "$$.Task.Token"}
    )
    parent = start_parent(members["runner"], team, definition)
    child = the_child(parent)
    token = child.input["token"]
    execution_advance(child.pk)
    execution_advance(parent.pk)
    assert Execution.objects.get(pk=parent.pk).status == "RUNNING"  # the child's end is no answer
    client = APIClient()
    client.force_authenticate(members["runner"])
    answered = client.post(
        "/api/tasks/success/", {"taskToken": token, "output": {"from": "child"}}, format="json"
    )
    assert answered.status_code == 200
    execution_advance(parent.pk)
    parent.refresh_from_db()
    assert parent.status == "SUCCEEDED" and parent.output == {"from": "child"}


@pytest.mark.parametrize(
    ("params", "error"),
    [
        (
            {"StateMachineArn": MACHINE + "missing"},
            "StepFunctions.StateMachineDoesNotExistException",
        ),
        ({"StateMachineArn": "not-an-arn"}, "StepFunctions.InvalidArnException"),
        (
            {"StateMachineArn": MACHINE + "double:7"},
            "StepFunctions.StateMachineDoesNotExistException",
        ),
        ({"Name": "has space"}, "StepFunctions.InvalidNameException"),
        ({"Input": "{not json"}, "StepFunctions.InvalidExecutionInputException"),
    ],
)
def test_bad_parameters_fail_the_task(
    members: dict[str, Any],
    team: Team,
    children: None,
    django_capture_on_commit_callbacks: Any,
    params: dict[str, Any],
    error: str,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        parent = start_parent(members["runner"], team, parent_definition(START + ".sync", **params))
    execution_advance(parent.pk)
    parent.refresh_from_db()
    assert parent.status == "FAILED" and parent.error == error
    assert not Execution.objects.filter(parent=parent).exists()


def test_workflows_of_other_teams_are_not_found(
    members: dict[str, Any], team: Team, other_team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    Workflow.objects.create(team=other_team, name="theirs", definition=DOUBLE)
    with django_capture_on_commit_callbacks(execute=True):
        parent = start_parent(members["runner"], team, parent_definition(START, "theirs"))
    execution_advance(parent.pk)
    parent.refresh_from_db()
    assert parent.error == "StepFunctions.StateMachineDoesNotExistException"


@pytest.mark.parametrize("whose", ["other", "own", "local", "localstack"])
def test_the_account_in_the_arn_decides_whose_machine_starts(
    members: dict[str, Any],
    team: Team,
    other_team: Team,
    children: None,
    django_capture_on_commit_callbacks: Any,
    whose: str,
) -> None:
    """Another team's account reaches nothing, even where the caller has a machine of that
    name; the team's own account and the Step Functions Local / LocalStack aliases do."""
    Workflow.objects.create(team=other_team, name="double", definition=BOOM)
    account = {
        "other": f"{other_team.pk:012d}",
        "own": f"{team.pk:012d}",
        "local": "123456789012",
        "localstack": "000000000000",
    }[whose]
    definition = parent_definition(START)
    arn = f"arn:aws:states:us-east-1:{account}:stateMachine:double"
    definition["States"]["Child"]["Parameters"]["StateMachineArn"] = arn
    with django_capture_on_commit_callbacks(execute=True):
        parent = start_parent(members["runner"], team, definition)
    execution_advance(parent.pk)
    parent.refresh_from_db()
    if whose == "other":
        assert parent.status == "FAILED"
        assert parent.error == "StepFunctions.StateMachineDoesNotExistException"
        assert arn in (parent.cause or "")
        assert not Execution.objects.filter(parent=parent).exists()
        assert not Execution.objects.filter(workflow__team=other_team).exists()
    else:
        assert parent.status == "SUCCEEDED", (parent.error, parent.cause)
        child = the_child(parent)
        assert child.workflow.team_id == team.pk and child.workflow.name == "double"


def test_a_name_already_used_fails_the_task(
    members: dict[str, Any], team: Team, children: None, django_capture_on_commit_callbacks: Any
) -> None:
    double = Workflow.objects.get(name="double")
    execution_start(members["runner"], double.pk, {"x": 1}, name="taken", dispatch=False)
    with django_capture_on_commit_callbacks(execute=True):
        parent = start_parent(members["runner"], team, parent_definition(START, Name="taken"))
    execution_advance(parent.pk)
    parent.refresh_from_db()
    assert parent.error == "StepFunctions.ExecutionAlreadyExistsException"


def test_string_input_and_versions(members: dict[str, Any], team: Team, children: None) -> None:
    double = Workflow.objects.get(name="double")
    double.versions.create(number=1, definition=BOOM)
    definition = parent_definition(
        START + ".sync:2", "double:1", Input='{"x": 2}'
    )  # version 1 is BOOM
    parent = finish(start_parent(members["runner"], team, definition))
    assert parent.error == "States.TaskFailed"
    assert the_child(parent).input == {"x": 2}


def test_links_between_parent_and_child(
    members: dict[str, Any], team: Team, children: None, outsider: Any, other_team: Team
) -> None:
    parent = finish(start_parent(members["runner"], team, parent_definition(START + ".sync")))
    child = the_child(parent)
    client = APIClient()
    client.force_authenticate(members["viewer"])
    down = client.get(f"/api/executions/{parent.pk}/links/").json()
    assert down["parent"] is None
    [link] = down["children"]
    assert link["id"] == str(child.pk) and link["workflow_name"] == "double"
    assert link["state"] == "Child" and link["status"] == "SUCCEEDED"
    up = client.get(f"/api/executions/{child.pk}/links/").json()
    assert up["parent"]["id"] == str(parent.pk) and up["children"] == []
    assert up["parent"]["task_id"] == child.parent_task_id
    stranger = APIClient()
    stranger.force_authenticate(outsider)
    assert stranger.get(f"/api/executions/{parent.pk}/links/").status_code == 404


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_sync_child_on_a_real_worker(
    members: dict[str, Any], team: Team, children: None, tmp_path: Path
) -> None:
    flush_broker()
    definition = parent_definition(START + ".sync:2")
    workflow = Workflow.objects.create(team=team, name="parent", definition=definition)
    with worker(tmp_path / "worker.log"):
        parent, _ = execution_start(members["runner"], workflow.pk, {"x": 5})
        wait_for(lambda: Execution.objects.get(pk=parent.pk).status != "RUNNING", timeout=60)
    parent.refresh_from_db()
    assert parent.status == "SUCCEEDED", (parent.error, parent.cause)
    assert parent.output["Output"] == {"v": 10}
    assert the_child(parent).status == "SUCCEEDED"


def test_the_example_workflows_run(members: dict[str, Any], team: Team) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "workflows"
    for name in ("human-approval", "child-workflows"):
        definition = json.loads((examples / f"{name}.asl.json").read_text())
        Workflow.objects.create(team=team, name=name, definition=definition)
    parent_flow = Workflow.objects.get(name="child-workflows")
    orders = [{"orderId": "A-1", "total": 120}, {"orderId": "A-2", "total": 80}]
    parent, _ = execution_start(members["runner"], parent_flow.pk, {"orders": orders})
    execution_advance(parent.pk)
    kids = list(Execution.objects.filter(parent=parent))
    assert len(kids) == 2
    for kid in kids:
        execution_advance(kid.pk)
    execution_advance(parent.pk)
    parent.refresh_from_db()
    assert parent.status == "SUCCEEDED", (parent.error, parent.cause)
    decisions = [d["decision"] for d in parent.output["decisions"]]
    assert decisions == [
        {"orderId": "A-1", "status": "APPROVED"},
        {"orderId": "A-2", "status": "APPROVED"},
    ]
