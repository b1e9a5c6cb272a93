"""Issue #13 (12): every answer under /api/ is JSON {code, message, details}; pages keep HTML.

Unknown paths, 405s, oversized and malformed or too-deep bodies, unhandled
exceptions and a database outage each get the JSON shape with the right
status, and the server goes on answering the next request normally.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from designer.models import Team, Workflow

pytestmark = pytest.mark.django_db

GOOD: Any = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}


def shape(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = json.loads(response.content)
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


def still_serving(client: Any) -> None:
    response = client.get("/api/teams/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_an_unknown_api_path_is_a_json_404(api_client_for: Any, editor: Any, team: Team) -> None:
    client = api_client_for(editor)
    shape(client.get("/api/no-such-thing/"), 404, "not_found")
    shape(api_client_for(None).get("/api/nothing/here"), 404, "not_found")
    still_serving(client)


def test_a_page_outside_the_api_keeps_its_html_404(page_client_for: Any, editor: Any) -> None:
    response = page_client_for(editor).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_wrong_method_is_a_json_405(api_client_for: Any, editor: Any, team: Team) -> None:
    client = api_client_for(editor)
    body = shape(client.put("/api/teams/", {}, format="json"), 405, "method_not_allowed")
    assert "PUT" in body["message"]
    still_serving(client)


def test_a_body_over_the_limit_is_a_json_413(
    api_client_for: Any, editor: Any, team: Team, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"REQUEST_MAX_BYTES": 1000}
    client = api_client_for(editor)
    big = {"name": "x", "definition": {**GOOD, "Comment": "y" * 2000}}
    body = shape(
        client.post("/api/teams/acme/workflows/", big, format="json"), 413, "request_too_large"
    )
    assert body["details"]["limit"] == 1000
    assert not Workflow.objects.filter(name="x").exists()
    still_serving(client)


def test_a_body_without_a_length_is_still_bounded(
    api_client_for: Any, editor: Any, team: Team, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"REQUEST_MAX_BYTES": 1000}
    client = api_client_for(editor)
    payload = json.dumps({"name": "x", "definition": {**GOOD, "Comment": "y" * 2000}})
    response = client.generic(
        "POST",
        "/api/teams/acme/workflows/",
        payload,
        content_type="application/json",
        CONTENT_LENGTH="",  # as with chunked transfer: the parser must stop reading
    )
    assert response.status_code in (400, 413)
    assert response["Content-Type"].startswith("application/json")
    assert not Workflow.objects.filter(name="x").exists()


def test_malformed_json_is_a_json_400(api_client_for: Any, editor: Any, team: Team) -> None:
    client = api_client_for(editor)
    response = client.generic(
        "POST", "/api/teams/acme/workflows/", '{"name": ', content_type="application/json"
    )
    body = shape(response, 400, "parse_error")
    assert "JSON parse error" in body["message"]
    still_serving(client)


def test_deeply_nested_json_is_a_json_400_not_a_500(
    api_client_for: Any, editor: Any, team: Team
) -> None:
    client = api_client_for(editor)
    for depth in (150, 100_000):  # past the limit; past what Python's parser can read at all
        text = '{"name": "deep", "definition": ' + "[" * depth + "]" * depth + "}"
        response = client.generic(
            "POST", "/api/teams/acme/workflows/", text, content_type="application/json"
        )
        body = shape(response, 400, "validation_failed")
        assert "nest" in body["message"]
    assert not Workflow.objects.filter(name="deep").exists()
    still_serving(client)


def test_a_body_nested_too_deeply_names_the_pointer_as_documented(
    api_client_for: Any, editor: Any, team: Team
) -> None:
    """docs/limits.md: ``details.pointer``, also past what Python's parser can read."""
    client = api_client_for(editor)
    first_too_deep = "/definition" + "/0" * 99  # the 100th level below the body
    for depth in (150, 100_000):
        text = '{"name": "deep", "definition": ' + "[" * depth + "]" * depth + "}"
        response = client.generic(
            "POST", "/api/teams/acme/workflows/", text, content_type="application/json"
        )
        body = shape(response, 400, "validation_failed")
        assert body["details"]["pointer"] == first_too_deep, depth
        assert first_too_deep in body["message"]


def test_a_lone_surrogate_in_a_body_is_a_json_400_with_its_pointer(
    api_client_for: Any, editor: Any, team: Team
) -> None:
    client = api_client_for(editor)
    text = '{"name": "odd", "definition": {"StartAt": "A", "Comment": "\\ud800"}}'
    response = client.generic(
        "POST", "/api/teams/acme/workflows/", text, content_type="application/json"
    )
    body = shape(response, 400, "validation_failed")
    assert body["details"] == {"pointer": "/definition/Comment"}
    assert "surrogate" in body["message"]
    still_serving(client)


def test_a_nul_character_in_a_body_is_a_json_400_with_its_pointer(
    api_client_for: Any, editor: Any, team: Team
) -> None:
    """PostgreSQL text columns cannot hold NUL: it was a 500 for a description."""
    client = api_client_for(editor)
    text = '{"name": "nul", "description": "a\\u0000b", "definition": {"StartAt": "A"}}'
    response = client.generic(
        "POST", "/api/teams/acme/workflows/", text, content_type="application/json"
    )
    body = shape(response, 400, "validation_failed")
    assert body["details"] == {"pointer": "/description"}
    assert "NUL" in body["message"]
    assert not Workflow.objects.filter(name="nul").exists()
    still_serving(client)


def test_an_unhandled_exception_is_a_logged_json_500(
    api_client_for: Any,
    editor: Any,
    team: Team,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("a bug")

    monkeypatch.setattr("designer.api.teams.TeamListView.get", broken)
    client = api_client_for(editor)
    with caplog.at_level(logging.ERROR, logger="designer.api"):
        body = shape(client.get("/api/teams/"), 500, "internal_error")
    assert "a bug" not in body["message"]  # no internals leak to the client
    assert any("Unhandled error in GET /api/teams/" in r.getMessage() for r in caplog.records)
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)
    monkeypatch.undo()
    still_serving(client)


def test_a_database_outage_is_a_json_503(
    api_client_for: Any, editor: Any, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.backends.utils import CursorWrapper

    def down(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection to server at 127.0.0.1, port 1 failed")

    client = api_client_for(editor)
    monkeypatch.setattr(CursorWrapper, "execute", down)
    body = shape(client.get("/api/teams/"), 503, "service_unavailable")
    assert "database" in body["message"]
    monkeypatch.undo()
    still_serving(client)


def test_a_database_outage_outside_a_view_is_a_json_503_too(
    editor: Any, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error raised by another middleware (here the session's) is also answered as JSON."""
    client = Client(raise_request_exception=False)
    client.force_login(editor)

    def down(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("the database is gone")

    monkeypatch.setattr(
        "django.contrib.sessions.middleware.SessionMiddleware.process_request", down
    )
    response = client.get("/api/teams/")
    shape(response, 503, "service_unavailable")
    assert response["Retry-After"]
    html = client.get("/no-such-page/")  # a page keeps Django's HTML error page
    assert html.status_code == 500 and html["Content-Type"].startswith("text/html")
