"""Workflow settings, the delete summary, restoring versions and the diff endpoint, by role."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from designer.models import (
    AuditEntry,
    Execution,
    ExecutionEvent,
    ExecutionStatus,
    Team,
    Workflow,
    WorkflowAlias,
    WorkflowType,
    WorkflowVersion,
)

pytestmark = pytest.mark.django_db

GOOD: Any = {
    "StartAt": "Hello",
    "States": {"Hello": {"Type": "Pass", "Result": "hi", "End": True}},
}
CALLBACK: Any = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"MessageBody.$": "$$.Task.Token", "QueueUrl": "q"},
            "End": True,
        }
    },
}
ROLES = ("owner", "editor", "runner", "viewer", "outsider")
READ = {"owner": 200, "editor": 200, "runner": 200, "viewer": 200, "outsider": 404}
CHANGE = {"owner": 200, "editor": 200, "runner": 403, "viewer": 403, "outsider": 404}


@pytest.fixture
def users(members: dict[str, Any], outsider: Any, other_team: Team) -> dict[str, Any]:
    return {**members, "outsider": outsider}


@pytest.fixture
def workflow(team: Team, owner: Any) -> Workflow:
    return Workflow.objects.create(team=team, name="greeter", definition=GOOD, created_by=owner)


def url(workflow: Workflow, tail: str) -> str:
    return f"/api/workflows/{workflow.id}/{tail}"


# --- settings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_member_reads_the_settings(
    api_client_for: Any, users: dict[str, Any], workflow: Workflow, role: str
) -> None:
    response = api_client_for(users[role]).get(url(workflow, "settings/"))
    assert response.status_code == READ[role]
    if response.status_code == 200:
        assert response.json() == {
            "id": str(workflow.id),
            "revision": 1,
            "name": "greeter",
            "description": "",
            "type": "STANDARD",
            "timeout_seconds": None,
            "tags": {},
            "retention_days": 90,
        }


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_change_settings(
    api_client_for: Any, users: dict[str, Any], workflow: Workflow, role: str
) -> None:
    body = {
        "revision": 1,
        "description": "Greets",
        "timeout_seconds": 600,
        "tags": {"team": "growth", "cost-center": ""},
        "retention_days": 30,
    }
    response = api_client_for(users[role]).patch(url(workflow, "settings/"), body, format="json")
    assert response.status_code == CHANGE[role], response.json()
    workflow.refresh_from_db()
    if response.status_code == 200:
        got = response.json()
        assert (got["revision"], got["timeout_seconds"], got["retention_days"]) == (2, 600, 30)
        assert got["tags"] == body["tags"]
        # the timeout lives in the ASL, after StartAt
        assert list(workflow.definition) == ["StartAt", "TimeoutSeconds", "States"]
        assert workflow.definition["TimeoutSeconds"] == 600
        assert AuditEntry.objects.filter(action="workflow.update", actor=users[role]).exists()
    else:
        assert (workflow.revision, workflow.tags, workflow.retention_days) == (1, {}, 90)
        assert "TimeoutSeconds" not in workflow.definition


def test_a_null_timeout_removes_it_and_a_stale_revision_is_a_conflict(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    client = api_client_for(editor)
    client.patch(url(workflow, "settings/"), {"revision": 1, "timeout_seconds": 60}, format="json")
    stale = client.patch(url(workflow, "settings/"), {"revision": 1, "tags": {}}, format="json")
    assert stale.status_code == 409 and stale.json()["details"]["current"]["revision"] == 2
    cleared = client.patch(
        url(workflow, "settings/"), {"revision": 2, "timeout_seconds": None}, format="json"
    )
    assert cleared.status_code == 200 and cleared.json()["timeout_seconds"] is None
    workflow.refresh_from_db()
    assert workflow.definition == GOOD and workflow.revision == 3


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"tags": {f"k{i}": "v" for i in range(51)}}, "tags"),
        ({"tags": {"k" * 129: "v"}}, "tags"),
        ({"tags": {"key": "v" * 257}}, "tags"),
        ({"tags": {"aws:owner": "me"}}, "tags"),
        ({"tags": {"a;b": "v"}}, "tags"),
        ({"tags": {"key": "semi;colon"}}, "tags"),
        ({"retention_days": 0}, "retention_days"),
        ({"retention_days": 3651}, "retention_days"),
        ({"timeout_seconds": 0}, "timeout_seconds"),
        ({"timeout_seconds": 365 * 24 * 3600 + 1}, "timeout_seconds"),
        ({"type": "EXPRESS", "timeout_seconds": 301}, "timeout_seconds"),
    ],
)
def test_settings_past_aws_limits_are_refused(
    api_client_for: Any, editor: Any, workflow: Workflow, change: dict[str, Any], where: str
) -> None:
    response = api_client_for(editor).patch(
        url(workflow, "settings/"), {"revision": 1, **change}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert where in response.json()["details"]
    workflow.refresh_from_db()
    assert workflow.revision == 1


def test_limits_at_the_edge_are_accepted(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    tags = {f"{i:03d}" + "k" * 125: "v" * 256 for i in range(50)}
    response = api_client_for(editor).patch(
        url(workflow, "settings/"),
        {
            "revision": 1,
            "tags": tags,
            "retention_days": 3650,
            "type": "EXPRESS",
            "timeout_seconds": 300,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert len(response.json()["tags"]) == 50 and response.json()["type"] == "EXPRESS"


def test_changing_to_express_is_refused_with_the_state_and_a_pointer(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    workflow.definition = CALLBACK
    workflow.save()
    response = api_client_for(editor).patch(
        url(workflow, "settings/"), {"revision": 1, "type": "EXPRESS"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert "'Ask'" in body["message"] and "waitForTaskToken" in body["message"]
    [problem] = body["details"]["problems"]
    assert problem["location"] == "/States/Ask/Resource"
    assert problem["code"] == "EXPRESS_UNSUPPORTED_INTEGRATION"
    workflow.refresh_from_db()
    assert workflow.type == WorkflowType.STANDARD and workflow.revision == 1


def test_saving_an_express_workflow_that_uses_an_activity_is_refused(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    workflow.type = WorkflowType.EXPRESS
    workflow.save()
    activity = copy.deepcopy(GOOD)
    activity["States"]["Hello"] = {
        "Type": "Task",
        "Resource": "arn:aws:states:us-east-1:123456789012:activity:review",
        "End": True,
    }
    client = api_client_for(editor)
    response = client.patch(
        url(workflow, ""), {"revision": 1, "definition": activity}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["details"]["problems"][0]["code"] == "EXPRESS_UNSUPPORTED_ACTIVITY"
    created = client.post(
        "/api/teams/acme/workflows/",
        {"name": "exp", "type": "EXPRESS", "definition": CALLBACK},
        format="json",
    )
    assert created.status_code == 400
    assert not Workflow.objects.filter(name="exp").exists()


def test_the_workflow_detail_shows_tags_and_retention(
    api_client_for: Any, viewer: Any, workflow: Workflow
) -> None:
    workflow.tags = {"env": "prod"}
    workflow.retention_days = 7
    workflow.save()
    body = api_client_for(viewer).get(url(workflow, "")).json()
    assert (body["tags"], body["retention_days"]) == ({"env": "prod"}, 7)


def test_duplicate_copies_the_draft_and_settings_only(
    api_client_for: Any, editor: Any, workflow: Workflow, owner: Any
) -> None:
    workflow.tags = {"env": "prod"}
    workflow.retention_days = 7
    workflow.save()
    WorkflowVersion.objects.create(workflow=workflow, number=1, definition=GOOD)
    response = api_client_for(editor).post(
        url(workflow, "duplicate/"), {"name": "copy"}, format="json"
    )
    assert response.status_code == 201
    copy_ = Workflow.objects.get(name="copy")
    assert (copy_.tags, copy_.retention_days, copy_.revision) == ({"env": "prod"}, 7, 1)
    assert copy_.versions.count() == 0


# --- delete summary -------------------------------------------------------------------------------


def _execution(workflow: Workflow, name: str, status: str) -> Execution:
    execution = Execution.objects.create(
        workflow=workflow, definition=GOOD, name=name, type="STANDARD", status=status, input={}
    )
    ExecutionEvent.objects.create(
        execution=execution, event_id=1, type="ExecutionStarted", timestamp=datetime.now(tz=UTC)
    )
    return execution


@pytest.mark.parametrize("role", ROLES)
def test_delete_summary_counts_what_goes(
    api_client_for: Any, users: dict[str, Any], workflow: Workflow, role: str
) -> None:
    _execution(workflow, "a", ExecutionStatus.RUNNING)
    _execution(workflow, "b", ExecutionStatus.SUCCEEDED)
    _execution(workflow, "c", ExecutionStatus.FAILED)
    WorkflowVersion.objects.create(workflow=workflow, number=1, definition=GOOD)
    WorkflowAlias.objects.create(
        workflow=workflow, name="live", routing=[{"version": 1, "weight": 100}]
    )
    response = api_client_for(users[role]).get(url(workflow, "delete-summary/"))
    assert response.status_code == READ[role]
    if response.status_code == 200:
        assert response.json() == {
            "running_executions": 1,
            "stored_executions": 3,
            "versions": 1,
            "aliases": 1,
        }
    assert Execution.objects.count() == 3  # nothing changed


def test_delete_then_removes_executions_and_their_history(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    _execution(workflow, "a", ExecutionStatus.RUNNING)
    _execution(workflow, "b", ExecutionStatus.SUCCEEDED)
    assert api_client_for(editor).delete(url(workflow, "")).status_code == 204
    assert Execution.objects.count() == ExecutionEvent.objects.count() == 0


# --- versions: restore and diff ------------------------------------------------------------------


def _publish(client: Any, workflow: Workflow, note: str) -> Any:
    response = client.post(url(workflow, "publish/"), {"description": note}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_versions_list_who_published_and_when(
    api_client_for: Any, editor: Any, viewer: Any, workflow: Workflow
) -> None:
    _publish(api_client_for(editor), workflow, "first")
    [item] = api_client_for(viewer).get(url(workflow, "versions/")).json()
    assert (item["number"], item["description"], item["created_by"]) == (1, "first", "eddie")
    assert item["created_at"]


@pytest.mark.parametrize("role", ROLES)
def test_restore_a_version_into_the_draft(
    api_client_for: Any, users: dict[str, Any], workflow: Workflow, editor: Any, role: str
) -> None:
    _publish(api_client_for(editor), workflow, "v1")
    changed = copy.deepcopy(GOOD)
    changed["States"]["Hello"]["Result"] = "bye"
    workflow.definition = changed
    workflow.revision = 4
    workflow.save()
    response = api_client_for(users[role]).post(
        url(workflow, "versions/1/restore/"), {"revision": 4}, format="json"
    )
    assert response.status_code == CHANGE[role]
    workflow.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["revision"] == 5 and response.json()["definition"] == GOOD
        assert workflow.definition == GOOD
        assert AuditEntry.objects.filter(action="workflow.restore", details__version=1).exists()
    else:
        assert workflow.revision == 4 and workflow.definition == changed


def test_restore_needs_the_current_revision_and_an_existing_version(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    client = api_client_for(editor)
    _publish(client, workflow, "v1")
    stale = client.post(url(workflow, "versions/1/restore/"), {"revision": 9}, format="json")
    assert stale.status_code == 409
    missing = client.post(url(workflow, "versions/7/restore/"), {"revision": 1}, format="json")
    assert missing.status_code == 404
    assert client.post(url(workflow, "versions/1/restore/"), {}, format="json").status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_diff_between_versions_and_the_draft(
    api_client_for: Any, users: dict[str, Any], workflow: Workflow, editor: Any, role: str
) -> None:
    client = api_client_for(editor)
    _publish(client, workflow, "v1")
    renamed: Any = {
        "StartAt": "Greet",
        "States": {"Greet": {"Type": "Pass", "Result": "hello", "End": True}},
    }
    client.patch(url(workflow, ""), {"revision": 1, "definition": renamed}, format="json")
    response = api_client_for(users[role]).get(url(workflow, "diff/?from=1&to=draft"))
    assert response.status_code == READ[role]
    if response.status_code != 200:
        return
    body = response.json()
    assert (body["from"], body["to"], body["identical"]) == (1, "draft", False)
    [state] = body["states"]
    assert (state["change"], state["old_name"], state["name"]) == ("renamed", "Hello", "Greet")
    assert state["fields"] == [
        {
            "change": "changed",
            "pointer": "/States/Greet/Result",
            "old_pointer": "/States/Hello/Result",
            "old": "hi",
            "new": "hello",
        }
    ]
    assert body["transitions"] == []


def test_diff_defaults_and_bad_references(
    api_client_for: Any, viewer: Any, workflow: Workflow
) -> None:
    client = api_client_for(viewer)
    same = client.get(url(workflow, "diff/")).json()
    assert (same["from"], same["to"], same["identical"]) == ("draft", "draft", True)
    assert client.get(url(workflow, "diff/?from=3")).status_code == 404
    bad = client.get(url(workflow, "diff/?to=latest"))
    assert bad.status_code == 400 and "to" in bad.json()["details"]


# --- schema --------------------------------------------------------------------------------------


def test_schema_documents_the_operate_endpoints(api_client_for: Any, viewer: Any) -> None:
    response = api_client_for(viewer).get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    paths, components = schema["paths"], schema["components"]["schemas"]

    def ref(operation: dict[str, Any], status: str) -> str:
        content = operation["responses"][status]["content"]["application/json"]["schema"]
        target = content.get("$ref") or content["items"]["$ref"]
        return str(target.rsplit("/", 1)[1])

    settings_path = paths["/api/workflows/{workflow_id}/settings/"]
    assert ref(settings_path["get"], "200") == "Settings"
    assert set(settings_path["patch"]["responses"]) >= {"200", "400", "403", "404", "409"}
    assert ref(settings_path["patch"], "400") == "ExpressRefused"
    diff = paths["/api/workflows/{workflow_id}/diff/"]["get"]
    assert {p["name"] for p in diff["parameters"]} >= {"from", "to"}
    assert {"from", "states", "transitions", "fields"} <= set(
        components[ref(diff, "200")]["properties"]
    )
    restore = paths["/api/workflows/{workflow_id}/versions/{number}/restore/"]["post"]
    assert ref(restore, "409") == "Conflict"
    aliases = paths["/api/workflows/{workflow_id}/aliases/"]
    assert ref(aliases["get"], "200") == "Alias"
    assert "routing" in components["AliasCreate"]["properties"]
    assert "/api/workflows/{workflow_id}/aliases/{name}/" in paths
    assert "/api/workflows/{workflow_id}/delete-summary/" in paths
    team = paths["/api/teams/{slug}/executions/"]["get"]
    assert {p["name"] for p in team["parameters"]} >= {
        "status",
        "workflow",
        "version",
        "alias",
        "started_after",
        "started_before",
        "name_prefix",
        "cursor",
        "limit",
    }
    start = components["Start"]["properties"]
    assert "alias" in start and "version" in start


def test_the_workflow_patch_takes_tags_and_retention_too(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    client = api_client_for(editor)
    response = client.patch(
        url(workflow, ""),
        {"revision": 1, "tags": {"env": "dev"}, "retention_days": 3},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["tags"], response.json()["retention_days"]) == ({"env": "dev"}, 3)
    refused = client.patch(url(workflow, ""), {"revision": 2, "retention_days": 0}, format="json")
    assert refused.status_code == 400


def test_diff_between_two_versions_shows_transitions_and_additions(
    api_client_for: Any, editor: Any, viewer: Any, workflow: Workflow
) -> None:
    client = api_client_for(editor)
    _publish(client, workflow, "v1")
    two: Any = {
        "StartAt": "Hello",
        "States": {
            "Hello": {"Type": "Pass", "Result": "hi", "Next": "Bye"},
            "Bye": {"Type": "Succeed"},
        },
    }
    client.patch(url(workflow, ""), {"revision": 1, "definition": two}, format="json")
    _publish(client, workflow, "v2")
    body = api_client_for(viewer).get(url(workflow, "diff/?from=1&to=2")).json()
    assert (body["from"], body["to"]) == (1, 2)
    assert body["summary"] == {
        "added": 1,
        "removed": 0,
        "renamed": 0,
        "changed": 0,
        "transitions": 3,
        "fields": 0,
    }
    [added] = body["states"]
    assert added == {
        "change": "added",
        "name": "Bye",
        "old_name": None,
        "type": "Succeed",
        "path": ["Bye"],
        "pointer": "/States/Bye",
        "old_pointer": None,
        "fields": [],
    }
    assert body["transitions"] == [
        {"change": "removed", "scope": "/States", "from": "Hello", "via": "End", "to": None},
        {"change": "added", "scope": "/States", "from": "Hello", "via": "Next", "to": "Bye"},
        {"change": "added", "scope": "/States", "from": "Bye", "via": "End", "to": None},
    ]
    back = api_client_for(viewer).get(url(workflow, "diff/?from=2&to=1")).json()
    assert back["summary"]["removed"] == 1 and back["summary"]["added"] == 0
