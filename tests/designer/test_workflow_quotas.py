"""Issue #13: the inputs that had no bound get one, from ``designer.limits``.

* aliases per workflow (AWS: 100) and published versions per workflow (AWS: 1,000):
  one more is a 409 naming the limit, and nothing is created;
* a connection's headers, query parameters and body fields: at most
  ``CONNECTION_PARAMETERS_MAX`` each (400);
* TestState: the input, variables, context and mock at most 256 KiB and the state at
  most 1 MB, as on AWS (400 with the server's words, before anything runs);
* the constants that were spread over services (tags, page size) come from
  ``designer.limits`` and still hold.
The tests lower the limits through settings.
"""

from __future__ import annotations

from typing import Any

import pytest

from designer import limits
from designer.models import Connection, Team, Workflow, WorkflowAlias, WorkflowVersion

pytestmark = pytest.mark.django_db

ASL: Any = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
API_KEY = {"api_key_name": "x-api-key", "api_key_value": "secret"}


@pytest.fixture
def workflow(team: Team, owner: Any) -> Workflow:
    workflow = Workflow.objects.create(team=team, name="flow", definition=ASL)
    WorkflowVersion.objects.create(workflow=workflow, number=1, definition=ASL, created_by=owner)
    return workflow


def test_the_defaults_are_aws_quotas() -> None:
    assert limits.default("ALIASES_PER_WORKFLOW_MAX") == 100
    assert limits.default("VERSIONS_PER_WORKFLOW_MAX") == 1000


def alias(client: Any, workflow: Workflow, name: str) -> Any:
    body = {"name": name, "routing": [{"version": 1, "weight": 100}]}
    return client.post(f"/api/workflows/{workflow.id}/aliases/", body, format="json")


def test_one_alias_too_many_is_a_conflict(
    api_client_for: Any, editor: Any, workflow: Workflow, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"ALIASES_PER_WORKFLOW_MAX": 2}
    client = api_client_for(editor)
    assert alias(client, workflow, "one").status_code == 201
    assert alias(client, workflow, "two").status_code == 201
    refused = alias(client, workflow, "three")
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "conflict"
    assert "already has 2 aliases" in body["message"]
    assert "ALIASES_PER_WORKFLOW_MAX" in body["message"]
    assert body["details"]["limit"] == 2
    assert WorkflowAlias.objects.filter(workflow=workflow).count() == 2
    client.delete(f"/api/workflows/{workflow.id}/aliases/one/")
    assert alias(client, workflow, "three").status_code == 201  # room again


def test_one_version_too_many_is_a_conflict(
    api_client_for: Any, editor: Any, workflow: Workflow, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"VERSIONS_PER_WORKFLOW_MAX": 2}
    client = api_client_for(editor)
    url = f"/api/workflows/{workflow.id}/publish/"
    assert client.post(url, {}, format="json").status_code == 201
    refused = client.post(url, {}, format="json")
    assert refused.status_code == 409
    assert "already has 2 published versions" in refused.json()["message"]
    assert "VERSIONS_PER_WORKFLOW_MAX" in refused.json()["message"]
    assert WorkflowVersion.objects.filter(workflow=workflow).count() == 2


def test_the_limits_do_not_let_another_team_in(
    api_client_for: Any, outsider: Any, other_team: Team, workflow: Workflow, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"ALIASES_PER_WORKFLOW_MAX": 0}
    assert alias(api_client_for(outsider), workflow, "x").status_code == 404


@pytest.mark.parametrize("kind", ["headers", "query", "body"])
def test_a_connection_with_too_many_parameters_is_refused(
    api_client_for: Any, owner: Any, team: Team, settings: Any, kind: str
) -> None:
    settings.STATEYARD_LIMITS = {"CONNECTION_PARAMETERS_MAX": 3}
    client = api_client_for(owner)

    def create(name: str, count: int) -> Any:
        parameters = {kind: {f"k{i}": "v" for i in range(count)}}
        body = {
            "name": name,
            "auth_type": "API_KEY",
            "auth": API_KEY,
            "invocation_http_parameters": parameters,
        }
        return client.post("/api/teams/acme/connections/", body, format="json")

    assert create("fits", 3).status_code == 201
    refused = create("over", 4)
    assert refused.status_code == 400
    assert (
        f"invocation_http_parameters.{kind} holds 4 entries; the most is 3"
        in (refused.json()["message"])
    )
    assert not Connection.objects.filter(name="over").exists()


def test_test_state_refuses_an_oversized_input_before_running(
    api_client_for: Any, runner: Any, workflow: Workflow
) -> None:
    body = {
        "definition": {"Type": "Pass", "End": True},
        "input": {"s": "x" * (256 * 1024)},
        "workflow": str(workflow.pk),
    }
    refused = api_client_for(runner).post("/api/test-state/", body, format="json")
    assert refused.status_code == 400
    assert refused.json()["message"] == "The input is larger than the 256 KiB payload quota."


def test_the_tag_and_page_limits_come_from_the_limits_module() -> None:
    from designer.selectors.executions import MAX_PAGE
    from designer.services.workflow_fields import MAX_TAGS

    assert (MAX_TAGS, MAX_PAGE) == (limits.TAGS_MAX, limits.PAGE_MAX) == (50, 1000)
