"""POST /api/test-state/: TestState for the inspector, with the team's roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import include, path
from rest_framework.test import APIClient

from designer.models import Team, Workflow
from tests.designer.conftest import ApiClientFor

# The lead mounts designer.api.urls_test_state under /api/; these tests mount it themselves.
urlpatterns = [path("api/", include("designer.api.urls_test_state"))]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

URL = "/api/test-state/"
PASS = {"Type": "Pass", "Parameters": {"id.$": "$.id"}, "ResultPath": "$.copy", "Next": "Next"}
ASL = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


@pytest.fixture
def workflow(team: Team) -> Workflow:
    return Workflow.objects.create(team=team, name="flow", definition=ASL)


def post(client: APIClient, body: dict[str, Any]) -> Any:
    return client.post(URL, body, format="json")


@pytest.mark.parametrize("who", ["owner", "editor", "runner"])
def test_runners_and_up_can_test_a_state(
    api_client_for: ApiClientFor, members: dict[str, Any], workflow: Workflow, who: str
) -> None:
    response = post(
        api_client_for(members[who]),
        {"definition": PASS, "input": {"id": 3}, "workflow": str(workflow.pk)},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "SUCCEEDED"
    assert body["output"] == {"id": 3, "copy": {"id": 3}}
    assert body["nextState"] == "Next"
    assert body["inspectionData"]["afterParameters"] == {"id": 3}


def test_viewer_is_denied(
    api_client_for: ApiClientFor, members: dict[str, Any], workflow: Workflow
) -> None:
    response = post(
        api_client_for(members["viewer"]), {"definition": PASS, "workflow": str(workflow.pk)}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_other_teams_get_404(
    api_client_for: ApiClientFor, outsider: Any, other_team: Team, workflow: Workflow
) -> None:
    client = api_client_for(outsider)
    hidden = post(client, {"definition": PASS, "workflow": str(workflow.pk)})
    assert hidden.status_code == 404
    assert post(client, {"definition": PASS, "team": "acme"}).status_code == 404
    assert post(client, {"definition": PASS, "team": "rivals"}).status_code == 200


def test_anonymous_is_refused(api_client_for: ApiClientFor, workflow: Workflow) -> None:
    response = post(api_client_for(None), {"definition": PASS, "workflow": str(workflow.pk)})
    assert response.status_code in (401, 403)


def test_team_access_and_missing_scope(
    api_client_for: ApiClientFor, members: dict[str, Any]
) -> None:
    client = api_client_for(members["runner"])
    assert post(client, {"definition": PASS, "team": "acme"}).status_code == 200
    missing = post(client, {"definition": PASS})
    assert missing.status_code == 400
    assert missing.json()["code"] == "validation_failed"


def test_bad_definition_is_400_with_diagnostics(
    api_client_for: ApiClientFor, members: dict[str, Any], workflow: Workflow
) -> None:
    client = api_client_for(members["runner"])
    bad = post(
        client,
        {"definition": {"Type": "Pass", "Nope": 1, "End": True}, "workflow": str(workflow.pk)},
    )
    assert bad.status_code == 400
    diagnostics = bad.json()["details"]["diagnostics"]
    assert diagnostics[0]["code"] == "SCHEMA_UNKNOWN_FIELD"
    assert diagnostics[0]["location"] == "/Nope"
    text = post(client, {"definition": "{not json", "workflow": str(workflow.pk)})
    assert text.status_code == 400
    assert text.json()["details"]["diagnostics"][0]["code"] == "INVALID_JSON"
    as_text = post(client, {"definition": '{"Type": "Succeed"}', "workflow": str(workflow.pk)})
    assert as_text.status_code == 200 and as_text.json()["status"] == "SUCCEEDED"


def test_bad_json_body_is_400(
    api_client_for: ApiClientFor, members: dict[str, Any], workflow: Workflow
) -> None:
    client = api_client_for(members["runner"])
    response = client.post(URL, "{oops", content_type="application/json")
    assert response.status_code == 400


def test_mock_variables_and_jsonata(
    api_client_for: ApiClientFor, members: dict[str, Any], team: Team
) -> None:
    jsonata = Workflow.objects.create(
        team=team, name="jsonata", definition={**ASL, "QueryLanguage": "JSONata"}
    )
    state = {
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:000000000000:function:charge",
        "Arguments": {"amount": "{% $states.input.amount * $rate %}"},
        "Retry": [{"ErrorEquals": ["Busy"]}],
        "End": True,
    }
    client = api_client_for(members["runner"])
    body = {
        "definition": state,
        "input": {"amount": 2},
        "variables": {"rate": 10},
        "workflow": str(jsonata.pk),
    }
    ok = post(client, {**body, "mock": {"result": {"charged": 20}}})
    assert ok.status_code == 200, ok.json()
    assert ok.json()["inspectionData"]["afterArguments"] == {"amount": 20}
    retry = post(client, {**body, "mock": {"errorOutput": {"error": "Busy", "cause": "later"}}})
    assert retry.json()["status"] == "RETRIABLE"
    info = post(client, {**body, "mock": {"result": 1}, "inspectionLevel": "INFO"})
    assert "inspectionData" not in info.json()
    bad_mock = post(client, {**body, "mock": {"nope": 1}})
    assert bad_mock.status_code == 400
    assert bad_mock.json()["details"]["diagnostics"][0]["code"] == "TEST_STATE_MOCK"


def test_real_function_runs_without_a_mock(
    api_client_for: ApiClientFor, members: dict[str, Any], workflow: Workflow
) -> None:
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "greet", "Payload.$": "$"},
        "OutputPath": "$.Payload",
        "End": True,
    }
    response = post(
        api_client_for(members["runner"]),
        {"definition": state, "input": {"name": "Rita"}, "workflow": str(workflow.pk)},
    )
    assert response.status_code == 200
    assert response.json()["output"]["greeting"] == "Hello, Rita!"


def test_context_and_state_name(
    api_client_for: ApiClientFor, members: dict[str, Any], workflow: Workflow
) -> None:
    state = {"Type": "Pass", "Parameters": {"n.$": "$$.Execution.Name", "s.$": "$$.State.Name"}}
    client = api_client_for(members["runner"])
    body = {"definition": {**state, "End": True}, "workflow": str(workflow.pk)}
    response = post(
        client, {**body, "context": {"Execution": {"Name": "preview"}}, "stateName": "P"}
    )
    assert response.json()["output"] == {"n": "preview", "s": "P"}
    assert post(client, {**body, "context": [1]}).status_code == 400


# --- connections: a runner may not aim a connection's secrets at an endpoint of their choice ---


@pytest.fixture
def api_key_connection(team: Team, owner: Any) -> Any:
    from designer.services.connections import connection_create

    return connection_create(
        actor=owner,
        team_slug="acme",
        name="payments",
        auth_type="API_KEY",
        auth={"api_key_name": "x-api-key", "api_key_value": "sk-live-secret"},
    )


def http_state(arn: str) -> dict[str, Any]:
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::http:invoke",
        "Parameters": {
            "ApiEndpoint": "http://127.0.0.1:1/steal",
            "Method": "GET",
            "Authentication": {"ConnectionArn": arn},
        },
        "End": True,
    }


# transaction=True: TestState makes its call in a thread of its own, with its own connection
@pytest.mark.django_db(transaction=True)
def test_a_runner_may_not_test_a_state_with_a_connection(
    api_client_for: ApiClientFor,
    members: dict[str, Any],
    workflow: Workflow,
    api_key_connection: Any,
) -> None:
    body = {"definition": http_state(api_key_connection.arn), "workflow": str(workflow.pk)}
    refused = post(api_client_for(members["runner"]), body)
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert post(api_client_for(members["runner"]), {**body, "team": "acme"}).status_code == 403
    # a mocked task calls nothing, so the runner may test it
    mocked = post(api_client_for(members["runner"]), {**body, "mock": {"result": {"ok": 1}}})
    assert mocked.status_code == 200 and mocked.json()["output"] == {"ok": 1}
    # an editor may: the call goes out (and here meets the address guard)
    allowed = post(api_client_for(members["editor"]), body)
    assert allowed.status_code == 200
    assert allowed.json()["error"] == "States.Http.AddressNotAllowed"


def test_another_team_gets_404_for_a_state_with_a_connection(
    api_client_for: ApiClientFor,
    outsider: Any,
    other_team: Team,
    workflow: Workflow,
    api_key_connection: Any,
) -> None:
    client = api_client_for(outsider)
    body = {"definition": http_state(api_key_connection.arn)}
    assert post(client, {**body, "workflow": str(workflow.pk)}).status_code == 404
    assert post(client, {**body, "team": "acme"}).status_code == 404
    # in their own team the connection does not exist
    own = post(client, {**body, "team": "rivals"})
    assert own.status_code == 200
    assert own.json()["error"] == "Events.ConnectionResource.InvalidConnectionState"
    assert "does not exist" in own.json()["cause"]


@pytest.mark.django_db(transaction=True)
def test_a_connection_arn_from_the_input_is_refused_for_a_runner(
    api_client_for: ApiClientFor,
    members: dict[str, Any],
    workflow: Workflow,
    api_key_connection: Any,
) -> None:
    state = {
        "Type": "Task",
        "QueryLanguage": "JSONata",
        "Resource": "arn:aws:states:::http:invoke",
        "Arguments": "{% $states.input.request %}",
        "End": True,
    }
    request = {
        "ApiEndpoint": "https://example.com/",
        "Method": "GET",
        "Authentication": {"ConnectionArn": api_key_connection.arn},
    }
    response = post(
        api_client_for(members["runner"]),
        {"definition": state, "input": {"request": request}, "workflow": str(workflow.pk)},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["error"] == "Events.ConnectionResource.InvalidConnectionState"
    assert "editor role" in body["cause"]
