"""Issue #13: limits on what the API accepts (YAML aliases, definition size, nesting, text).

Each test pushes past one limit and checks the clear error (what, where, why)
and that nothing is lost: the stored data is unchanged and the next request works.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from designer.models import Team, Workflow

pytestmark = pytest.mark.django_db

GOOD: Any = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
IMPORT = "/api/teams/acme/workflows/import/"

# like the ~390-byte document of the report: nine levels of nine aliases (9**9 strings expanded)
BOMB = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} ["
            + ",".join([f"*{chr(ord('a') + i - 1)}"] * 9)
            + "]"
            for i in range(1, 9)
        ),
        "StartAt: A",
        "States: {A: {Type: Pass, End: true}}",
    ]
)


@pytest.fixture
def workflow(team: Team, owner: Any) -> Workflow:
    return Workflow.objects.create(team=team, name="kept", definition=GOOD, created_by=owner)


def _still_serving(client: Any, workflow: Workflow) -> None:
    listed = client.get("/api/teams/acme/workflows/")
    assert listed.status_code == 200
    stored = Workflow.objects.get(pk=workflow.pk)
    assert stored.definition == GOOD
    assert stored.revision == workflow.revision


def test_a_yaml_alias_bomb_is_refused_quickly(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    client = api_client_for(editor)
    assert len(BOMB) < 600
    response = client.post(IMPORT, {"text": BOMB, "name": "bomb"}, format="json")
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "validation_failed"
    assert "aliases" in body["message"]
    assert body["details"]["line"] >= 2  # where: the alias past the limit
    assert not Workflow.objects.filter(name="bomb").exists()
    _still_serving(client, workflow)


def test_few_aliases_expanding_too_far_are_refused(
    api_client_for: Any, editor: Any, workflow: Workflow, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"YAML_MAX_EXPANDED_BYTES": 10_000}
    text = "x: &x " + json.dumps(["y" * 1000] * 5) + "\nz: [*x, *x, *x]\nStartAt: A\n"
    response = api_client_for(editor).post(IMPORT, {"text": text, "name": "wide"}, format="json")
    assert response.status_code == 400
    assert "expands to more than 10000 bytes" in response.json()["message"]
    assert not Workflow.objects.filter(name="wide").exists()


def test_a_yaml_document_that_contains_itself_is_refused(
    api_client_for: Any, editor: Any, team: Team
) -> None:
    text = "a: &a [1, *a]\nStartAt: A\n"
    response = api_client_for(editor).post(IMPORT, {"text": text, "name": "loop"}, format="json")
    assert response.status_code == 400
    assert "contains itself" in response.json()["message"]


def test_yaml_with_a_few_aliases_still_imports(
    api_client_for: Any, editor: Any, team: Team
) -> None:
    text = (
        "StartAt: A\nStates:\n  A: {Type: Pass, Result: &r {x: 1}, Next: B}\n"
        "  B: {Type: Pass, Result: *r, End: true}\n"
    )
    response = api_client_for(editor).post(IMPORT, {"text": text, "name": "ok"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["definition"]["States"]["B"]["Result"] == {"x": 1}


def test_the_validator_refuses_the_bomb_too(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    response = api_client_for(editor).post(
        f"/api/workflows/{workflow.id}/validate/", {"text": BOMB}, format="json"
    )
    assert response.status_code == 200
    codes = [(d["code"], d["message"]) for d in response.json()["diagnostics"]]
    assert codes and codes[0][0] == "SYNTAX_ERROR" and "aliases" in codes[0][1]


def test_a_definition_over_1_mb_is_refused_and_the_draft_is_kept(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    client = api_client_for(editor)
    big = {**GOOD, "Comment": "x" * (1024 * 1024)}
    response = client.patch(
        f"/api/workflows/{workflow.id}/",
        {"revision": workflow.revision, "definition": big},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert body["details"]["limit"] == 1024 * 1024 and body["details"]["size"] > 1024 * 1024
    assert "definition" in body["message"]
    _still_serving(client, workflow)


def test_an_imported_definition_over_1_mb_is_refused(
    api_client_for: Any, editor: Any, team: Team
) -> None:
    text = json.dumps({**GOOD, "Comment": "x" * (1024 * 1024)})
    response = api_client_for(editor).post(IMPORT, {"text": text, "name": "huge"}, format="json")
    assert response.status_code == 400
    assert response.json()["details"]["limit"] == 1024 * 1024
    assert not Workflow.objects.filter(name="huge").exists()


def test_a_lone_surrogate_in_a_definition_is_refused_with_its_pointer(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    client = api_client_for(editor)
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "\\ud800", "End": true}}}'
    response = client.post(IMPORT, {"text": text, "name": "odd"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["details"]["pointer"] == "/States/A/Result"
    assert "surrogate" in body["message"]
    assert not Workflow.objects.filter(name="odd").exists()
    _still_serving(client, workflow)


def test_listing_workflows_does_not_load_their_definitions(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = api_client_for(editor).get("/api/teams/acme/workflows/")
    assert response.status_code == 200
    assert [w["name"] for w in response.json()] == ["kept"]
    listing = [q["sql"] for q in queries.captured_queries if 'FROM "designer_workflow"' in q["sql"]]
    assert listing and all('"definition"' not in sql and '"layout"' not in sql for sql in listing)


def test_limits_come_from_settings_with_the_engine_defaults(settings: Any) -> None:
    from designer.limits import NAMES, default, limit
    from engine import limits as engine_limits

    settings.STATEYARD_LIMITS = {}
    assert limit("HISTORY_MAX_EVENTS") == engine_limits.HISTORY_MAX_EVENTS == 25_000
    assert limit("DEFINITION_MAX_BYTES") == 1024 * 1024
    assert limit("REQUEST_MAX_BYTES") == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    settings.STATEYARD_LIMITS = {"HISTORY_MAX_EVENTS": "500"}  # as read from the environment
    assert limit("HISTORY_MAX_EVENTS") == 500
    assert all(default(name) > 0 for name in NAMES)
    with pytest.raises(KeyError):
        limit("NO_SUCH_LIMIT")


def test_the_import_preview_refuses_the_bomb_too(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    client = api_client_for(editor)
    response = client.post(
        f"/api/workflows/{workflow.id}/import-preview/", {"text": BOMB}, format="json"
    )
    assert response.status_code == 400
    assert "expands to more than" in response.json()["message"]
    _still_serving(client, workflow)
