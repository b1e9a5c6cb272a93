"""The StartExecution hot path: few statements, remembered tokens and definitions, no staleness.

A start is one SELECT (the workflow with the caller's role) and one
statement that inserts the execution and its audit entry (with its first
slice's history, tests/designer/test_start_first_slice.py); a token is looked up once per burst; a
definition is validated once per revision or version. Each shortcut must give
way at once when what it remembers changes in this process: a revoked token,
a deactivated user, an edited definition. A locked address is refused, a
remembered token too.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from designer.models import AuditEntry, Execution, Team, Workflow
from designer.services.throttle import token_failed
from designer.services.tokens import token_create
from designer.services.workflows import workflow_update

pytestmark = pytest.mark.django_db

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


@pytest.fixture
def workflow(team: Team, owner: Any) -> Workflow:
    return Workflow.objects.create(team=team, name="fast", definition=PASS, created_by=owner)


def bearer(user: Any) -> tuple[APIClient, int]:
    token, plaintext = token_create(user, "tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client, token.pk


def statements(context: CaptureQueriesContext) -> list[str]:
    """The SQL verbs run, without the transaction bookkeeping."""
    verbs = [q["sql"].split()[0].upper() for q in context.captured_queries]
    return [v for v in verbs if v not in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")]


def test_a_start_is_one_select_and_one_insert(workflow: Workflow, runner: Any) -> None:
    client, _ = bearer(runner)
    url = f"/api/workflows/{workflow.pk}/executions/"
    assert client.post(url, {"input": {"n": 0}}, format="json").status_code == 201
    with CaptureQueriesContext(connection) as context:
        response = client.post(url, {"input": {"n": 1}}, format="json")
    assert response.status_code == 201, response.json()
    assert statements(context) == ["SELECT", "WITH"]  # WITH ... INSERT ... INSERT
    assert Execution.objects.get(pk=response.json()["id"]).input == {"n": 1}
    assert AuditEntry.objects.filter(action="execution.start").count() == 2


def test_a_reused_name_is_answered_by_the_constraint(workflow: Workflow, runner: Any) -> None:
    client, _ = bearer(runner)
    url = f"/api/workflows/{workflow.pk}/executions/"
    first = client.post(url, {"input": {"n": 1}, "name": "once"}, format="json")
    again = client.post(url, {"input": {"n": 1}, "name": "once"}, format="json")
    clash = client.post(url, {"input": {"n": 2}, "name": "once"}, format="json")
    assert (first.status_code, again.status_code, clash.status_code) == (201, 200, 409)
    assert again.json()["id"] == first.json()["id"]
    assert Execution.objects.filter(workflow=workflow).count() == 1
    assert AuditEntry.objects.filter(action="execution.start").count() == 1


def test_a_token_is_looked_up_once_per_burst(workflow: Workflow, runner: Any) -> None:
    client, _ = bearer(runner)
    assert client.get("/api/executions/").status_code == 200
    with CaptureQueriesContext(connection) as context:
        assert client.get("/api/executions/").status_code == 200
    assert not any("designer_apitoken" in q["sql"] for q in context.captured_queries)


def test_a_revoked_token_is_refused_at_once(workflow: Workflow, runner: Any) -> None:
    client, token_id = bearer(runner)
    assert client.get("/api/executions/").status_code == 200  # remembered now
    assert client.delete(f"/api/tokens/{token_id}/").status_code == 204
    assert client.get("/api/executions/").status_code == 401


def test_a_deactivated_users_remembered_token_is_refused(workflow: Workflow, runner: Any) -> None:
    client, _ = bearer(runner)
    assert client.get("/api/executions/").status_code == 200
    runner.is_active = False
    runner.save()
    assert client.get("/api/executions/").status_code == 401


def test_an_outsiders_token_still_gets_404(workflow: Workflow, outsider: Any) -> None:
    client, _ = bearer(outsider)
    url = f"/api/workflows/{workflow.pk}/executions/"
    for _ in range(2):  # the second time with the token remembered
        assert client.post(url, {"input": {}}, format="json").status_code == 404
    assert not Execution.objects.exists()


def test_an_edited_definition_is_validated_again(
    workflow: Workflow, runner: Any, owner: Any
) -> None:
    client, _ = bearer(runner)
    url = f"/api/workflows/{workflow.pk}/executions/"
    assert client.post(url, {"input": {}}, format="json").status_code == 201
    broken = {"StartAt": "Nope", "States": {"P": {"Type": "Pass", "End": True}}}
    workflow_update(
        actor=owner,
        workflow_id=workflow.pk,
        revision=workflow.revision,
        changes={"definition": broken},
    )
    refused = client.post(url, {"input": {}}, format="json")
    assert refused.status_code == 400, refused.json()
    assert Execution.objects.filter(workflow=workflow).count() == 1


def test_only_the_exact_token_is_remembered(workflow: Workflow, runner: Any) -> None:
    token, plaintext = token_create(runner, "tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert client.get("/api/executions/").status_code == 200  # remembered now
    forged = APIClient()
    forged.credentials(HTTP_AUTHORIZATION=f"Bearer xx{plaintext[2:]}")  # same prefix and secret
    assert forged.get("/api/executions/").status_code == 401
    from designer.services.tokens import token_find

    found = token_find(plaintext)  # the websocket check still gets the token itself
    assert found is not None and found.pk == token.pk


def test_a_locked_address_is_refused_even_for_a_remembered_token(
    workflow: Workflow, runner: Any
) -> None:
    _, plaintext = token_create(runner, "tests")
    client = APIClient(REMOTE_ADDR="10.7.7.7")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert client.get("/api/executions/").status_code == 200  # remembered now
    for _ in range(settings.STATEYARD_THROTTLE["TOKEN_IP_FAILURES"]):
        token_failed("10.7.7.7")
    assert client.get("/api/executions/").status_code == 429
    elsewhere = APIClient(REMOTE_ADDR="10.8.8.8")
    elsewhere.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert elsewhere.get("/api/executions/").status_code == 200


def test_an_unknown_workflow_or_a_session_stranger_gets_404(
    workflow: Workflow, runner: Any, outsider: Any
) -> None:
    client, _ = bearer(runner)
    missing = f"/api/workflows/{uuid.uuid4()}/executions/"
    assert client.post(missing, {"input": {}}, format="json").status_code == 404
    stranger = APIClient()
    stranger.force_login(outsider)
    url = f"/api/workflows/{workflow.pk}/executions/"
    assert stranger.post(url, {"input": {}}, format="json").status_code == 404
    assert not Execution.objects.exists()
