"""The workflow API: every endpoint by role, optimistic concurrency, publishing, validation."""

from __future__ import annotations

from typing import Any

import pytest

from designer.models import AuditEntry, Team, Workflow, WorkflowVersion

pytestmark = pytest.mark.django_db

GOOD: Any = {  # Any: the JSON-as-text model field is typed as text by the stubs
    "Comment": "Greets",
    "StartAt": "Hello",
    "States": {"Hello": {"Type": "Pass", "Result": "hi", "End": True}},
}
BROKEN: Any = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Next": "Gone"}}}
ROLES = ("owner", "editor", "runner", "viewer", "outsider")
READ = {"owner": 200, "editor": 200, "runner": 200, "viewer": 200, "outsider": 404}
CREATE = {"owner": 201, "editor": 201, "runner": 403, "viewer": 403, "outsider": 404}
CHANGE = {"owner": 200, "editor": 200, "runner": 403, "viewer": 403, "outsider": 404}


@pytest.fixture
def users(members: dict[str, Any], outsider: Any, other_team: Team) -> dict[str, Any]:
    return {**members, "outsider": outsider}


@pytest.fixture
def workflow(team: Team, owner: Any) -> Workflow:
    return Workflow.objects.create(
        team=team,
        name="greeter",
        definition=GOOD,
        description="Says hello",
        created_by=owner,
    )


def url(workflow: Workflow, tail: str = "") -> str:
    return f"/api/workflows/{workflow.id}/{tail}"


# --- every endpoint x every role ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list(api_client_for: Any, users: dict[str, Any], workflow: Workflow, role: str) -> None:
    response = api_client_for(users[role]).get("/api/teams/acme/workflows/")
    assert response.status_code == READ[role]
    if response.status_code == 200:
        assert [w["name"] for w in response.json()] == ["greeter"]


@pytest.mark.parametrize("role", ROLES)
def test_create(api_client_for: Any, users: dict[str, Any], team: Team, role: str) -> None:
    response = api_client_for(users[role]).post(
        "/api/teams/acme/workflows/",
        {"name": f"new-{role}", "type": "EXPRESS", "definition": GOOD},
        format="json",
    )
    assert response.status_code == CREATE[role], response.json()
    if response.status_code == 201:
        body = response.json()
        assert (body["revision"], body["type"], body["diagnostics"]) == (1, "EXPRESS", [])
        assert AuditEntry.objects.filter(action="workflow.create", actor=users[role]).exists()
    else:
        assert not Workflow.objects.filter(name=f"new-{role}").exists()


@pytest.mark.parametrize("role", ROLES)
def test_retrieve(
    api_client_for: Any, users: dict[str, Any], workflow: Workflow, role: str
) -> None:
    response = api_client_for(users[role]).get(url(workflow))
    assert response.status_code == READ[role]
    if response.status_code == 200:
        body = response.json()
        assert body["definition"] == GOOD
        assert body["revision"] == 1
        assert body["diagnostics"] == []
        assert body["team"] == "acme"
    else:
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("role", ROLES)
def test_update(
    api_client_for: Any, users: dict[str, Any], workflow: Workflow, role: str, method: str
) -> None:
    body = {"revision": 1, "name": "greeter", "type": "STANDARD", "definition": GOOD}
    body["description"] = f"edited by {role}"
    response = getattr(api_client_for(users[role]), method)(url(workflow), body, format="json")
    assert response.status_code == CHANGE[role], response.json()
    workflow.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["revision"] == 2
        assert workflow.description == f"edited by {role}"
        assert AuditEntry.objects.filter(action="workflow.update").count() == 1
    else:
        assert (workflow.revision, workflow.description) == (1, "Says hello")


@pytest.mark.parametrize("role", ROLES)
def test_delete(api_client_for: Any, users: dict[str, Any], workflow: Workflow, role: str) -> None:
    response = api_client_for(users[role]).delete(url(workflow))
    expected = {**CHANGE, "owner": 204, "editor": 204}[role]
    assert response.status_code == expected
    assert Workflow.objects.filter(pk=workflow.pk).exists() == (expected != 204)
    if expected == 204:
        assert AuditEntry.objects.filter(
            action="workflow.delete", target__contains=str(workflow.id)
        )


@pytest.mark.parametrize("role", ROLES)
def test_duplicate(
    api_client_for: Any, users: dict[str, Any], workflow: Workflow, role: str
) -> None:
    response = api_client_for(users[role]).post(
        url(workflow, "duplicate/"), {"name": "greeter-copy"}, format="json"
    )
    assert response.status_code == CREATE[role]
    if response.status_code == 201:
        copy = Workflow.objects.get(name="greeter-copy")
        assert (copy.definition, copy.team_id, copy.revision) == (GOOD, workflow.team_id, 1)
        assert copy.id != workflow.id


@pytest.mark.parametrize("role", ROLES)
def test_validate(
    api_client_for: Any, users: dict[str, Any], workflow: Workflow, role: str
) -> None:
    response = api_client_for(users[role]).post(url(workflow, "validate/"), {}, format="json")
    assert response.status_code == READ[role]
    if response.status_code == 200:
        assert response.json() == {"valid": True, "diagnostics": []}


@pytest.mark.parametrize("role", ROLES)
def test_publish(api_client_for: Any, users: dict[str, Any], workflow: Workflow, role: str) -> None:
    response = api_client_for(users[role]).post(url(workflow, "publish/"), {}, format="json")
    assert response.status_code == CREATE[role]
    assert workflow.versions.count() == (1 if response.status_code == 201 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_versions(
    api_client_for: Any, users: dict[str, Any], workflow: Workflow, owner: Any, role: str
) -> None:
    WorkflowVersion.objects.create(workflow=workflow, number=1, definition=GOOD, created_by=owner)
    client = api_client_for(users[role])
    listed = client.get(url(workflow, "versions/"))
    one = client.get(url(workflow, "versions/1/"))
    assert (listed.status_code, one.status_code) == (READ[role], READ[role])
    if listed.status_code == 200:
        assert listed.json()[0]["number"] == 1
        assert listed.json()[0]["created_by"] == owner.username
        assert one.json()["definition"] == GOOD


def test_anonymous_is_refused(api_client_for: Any, workflow: Workflow) -> None:
    client = api_client_for(None)
    assert client.get("/api/teams/acme/workflows/").status_code in (401, 403)
    assert client.get(url(workflow)).status_code in (401, 403)


def test_bearer_token_works(bearer_client_for: Any, viewer: Any, workflow: Workflow) -> None:
    assert bearer_client_for(viewer).get(url(workflow)).status_code == 200


# --- rules --------------------------------------------------------------------------------------


def test_search(api_client_for: Any, editor: Any, workflow: Workflow, team: Team) -> None:
    Workflow.objects.create(team=team, name="billing", definition=GOOD, description="invoices")
    client = api_client_for(editor)

    def names(query: str) -> list[str]:
        found = client.get(f"/api/teams/acme/workflows/?search={query}").json()
        return [w["name"] for w in found]

    assert names("GREET") == ["greeter"]
    assert names("invoice") == ["billing"]
    assert names("") == ["billing", "greeter"]


@pytest.mark.parametrize(
    ("name", "ok"),
    [("a" * 80, True), ("a" * 81, False), ("has space", False), ("x/y", False), ("ok-_.1", True)],
)
def test_names_follow_aws_rules(
    api_client_for: Any, editor: Any, team: Team, name: str, ok: bool
) -> None:
    response = api_client_for(editor).post(
        "/api/teams/acme/workflows/", {"name": name, "definition": GOOD}, format="json"
    )
    assert response.status_code == (201 if ok else 400), response.json()


def test_duplicate_name_is_a_conflict(api_client_for: Any, editor: Any, workflow: Workflow) -> None:
    client = api_client_for(editor)
    again = client.post(
        "/api/teams/acme/workflows/", {"name": "greeter", "definition": GOOD}, format="json"
    )
    assert again.status_code == 409
    copy = client.post(url(workflow, "duplicate/"), {"name": "greeter"}, format="json")
    assert copy.status_code == 409


def test_a_definition_must_be_an_object(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    client = api_client_for(editor)
    for bad in ([1, 2], "text", 3, None):
        created = client.post(
            "/api/teams/acme/workflows/", {"name": "bad", "definition": bad}, format="json"
        )
        assert created.status_code == 400, bad
        updated = client.patch(url(workflow), {"revision": 1, "definition": bad}, format="json")
        assert updated.status_code == 400, bad
    workflow.refresh_from_db()
    assert workflow.revision == 1


def test_a_draft_with_errors_is_saved_with_its_diagnostics(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    response = api_client_for(editor).patch(
        url(workflow), {"revision": 1, "definition": BROKEN}, format="json"
    )
    assert response.status_code == 200
    diagnostics = response.json()["diagnostics"]
    assert any(
        d["severity"] == "error" and d["location"] == "/States/Hello/Next" for d in diagnostics
    )
    workflow.refresh_from_db()
    assert workflow.definition == BROKEN


def test_two_editors_on_one_revision_the_second_gets_409(
    api_client_for: Any, owner: Any, editor: Any, workflow: Workflow
) -> None:
    first, second = api_client_for(owner), api_client_for(editor)
    base = first.get(url(workflow)).json()["revision"]
    assert second.get(url(workflow)).json()["revision"] == base
    mine = {**GOOD, "Comment": "owner's edit"}
    theirs = {**GOOD, "Comment": "editor's edit"}
    saved = first.patch(url(workflow), {"revision": base, "definition": mine}, format="json")
    assert saved.status_code == 200
    assert saved.json()["revision"] == base + 1

    stale = second.put(
        url(workflow),
        {"revision": base, "name": "greeter", "type": "STANDARD", "definition": theirs},
        format="json",
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "conflict"
    assert body["details"]["your_revision"] == base
    assert body["details"]["current"]["revision"] == base + 1
    assert body["details"]["current"]["definition"] == mine
    workflow.refresh_from_db()
    assert (workflow.revision, workflow.definition) == (base + 1, mine)  # nothing lost

    merged = second.patch(
        url(workflow), {"revision": base + 1, "definition": theirs}, format="json"
    )
    assert merged.status_code == 200
    assert merged.json()["revision"] == base + 2


def test_update_needs_a_revision(api_client_for: Any, editor: Any, workflow: Workflow) -> None:
    response = api_client_for(editor).patch(url(workflow), {"description": "x"}, format="json")
    assert response.status_code == 400
    assert "revision" in response.json()["details"]


def test_put_needs_every_editable_field(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    response = api_client_for(editor).put(url(workflow), {"revision": 1}, format="json")
    assert response.status_code == 400
    assert {"name", "type", "definition"} <= set(response.json()["details"])


def test_layout_is_kept_but_apart(api_client_for: Any, editor: Any, workflow: Workflow) -> None:
    client = api_client_for(editor)
    layout = {"nodes": {"/States/Hello": {"x": 10, "y": 20}}}
    response = client.patch(url(workflow), {"revision": 1, "layout": layout}, format="json")
    assert response.json()["layout"] == layout
    assert response.json()["definition"] == GOOD


def test_validate_a_sent_definition_or_text(
    api_client_for: Any, viewer: Any, workflow: Workflow
) -> None:
    client = api_client_for(viewer)
    by_object = client.post(url(workflow, "validate/"), {"definition": BROKEN}, format="json")
    assert by_object.json()["valid"] is False
    assert by_object.json()["diagnostics"][0]["location"] == "/States/Hello/Next"
    text = "StartAt: Hello\nStates:\n  Hello:\n    Type: Pass\n    Next: Gone\n"
    by_text = client.post(url(workflow, "validate/"), {"text": text}, format="json")
    problem = by_text.json()["diagnostics"][0]
    assert (problem["code"], problem["line"], problem["column"]) == ("DANGLING_NEXT", 5, 5)
    assert {"code", "message", "location", "severity"} <= set(problem)
    syntax = client.post(url(workflow, "validate/"), {"text": "{\n  nope"}, format="json")
    assert syntax.json()["diagnostics"][0]["code"] == "SYNTAX_ERROR"
    assert syntax.json()["diagnostics"][0]["line"] == 2
    not_object = client.post(url(workflow, "validate/"), {"definition": [1]}, format="json")
    assert not_object.status_code == 400


def test_publish_refuses_errors_with_diagnostics(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    client = api_client_for(editor)
    client.patch(url(workflow), {"revision": 1, "definition": BROKEN}, format="json")
    response = client.post(url(workflow, "publish/"), {}, format="json")
    assert response.status_code == 400
    assert response.json()["details"]["diagnostics"][0]["location"] == "/States/Hello/Next"
    assert workflow.versions.count() == 0


def test_published_versions_are_immutable_and_numbered(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    client = api_client_for(editor)
    v1 = client.post(url(workflow, "publish/"), {"description": "first"}, format="json")
    assert (v1.status_code, v1.json()["number"]) == (201, 1)
    changed = {**GOOD, "Comment": "second"}
    client.patch(url(workflow), {"revision": 1, "definition": changed}, format="json")
    v2 = client.post(url(workflow, "publish/"), {"revision": 2}, format="json")
    assert (v2.status_code, v2.json()["number"]) == (201, 2)
    client.patch(url(workflow), {"revision": 2, "definition": BROKEN}, format="json")

    assert client.get(url(workflow, "versions/1/")).json()["definition"] == GOOD
    assert client.get(url(workflow, "versions/2/")).json()["definition"] == changed
    listed = client.get(url(workflow, "versions/")).json()
    assert [(v["number"], v["description"]) for v in listed] == [(2, ""), (1, "first")]
    assert client.get(url(workflow, "versions/3/")).status_code == 404
    # no route changes a version
    assert client.put(url(workflow, "versions/1/"), {}, format="json").status_code == 405
    assert client.delete(url(workflow, "versions/1/")).status_code == 405
    stale = client.post(url(workflow, "publish/"), {"revision": 1}, format="json")
    assert stale.status_code == 409
    assert AuditEntry.objects.filter(action="workflow.publish").count() == 2


def test_other_teams_workflows_are_invisible(
    api_client_for: Any, outsider: Any, other_team: Team, editor: Any, workflow: Workflow
) -> None:
    theirs = Workflow.objects.create(team=other_team, name="secret", definition=GOOD)
    client = api_client_for(editor)
    assert client.get(url(theirs)).status_code == 404
    assert client.get("/api/teams/rivals/workflows/").status_code == 404
    missing = client.get("/api/workflows/00000000-0000-0000-0000-000000000000/")
    assert missing.status_code == 404


def test_schema_documents_the_workflow_endpoints(api_client_for: Any, viewer: Any) -> None:
    response = api_client_for(viewer).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/teams/{slug}/workflows/",
        "/api/teams/{slug}/workflows/import/",
        "/api/workflows/{workflow_id}/",
        "/api/workflows/{workflow_id}/publish/",
        "/api/workflows/{workflow_id}/versions/{number}/",
        "/api/workflows/{workflow_id}/export/",
    ):
        assert path in text
    for component in ("WorkflowCreate", "WorkflowPatch", "Conflict", "Diagnostic", "Version"):
        assert component in text


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("put", "", {"name": "x"}),  # incomplete: no definition, no revision
        ("patch", "", {}),
        ("post", "duplicate/", {}),
    ],
)
def test_permission_is_checked_before_the_body(
    api_client_for: Any,
    viewer: Any,
    outsider: Any,
    workflow: Workflow,
    method: str,
    suffix: str,
    body: dict[str, Any],
) -> None:
    """A viewer learns it may not edit (403), not what its body lacks (400); an outsider
    learns nothing (404)."""
    url = f"/api/workflows/{workflow.pk}/{suffix}"
    for user, status in ((viewer, 403), (outsider, 404)):
        response = getattr(api_client_for(user), method)(url, body, format="json")
        assert response.status_code == status, (user, response.json())
    workflow.refresh_from_db()
    assert workflow.name == "greeter"
