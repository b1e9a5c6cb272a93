"""Aliases by role, AWS's rules for their names and routing, and starting by alias or version."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from designer.models import AuditEntry, Execution, Team, Workflow, WorkflowAlias, WorkflowVersion
from designer.services.aliases import routed_version

pytestmark = pytest.mark.django_db

V1: Any = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": True}}}
V2: Any = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 2, "End": True}}}
ROLES = ("owner", "editor", "runner", "viewer", "outsider")
READ = {"owner": 200, "editor": 200, "runner": 200, "viewer": 200, "outsider": 404}
CREATE = {"owner": 201, "editor": 201, "runner": 403, "viewer": 403, "outsider": 404}
CHANGE = {"owner": 200, "editor": 200, "runner": 403, "viewer": 403, "outsider": 404}
DELETE = {"owner": 204, "editor": 204, "runner": 403, "viewer": 403, "outsider": 404}
START = {"owner": 201, "editor": 201, "runner": 201, "viewer": 403, "outsider": 404}


@pytest.fixture
def users(members: dict[str, Any], outsider: Any, other_team: Team) -> dict[str, Any]:
    return {**members, "outsider": outsider}


@pytest.fixture
def workflow(team: Team, owner: Any) -> Workflow:
    workflow = Workflow.objects.create(team=team, name="flow", definition=V2)
    WorkflowVersion.objects.create(workflow=workflow, number=1, definition=V1, created_by=owner)
    WorkflowVersion.objects.create(workflow=workflow, number=2, definition=V2, created_by=owner)
    return workflow


@pytest.fixture
def live(workflow: Workflow) -> WorkflowAlias:
    return WorkflowAlias.objects.create(
        workflow=workflow, name="live", routing=[{"version": 2, "weight": 100}]
    )


def url(workflow: Workflow, tail: str = "") -> str:
    return f"/api/workflows/{workflow.id}/{tail}"


SPLIT = [{"version": 2, "weight": 80}, {"version": 1, "weight": 20}]


@pytest.mark.parametrize("role", ROLES)
def test_create(api_client_for: Any, users: dict[str, Any], workflow: Workflow, role: str) -> None:
    response = api_client_for(users[role]).post(
        url(workflow, "aliases/"),
        {"name": "canary", "description": "80/20", "routing": SPLIT},
        format="json",
    )
    assert response.status_code == CREATE[role], response.json()
    if response.status_code == 201:
        body = response.json()
        assert (body["name"], body["routing"]) == ("canary", SPLIT)
        assert body["created_by"] == users[role].username
        assert AuditEntry.objects.filter(action="alias.create", actor=users[role]).exists()
    else:
        assert not WorkflowAlias.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_list_and_get(
    api_client_for: Any, users: dict[str, Any], live: WorkflowAlias, role: str
) -> None:
    client = api_client_for(users[role])
    listed = client.get(url(live.workflow, "aliases/"))
    one = client.get(url(live.workflow, "aliases/live/"))
    assert listed.status_code == one.status_code == READ[role]
    if listed.status_code == 200:
        assert [a["name"] for a in listed.json()] == ["live"]
        assert one.json()["routing"] == [{"version": 2, "weight": 100}]


@pytest.mark.parametrize("role", ROLES)
def test_update(api_client_for: Any, users: dict[str, Any], live: WorkflowAlias, role: str) -> None:
    response = api_client_for(users[role]).patch(
        url(live.workflow, "aliases/live/"), {"routing": SPLIT}, format="json"
    )
    assert response.status_code == CHANGE[role]
    live.refresh_from_db()
    expected = SPLIT if response.status_code == 200 else [{"version": 2, "weight": 100}]
    assert live.routing == expected


@pytest.mark.parametrize("role", ROLES)
def test_delete(api_client_for: Any, users: dict[str, Any], live: WorkflowAlias, role: str) -> None:
    response = api_client_for(users[role]).delete(url(live.workflow, "aliases/live/"))
    assert response.status_code == DELETE[role]
    assert WorkflowAlias.objects.filter(pk=live.pk).exists() == (response.status_code != 204)


@pytest.mark.parametrize(
    ("name", "routing"),
    [
        ("123", [{"version": 1, "weight": 100}]),  # only digits: looks like a version
        ("has space", [{"version": 1, "weight": 100}]),
        ("x" * 81, [{"version": 1, "weight": 100}]),
        ("ok", []),
        ("ok", [{"version": 1, "weight": 50}, {"version": 2, "weight": 40}]),
        ("ok", [{"version": 1, "weight": 50}, {"version": 1, "weight": 50}]),
        ("ok", [{"version": 9, "weight": 100}]),  # not published
        (
            "ok",
            [
                {"version": 1, "weight": 34},
                {"version": 2, "weight": 33},
                {"version": 3, "weight": 33},
            ],
        ),
        ("ok", [{"version": 1, "weight": 101}]),
    ],
)
def test_aws_rules_for_names_and_routing(
    api_client_for: Any, editor: Any, workflow: Workflow, name: str, routing: Any
) -> None:
    response = api_client_for(editor).post(
        url(workflow, "aliases/"), {"name": name, "routing": routing}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert not WorkflowAlias.objects.exists()


def test_a_taken_name_is_a_conflict_and_names_with_dots_are_fine(
    api_client_for: Any, editor: Any, live: WorkflowAlias
) -> None:
    client = api_client_for(editor)
    routing = [{"version": 1, "weight": 100}]
    taken = client.post(
        url(live.workflow, "aliases/"), {"name": "live", "routing": routing}, format="json"
    )
    assert taken.status_code == 409
    fine = client.post(
        url(live.workflow, "aliases/"), {"name": "v1.2-beta_3", "routing": routing}, format="json"
    )
    assert fine.status_code == 201


# --- starting by alias or version -----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_start_by_alias_records_version_and_alias(
    api_client_for: Any, users: dict[str, Any], live: WorkflowAlias, role: str
) -> None:
    client = api_client_for(users[role])
    response = client.post(url(live.workflow, "executions/"), {"alias": "live"}, format="json")
    assert response.status_code == START[role], response.json()
    if response.status_code != 201:
        assert not Execution.objects.exists()
        return
    body = response.json()
    assert (body["version"], body["alias"]) == (2, "live")
    execution = Execution.objects.get(pk=body["id"])
    assert execution.definition == V2 and execution.alias == live
    described = client.get(f"/api/executions/{body['id']}/").json()
    assert (described["version"], described["alias"]) == (2, "live")
    listed = client.get(url(live.workflow, "executions/")).json()["results"]
    assert (listed[0]["version"], listed[0]["alias"]) == (2, "live")


def test_start_by_version_and_the_draft(
    api_client_for: Any, runner: Any, workflow: Workflow
) -> None:
    client = api_client_for(runner)
    by_version = client.post(url(workflow, "executions/"), {"version": 1}, format="json").json()
    assert (by_version["version"], by_version["alias"]) == (1, None)
    assert Execution.objects.get(pk=by_version["id"]).definition == V1
    draft = client.post(url(workflow, "executions/"), {}, format="json").json()
    assert (draft["version"], draft["alias"]) == (None, None)


def test_start_refuses_both_an_unknown_alias_and_version_with_alias(
    api_client_for: Any, runner: Any, live: WorkflowAlias
) -> None:
    client = api_client_for(runner)
    both = client.post(
        url(live.workflow, "executions/"), {"alias": "live", "version": 1}, format="json"
    )
    assert both.status_code == 400 and "alias" in both.json()["details"]
    missing = client.post(url(live.workflow, "executions/"), {"alias": "nope"}, format="json")
    assert missing.status_code == 404
    assert not Execution.objects.exists()


def test_an_80_20_split_over_100_starts(
    api_client_for: Any, runner: Any, workflow: Workflow
) -> None:
    WorkflowAlias.objects.create(workflow=workflow, name="canary", routing=SPLIT)
    client = api_client_for(runner)
    for _ in range(100):
        response = client.post(url(workflow, "executions/"), {"alias": "canary"}, format="json")
        assert response.status_code == 201
    landed = Counter(Execution.objects.values_list("version__number", flat=True))
    assert 70 <= landed[2] <= 90 and 10 <= landed[1] <= 30
    assert landed[1] + landed[2] == 100
    assert set(Execution.objects.values_list("alias__name", flat=True)) == {"canary"}


@pytest.mark.parametrize("weight", [0, 1, 20, 50, 80, 99, 100])
def test_routing_spreads_every_100_starts_exactly_by_weight(weight: int) -> None:
    routing = [{"version": 7, "weight": weight}, {"version": 3, "weight": 100 - weight}]
    for block in range(3):
        picks = [routed_version(routing, block * 100 + k) for k in range(100)]
        assert picks.count(7) == weight and picks.count(3) == 100 - weight
    # evenly interleaved: any 10 consecutive starts are within one of the weight
    picks = [routed_version(routing, k) for k in range(200)]
    for start in range(190):
        assert abs(picks[start : start + 10].count(7) - weight / 10) <= 1
    assert routed_version([{"version": 4, "weight": 100}], 12345) == 4


def test_deleting_an_alias_keeps_its_executions(
    api_client_for: Any, editor: Any, live: WorkflowAlias
) -> None:
    client = api_client_for(editor)
    started = client.post(url(live.workflow, "executions/"), {"alias": "live"}, format="json")
    client.delete(url(live.workflow, "aliases/live/"))
    execution = Execution.objects.get(pk=started.json()["id"])
    assert execution.alias is None and execution.version is not None
    assert execution.version.number == 2


def test_an_express_workflow_will_not_start_a_version_express_cannot_run(
    api_client_for: Any, runner: Any, workflow: Workflow
) -> None:
    callback = {
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"},
                "End": True,
            }
        },
    }
    WorkflowVersion.objects.create(workflow=workflow, number=3, definition=callback)
    Workflow.objects.filter(pk=workflow.pk).update(type="EXPRESS")
    response = api_client_for(runner).post(
        url(workflow, "executions/"), {"version": 3}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["details"]["problems"][0]["location"] == "/States/Ask/Resource"
    assert not Execution.objects.exists()
    ok = api_client_for(runner).post(url(workflow, "executions/"), {"version": 1}, format="json")
    assert ok.status_code == 201
